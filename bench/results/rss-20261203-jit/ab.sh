#!/usr/bin/env bash
# RTMP, 2000 players (bench/run's load): the recommended JVM settings against the same with the JIT
# narrowed, to see what the compiled code and the compilers cost in RSS, and what that costs in CPU:
#   recommended   -XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000
#   c2only        the same and -XX:-TieredCompilation (no C1 tiers: interpreter, then C2)
#   c1only        the same and -XX:TieredStopAtLevel=1 (C1 only, no profiling: no C2 at all)
# Alternating, one round each, PAIRS rounds. The jar: target/streamedge.jar as built at the commit named
# in each run's machine.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PAIRS=${PAIRS:-2}
BASE="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000"
for round in $(seq 1 "$PAIRS"); do
  for setting in recommended c2only c1only; do
    case $setting in
      recommended) extra="" ;;
      c2only) extra="-XX:-TieredCompilation" ;;
      c1only) extra="-XX:TieredStopAtLevel=1" ;;
    esac
    [ -f "$HERE/$setting-$round/streamedge-n2000-r1.json" ] && continue
    # Without nginx in the run, bench/run's summary (its ratios to nginx-rtmp) fails after the report is
    # written; the reports are what summarize.py reads.
    NS=2000 ROUNDS=1 SERVERS=streamedge OUT=$HERE/$setting-$round SE_JAVA_OPTS="$BASE $extra" \
      "$ROOT/bench/run" > "$HERE/$setting-$round.log" 2>&1 || true
  done
done
