package dev.streamedge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * A well-behaved ffmpeg publisher and ffmpeg player on one key, running while other tests misbehave
 * on the same node; {@link #assertPlayerReceivedEveryPacket} proves nothing of theirs was disturbed.
 */
public final class GoodStream implements AutoCloseable {

  private final String key;
  private final FrameHashes published;
  private final Path playerOut;
  private final Process player;
  private final Process publisher;

  private GoodStream(String key, FrameHashes published, Path playerOut, Process player, Process publisher) {
    this.key = key;
    this.published = published;
    this.playerOut = playerOut;
    this.player = player;
    this.publisher = publisher;
  }

  /** Starts the player first (so it sees the stream from its first packet), then the publisher. */
  public static GoodStream start(TestNode node, String key, Path media) throws Exception {
    return start(node, key, media, node::rtmpUrl);
  }

  /** As {@link #start(TestNode, String, Path)}, both clients on {@code url} of the key (RTMPE, ...). */
  public static GoodStream start(TestNode node, String key, Path media, Function<String, String> url)
      throws Exception {
    FrameHashes published = FrameHashes.ofFile(media);
    // Named by the JVM too: test classes in parallel forks use the same keys, and one file for two
    // players would hold both their packets.
    Path out = Clients.output(key + "-player-" + ProcessHandle.current().pid() + ".framemd5");
    Process player = Clients.playToHashes(key + "-player", url.apply(key), out);
    node.awaitSubscribers(key, 1);
    Process publisher = Clients.publish(key + "-publisher", media, url.apply(key));
    node.awaitPublisher(key);
    return new GoodStream(key, published, out, player, publisher);
  }

  /** Both ffmpeg processes are still running or have ended successfully. */
  public void assertNotDisturbed() {
    for (Process process : new Process[] {publisher, player}) {
      if (!process.isAlive()) {
        assertThat(process.exitValue()).as(key + " ffmpeg exit status").isZero();
      }
    }
  }

  /** Waits for the media to end and compares what the player wrote with the file, packet by packet. */
  public void assertPlayerReceivedEveryPacket() throws Exception {
    Ffmpeg.awaitSuccess(key + "-publisher", publisher, 60);
    Ffmpeg.awaitSuccess(key + "-player", player, 20);
    FrameHashes received = FrameHashes.parse(playerOut);
    assertThat(received.video()).as(key + " video").isEqualTo(published.video());
    assertThat(received.audio()).as(key + " audio").isEqualTo(published.audio());
  }

  @Override
  public void close() {
    ChildProcesses.kill(publisher);
    ChildProcesses.kill(player);
  }
}
