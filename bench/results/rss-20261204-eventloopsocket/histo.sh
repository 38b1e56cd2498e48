#!/bin/bash
# (Run from /tmp/h on 2026-12-04 against /work/main; 'before' = a build of e885656 in /tmp/exp, 'after' = 71b0ce0. Outputs copied here.)
# histo.sh label [jar]: bench/run streamedge at N=2000, one round; at 60 s: RSS, heap info, full class histogram
label=$1
out=/tmp/h/$label; rm -rf "$out"; mkdir -p "$out"
root=${ROOT:-/work/main}
(cd "$root" && ROUNDS=1 NS=${N:-2000} SERVERS="${SERVERS:-streamedge}" bench/run > "$out/bench.log" 2>&1) &
for _ in $(seq 1 600); do pid=$(pgrep -f "streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
echo "server pid $pid"
sleep 60
grep -E "VmRSS|RssAnon|RssFile" "/proc/$pid/status" > "$out/rss.txt"
jcmd "$pid" GC.heap_info > "$out/heap.txt" 2>&1
jcmd "$pid" GC.class_histogram > "$out/histo.txt" 2>&1
jcmd "$pid" GC.heap_info > "$out/heap-after.txt" 2>&1
wait
cat "$out/rss.txt"; grep -A1 "tenured\|new gen" "$out/heap.txt"
