#!/usr/bin/env bash
cd /work/main
(N=2000 ROUNDS=1 KINDS=se-ll WARMUP=60 DURATION=10 OUT=/tmp/histo-run bench/hls > /tmp/histo-run.log 2>&1 &)
for i in $(seq 1 60); do pid=$(pgrep -f "streamedge.jar" | head -1); [ -n "$pid" ] && break; sleep 1; done
echo pid $pid
sleep 6; jcmd $pid GC.class_histogram > /tmp/histo-0.txt 2>&1; grep VmRSS /proc/$pid/status > /tmp/histo-0.rss
sleep 60; jcmd $pid GC.class_histogram > /tmp/histo-1.txt 2>&1; grep VmRSS /proc/$pid/status > /tmp/histo-1.rss
jcmd $pid GC.heap_info > /tmp/histo-heap.txt 2>&1
echo done > /tmp/histo.done
