package dev.streamedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.codec.CodecDetails;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRole;
import dev.streamedge.stream.StreamInfo;
import dev.streamedge.stream.StreamKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bytes of nginx-rtmp's statistics page, as this node writes it from its snapshots. */
@Tag("unit")
class NginxStatTest {

  private static final long NOW = 1_000_000;
  private static final StreamKey TEST = new StreamKey("live", "test");
  private static final NginxStat.Node NODE = new NginxStat.Node("1.0", 42, 60, 7, 5000, 9000, 800, 1600);

  @Test
  void aPublishedStreamWithAPlayerReadsAsNginxRtmpWritesIt() {
    StreamInfo stream = stream(TEST, "127.0.0.1:5000",
        new StreamInfo.Codecs("H.264 640x360", "AAC 44100 Hz 2 ch", 640, 360,
            Optional.of(new CodecDetails.Video("H264", 640, 360, "Main", 64, "3.0")),
            Optional.of(new CodecDetails.Audio("AAC", "LC", 2, 44100))));
    List<ClientInfo> clients = List.of(
        new ClientInfo(1, "rtmp", ClientRole.PUBLISHER, "127.0.0.1:5000", TEST, NOW - 5000, 700_000, 3000,
            "FMLE/3.0 (compatible; Lavf62.3.100)", 0),
        new ClientInfo(2, "http-flv", ClientRole.PLAYER, "[::1]:6000", TEST, NOW - 2000, 0, 400_000, "", 3),
        new ClientInfo(3, "rtmp", ClientRole.IDLE, "10.0.0.1:7000", null, NOW - 100, 10, 10, "LNX", 0));

    String xml = NginxStat.xml(NODE, List.of(stream), clients, Map.of(TEST, 1_000_000L), NOW);

    assertThat(xml).isEqualTo(String.join("\r\n",
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?>",
        "<rtmp>",
        "<streamedge_version>1.0</streamedge_version>",
        "<pid>42</pid>",
        "<uptime>60</uptime>",
        "<naccepted>7</naccepted>",
        "<bw_in>800</bw_in>",
        "<bytes_in>5000</bytes_in>",
        "<bw_out>1600</bw_out>",
        "<bytes_out>9000</bytes_out>",
        "<server>",
        "<application>",
        "<name>live</name>",
        "<live>",
        "<stream>",
        "<name>test</name>",
        "<time>4000</time><bw_in>1000000</bw_in>",
        "<bytes_in>650000</bytes_in>",
        "<bw_out>1000000</bw_out>",
        "<bytes_out>400000</bytes_out>",
        "<bw_audio>100000</bw_audio>",
        "<bw_video>900000</bw_video>",
        "<client><id>2</id><address>::1</address><time>2000</time><flashver></flashver><dropped>3</dropped>"
            + "<protocol>http-flv</protocol><active/></client>",
        "<client><id>1</id><address>127.0.0.1</address><time>5000</time>"
            + "<flashver>FMLE/3.0 (compatible; Lavf62.3.100)</flashver><dropped>0</dropped><protocol>rtmp</protocol>"
            + "<publishing/><active/></client>",
        "<meta><video><width>640</width><height>360</height><frame_rate>25</frame_rate><codec>H264</codec>"
            + "<profile>Main</profile><compat>64</compat><level>3.0</level></video><audio><codec>AAC</codec>"
            + "<profile>LC</profile><channels>2</channels><sample_rate>44100</sample_rate></audio></meta>",
        "<nclients>2</nclients>",
        "<publishing/>",
        "<active/>",
        "</stream>",
        "<nclients>2</nclients>",
        "</live>",
        "</application>",
        "</server>",
        "</rtmp>",
        ""));
  }

  @Test
  void aStreamNobodyPublishesOrPlaysIsLeftOutAndOneWithOnlyPlayersHasNoMeta() {
    StreamKey waiting = new StreamKey("live", "waiting");
    StreamKey packagedOnly = new StreamKey("other", "hls");
    StreamInfo.Codecs none = new StreamInfo.Codecs("", "", 0, 0, Optional.empty(), Optional.empty());
    List<ClientInfo> clients = List.of(
        new ClientInfo(9, "rtmp", ClientRole.PLAYER, "127.0.0.1:1", waiting, NOW, 0, 0, "LNX 9,0,124,2", 0));

    String xml = NginxStat.xml(NODE, List.of(stream(waiting, null, none), stream(packagedOnly, null, none)), clients,
        Map.of(), NOW);

    assertThat(xml).contains("<name>waiting</name>").doesNotContain("<name>hls</name>", "<name>other</name>",
        "<meta>", "<publishing/>");
    assertThat(xml).contains("<client><id>9</id>");
  }

  @Test
  void textFromClientsIsEscapedAndCharactersXmlCannotCarryAreLeftOut() {
    StringBuilder out = new StringBuilder();
    NginxStat.escape(out, "a<b>&\"c'\u0000\u0007\td");
    assertThat(out).hasToString("a&lt;b&gt;&amp;&quot;c&apos;\td");
  }

  @Test
  void anAddressIsShownWithoutItsPort() {
    assertThat(NginxStat.host("203.0.113.7:50312")).isEqualTo("203.0.113.7");
    assertThat(NginxStat.host("[2001:db8::1]:1935")).isEqualTo("2001:db8::1");
    assertThat(NginxStat.host("node-2")).isEqualTo("node-2");
  }

  private static StreamInfo stream(StreamKey key, String publisher, StreamInfo.Codecs codecs) {
    return new StreamInfo(key, publisher, false, NOW - 4000, 3, 1, 50, 100_000, codecs,
        new StreamInfo.Rates(25, 1_000_000, 5, 900_000), Map.of(), 650_000);
  }
}
