package dev.streamedge.transcode;

import dev.streamedge.testing.Ffmpeg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What ffprobe (8, from Maven Central) reads in a saved stream: its video packets and picture. */
final class RenditionFiles {

  /** One video packet: presentation time in seconds, size in bytes, keyframe or not. */
  record Packet(double seconds, int size, boolean key) {
  }

  /** The video stream's picture size and H.264 level_idc. */
  record Picture(int width, int height, int level) {
  }

  private RenditionFiles() {
  }

  static List<Packet> videoPackets(Path file) throws Exception {
    String name = "probe-packets-" + file.getFileName();
    Ffmpeg.awaitSuccess(name, Ffmpeg.startProbe(name, List.of("-v", "error", "-select_streams", "v",
        "-show_entries", "packet=pts_time,size,flags", "-of", "csv=p=0", file.toString())), 60);
    List<Packet> packets = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("target", "ffmpeg-logs", name + ".log"))) {
      String[] f = line.split(",");
      if (f.length >= 3 && !f[0].equals("N/A")) {
        packets.add(new Packet(Double.parseDouble(f[0]), Integer.parseInt(f[1]), f[2].startsWith("K")));
      }
    }
    return packets;
  }

  static Picture picture(Path file) throws Exception {
    String name = "probe-picture-" + file.getFileName();
    Ffmpeg.awaitSuccess(name, Ffmpeg.startProbe(name, List.of("-v", "error", "-select_streams", "v",
        "-show_entries", "stream=width,height,level", "-of", "csv=p=0", file.toString())), 60);
    String[] f = Files.readAllLines(Path.of("target", "ffmpeg-logs", name + ".log")).get(0).split(",");
    return new Picture(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
  }

  /** Video bits per second over the packets, first to last. */
  static double videoBitrate(List<Packet> packets) {
    long bytes = packets.stream().mapToLong(Packet::size).sum();
    double seconds = packets.get(packets.size() - 1).seconds() - packets.get(0).seconds();
    return bytes * 8 / seconds;
  }

  /** The keyframe times within [from, to], in milliseconds (FLV's unit). */
  static List<Long> keyframes(List<Packet> packets, double from, double to) {
    return packets.stream().filter(p -> p.key() && p.seconds() >= from && p.seconds() <= to)
        .map(p -> Math.round(p.seconds() * 1000)).toList();
  }
}
