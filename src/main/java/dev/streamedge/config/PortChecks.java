package dev.streamedge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * The checks that no two TCP listeners share a port: Vert.x shares one port between the servers of a process and
 * would hand each connection to either at random, so a clash does not fail at start, it misroutes.
 */
final class PortChecks {

  private PortChecks() {
  }

  static void check(ObjectNode tree) {
    checkMetricsPort(tree);
    checkRtspPort(tree);
    checkRtmptPorts(tree);
  }

  /**
   * A metrics port equal to another listener's would not fail: Vert.x shares one port between servers
   * of a process and would hand each connection to either, media or metrics, at random.
   */
  private static void checkMetricsPort(ObjectNode tree) {
    JsonNode metricsPort = tree.at("/metrics/port");
    if (metricsPort.asText().equals("0")) {
      return;
    }
    for (String other : new String[] {"http.port", "http.tls.port", "rtmp.port", "rtmp.rtmps.port"}) {
      JsonNode port = tree.at("/" + other.replace('.', '/'));
      if (port.asText().equals(metricsPort.asText())) {
        throw ConfigException.notAllowed("metrics.port", ConfigLoader.shown(metricsPort),
            "0 or a port no other listener uses, since " + other + " is " + port.asText());
      }
    }
  }

  /**
   * As the metrics port: an RTSP or RTSPS port shared with another TCP listener would split its connections at
   * random.
   */
  private static void checkRtspPort(ObjectNode tree) {
    if (!tree.at("/rtsp/enabled").asText().equals("true")) {
      return;
    }
    boolean tls = !tree.at("/rtsp/tls/cert").asText().isEmpty();
    for (String own : tls ? new String[] {"rtsp.port", "rtsp.tls.port"} : new String[] {"rtsp.port"}) {
      JsonNode ownPort = tree.at("/" + own.replace('.', '/'));
      for (String other : new String[] {"http.port", "http.tls.port", "rtmp.port", "rtmp.rtmps.port", "metrics.port",
          "rtsp.port"}) {
        JsonNode port = tree.at("/" + other.replace('.', '/'));
        if (!other.equals(own) && port.asText().equals(ownPort.asText())) {
          throw ConfigException.notAllowed(own, ConfigLoader.shown(ownPort), "a port no other listener uses, since "
              + other + " is " + port.asText());
        }
      }
    }
  }

  /**
   * An extra RTMPT port equal to another listener's, or given twice, would not fail either: Vert.x would
   * share the port and hand each connection to either listener at random.
   */
  private static void checkRtmptPorts(ObjectNode tree) {
    JsonNode ports = tree.at("/rtmpt/ports");
    if (ports.asText().isEmpty()) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (String port : ports.asText().split(",")) {
      if (!seen.add(String.valueOf(Integer.parseInt(port)))) {
        throw ConfigException.notAllowed("rtmpt.ports", ConfigLoader.shown(ports), "ports given once each");
      }
      for (String other : new String[] {"http.port", "http.tls.port", "rtmp.port", "rtmp.rtmps.port",
          "metrics.port"}) {
        JsonNode taken = tree.at("/" + other.replace('.', '/'));
        if (Integer.parseInt(port) == Integer.parseInt(taken.asText())) {
          throw ConfigException.notAllowed("rtmpt.ports", ConfigLoader.shown(ports),
              "ports no other listener uses, since " + other + " is " + taken.asText());
        }
      }
    }
  }
}
