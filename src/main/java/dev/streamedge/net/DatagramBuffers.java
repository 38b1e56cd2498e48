package dev.streamedge.net;

import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.datagram.DatagramSocket;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel receive buffer (SO_RCVBUF) of a Vert.x UDP socket, set without the side effect Vert.x's
 * {@code DatagramSocketOptions.setReceiveBufferSize} has: it also makes that size the buffer Netty allocates
 * for every datagram (a {@code FixedRecvByteBufAllocator}), and 4 MiB zeroed per SRT packet was three quarters
 * of an event loop at 5 Mbit/s. Vert.x keeps the Netty channel private, hence the one reflective read here;
 * should it fail (another Vert.x), the socket keeps the system's default buffer, said once in the log.
 */
public final class DatagramBuffers {

  private static final Logger LOG = LoggerFactory.getLogger(DatagramBuffers.class);

  private DatagramBuffers() {
  }

  /**
   * Asks the kernel for {@code bytes} of receive buffer on {@code socket}, a bound Vert.x socket; Linux caps
   * it at net.core.rmem_max. Returns the size the kernel granted (Linux doubles what it is asked for), or -1
   * when it could not be set.
   */
  public static int receiveBuffer(DatagramSocket socket, int bytes) {
    try {
      Field field = socket.getClass().getDeclaredField("channel");
      field.setAccessible(true);
      DatagramChannel channel = (DatagramChannel) field.get(socket);
      channel.config().setReceiveBufferSize(bytes);
      return channel.config().getReceiveBufferSize();
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("the UDP receive buffer keeps the system's default: {}", e.toString());
      return -1;
    }
  }
}
