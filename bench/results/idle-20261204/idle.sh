#!/bin/bash
# An idle node's memory, 20 s after its start, with the recommended JVM settings and Native Memory Tracking:
# VmRSS, RssAnon, RssFile (/proc), NMT's total, Metaspace and Symbol committed. No stream, no player.
# The runs of this directory (2026-12-04), alternating, three pairs; before.jar built at 227ab67, after.jar at 6643482:
#   for i in 1 2 3; do idle.sh before.jar before; idle.sh after.jar after; done | tee idle.txt
# and one run of after.jar logging the classes it loads: idle.sh after.jar classes -Xlog:class+load=info:file=classes.txt
jar=$1; label=$2; shift 2
dir=$(mktemp -d); cd "$dir" || exit 1
java -XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000 -XX:NativeMemoryTracking=summary "$@" -jar "$jar" \
  --rtmp.host=127.0.0.1 --rtmp.port=29350 --http.host=127.0.0.1 --http.port=28080 --metrics.port=29100 > server.log 2>&1 &
pid=$!
sleep 20
status=$(grep -E "VmRSS|RssAnon|RssFile" /proc/$pid/status | awk '{printf "%s %s kB; ", $1, $2}')
nmt=$(jcmd $pid VM.native_memory summary | grep -E '^Total|- *Metaspace|- *Symbol' | sed -E 's/ *\(reserved=[0-9]+KB, /(/; s/ +/ /g' | tr '\n' ' ')
echo "$label: $status$nmt"
kill $pid; wait $pid 2>/dev/null
[ -f classes.txt ] && cp classes.txt "$OLDPWD/" 
rm -rf "$dir"
