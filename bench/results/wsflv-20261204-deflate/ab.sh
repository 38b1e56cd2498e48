#!/usr/bin/env bash
# WebSocket-FLV players offering permessage-deflate (npm ws 8, as Chromium offers it), against the build
# that agreed to it (BEFORE jar) and the one that does not (AFTER jar), alternating, PAIRS pairs, N
# players, the recommended JVM settings. The publisher: ffmpeg copying IN (a 1 Mbit/s H.264/AAC FLV) in a
# loop. Per run: the server's CPU seconds (utime+stime from /proc) and RSS over the players' window,
# and what the players received. Needs node and `npm install` here (package.json: ws).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${BEFORE:?jar}" "${AFTER:?jar}" "${IN:?flv}"
N=${N:-300}; SECONDS_WINDOW=${SECONDS_WINDOW:-20}; PAIRS=${PAIRS:-3}
OPTS="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000"
TICK=$(getconf CLK_TCK)
cpu() { awk -v t="$TICK" '{print ($14+$15)/t}' /proc/$1/stat; }
rss() { awk '/VmRSS/ {print $2}' /proc/$1/status; }
run() {
  local name=$1 jar=$2 dir; dir=$(mktemp -d)
  (cd "$dir" && exec java $OPTS -jar "$jar" > server.log 2>&1) & local server=$!
  for _ in $(seq 50); do curl -sf http://127.0.0.1:8080/health/live > /dev/null && break; sleep 0.2; done
  ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -i "$IN" -c copy -f flv rtmp://127.0.0.1/live/ws > /dev/null 2>&1 & local pub=$!
  sleep 3
  local rss0; rss0=$(rss "$server")
  node "$HERE/wsplayers.mjs" ws://127.0.0.1:8080/live/ws.flv "$N" "$SECONDS_WINDOW" > "$dir/players.json" 2> "$dir/players.err" & local players=$!
  until grep -q "window start" "$dir/players.err" 2>/dev/null; do sleep 0.05; done
  local c0; c0=$(cpu "$server")
  until grep -q "window end" "$dir/players.err" 2>/dev/null; do sleep 0.05; done
  local c1 rss1; c1=$(cpu "$server"); rss1=$(rss "$server")
  wait "$players" || true
  kill "$pub" 2>/dev/null || true; kill "$server"; wait "$server" 2>/dev/null || true; wait "$pub" 2>/dev/null || true
  jq -c --arg name "$name" --argjson c0 "$c0" --argjson c1 "$c1" --argjson rss0 "$rss0" --argjson rss1 "$rss1" \
    '{run:$name, players, open, bytes, extensions, serverCpuSeconds:($c1-$c0), cpuSecondsPerGb:(($c1-$c0)/(.bytes/1e9)),
      rssBeforePlayersMb:($rss0*1024/1e6), rssEndMb:($rss1*1024/1e6), rssGrowthPerPlayerKib:(($rss1-$rss0)/.players)}' \
    "$dir/players.json" | tee -a "$HERE/runs.jsonl"
  rm -rf "$dir"
}
for pair in $(seq "$PAIRS"); do
  run "before-$pair" "$BEFORE"
  run "after-$pair" "$AFTER"
done
