package dev.streamedge.rtmp.amf;

import dev.streamedge.rtmp.ProtocolException;

/**
 * The bounds of one top-level decode call, shared by AMF0 and any AMF3 value nested in it.
 *
 * <p>Containers may nest at most {@link #MAX_DEPTH} deep. References (AMF0 spec §2.9, AMF3 spec §3.1)
 * reuse an already decoded value, so a chain of objects that each reference the previous one twice
 * would describe a tree exponential in the input size. Each table entry therefore remembers its height
 * and node count: a reference must not push the nesting past the limit, and the whole result, counted
 * as if every reference were a copy, must stay within {@link #EXPANSION_FACTOR} nodes per input byte.
 * Walking a decoded value is thus always bounded by the input, even when it is shared.
 */
final class DecodeLimits {

  static final int MAX_DEPTH = 32;
  private static final int EXPANSION_FACTOR = 8;

  private final long maxNodes;
  private int depth;
  private int deepest;
  private long nodes;

  DecodeLimits(int inputBytes) {
    this.maxNodes = (long) EXPANSION_FACTOR * Math.max(inputBytes, 1);
  }

  /** Counts one scalar value. */
  void leaf() throws ProtocolException {
    count(1);
  }

  /** Enters a container one level deeper; its table entry is completed by {@link #close}. */
  Ref open() throws ProtocolException {
    if (depth == MAX_DEPTH) {
      throw new ProtocolException("AMF: nesting deeper than " + MAX_DEPTH);
    }
    count(1);
    depth++;
    Ref ref = new Ref(nodes - 1, deepest);
    deepest = depth;
    return ref;
  }

  void close(Ref ref, Object value) {
    ref.value = value;
    ref.height = deepest - depth + 1;
    ref.nodes = nodes - ref.startNodes;
    ref.complete = true;
    deepest = Math.max(ref.savedDeepest, deepest);
    depth--;
  }

  /** Accounts for a reference to {@code ref} at the current position and returns its value. */
  Object reference(Ref ref, String codec) throws ProtocolException {
    if (!ref.complete) {
      throw new ProtocolException(codec + ": reference to an object that is still being decoded");
    }
    if (depth + ref.height > MAX_DEPTH) {
      throw new ProtocolException("AMF: nesting deeper than " + MAX_DEPTH);
    }
    deepest = Math.max(deepest, depth + ref.height);
    count(ref.nodes);
    return ref.value;
  }

  private void count(long added) throws ProtocolException {
    nodes += added;
    if (nodes > maxNodes) {
      throw new ProtocolException("AMF: references expand the value beyond " + maxNodes + " nodes");
    }
  }

  /** One entry of a reference table: the value and the size it adds wherever it is referenced. */
  static final class Ref {

    private Object value;
    private boolean complete;
    private int height;
    private long nodes;
    private final long startNodes;
    private final int savedDeepest;

    private Ref(long startNodes, int savedDeepest) {
      this.startNodes = startNodes;
      this.savedDeepest = savedDeepest;
    }

    /** An entry for a value without children (AMF3 dates, XML, byte arrays). */
    static Ref scalar(Object value) {
      Ref ref = new Ref(0, 0);
      ref.value = value;
      ref.complete = true;
      ref.nodes = 1;
      return ref;
    }
  }
}
