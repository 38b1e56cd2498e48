package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Media is chunk-encoded once, on message stream 1, for every RTMP player; a client that plays on
 * another message stream of its connection gets the same messages on that stream instead.
 */
@Tag("e2e")
class RtmpPlayOnOtherMessageStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aPlayOnTheSecondMessageStreamGetsTheSameMediaOnThatStream() throws Exception {
    try (TestNode node = TestNode.start();
        RawRtmp first = RawRtmp.connected(node.rtmpPort());
        RawRtmp second = RawRtmp.connected(node.rtmpPort())) {
      int firstStream = streamId(first.createStream(2.0));
      second.createStream(2.0);
      int secondStream = streamId(second.createStream(3.0));
      assertThat(firstStream).isEqualTo(1);
      assertThat(secondStream).isEqualTo(2);
      first.command(firstStream, "play", 0.0, null, "other-stream", -2.0);
      second.command(secondStream, "play", 0.0, null, "other-stream", -2.0);
      first.awaitStatus("NetStream.Play.Start", WAIT);
      second.awaitStatus("NetStream.Play.Start", WAIT);

      processes.own(Clients.publish("other-stream-publisher", TestMedia.audioVideo(10, 2),
          node.rtmpUrl("other-stream")));
      RtmpMessage sharedKey = first.await("a keyframe", WAIT, RtmpPlayOnOtherMessageStreamTest::keyframe);
      RtmpMessage ownKey = second.await("the same keyframe", WAIT,
          m -> keyframe(m) && m.timestamp() == sharedKey.timestamp());
      RtmpMessage ownConfig = second.await("the video sequence header", WAIT,
          RtmpPlayOnOtherMessageStreamTest::videoSequenceHeader);

      assertThat(sharedKey.messageStreamId()).isEqualTo(1);
      assertThat(ownKey.messageStreamId()).isEqualTo(2);
      assertThat(ownConfig.messageStreamId()).isEqualTo(2);
      assertThat(ownKey.payload()).isEqualTo(sharedKey.payload());
    }
  }

  private static int streamId(List<Object> createStreamResult) {
    return ((Double) createStreamResult.get(3)).intValue();
  }

  /** An AVC keyframe with coded frames (FLV spec §E.4.3.1: frame type 1, codec 7, packet type 1). */
  private static boolean keyframe(RtmpMessage message) {
    return message.typeId() == MessageType.VIDEO && message.length() > 1
        && message.payload().getUnsignedByte(0) == 0x17 && message.payload().getUnsignedByte(1) == 1;
  }

  private static boolean videoSequenceHeader(RtmpMessage message) {
    return message.typeId() == MessageType.VIDEO && message.length() > 1
        && message.payload().getUnsignedByte(0) == 0x17 && message.payload().getUnsignedByte(1) == 0;
  }
}
