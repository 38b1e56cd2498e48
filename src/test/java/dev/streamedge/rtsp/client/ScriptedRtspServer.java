package dev.streamedge.rtsp.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An RTSP server whose answers a test writes, for what a real server would not do on demand: pick
 * other interleaved channels, time a session out in 2 s, go silent, refuse, or send garbage. It records each request
 * the client sent (the whole head), answers each with the test's function (null: no answer), and can send
 * interleaved frames; one connection at a time, the next accepted when one ends ({@link #connections} counts them).
 * Blocking I/O on a thread of its own, in the test only.
 */
final class ScriptedRtspServer implements AutoCloseable {

  private final ServerSocket listener;
  private final Function<String, String> answers;
  final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile Socket connection;
  volatile int connections;
  private final Thread thread;

  ScriptedRtspServer(Function<String, String> answers) throws IOException {
    this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    this.answers = answers;
    this.thread = new Thread(this::serve, "scripted-rtsp");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  String url(String path) {
    return "rtsp://127.0.0.1:" + port() + path;
  }

  /** The CSeq of a request head. */
  static String cseq(String request) {
    for (String line : request.split("\r\n")) {
      if (line.regionMatches(true, 0, "CSeq:", 0, 5)) {
        return line.substring(5).trim();
      }
    }
    return "0";
  }

  /** Sends an interleaved frame (RFC 2326 §10.12) on {@code channel}. */
  synchronized void frame(int channel, byte[] data) throws IOException {
    OutputStream out = connection.getOutputStream();
    out.write(new byte[] {'$', (byte) channel, (byte) (data.length >> 8), (byte) data.length});
    out.write(data);
    out.flush();
  }

  boolean connected() {
    return connection != null;
  }

  private void serve() {
    while (!listener.isClosed()) {
      try (Socket socket = listener.accept()) {
        connections++;
        connection = socket;
        serve(socket);
      } catch (IOException closed) {
        // the test closed the listener, or the client its connection: the next one, if any
      }
    }
  }

  private void serve(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        byte[] bytes = head.toByteArray();
        int n = bytes.length;
        if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
          String request = new String(bytes, StandardCharsets.ISO_8859_1);
          head.reset();
          requests.add(request);
          String answer = answers.apply(request);
          if (answer != null) {
            synchronized (this) {
              socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
              socket.getOutputStream().flush();
            }
          }
        }
      }
    } catch (IOException closed) {
      // the test closed it, or the client did
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    Socket socket = connection;
    if (socket != null) {
      socket.close();
    }
  }
}
