package dev.streamedge.rtmp.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DataMessageTest {

  private static final String SET_DATA_FRAME = "02 000d 40736574446174614672616d65";
  private static final String ON_META_DATA = "02 000a 6f6e4d65746144617461";
  /** {width: 640.0} as an AMF0 object. */
  private static final String OBJECT = "03 0005 7769647468 00 4084000000000000 000009";

  private static ByteBuf bytes(String hex) {
    return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
  }

  private static String hex(String spaced) {
    return spaced.replace(" ", "");
  }

  @Test
  void setDataFrameOnMetaDataIsUnwrappedToOnMetaData() throws Exception {
    ByteBuf payload = bytes(SET_DATA_FRAME + ON_META_DATA + OBJECT);
    DataMessage data = DataMessage.unwrap(payload);
    assertThat(data.metadata()).isTrue();
    assertThat(ByteBufUtil.hexDump(data.body())).isEqualTo(hex(ON_META_DATA + OBJECT));
    assertThat(payload.readerIndex()).isZero();
  }

  @Test
  void onMetaDataAloneIsMetadataAsSent() throws Exception {
    DataMessage data = DataMessage.unwrap(bytes(ON_META_DATA + OBJECT));
    assertThat(data.metadata()).isTrue();
    assertThat(ByteBufUtil.hexDump(data.body())).isEqualTo(hex(ON_META_DATA + OBJECT));
  }

  @Test
  void setDataFrameOfAnotherNameIsUnwrappedDataNotMetadata() throws Exception {
    // "@setDataFrame", "onCuePoint"
    DataMessage data = DataMessage.unwrap(bytes(SET_DATA_FRAME + "02 000a 6f6e437565506f696e74"));
    assertThat(data.metadata()).isFalse();
    assertThat(ByteBufUtil.hexDump(data.body())).isEqualTo(hex("02 000a 6f6e437565506f696e74"));
  }

  @Test
  void setDataFrameAloneIsPassedOnAsSent() throws Exception {
    DataMessage data = DataMessage.unwrap(bytes(SET_DATA_FRAME));
    assertThat(data.metadata()).isFalse();
    assertThat(ByteBufUtil.hexDump(data.body())).isEqualTo(hex(SET_DATA_FRAME));
  }

  @Test
  void bytesThatAreNotAmf0AreRefused() {
    assertThatThrownBy(() -> DataMessage.unwrap(bytes("ff 00"))).isInstanceOf(ProtocolException.class);
  }
}
