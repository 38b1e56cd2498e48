package dev.streamedge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A raw RTMPT client over one kept-alive HTTP/1.1 connection, for the requests no real client sends
 * (garbage, unknown sessions, replays) and for checking an answer's bytes as librtmp reads them: the
 * status line and header names exactly as they came.
 */
public final class RtmptClient implements AutoCloseable {

  /** One answer: the status code, the head as received (status line and headers) and the body. */
  public record Answer(int status, String head, byte[] body) {

    /** The body as text (the session id of an /open). */
    public String text() {
      return new String(body, StandardCharsets.US_ASCII);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RtmptClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15_000);
    // Head and body go in one write; without it Nagle and the peer's delayed ACK cost 40 ms a request.
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** The local port, which the node's log lines name as the client's. */
  public int localPort() {
    return socket.getLocalPort();
  }

  /** Opens a session; returns its id (the answer's body without the newline). */
  public String open() throws IOException {
    Answer answer = post("/open/1", new byte[] {0});
    if (answer.status() != 200 || !answer.text().endsWith("\n")) {
      throw new AssertionError("/open answered " + answer.status() + " " + answer.text());
    }
    return answer.text().strip();
  }

  /** POSTs {@code body} to {@code path} as librtmp does and reads the answer. */
  public Answer post(String path, byte[] body) throws IOException {
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-fcs\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n";
    ByteArrayOutputStream request = new ByteArrayOutputStream(head.length() + body.length);
    request.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(body);
    out.write(request.toByteArray());
    out.flush();
    return read();
  }

  /** Reads one answer. */
  public Answer read() throws IOException {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside an answer's head");
      }
      headBytes.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String head = headBytes.toString(StandardCharsets.US_ASCII);
    int status = Integer.parseInt(head.substring(9, 12));
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return new Answer(status, head, in.readNBytes(length));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
