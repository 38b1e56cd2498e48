package dev.streamedge.rtp;

import dev.streamedge.media.codec.AacConfig;

/**
 * An AAC audio track as the session description gives it.
 *
 * @param payloadType the dynamic RTP payload type, 96..127
 * @param aac the configuration: sampling rate (the RTP clock) and channels
 * @param audioSpecificConfig the AudioSpecificConfig bytes for {@code config=} (do not modify)
 */
public record AudioTrack(int payloadType, AacConfig aac, byte[] audioSpecificConfig) {

  public static final int DEFAULT_PAYLOAD_TYPE = 97;

  public AudioTrack {
    if (payloadType < 96 || payloadType > 127) {
      throw new IllegalArgumentException("dynamic payload type " + payloadType);
    }
    if (aac == null || audioSpecificConfig == null || audioSpecificConfig.length == 0) {
      throw new IllegalArgumentException("an AAC track needs its configuration");
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

  /** The RTP clock rate: the sampling rate (RFC 3640 §3.2.1). */
  public int clockRate() {
    return aac.sampleRate();
  }

  /**
   * The channel count of {@code a=rtpmap} from channelConfiguration (ISO/IEC 14496-3 Table 1.19): 1..6 as they
   * are, 7 is 8 channels (7.1), 0 (given in a PCE) and the rest unknown: 0.
   */
  public int channels() {
    int config = aac.channelConfig();
    return config >= 1 && config <= 6 ? config : config == 7 ? 8 : 0;
  }
}
