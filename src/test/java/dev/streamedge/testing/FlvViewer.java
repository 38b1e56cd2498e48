package dev.streamedge.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP-FLV viewer on a thread of its own that reads the FLV tags of one stream as fast as they come
 * and records what arrived: bytes, script data tags, and the arrival time of each video tag, from which
 * a test reads a viewer's frames and latency.
 */
public final class FlvViewer implements AutoCloseable {

  private static final int TAG_VIDEO = 9;
  private static final int TAG_SCRIPT = 18;
  private static final int KEPT_SCRIPTS = 64;

  /** One video tag: its FLV timestamp in ms and when it arrived, {@link System#nanoTime()}. */
  public record VideoTag(long timestamp, long arrivalNanos) {
  }

  /** One script data tag: its FLV timestamp in ms and its body. */
  public record ScriptTag(long timestamp, byte[] body) {
  }

  private final String url;
  private final Thread thread;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger scriptTags = new AtomicInteger();
  private final List<VideoTag> video = new CopyOnWriteArrayList<>();
  /** The first script data tag, and of the next ones those up to 64 KiB, {@link #KEPT_SCRIPTS} in all: a flood is only counted. */
  private final List<ScriptTag> scripts = new CopyOnWriteArrayList<>();
  private volatile HttpURLConnection connection;
  private volatile boolean closed;

  private FlvViewer(String url) {
    this.url = url;
    this.thread = new Thread(this::read, "flv-viewer " + url);
    this.thread.setDaemon(true);
  }

  /** Starts reading {@code url}; the request is made on the viewer's thread. */
  public static FlvViewer open(String url) {
    FlvViewer viewer = new FlvViewer(url);
    viewer.thread.start();
    return viewer;
  }

  public long bytes() {
    return bytes.get();
  }

  public int scriptTags() {
    return scriptTags.get();
  }

  public List<VideoTag> video() {
    return video;
  }

  /** The body of the first script data tag, or null before one came. */
  public byte[] firstScript() {
    return scripts.isEmpty() ? null : scripts.get(0).body();
  }

  /** The script data tags kept: the first, then those up to 64 KiB, at most {@value #KEPT_SCRIPTS}. */
  public List<ScriptTag> scripts() {
    return scripts;
  }

  /** Whether the stream ended (the server ended it, or {@link #close} cut it). */
  public boolean ended() {
    return !thread.isAlive();
  }

  private void read() {
    try {
      connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout(30_000);
      try (InputStream body = connection.getInputStream()) {
        DataInputStream in = new DataInputStream(body);
        byte[] header = new byte[11];
        in.readFully(new byte[13]); // FLV header and the first PreviousTagSize
        bytes.addAndGet(13);
        while (!closed) {
          in.readFully(header);
          int type = header[0] & 0x1F;
          int size = (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 8 | header[3] & 0xFF;
          long timestamp = (header[7] & 0xFFL) << 24 | (header[4] & 0xFFL) << 16 | (header[5] & 0xFFL) << 8
              | header[6] & 0xFFL;
          long arrival = System.nanoTime();
          if (type == TAG_SCRIPT && (scripts.isEmpty() || scripts.size() < KEPT_SCRIPTS && size <= 64 * 1024)) {
            byte[] script = new byte[size];
            in.readFully(script);
            in.skipNBytes(4);
            scripts.add(new ScriptTag(timestamp, script));
          } else {
            in.skipNBytes(size + 4L);
          }
          bytes.addAndGet(11L + size + 4);
          if (type == TAG_SCRIPT) {
            scriptTags.incrementAndGet();
          } else if (type == TAG_VIDEO) {
            video.add(new VideoTag(timestamp, arrival));
          }
        }
      }
    } catch (IOException e) {
      // The stream ended, or close() cut it.
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    HttpURLConnection open = connection;
    if (open != null) {
      open.disconnect();
    }
    thread.interrupt();
    thread.join(5000);
  }
}
