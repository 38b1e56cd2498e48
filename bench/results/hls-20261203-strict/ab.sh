#!/usr/bin/env bash
# Vert.x strict thread mode on the HTTP listeners (and answers brought back on the caller's context):
# before (0097e9d) and after (b201eea), alternating, one round each, PAIRS pairs, LL-HLS and MPEG-TS HLS,
# 1000 players, the recommended JVM settings plus a GC log per run; nginx serving nginx-rtmp's TS files
# once per pair for the ratio.
#   /tmp/se-before.jar: built at 0097e9d; /tmp/se-after.jar: built at b201eea
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PAIRS=${PAIRS:-3}
for pair in $(seq 1 "$PAIRS"); do
  N=1000 ROUNDS=1 KINDS=nginx-ts OUT=$HERE/nginx-ts-$pair "$ROOT/bench/hls" > "$HERE/nginx-ts-$pair.log" 2>&1
  for kind in se-ll se-ts; do
    for build in before after; do
      out=$HERE/$kind-$build-$pair
      SE_JAR=/tmp/se-$build.jar N=1000 ROUNDS=1 KINDS=$kind OUT=$out \
        SE_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000 -Xlog:gc:file=$out-gc.log" \
        "$ROOT/bench/hls" > "$out.log" 2>&1
    done
  done
done
