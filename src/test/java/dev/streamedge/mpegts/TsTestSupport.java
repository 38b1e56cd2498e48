package dev.streamedge.mpegts;

import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Feeds transport streams through a demuxer and converter in pieces, and keeps what comes out. */
final class TsTestSupport {

  static final int MAX_PES = 1 << 20;

  /** One FLV body as it came out. */
  record Tag(MediaKind kind, long timestamp, String body) {
    byte[] bytes() {
      return HexFormat.of().parseHex(body);
    }
  }

  /** The bodies made from one stream, and the demuxer and converter that made them. */
  record Run(List<Tag> tags, TsDemuxer demuxer, FlvFromTs flv) {
  }

  private TsTestSupport() {
  }

  /** Feeds {@code ts} in pieces of {@code piece} bytes, or of random sizes 1..-piece when it is negative. */
  static Run convert(byte[] ts, int piece, Random random) {
    List<Tag> tags = new ArrayList<>();
    FlvFromTs flv = new FlvFromTs((kind, timestamp, body) -> {
      tags.add(new Tag(kind, timestamp, ByteBufUtil.hexDump(body)));
    });
    TsDemuxer demuxer = new TsDemuxer(MAX_PES, flv);
    feed(demuxer, ts, piece, random);
    demuxer.flush();
    return new Run(tags, demuxer, flv);
  }

  static void feed(TsDemuxer demuxer, byte[] ts, int piece, Random random) {
    for (int at = 0; at < ts.length; ) {
      int n = Math.min(ts.length - at, piece > 0 ? piece : 1 + random.nextInt(-piece));
      ByteBuf chunk = Unpooled.wrappedBuffer(ts, at, n);
      demuxer.feed(chunk);
      if (chunk.readerIndex() != 0) {
        throw new AssertionError("feed moved the reader index");
      }
      at += n;
    }
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
  }
}
