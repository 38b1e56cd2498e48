#!/usr/bin/env bash
# A/B of the HTTP request meters: the build before (e99ce6b) and after, alternating, one round each.
set -euo pipefail
OUTDIR=${OUTDIR:?}
for r in 1 2 3; do
  SE_JAR=/tmp/se-before.jar N=2000 ROUNDS=1 KINDS="se-ts se-ll" OUT=$OUTDIR/before-r$r bench/hls
  SE_JAR=/tmp/se-after.jar N=2000 ROUNDS=1 KINDS="se-ts se-ll nginx-ts-sendfile" OUT=$OUTDIR/after-r$r bench/hls
done
