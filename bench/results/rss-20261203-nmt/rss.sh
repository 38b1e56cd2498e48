#!/bin/bash
# RSS, NMT summary, heap and class histogram of bench/run's streamedge at N (2000) RTMP players, 60 s
# after its start (after the ramp, in the warm-up), with the given JVM options, one round.
#   rss.sh <label> "<java options>" [VAR=value ...]   # e.g. SE_MALLOC_ARENA_MAX=2
# The runs of this directory (bench/run took MALLOC_ARENA_MAX from the environment then; now from
# SE_MALLOC_ARENA_MAX, "" for glibc's default):
#   rss.sh base          "-Xmx1g"                                              SE_MALLOC_ARENA_MAX=
#   rss.sh serial        "-XX:+UseSerialGC -Xms32m -Xmx512m"                   SE_MALLOC_ARENA_MAX=
#   rss.sh serial-arena  "-XX:+UseSerialGC -Xms16m -Xmx512m -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000" SE_MALLOC_ARENA_MAX=2
#   rss.sh serial-mn     "-XX:+UseSerialGC -Xms16m -Xmx512m -Xmn12m -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000" SE_MALLOC_ARENA_MAX=2
#   rss.sh serial-notrim "-XX:+UseSerialGC -Xms16m -Xmx1g"                     SE_MALLOC_ARENA_MAX=2
#   rss.sh trim-glibc-arenas "-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000" SE_MALLOC_ARENA_MAX=
#   rss.sh trim-two-arenas   "-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000" SE_MALLOC_ARENA_MAX=2
label=$1; opts=$2; shift 2
out=/tmp/rss-$label; rm -rf "$out"; mkdir -p "$out"
root=$(cd "$(dirname "$0")/../../.." && pwd)
(cd "$root" && env "$@" ROUNDS=1 NS="${N:-2000}" SERVERS=streamedge \
  SE_JAVA_OPTS="$opts -XX:NativeMemoryTracking=summary" bench/run > "$out/bench.log" 2>&1) &
for _ in $(seq 1 300); do pid=$(pgrep -f "streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
echo "server pid $pid"
sleep 60
jcmd "$pid" VM.native_memory summary > "$out/nmt.txt" 2>&1
jcmd "$pid" GC.heap_info > "$out/heap.txt" 2>&1
jcmd "$pid" GC.class_histogram > "$out/histo.txt" 2>&1
grep -E "VmRSS|RssAnon|RssFile|Threads" "/proc/$pid/status" > "$out/rss.txt"
wait
# bench/run's newest results directory (its summary needs nginx's reports, so it may stop before saying).
d=$(ls -td "$root"/bench/results/[0-9]*Z | head -1)
jq -r '"rssEnd \(.server.rssEndBytes/1e6) growth/pl \(.server.rssGrowthPerPlayerKib) cpu/GB \(.server.cpuSecondsPerGb) p99 \(.latencyMs.p99) max \(.latencyMs.max) ok \(.players.ok) missing \(.frames.missing)"' \
  "$d"/streamedge-n*-r1.json | tee "$out/summary.txt"
cat "$out/rss.txt"
