package dev.streamedge.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-packet hashes from ffmpeg's framemd5 muxer ({@code -c copy -f framemd5}), grouped by media type,
 * to prove that what players receive is what was published, frame for frame.
 */
public record FrameHashes(List<String> video, List<String> audio) {

  /** Hashes of every packet of a media file, as a publisher sends them. */
  /** Per-picture hashes of what ffmpeg decodes from {@code input}'s video: the same pictures however packaged. */
  public static List<String> decodedPictures(String name, String input) throws Exception {
    Path out = Clients.output(name + ".framemd5");
    Ffmpeg.run(name, List.of("-i", input, "-map", "0:v", "-f", "framemd5", "-y", out.toString()), 60);
    return parse(out).video();
  }

  public static FrameHashes ofFile(Path media) throws Exception {
    Path out = Files.createTempFile(Path.of("target"), "framemd5-", ".txt");
    Ffmpeg.run("framemd5-" + media.getFileName(), List.of("-i", media.toString(), "-map", "0", "-c", "copy",
        "-f", "framemd5", "-y", out.toString()), 60);
    return parse(out);
  }

  public static FrameHashes parse(Path framemd5) throws Exception {
    Map<String, String> typeOfStream = new HashMap<>();
    List<String> video = new ArrayList<>();
    List<String> audio = new ArrayList<>();
    for (String line : Files.readAllLines(framemd5)) {
      if (line.startsWith("#media_type")) {
        // "#media_type 0: video"
        String[] parts = line.substring("#media_type".length()).trim().split(":");
        typeOfStream.put(parts[0].trim(), parts[1].trim());
      } else if (!line.startsWith("#") && !line.isBlank()) {
        // stream_index, dts, pts, duration, size, hash
        String[] fields = line.split(",");
        String type = typeOfStream.get(fields[0].trim());
        String entry = fields[4].trim() + ":" + fields[5].trim();
        if ("video".equals(type)) {
          video.add(entry);
        } else if ("audio".equals(type)) {
          audio.add(entry);
        }
      }
    }
    return new FrameHashes(video, audio);
  }

  /**
   * Checks that {@code received} is a contiguous run of {@code published}'s packets, video and audio
   * alike, that ends with the last one published (a player that played to the end), and that it holds
   * more than {@code minVideo} video packets.
   */
  public static void assertReceivedToTheEnd(String what, FrameHashes published, FrameHashes received,
      int minVideo) {
    int videoStart = assertContiguous(what + " video", published.video(), received.video());
    int audioStart = assertContiguous(what + " audio", published.audio(), received.audio());
    if (videoStart + received.video().size() != published.video().size()) {
      throw new AssertionError(what + ": video through to the last packet: " + (videoStart + received.video().size())
          + " of " + published.video().size());
    }
    if (audioStart + received.audio().size() != published.audio().size()) {
      throw new AssertionError(what + ": audio through to the last packet: " + (audioStart + received.audio().size())
          + " of " + published.audio().size());
    }
    if (received.video().size() <= minVideo) {
      throw new AssertionError(what + ": " + received.video().size() + " video packets received, expected more than "
          + minVideo);
    }
  }

  /**
   * Where {@code received} sits in this (published) list: the index of its first entry, after
   * checking that every received entry follows contiguously. Fails with the first difference.
   */
  public static int assertContiguous(String what, List<String> published, List<String> received) {
    if (received.isEmpty()) {
      throw new AssertionError(what + ": nothing received");
    }
    int start = published.indexOf(received.get(0));
    if (start < 0) {
      throw new AssertionError(what + ": first received packet " + received.get(0) + " was never published");
    }
    for (int i = 0; i < received.size(); i++) {
      if (start + i >= published.size() || !published.get(start + i).equals(received.get(i))) {
        throw new AssertionError(what + ": packet " + i + " after the first differs: received "
            + received.get(i) + ", published " + (start + i < published.size() ? published.get(start + i) : "none"));
      }
    }
    return start;
  }

  /**
   * These (published) hashes without the last video packet or the last audio packet, when {@code received} is
   * that one packet short on that track; otherwise these: the one message GStreamer's rtmp2src may lose at a
   * stream's end (it clears a message its streaming thread had not taken yet when StreamEOF ends its task).
   */
  public FrameHashes withoutLastIfShort(FrameHashes received) {
    if (received.video().size() == video.size() - 1 && received.audio().size() == audio.size()) {
      return new FrameHashes(video.subList(0, video.size() - 1), audio);
    }
    if (received.audio().size() == audio.size() - 1 && received.video().size() == video.size()) {
      return new FrameHashes(video, audio.subList(0, audio.size() - 1));
    }
    return this;
  }
}
