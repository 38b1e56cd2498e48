package dev.streamedge.session;

/** The protocols clients use, as the {@code protocol} label of the metrics names them. */
public enum Protocol {
  RTMP("rtmp"),
  RTMPS("rtmps"),
  /** Encrypted RTMP (C0 = 6) on the RTMP port. */
  RTMPE("rtmpe"),
  /** RTMP tunnelled over HTTP (RTMPT): POSTs to /open, /send, /idle, /close on the HTTP port. */
  RTMPT("rtmpt"),
  /** RTMPT over HTTPS (RTMPTS), on the HTTPS listener. */
  RTMPTS("rtmpts"),
  /** RTMPE inside RTMPT (RTMPTE): RTMPE's handshake and RC4 over the tunnel's bodies, on the HTTP port. */
  RTMPTE("rtmpte"),
  /** SRT (MPEG-TS over UDP), publishers and players. */
  SRT("srt"),
  /** RTSP players and publishers, RTP interleaved on the RTSP connection. */
  RTSP("rtsp"),
  HLS("hls"),
  /** MPEG-DASH players, counted as sessions as HLS players are. */
  DASH("dash"),
  HTTP_FLV("http-flv"),
  WS_FLV("ws-flv");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  /** Whether RTMPE's handshake and RC4 carry this protocol's bytes: RTMPE and RTMPTE. */
  public boolean rtmpe() {
    return this == RTMPE || this == RTMPTE;
  }

  /** The label value, also used in logs. */
  public String label() {
    return label;
  }

  /** The protocols whose players hold a connection and a player queue: all but HLS and DASH. */
  public static Protocol[] streaming() {
    return new Protocol[] {RTMP, RTMPS, RTMPE, RTMPT, RTMPTS, RTMPTE, SRT, RTSP, HTTP_FLV, WS_FLV};
  }

  /** The protocols publishers use. */
  public static Protocol[] publishing() {
    return new Protocol[] {RTMP, RTMPS, RTMPE, RTMPT, RTMPTS, RTMPTE, SRT, RTSP};
  }
}
