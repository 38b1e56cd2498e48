# streamedge: build with Maven, run on a slim JRE as a non-root user.
#   docker build -t streamedge .
#   docker run -p 1935:1935 -p 8080:8080 streamedge
# Port 8081 (metrics.port) serves /metrics and /health/*: publish it only to what scrapes or probes.
# The base images are build arguments: scripts/test-image builds this file with podman from Debian
# bookworm images made locally (debootstrap, Debian's JDK 17 and Maven), as Docker Hub is out of reach there.
# The health check needs the Docker image format (podman build --format docker; OCI drops HEALTHCHECK).

ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# Dependencies first, in their own layer: a change of the sources does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
# npm bundles the dashboard's players (hls.js, mpegts.js, pinned in src/main/ui/package-lock.json) into the jar.
RUN command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends npm >/dev/null)
COPY scripts/ui-players scripts/ui-players
# The server's jar only: -Dload.skip leaves out the load generator's (src/load, docs/benchmarks.md), and
# -Dmaven.test.skip compiles no tests (src/test is not in the context; the tests would compile src/load).
RUN mvn -B -q package -Dmaven.test.skip -Dload.skip

FROM ${RUNTIME_IMAGE}
# ffmpeg for transcode.* (docs/transcoding.md) and thumbnails (docs/api.md#thumbnails): the distribution's package, run as a separate program,
# never part of the jar. Debian 12's is 5.1, what the transcoding tests run.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app streamedge
WORKDIR /app
COPY --from=build /src/target/streamedge.jar /app/streamedge.jar
COPY conf /app/conf
USER 10001
# RTMP, RTMPS, HTTP (HLS, FLV, RTMPT, health), HTTPS (with http.tls.*), metrics and health
# (metrics.port), Hazelcast, the event bus, SRT (UDP), RTSP, RTSPS (with rtsp.tls.*). RTMPT clients default to port 80: the image runs as a user
# that cannot bind it, so publish 8080 as the host's 80 too (-p 80:8080).
EXPOSE 1935 1936 8080 8443 8081 5701 5702 8890/udp 8554 8322
# The container's memory limit caps the heap; an out-of-memory node exits so that it is restarted
# instead of limping on. The serial collector and a native heap trimmed every second hold a node of 2000
# RTMP players to 157-160 MB of RSS against 262-332 with G1, at no more CPU and the same latency
# (docs/operations.md#memory, bench/RESULTS.md). The event bus gets a fixed port, to be declared and
# reachable.
ENV JAVA_OPTS="-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:NewRatio=4 -XX:TrimNativeHeapInterval=1000 -XX:+ExitOnOutOfMemoryError" \
    STREAMEDGE_CLUSTER_EVENTBUS_PORT=5702
# The JRE image has no curl: bash asks the liveness endpoint itself, on metrics.port, which media
# clients cannot fill.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# exec: java itself is the container's process (PID 1), not a child of sh, so SIGTERM reaches it and
# the node drains (shutdown.drain-time, 20 s). docker stop sends SIGKILL after 10 s unless given more:
# docker stop -t 30, or docker run --stop-timeout 30.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/streamedge.jar \"$@\"", "streamedge"]
