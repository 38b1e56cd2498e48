#!/bin/bash
# RSS, NMT summary, heap and class histogram of bench/run's streamedge at N (2000) RTMP players, 60 s
# after its start (after the ramp, in the warm-up), with the given JVM options, one round; and pmap -x.
# The runs of this directory (2026-12-04: the adaptive default against writing at once; SERVERS picks bench/run's kind):
#   rss.sh adaptive "-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000"
#   SERVERS=streamedge-at-once rss.sh at-once "-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000"
label=$1; opts=$2; shift 2
out=$(cd "$(dirname "$0")" && pwd)/$label; rm -rf "$out"; mkdir -p "$out"
root=$(cd "$(dirname "$0")/../../.." && pwd)
(cd "$root" && env "$@" ROUNDS=1 NS="${N:-2000}" SERVERS="${SERVERS:-streamedge}" \
  SE_JAVA_OPTS="$opts -XX:NativeMemoryTracking=summary" bench/run > "$out/bench.log" 2>&1) &
for _ in $(seq 1 300); do pid=$(pgrep -f "streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
echo "server pid $pid"
sleep 60
jcmd "$pid" VM.native_memory summary > "$out/nmt.txt" 2>&1
jcmd "$pid" GC.heap_info > "$out/heap.txt" 2>&1
jcmd "$pid" GC.class_histogram > "$out/histo.txt" 2>&1
grep -E "VmRSS|RssAnon|RssFile|Threads" "/proc/$pid/status" > "$out/rss.txt"
pmap -x "$pid" > "$out/pmap.txt" 2>&1
wait
# bench/run's newest results directory (its summary needs nginx's reports, so it may stop before saying).
d=$(ls -td "$root"/bench/results/[0-9]*Z | head -1)
jq -r '"rssEnd \(.server.rssEndBytes/1e6) growth/pl \(.server.rssGrowthPerPlayerKib) cpu/GB \(.server.cpuSecondsPerGb) p99 \(.latencyMs.p99) max \(.latencyMs.max) ok \(.players.ok) missing \(.frames.missing)"' \
  "$d"/streamedge*-n*-r1.json | tee "$out/summary.txt"
cat "$out/rss.txt"
