package dev.streamedge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus endpoint, parsed: each sample by metric name and labels. */
public final class Prometheus {

  private static final int TIMEOUT_MS = 10_000;
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Samples by metric name, then by their labels. */
  private final Map<String, Map<Map<String, String>, Double>> samples;
  private final Map<String, String> types;

  private Prometheus(Map<String, Map<Map<String, String>, Double>> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  /**
   * GETs {@code url}, which must answer 200 with the Prometheus text format. Every read is bounded (a
   * JDK HttpClient request once hung here for minutes past its timeout on a kept-alive connection).
   */
  public static Prometheus scrape(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setConnectTimeout(TIMEOUT_MS);
    connection.setReadTimeout(TIMEOUT_MS);
    connection.setRequestProperty("Connection", "close");
    try {
      if (connection.getResponseCode() != 200) {
        throw new AssertionError("scrape of " + url + " answered " + connection.getResponseCode());
      }
      try (InputStream body = connection.getInputStream()) {
        return parse(new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
    } finally {
      connection.disconnect();
    }
  }

  public static Prometheus parse(String text) {
    Map<String, Map<Map<String, String>, Double>> samples = new HashMap<>();
    Map<String, String> types = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        String series = line.substring(0, space);
        int brace = series.indexOf('{');
        String name = brace < 0 ? series : series.substring(0, brace);
        Map<String, String> labels = new HashMap<>();
        if (brace >= 0) {
          Matcher m = LABEL.matcher(series.substring(brace));
          while (m.find()) {
            labels.put(m.group(1), m.group(2));
          }
        }
        samples.computeIfAbsent(name, n -> new HashMap<>()).put(labels, Double.parseDouble(line.substring(space + 1)));
      }
    }
    return new Prometheus(samples, types);
  }

  /**
   * The sample of {@code name} with exactly the labels {@code labels} (name, value, name, value...).
   *
   * @throws AssertionError when the scrape has no such sample
   */
  public double value(String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    Double value = samples.getOrDefault(name, Map.of()).get(wanted);
    if (value == null) {
      throw new AssertionError("no sample " + name + wanted + " in the scrape; with that name: "
          + samples.getOrDefault(name, Map.of()).keySet());
    }
    return value;
  }

  /** Whether any sample of {@code name} is in the scrape, whatever its labels. */
  public boolean has(String name) {
    return samples.containsKey(name);
  }

  /** The metric families of the {@code # TYPE} lines, with their types. */
  public Map<String, String> types() {
    return types;
  }

  /** The label sets of the samples of {@code name}. */
  public Set<Map<String, String>> labelSets(String name) {
    return samples.getOrDefault(name, Map.of()).keySet();
  }
}
