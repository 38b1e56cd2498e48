package dev.streamedge.rtmp.handshake;

import dev.streamedge.rtmp.ProtocolException;

/** Length and version checks shared by both sides; every failure is a {@link ProtocolException}. */
final class Checks {
  private Checks() {
  }

  static void length(byte[] bytes, int expected, String what) throws ProtocolException {
    if (bytes == null) {
      throw new ProtocolException(what + " missing");
    }
    if (bytes.length != expected) {
      throw new ProtocolException(
          what + " must be " + expected + " bytes, got " + bytes.length);
    }
  }

  /**
   * The C0/S0 version byte (§5.2.2) of plain RTMP: 3. 6 is RTMPE ({@link EncryptedHandshake}), which a
   * caller that accepts it handles before asking; 8 and 9 are RTMPE with XTEA or Blowfish signatures.
   */
  static void version(int version, String what) throws ProtocolException {
    if (version == Handshake.VERSION) {
      return;
    }
    String detail;
    if (version == EncryptedHandshake.VERSION) {
      detail = " (RTMPE) not accepted here";
    } else if (version == 8 || version == 9) {
      detail = " (RTMPE with " + (version == 8 ? "XTEA" : "Blowfish") + " signatures) not supported, only RTMPE type "
          + EncryptedHandshake.VERSION;
    } else if (version >= 'A' && version <= 'Z') {
      // 'G' of "GET", 'P' of "POST": someone spoke HTTP (or another text protocol) to the RTMP port.
      detail = " not supported: looks like a text protocol such as HTTP";
    } else {
      detail = " not supported (only " + Handshake.VERSION + ")";
    }
    throw new ProtocolException(what + " RTMP version " + version + detail);
  }
}
