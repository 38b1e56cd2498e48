package dev.streamedge.load.hostile;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one kind of hostile client did and what the server did to it. Updated on the attacker's single
 * event loop only, so plain fields suffice.
 */
final class Tally {

  final String kind;
  long opened;
  long failedToOpen;
  long closedByServer;
  long bytesSent;
  long requests;
  final Map<Integer, Long> statuses = new TreeMap<>();
  long errors;
  /** Lifetimes of connections the server closed, summed, to report the mean time a slot was held. */
  long closedLifetimeMillis;

  Tally(String kind) {
    this.kind = kind;
  }

  void closed(long openedAtMillis) {
    closedByServer++;
    closedLifetimeMillis += System.currentTimeMillis() - openedAtMillis;
  }

  String json() {
    StringBuilder s = new StringBuilder();
    s.append("{\"kind\":\"").append(kind).append('"')
        .append(",\"opened\":").append(opened)
        .append(",\"failed_to_open\":").append(failedToOpen)
        .append(",\"closed_by_server\":").append(closedByServer)
        .append(",\"mean_held_ms\":").append(closedByServer == 0 ? 0 : closedLifetimeMillis / closedByServer)
        .append(",\"bytes_sent\":").append(bytesSent)
        .append(",\"requests\":").append(requests)
        .append(",\"errors\":").append(errors)
        .append(",\"statuses\":{");
    String sep = "";
    for (Map.Entry<Integer, Long> e : statuses.entrySet()) {
      s.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
      sep = ",";
    }
    return s.append("}}").toString();
  }
}
