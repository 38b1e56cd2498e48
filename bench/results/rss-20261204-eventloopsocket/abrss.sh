#!/bin/bash
# (Run from /tmp/h on 2026-12-04 against /work/main; 'before' = a build of e885656 in /tmp/exp, 'after' = 71b0ce0. Outputs copied here.)
# abrss.sh: alternating pairs at N=2000, before (e885656, /tmp/exp) vs after (main); RssAnon+RssFile every second
for pair in 1 2 3; do
  for kind in before after; do
    root=/work/main; [ $kind = before ] && root=/tmp/exp
    out=/tmp/h/abrss-$kind-$pair; rm -rf $out; mkdir -p $out
    (cd $root && ROUNDS=1 NS=2000 SERVERS=streamedge bench/run > $out/bench.log 2>&1) &
    for _ in $(seq 1 600); do pid=$(pgrep -f "streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
    start=$(date +%s.%N)
    while kill -0 $pid 2>/dev/null; do
      echo "$(echo "$(date +%s.%N) - $start" | bc | cut -c1-6) $(grep -E 'VmRSS' /proc/$pid/status 2>/dev/null | awk '{print $2}')" >> $out/rss.txt; sleep 1
    done
    wait
    d=$(ls -td $root/bench/results/2026*Z | head -1)
    cp $d/streamedge-n2000-r1.json $out/
    echo "$kind $pair end $(jq '.server.rssEndBytes/1e6' $out/streamedge-n2000-r1.json) cpu $(jq .server.cpuSecondsPerGb $out/streamedge-n2000-r1.json) p99 $(jq .latencyMs.p99 $out/streamedge-n2000-r1.json) median-last-40s-MB $(awk '$1>35 {print $2}' $out/rss.txt | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]*1024/1e6, "min", a[1]*1024/1e6, "max", a[NR]*1024/1e6}')"
  done
done
