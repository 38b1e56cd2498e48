# Functions the benchmark scripts share (bench/run, bench/hls, bench/hostile); sourced, not run.
# The caller sets WORK (a temp dir) and PORTS_GIVEN, and may set LOG_PREFIX.

log() { echo "${LOG_PREFIX:-bench}: $*" >&2; }

# A 1 Mbit/s stream: 640x360 H.264 at 25 fps, constant rate (x264 pads with filler data), a keyframe
# every 2 s, and 96 kbit/s AAC; 60 s, looped by the load generator.
make_clip() {
  CLIP=$WORK/clip-1mbit.flv
  ffmpeg -hide_banner -nostdin -loglevel error -f lavfi -i testsrc2=size=640x360:rate=25 \
    -f lavfi -i sine=frequency=440:sample_rate=44100 -t 60 \
    -c:v libx264 -preset veryfast -profile:v main -g 50 -keyint_min 50 -sc_threshold 0 \
    -b:v 900k -minrate 900k -maxrate 900k -bufsize 900k -x264-params nal-hrd=cbr \
    -c:a aac -b:a 96k -ac 2 -f flv -y "$CLIP"
}

# Sets PORT to a free port below the kernel's ephemeral range: no outgoing connection takes such a
# port before the server binds it (a cluster node binds its ports only after it joined, seconds later).
free_port() {
  local low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while :; do
    PORT=$(shuf -i "10000-$((low - 1))" -n 1)
    case " $PORTS_GIVEN " in *" $PORT "*) continue ;; esac
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
    PORTS_GIVEN="$PORTS_GIVEN $PORT"
    return 0
  done
}

wait_port() {
  local port=$1 seconds=$2
  for _ in $(seq 1 $((seconds * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on port $port after $seconds s"
  return 1
}

# nginx with its RTMP module, ffmpeg, jq and ss, from Debian when missing.
install_tools() {
  local missing=()
  [ -e /usr/lib/nginx/modules/ngx_rtmp_module.so ] || missing+=(nginx libnginx-mod-rtmp)
  command -v ffmpeg >/dev/null || missing+=(ffmpeg)
  command -v jq >/dev/null || missing+=(jq)
  # ss, which the load generator reads the players' TCP segments with.
  command -v ss >/dev/null || missing+=(iproute2)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
