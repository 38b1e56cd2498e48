package dev.streamedge.config;

/**
 * The whole server configuration, built by {@link ConfigLoader}. Every value has already been
 * checked against the bounds in {@link ConfigKeys}, so users of these records need no checks.
 */
public record StreamedgeConfig(
    RtmpConfig rtmp, RtmptConfig rtmpt, SrtConfig srt, RtspConfig rtsp, StreamConfig stream, PlayerConfig player, HttpConfig http, MetricsConfig metrics,
    HlsConfig hls, HlsSessionsConfig hlsSessions, RecordConfig record, VodConfig vod, TranscodeConfig transcode, ClusterConfig cluster,
    AuthConfig auth, RelayConfig relay, ApiConfig api, UiConfig ui, ThumbnailConfig thumbnail,
    ShutdownConfig shutdown,
    NodeConfig node, LogConfig log, ExecConfig exec) {
}
