#!/usr/bin/env bash
# LL-HLS requests parked on their own HTTP event loop (LoopParking) against the build before, where each
# went to the stream's HLS context and back: before (20054c4) and after (7f41230), alternating, one round
# each, PAIRS pairs, LL-HLS at 1000 players, the recommended JVM settings plus a GC log per run; nginx
# serving nginx-rtmp's TS files once per pair for the ratio.
#   /tmp/se-before.jar: built at 20054c4; /tmp/se-after.jar: built at 7f41230
# se-ll-leaky-*: the after runs of a first pass with a jar built at 387ad21 (the parked requests' map keyed
# by each request's duplicated context: one entry per request ever made); that pass's before and nginx
# runs were overwritten by the second pass.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PAIRS=${PAIRS:-3}
for pair in $(seq 1 "$PAIRS"); do
  N=1000 ROUNDS=1 KINDS=nginx-ts OUT=$HERE/nginx-ts-$pair "$ROOT/bench/hls" > "$HERE/nginx-ts-$pair.log" 2>&1
  for build in before after; do
    out=$HERE/se-ll-$build-$pair
    SE_JAR=/tmp/se-$build.jar N=1000 ROUNDS=1 KINDS=se-ll OUT=$out \
      SE_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000 -Xlog:gc:file=$out-gc.log" \
      "$ROOT/bench/hls" > "$out.log" 2>&1
  done
done
