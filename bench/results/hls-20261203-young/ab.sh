#!/usr/bin/env bash
# LL-HLS, 1000 players: the recommended JVM settings against the same with a 64 MB young generation
# (-Xms96m -Xmn64m), alternating, one round each, PAIRS pairs, a GC log per run. /tmp/se-after.jar: built at 84ea40a.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PAIRS=${PAIRS:-2}
BASE="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000"
for pair in $(seq 1 "$PAIRS"); do
  for kind in se-ll; do
    for build in recommended young64m; do
      out=$HERE/$kind-$build-$pair
      extra=""
      [ "$build" = young64m ] && extra="-Xms96m -Xmn64m"
      SE_JAR=/tmp/se-after.jar N=1000 ROUNDS=1 KINDS=$kind OUT=$out \
        SE_JAVA_OPTS="$BASE $extra -Xlog:gc:file=$out-gc.log" "$ROOT/bench/hls" > "$out.log" 2>&1
    done
  done
done
