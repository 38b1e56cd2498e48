package dev.streamedge.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * Walks MPEG-TS bytes (ISO/IEC 13818-1 §2.4.3) and checks the continuity counter of every PID across
 * everything fed to it: a gap means a lost or duplicated packet.
 */
public final class TsCheck {

  private final Map<Integer, Integer> lastCounter = new HashMap<>();
  private long packets;

  /** Feeds one segment; fails on a bad sync byte or a continuity gap. */
  public void feed(String what, byte[] ts) {
    if (ts.length % 188 != 0) {
      throw new AssertionError(what + ": " + ts.length + " bytes is not a whole number of TS packets");
    }
    for (int offset = 0; offset < ts.length; offset += 188) {
      if (ts[offset] != 0x47) {
        throw new AssertionError(what + ": no sync byte at " + offset);
      }
      int pid = ((ts[offset + 1] & 0x1F) << 8) | (ts[offset + 2] & 0xFF);
      boolean hasPayload = (ts[offset + 3] & 0x10) != 0;
      int counter = ts[offset + 3] & 0x0F;
      Integer last = lastCounter.get(pid);
      if (hasPayload && last != null && counter != ((last + 1) & 0x0F)) {
        throw new AssertionError(what + ": continuity gap on PID " + pid + " at packet " + offset / 188
            + ": " + last + " then " + counter);
      }
      if (hasPayload) {
        lastCounter.put(pid, counter);
      }
      packets++;
    }
  }

  public long packets() {
    return packets;
  }
}
