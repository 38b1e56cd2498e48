#!/usr/bin/env bash
# A/B of HLS served in front of the router: the build before (the HTTP request meters, /tmp/se-after.jar)
# and after (/tmp/se-direct.jar), alternating, one round each, the order swapped every pair.
set -euo pipefail
OUTDIR=${OUTDIR:?}
for r in 1 2 3; do
  if [ $((r % 2)) -eq 1 ]; then first=before; else first=after; fi
  for side in $first $([ $first = before ] && echo after || echo before); do
    jar=/tmp/se-after.jar; [ $side = after ] && jar=/tmp/se-direct.jar
    SE_JAR=$jar N=2000 ROUNDS=1 KINDS="se-ll se-ts" OUT=$OUTDIR/$side-r$r bench/hls
  done
done
