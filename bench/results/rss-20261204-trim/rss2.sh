#!/bin/bash
# (Run from /tmp/rss2 on 2026-12-04; its outputs copied here: malloc-adaptive = the default kind, malloc-at-once = SERVERS=streamedge-at-once, each with bench/run's directory as run/.)
# rss2.sh label: bench/run's streamedge (SERVERS picks the kind) at 2000 RTMP players, one round; 60 s after
# its start: RSS, NMT summary, pmap -x, and glibc's malloc_stats() (per arena: system bytes and in-use bytes).
label=$1
out=/tmp/rss2/$label; rm -rf "$out"; mkdir -p "$out"
root=/work/main
(cd "$root" && ROUNDS=1 NS=2000 SERVERS="${SERVERS:-streamedge}" \
  SE_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000 -XX:NativeMemoryTracking=summary" bench/run > "$out/bench.log" 2>&1) &
for _ in $(seq 1 300); do pid=$(pgrep -f "streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
echo "server pid $pid"
sleep 60
err=$(readlink /proc/$pid/fd/2); echo "stderr: $err"
jcmd "$pid" VM.native_memory summary > "$out/nmt.txt" 2>&1
grep -E "VmRSS|RssAnon|RssFile|Threads" "/proc/$pid/status" > "$out/rss.txt"
pmap -x "$pid" > "$out/pmap.txt" 2>&1
before=$(wc -c < "$err")
gdb -p "$pid" -batch -ex 'call (void)malloc_stats()' > "$out/gdb.txt" 2>&1
sleep 1
tail -c +$((before+1)) "$err" | grep -E "Arena|system bytes|in use bytes|Total|max mmap" > "$out/malloc_stats.txt"
jcmd "$pid" System.trim_native_heap > "$out/trim.txt" 2>&1
sleep 1
grep -E "VmRSS|RssAnon" "/proc/$pid/status" > "$out/rss-after-trim.txt"
pmap -x "$pid" > "$out/pmap-after-trim.txt" 2>&1
wait
cat "$out/rss.txt" "$out/trim.txt" "$out/rss-after-trim.txt"; cat "$out/malloc_stats.txt"
