#!/usr/bin/env bash
# Three more pairs after ab.sh, streamedge only, in the other order (after first).
set -euo pipefail
OUTDIR=${OUTDIR:?}
for r in 4 5 6; do
  SE_JAR=/tmp/se-after.jar N=2000 ROUNDS=1 KINDS="se-ll se-ts" OUT=$OUTDIR/after-r$r bench/hls
  SE_JAR=/tmp/se-before.jar N=2000 ROUNDS=1 KINDS="se-ll se-ts" OUT=$OUTDIR/before-r$r bench/hls
done
