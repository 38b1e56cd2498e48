#!/usr/bin/env bash
# RSS at 2000 RTMP players (issue 22 point 3): the recommended JVM settings against them plus C2 only
# (-XX:-TieredCompilation) and a 12 MB young generation (-Xmn12m), alternating, one round each, PAIRS
# pairs, nginx-rtmp in each pair for the ratio (FIRST: the pair to start from). The jar: target/streamedge.jar at the commit of this file.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PAIRS=${PAIRS:-3}
BASE="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000"
for pair in $(seq "${FIRST:-1}" "$PAIRS"); do
  ROUNDS=1 NS=2000 SERVERS="nginx streamedge" SE_JAVA_OPTS="$BASE" OUT=$HERE/recommended-$pair \
    "$ROOT/bench/run" > "$HERE/recommended-$pair.log" 2>&1
  ROUNDS=1 NS=2000 SERVERS="streamedge" SE_JAVA_OPTS="$BASE -XX:-TieredCompilation -Xmn12m" OUT=$HERE/c2-xmn12m-$pair \
    "$ROOT/bench/run" > "$HERE/c2-xmn12m-$pair.log" 2>&1 || true  # its summary wants nginx for the ratios; the JSON is written
done
