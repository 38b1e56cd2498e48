package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.amf.Amf0;
import dev.streamedge.rtmp.amf.EcmaArray;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The length of a file played on demand, in the onMetaData its player gets. */
@Tag("unit")
class FileMetadataTest {

  private static Map<String, Object> metadata(Object... keysAndValues) {
    Map<String, Object> entries = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      entries.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return entries;
  }

  private static List<Object> decoded(ByteBuf body) throws Exception {
    return Amf0.decodeAll(body.duplicate());
  }

  @Test
  void aDurationOfZeroOrNoneBecomesTheFilesLengthAndTheRestStaysInOrder() throws Exception {
    for (Map<String, Object> entries : List.of(metadata("duration", 0.0, "width", 640.0, "encoder", "Lavf"),
        metadata("width", 640.0, "encoder", "Lavf"))) {
      ByteBuf body = Amf0.encodeAll("onMetaData", new EcmaArray(entries));
      List<Object> patched = decoded(FileMetadata.withDuration(body, 5960));
      assertThat(patched.get(0)).isEqualTo("onMetaData");
      Map<String, Object> out = ((EcmaArray) patched.get(1)).entries();
      assertThat(out).containsEntry("duration", 5.96).containsEntry("width", 640.0).containsEntry("encoder", "Lavf");
      assertThat(out.keySet()).containsSubsequence("width", "encoder");
    }
  }

  @Test
  void aDurationTheFileSaysStaysAndOtherDataPassesAsItIs() throws Exception {
    ByteBuf known = Amf0.encodeAll("onMetaData", new EcmaArray(metadata("duration", 10.023)));
    assertThat(FileMetadata.withDuration(known, 9983)).isSameAs(known);
    ByteBuf cue = Amf0.encodeAll("onCuePoint", new EcmaArray(metadata("name", "ad")));
    assertThat(FileMetadata.withDuration(cue, 9983)).isSameAs(cue);
    ByteBuf garbage = Unpooled.wrappedBuffer(new byte[] {0x02, 0x7F, 0x7F, 'o'});
    assertThat(FileMetadata.withDuration(garbage, 9983)).isSameAs(garbage);
    assertThat(garbage.readerIndex()).isZero();
  }

  @Test
  void anObjectRatherThanAnEcmaArrayStaysAnObject() throws Exception {
    ByteBuf body = Amf0.encodeAll("onMetaData", metadata("duration", -1.0));
    assertThat(decoded(FileMetadata.withDuration(body, 1500)).get(1)).isEqualTo(metadata("duration", 1.5));
  }

  @Test
  void aFileWithoutOnMetaDataGetsOneWithItsLengthAlone() throws Exception {
    assertThat(decoded(FileMetadata.of(61_250))).containsExactly("onMetaData",
        new EcmaArray(metadata("duration", 61.25)));
  }
}
