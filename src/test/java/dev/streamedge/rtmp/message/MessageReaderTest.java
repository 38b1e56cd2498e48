package dev.streamedge.rtmp.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaKind;
import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MessageReaderTest {

  /** Every call of the reader, as text, in order. */
  private static class Recorder implements MessageReader.Handler {
    final List<Object> calls = new ArrayList<>();

    @Override
    public void windowAckSize(WindowAckSize message) {
      calls.add(message);
    }

    @Override
    public void userControl(UserControl message) {
      calls.add(message);
    }

    @Override
    public void media(RtmpMessage message, MediaKind kind) {
      calls.add(kind + "@" + message.timestamp() + ":" + ByteBufUtil.hexDump(message.payload()));
    }

    @Override
    public void data(RtmpMessage message, ByteBuf payload) {
      calls.add("data:" + ByteBufUtil.hexDump(payload));
    }

    @Override
    public void command(Command command) {
      calls.add(command);
    }
  }

  private static RtmpMessage message(int type, int streamId, long timestamp, String hex) {
    return new RtmpMessage(3, type, streamId, timestamp, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", ""))));
  }

  private static List<Object> read(RtmpMessage message) throws ProtocolException {
    Recorder recorder = new Recorder();
    MessageReader.read(message, recorder);
    return recorder.calls;
  }

  @Test
  void windowAckSizeIsAnUnsigned32BitValue() throws Exception {
    assertThat(read(message(MessageType.WINDOW_ACK_SIZE, 0, 0, "fffffffe")))
        .containsExactly(new WindowAckSize(0xFFFFFFFEL));
  }

  @Test
  void windowAckSizeShorterThanFourBytesIsRefused() {
    assertThatThrownBy(() -> read(message(MessageType.WINDOW_ACK_SIZE, 0, 0, "000010")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("shorter than 4 bytes");
  }

  @Test
  void userControlPingRequestCarriesItsTimestamp() throws Exception {
    assertThat(read(message(MessageType.USER_CONTROL, 0, 0, "0006 80000001")))
        .containsExactly(new UserControl(UserControl.PING_REQUEST, 0x80000001L));
  }

  @Test
  void userControlWithoutAValueReadsZeroAndShorterThanTwoBytesIsRefused() throws Exception {
    assertThat(read(message(MessageType.USER_CONTROL, 0, 0, "0007"))).containsExactly(new UserControl(7, 0));
    assertThatThrownBy(() -> read(message(MessageType.USER_CONTROL, 0, 0, "00")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("shorter than 2 bytes");
  }

  @Test
  void amf0CommandHasNameTransactionObjectAndArgs() throws Exception {
    // "publish", 5.0, null, "cam1", "live"
    List<Object> calls = read(message(MessageType.COMMAND_AMF0, 1, 0,
        "02 0007 7075626c697368 00 4014000000000000 05 02 0004 63616d31 02 0004 6c697665"));
    assertThat(calls).containsExactly(new Command(1, "publish", 5.0, null, List.of("cam1", "live")));
    assertThat(((Command) calls.get(0)).stringArg(0)).isEqualTo("cam1");
    assertThat(((Command) calls.get(0)).stringArg(2)).isNull();
  }

  @Test
  void amf3CommandSkipsItsFormatByte() throws Exception {
    // 0x00, then "connect", 1.0, {app: "live"}
    assertThat(read(message(MessageType.COMMAND_AMF3, 0, 0,
        "00 02 0007 636f6e6e656374 00 3ff0000000000000 03 0003 617070 02 0004 6c697665 000009")))
        .containsExactly(new Command(0, "connect", 1.0, Map.of("app", "live"), List.of()));
  }

  @Test
  void commandWithoutANameIsRefused() {
    assertThatThrownBy(() -> read(message(MessageType.COMMAND_AMF0, 0, 0, "00 3ff0000000000000")))
        .isInstanceOf(ProtocolException.class).hasMessage("command without a name");
  }

  @Test
  void mediaIsPassedOnAsTheMessageItself() throws Exception {
    RtmpMessage video = message(MessageType.VIDEO, 1, 40, "1701");
    List<RtmpMessage> seen = new ArrayList<>();
    MessageReader.read(video, new Recorder() {
      @Override
      public void media(RtmpMessage message, MediaKind kind) {
        seen.add(message);
      }
    });
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).isSameAs(video);
    assertThat(read(message(MessageType.AUDIO, 1, 7, "af01"))).containsExactly("AUDIO@7:af01");
  }

  @Test
  void dataAmf3SkipsItsFormatByteAndIsNotDecoded() throws Exception {
    assertThat(read(message(MessageType.DATA_AMF3, 1, 0, "00 ffff"))).containsExactly("data:ffff");
  }

  @Test
  void aggregateIsSplitIntoItsMessagesRebasedOnItsTimestamp() throws Exception {
    // An audio tag at 1000 ms and a video tag at 1036 ms, each followed by its back pointer.
    assertThat(read(message(MessageType.AGGREGATE, 1, 5000,
        "08 000002 0003e8 00 000000 af01 0000000d 09 000003 00040c 00 000000 170102 0000000e")))
        .containsExactly("AUDIO@5000:af01", "VIDEO@5036:170102");
  }

  @Test
  void aggregateInsideAnAggregateIsRefused() {
    assertThatThrownBy(() -> read(message(MessageType.AGGREGATE, 1, 0,
        "16 000002 000000 00 000000 af01 0000000d")))
        .isInstanceOf(ProtocolException.class).hasMessage("aggregate message inside an aggregate message");
  }

  @Test
  void controlMessagesTheChunkDecoderAppliesAskNothing() throws Exception {
    assertThat(read(message(MessageType.SET_CHUNK_SIZE, 0, 0, "00001000"))).isEmpty();
    assertThat(read(message(MessageType.ACKNOWLEDGEMENT, 0, 0, "00001000"))).isEmpty();
    assertThat(read(message(MessageType.SET_PEER_BANDWIDTH, 0, 0, "0000100002"))).isEmpty();
  }

  @Test
  void unknownMessageTypeIsRefused() {
    assertThatThrownBy(() -> read(message(7, 0, 0, "00")))
        .isInstanceOf(ProtocolException.class).hasMessage("unknown message type 7");
  }
}
