package dev.streamedge.rtmp.message;

import dev.streamedge.rtmp.ProtocolException;
import java.util.List;

/**
 * A command message (RTMP 1.0 §7.1.1, the flows of §7.2): a name, a transaction id, a command object
 * and optional arguments, on the NetConnection (message stream 0) or a NetStream.
 *
 * @param streamId the message stream it came on
 * @param name the command name ({@code connect}, {@code publish}, ...)
 * @param transaction the transaction id; 0 when the sender wants no answer or sent none
 * @param commandObject the command object, often null; may be anything the peer sent
 * @param args the values after the command object
 */
public record Command(int streamId, String name, double transaction, Object commandObject, List<Object> args) {

  /** A command from its decoded AMF0 values. */
  public static Command of(int streamId, List<Object> values) throws ProtocolException {
    if (values.isEmpty() || !(values.get(0) instanceof String name)) {
      throw new ProtocolException("command without a name");
    }
    double tx = values.size() > 1 && values.get(1) instanceof Double d ? d : 0;
    Object commandObject = values.size() > 2 ? values.get(2) : null;
    List<Object> args = values.size() > 3 ? values.subList(3, values.size()) : List.of();
    return new Command(streamId, name, tx, commandObject, args);
  }

  /** The argument at {@code index} if it is a string, else null. */
  public String stringArg(int index) {
    return args.size() > index && args.get(index) instanceof String s ? s : null;
  }
}
