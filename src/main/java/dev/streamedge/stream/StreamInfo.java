package dev.streamedge.stream;

import dev.streamedge.media.codec.CodecDetails;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one stream for logs and the API, taken on its home context.
 *
 * @param publisher the publisher's address, or for a relay {@code node <id>}; null while nobody publishes
 * @param relayed whether the publisher is a relay from the stream's origin on another node
 * @param publishedAtMillis when the current publisher started, wall clock
 * @param subscribers everything attached: players, the HLS packager, links to other nodes
 * @param fanoutLoops the number of event loops each packet is handed to
 * @param codecs what the current publisher's sequence headers say
 * @param rates video frames and media bits per second, measured as they arrive
 * @param viewers players by protocol label ({@code rtmp}, {@code http-flv}, ...); a protocol with none is absent
 * @param bytesIn audio and video bytes the current publisher sent (FLV tag bodies), 0 while nobody publishes
 */
public record StreamInfo(StreamKey key, String publisher, boolean relayed, long publishedAtMillis, int subscribers,
    int fanoutLoops, int gopFrames, long gopBytes, Codecs codecs, Rates rates, Map<String, Integer> viewers,
    long bytesIn) {

  /**
   * The codecs, as {@code media.codec.CodecDescription} words them ({@code ""} before the sequence
   * header), and the picture size from an H.264 sequence header (0 for other codecs or none yet).
   * {@code videoDetails} and {@code audioDetails}: the same headers in nginx-rtmp's words, for {@code /stat}.
   */
  public record Codecs(String video, String audio, int width, int height, Optional<CodecDetails.Video> videoDetails,
      Optional<CodecDetails.Audio> audioDetails) {
  }

  /**
   * Rates over the last {@code seconds} whole seconds; {@code seconds} is 0 until one has passed.
   * {@code videoBitsPerSecond} is the video part of {@code bitsPerSecond}.
   */
  public record Rates(double fps, long bitsPerSecond, int seconds, long videoBitsPerSecond) {
  }
}
