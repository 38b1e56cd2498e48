#!/bin/bash
# What RESULTS.md "The adaptive write policy as the default" ran for its strace counts: one server and 500 RTMP players
# of the load generator, strace -c over 8 s of the window:  CLIP=clip.flv sc.sh defaults; CLIP=clip.flv sc.sh at-once --player.max-added-latency=0ms
# usage: sc.sh label [server args...]
label=$1; shift
CLIP=${CLIP:?an FLV clip as bench/lib.sh make_clip makes}
cd /tmp; java -XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000 -jar /work/main/target/streamedge.jar --rtmp.host=127.0.0.1 --rtmp.port=29350 --http.port=28080 --metrics.port=29100 --rtmp.rtmps.port=29443 "$@" > /tmp/sc-$label.server.log 2>&1 &
SP=$!
sleep 4
java -Xmx2g -jar /work/main/target/streamedge-load.jar --url rtmp://127.0.0.1:29350/live/bench --flv $CLIP --players 500 --ramp 200 --prewarm 5 --warmup 25 --duration 10 --server-pid $SP --json > /tmp/sc-$label.json 2>/tmp/sc-$label.load.err &
LP=$!
sleep 26
timeout -s INT 8 strace -c -f -p $SP -o /tmp/sc-$label.strace 2>/tmp/sc-$label.strace.err
wait $LP
kill $SP; wait $SP 2>/dev/null
head -25 /tmp/sc-$label.strace
