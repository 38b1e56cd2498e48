package dev.streamedge.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.channel.unix.UnixChannel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What a connection has written that its peer has not acknowledged yet: the bytes in Netty's outbound
 * buffer and, on the native epoll transport, those the kernel holds, read from {@code TCP_INFO}. A
 * viewer that stopped reading leaves seconds of media in its kernel send buffer, which the socket's
 * writability does not show until the buffer is full.
 *
 * <p>The kernel's part is read on Linux's native transports (Netty's epoll, which the node prefers):
 * {@code tcpi_notsent_bytes} (Linux 4.6) plus the bytes sent and not acknowledged,
 * {@code tcpi_bytes_sent - tcpi_bytes_retrans - tcpi_bytes_acked} (Linux 4.19), capped at
 * {@code tcpi_unacked} segments of {@code tcpi_snd_mss}, so that a miscount of retransmissions cannot
 * build up over a long connection. Netty's {@code EpollTcpInfo} stops before these fields, so the
 * struct is read raw. An older kernel returns a shorter struct, whose missing fields read as zero: the
 * kernel's part is then not counted, nor is it on NIO. What the peer's kernel has acknowledged into its
 * own receive buffer counts as delivered: no server can see it.
 */
public final class SendBacklog {

  private static final int IPPROTO_TCP = 6;
  private static final int TCP_INFO = 11;
  /** Offsets in {@code struct tcp_info} (linux/tcp.h), stable since each field was added. */
  private static final int SND_MSS = 16;
  private static final int UNACKED = 24;
  private static final int BYTES_ACKED = 120;
  private static final int NOTSENT_BYTES = 144;
  private static final int BYTES_SENT = 200;
  private static final int BYTES_RETRANS = 208;
  private static final int LENGTH = BYTES_RETRANS + Long.BYTES;
  private static final RawUnixChannelOption TCP_INFO_OPTION =
      new RawUnixChannelOption("TCP_INFO", IPPROTO_TCP, TCP_INFO, LENGTH);
  private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

  private final Channel channel;
  private final boolean kernel;

  private SendBacklog(Channel channel) {
    this.channel = channel;
    this.kernel = LINUX && channel instanceof UnixChannel;
  }

  /** The backlog of a TCP socket (RTMP, RTMPS). */
  public static SendBacklog of(NetSocket socket) {
    return new SendBacklog(((NetSocketInternal) socket).channelHandlerContext().channel());
  }

  /** The backlog of a server TCP connection (RTMP, RTMPS). */
  public static SendBacklog of(EventLoopSocket socket) {
    return new SendBacklog(socket.channel());
  }

  /** The backlog of an HTTP/1 connection, and of the WebSocket it may become. */
  public static SendBacklog of(HttpConnection connection) {
    return new SendBacklog(HttpChannels.of(connection));
  }

  /** Whether the kernel's part is counted: the transport is a native one on Linux. */
  public boolean countsKernel() {
    return kernel;
  }

  /**
   * Bytes written and not yet acknowledged by the peer. Costs a {@code getsockopt} on epoll: ask when it
   * matters, not per packet. On the channel's event loop.
   */
  public long bytes() {
    if (!channel.isOpen()) {
      // Nothing is held for a peer any more, and the descriptor's number may already be another socket's.
      return 0;
    }
    ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
    long netty = outbound == null ? 0 : outbound.totalPendingWriteBytes();
    return kernel ? netty + kernelBytes() : netty;
  }

  private long kernelBytes() {
    ByteBuffer info;
    try {
      info = channel.config().getOption(TCP_INFO_OPTION);
    } catch (ChannelException e) {
      // The socket failed under us: what it held will never be delivered, and the close follows.
      return 0;
    }
    if (info == null) {
      // A transport that reads no raw socket options.
      return 0;
    }
    info.order(ByteOrder.nativeOrder());
    long notSent = Integer.toUnsignedLong(info.getInt(NOTSENT_BYTES));
    long inFlight = info.getLong(BYTES_SENT) - info.getLong(BYTES_RETRANS) - info.getLong(BYTES_ACKED);
    long inFlightBound = Integer.toUnsignedLong(info.getInt(UNACKED)) * Integer.toUnsignedLong(info.getInt(SND_MSS));
    return notSent + Math.max(0, Math.min(inFlight, inFlightBound));
  }
}
