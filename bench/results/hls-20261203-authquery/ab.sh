#!/usr/bin/env bash
# Before (de261cb) and after (84ea40a) alternating, one round each, PAIRS pairs, LL-HLS and MPEG-TS HLS,
# 1000 players, with the recommended JVM settings plus a GC log per run (pauses counted in gc.txt).
#   /tmp/se-before.jar: built at de261cb; /tmp/se-after.jar: built at 84ea40a
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PAIRS=${PAIRS:-3}
for pair in $(seq 1 "$PAIRS"); do
  for kind in se-ll se-ts; do
    for build in before after; do
      out=$HERE/$kind-$build-$pair
      SE_JAR=/tmp/se-$build.jar N=1000 ROUNDS=1 KINDS=$kind OUT=$out \
        SE_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000 -Xlog:gc:file=$out-gc.log" \
        "$ROOT/bench/hls" > "$out.log" 2>&1
    done
  done
done
