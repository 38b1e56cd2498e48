#!/bin/bash
# (Run from /tmp/h on 2026-12-04 at 71b0ce0; outputs copied here. The LL-HLS pairs: bench/hls with ROUNDS=1 KINDS=se-ll, SE_JAVA_OPTS with and without -XX:NewRatio=4: results/hls-20261204T184918Z (default), T185016Z (NewRatio=4), T185118Z (NewRatio=4), T185216Z (default).)
# abnr.sh: alternating pairs at N=2000, the recommended settings vs the same with -XX:NewRatio=4; VmRSS every second
base="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=1000"
for pair in 1 2; do
  for kind in default newratio4; do
    opts="$base"; [ $kind = newratio4 ] && opts="$base -XX:NewRatio=4"
    out=/tmp/h/abnr-$kind-$pair; rm -rf $out; mkdir -p $out
    (cd /work/main && ROUNDS=1 NS=2000 SERVERS=streamedge SE_JAVA_OPTS="$opts" bench/run > $out/bench.log 2>&1) &
    for _ in $(seq 1 600); do pid=$(pgrep -f "streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
    sleep 1; jstat -gc $pid 5000 > $out/jstat.txt 2>&1 &
    start=$(date +%s.%N)
    while kill -0 $pid 2>/dev/null; do
      echo "$(echo "$(date +%s.%N) - $start" | bc | cut -c1-6) $(grep -E 'VmRSS' /proc/$pid/status 2>/dev/null | awk '{print $2}')" >> $out/rss.txt; sleep 1
    done
    wait
    d=$(ls -td /work/main/bench/results/2026*Z | head -1)
    cp $d/streamedge-n2000-r1.json $out/
    echo "$kind $pair end $(jq '.server.rssEndBytes/1e6' $out/streamedge-n2000-r1.json) cpu $(jq .server.cpuSecondsPerGb $out/streamedge-n2000-r1.json) p99 $(jq .latencyMs.p99 $out/streamedge-n2000-r1.json) max $(jq .latencyMs.max $out/streamedge-n2000-r1.json) missing $(jq .frames.missing $out/streamedge-n2000-r1.json) median-from-35s-MB $(awk '$1>35 {print $2}' $out/rss.txt | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]*1024/1e6, "min", a[1]*1024/1e6}') ygc $(tail -n1 $out/jstat.txt | awk '{print $13, $14}')"
  done
done
