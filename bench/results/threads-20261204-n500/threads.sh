#!/bin/bash
# threads.sh label: bench/run streamedge at N (500) players, one round; every thread's utime+stime (ticks) every 5 s
label=$1; out=/tmp/h/$label; rm -rf $out; mkdir -p $out
(cd /work/main && ROUNDS=1 NS=${N:-500} SERVERS=streamedge bench/run > $out/bench.log 2>&1) &
for _ in $(seq 1 600); do pid=$(pgrep -f "streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
start=$(date +%s.%N)
while kill -0 $pid 2>/dev/null; do
  t=$(echo "$(date +%s.%N) - $start" | bc | cut -c1-6)
  for task in /proc/$pid/task/*; do
    [ -r $task/stat ] || continue
    comm=$(tr ' ' '_' < $task/comm 2>/dev/null)
    awk -v t=$t -v c="$comm" '{ s=$0; sub(/^.*\) /, "", s); split(s, f, " "); print t, c, f[12], f[13] }' $task/stat 2>/dev/null
  done >> $out/threads.txt
  sleep 5
done
wait
