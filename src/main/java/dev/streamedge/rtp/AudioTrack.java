package dev.streamedge.rtp;

import dev.streamedge.media.codec.AacConfig;

/**
 * An audio track as the session description gives it: AAC (RFC 3640, a dynamic payload type) or G.711 (RFC 3551
 * §4.5.14: PCMU as the static payload type 0, PCMA as 8; 8000 Hz, mono).
 *
 * @param payloadType the dynamic RTP payload type of AAC, 96..127, or {@link #PCMU} or {@link #PCMA}
 * @param aac AAC's configuration: sampling rate (the RTP clock) and channels; null for G.711
 * @param audioSpecificConfig the AudioSpecificConfig bytes for {@code config=} (do not modify); null for G.711
 */
public record AudioTrack(int payloadType, AacConfig aac, byte[] audioSpecificConfig) {

  public static final int DEFAULT_PAYLOAD_TYPE = 97;
  public static final int PCMU = 0;
  public static final int PCMA = 8;
  /** G.711's clock: its sampling rate. */
  public static final int G711_CLOCK_RATE = 8000;

  public AudioTrack {
    if (payloadType == PCMU || payloadType == PCMA) {
      if (aac != null || audioSpecificConfig != null) {
        throw new IllegalArgumentException("a G.711 track has no AAC configuration");
      }
    } else {
      if (payloadType < 96 || payloadType > 127) {
        throw new IllegalArgumentException("dynamic payload type " + payloadType);
      }
      if (aac == null || audioSpecificConfig == null || audioSpecificConfig.length == 0) {
        throw new IllegalArgumentException("an AAC track needs its configuration");
      }
    }
  }

  /** @param audioSpecificConfig the FLV sequence header's record as it came */
  public static AudioTrack aac(AacConfig aac, byte[] audioSpecificConfig) {
    return new AudioTrack(DEFAULT_PAYLOAD_TYPE, aac, audioSpecificConfig);
  }

  /** With the two-byte AudioSpecificConfig rebuilt from {@code aac} ({@link AacConfig#audioSpecificConfig()}). */
  public static AudioTrack aac(AacConfig aac) {
    return aac(aac, aac.audioSpecificConfig());
  }

  /** G.711, A-law (PCMA) or µ-law (PCMU). */
  public static AudioTrack g711(boolean alaw) {
    return new AudioTrack(alaw ? PCMA : PCMU, null, null);
  }

  public boolean g711() {
    return aac == null;
  }

  /** The encoding name of {@code a=rtpmap}. */
  public String encodingName() {
    return payloadType == PCMA ? "PCMA" : payloadType == PCMU ? "PCMU" : "mpeg4-generic";
  }

  /** The RTP clock rate: the sampling rate (RFC 3640 §3.2.1, RFC 3551 §4.5.14). */
  public int clockRate() {
    return g711() ? G711_CLOCK_RATE : aac.sampleRate();
  }

  /**
   * The channel count of {@code a=rtpmap}: G.711's one; AAC's from channelConfiguration (ISO/IEC 14496-3 Table
   * 1.19): 1..6 as they are, 7 is 8 channels (7.1), 0 (given in a PCE) and the rest unknown: 0.
   */
  public int channels() {
    if (g711()) {
      return 1;
    }
    int config = aac.channelConfig();
    return config >= 1 && config <= 6 ? config : config == 7 ? 8 : 0;
  }
}
