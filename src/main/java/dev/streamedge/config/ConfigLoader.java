package dev.streamedge.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamedge.auth.AuthMode;
import dev.streamedge.auth.AuthRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds the {@link StreamedgeConfig} from, lowest precedence first, the defaults in
 * {@link ConfigKeys}, the YAML config file, {@code STREAMEDGE_*} environment variables and the
 * command line. The layers are merged as one tree of text values, every key is checked against its
 * {@link Rule}, and only then does Jackson bind the tree onto the records, so every refusal is one
 * {@link ConfigException} worded by the rule rather than a Jackson stack trace.
 */
public final class ConfigLoader {

  /** Read when no {@code --config} is given, relative to the working directory, if it exists. */
  public static final String DEFAULT_FILE = "conf/streamedge.yaml";

  private static final String MEMBERS = "cluster.members";
  private static final String MULTICAST = "cluster.multicast";
  private static final String SERVICE_DNS = "cluster.kubernetes.service-dns";

  // Unknown and missing properties fail the binding so that a key in ConfigKeys without a record
  // component, or the reverse, breaks every test instead of being dropped or left null.
  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
      .addModule(new SimpleModule()
          .addDeserializer(Duration.class, fromText(Durations::parse))
          .addDeserializer(ByteSize.class, fromText(ByteSize::parse)))
      .build();

  private ConfigLoader() {
  }

  /**
   * Loads the configuration for {@code main}: the default file is {@value #DEFAULT_FILE}, help and
   * version go to standard output.
   *
   * @param env the process environment, {@code System.getenv()}
   * @return the configuration, or empty when help or version was printed and the program should end
   * @throws ConfigException when any layer holds something not allowed
   */
  public static Optional<StreamedgeConfig> load(String[] args, Map<String, String> env) {
    return load(args, env, Path.of(DEFAULT_FILE), new PrintWriter(System.out, true));
  }

  /**
   * As {@link #load(String[], Map)}, with the file read when no {@code --config} is given (skipped
   * if it does not exist) and the destination of help and version made explicit.
   */
  public static Optional<StreamedgeConfig> load(
      String[] args, Map<String, String> env, Path defaultFile, PrintWriter out) {
    Optional<ConfigCommandLine.Arguments> arguments = ConfigCommandLine.parse(args, out);
    if (arguments.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode tree = defaultsTree();
    Optional<String> explicitFile = arguments.get().configFile();
    if (explicitFile.isPresent()) {
      Path file = Path.of(explicitFile.get());
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("config file " + file + " (from --config) does not exist or is not a file");
      }
      mergeFile(tree, file);
    } else if (Files.exists(defaultFile)) {
      mergeFile(tree, defaultFile);
    }
    for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
      if (variable.getKey().startsWith(ConfigKey.ENV_PREFIX)) {
        ConfigKey key = ConfigKeys.byEnvName(variable.getKey())
            .orElseThrow(() -> new ConfigException(variable.getKey() + " is not a config key"));
        set(tree, key.name(), variable.getValue());
      }
    }
    arguments.get().values().forEach((key, value) -> set(tree, key, value));
    return Optional.of(checkAndBind(tree));
  }

  /** The built-in defaults, for code and tests that need a configuration without loading one. */
  public static StreamedgeConfig defaults() {
    return checkAndBind(defaultsTree());
  }

  private static ObjectNode defaultsTree() {
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    for (ConfigKey key : ConfigKeys.all()) {
      set(tree, key.name(), key.defaultValue());
    }
    return tree;
  }

  private static void set(ObjectNode tree, String key, String value) {
    String[] path = key.split("\\.");
    ObjectNode section = tree;
    for (int i = 0; i < path.length - 1; i++) {
      section = section.has(path[i]) ? (ObjectNode) section.get(path[i]) : section.putObject(path[i]);
    }
    section.set(path[path.length - 1], TextNode.valueOf(value));
  }

  private static void mergeFile(ObjectNode tree, Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw new ConfigException("config file " + file + " is not valid YAML: "
          + e.getOriginalMessage().replaceAll("\\s+", " ") + where);
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " cannot be read: " + e);
    }
    // An empty file, or one with every line commented out, reads as nothing: the defaults stand.
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      throw new ConfigException("config file " + file + " must hold the sections "
          + String.join(", ", ConfigKeys.childrenOf("")) + " at its top level");
    }
    merge(tree, root, "", file);
  }

  /** Copies the file's values over the defaults, refusing names that are no key or section. */
  private static void merge(ObjectNode target, JsonNode fileSection, String sectionPath, Path file) {
    fileSection.fields().forEachRemaining(field -> {
      String path = sectionPath.isEmpty() ? field.getKey() : sectionPath + "." + field.getKey();
      JsonNode value = field.getValue();
      if (ConfigKeys.isKey(path)) {
        target.set(field.getKey(), value);
      } else if (ConfigKeys.isSection(path)) {
        // A section with all its keys commented out is null in YAML: nothing to override.
        if (value.isObject()) {
          merge((ObjectNode) target.get(field.getKey()), value, path, file);
        } else if (!value.isNull()) {
          throw ConfigException.notAllowed(path, shown(value),
              "a section holding " + String.join(", ", ConfigKeys.childrenOf(path)));
        }
      } else {
        String place = sectionPath.isEmpty() ? "the top level has " : sectionPath + " has ";
        throw new ConfigException("config file " + file + ": " + path + " is not a config key; "
            + place + String.join(", ", ConfigKeys.childrenOf(sectionPath)));
      }
    });
  }

  private static StreamedgeConfig checkAndBind(ObjectNode tree) {
    for (ConfigKey key : ConfigKeys.all()) {
      JsonNode value = tree.at("/" + key.name().replace('.', '/'));
      if (!value.isValueNode() || value.isNull() || !key.rule().accepts().test(value.asText())) {
        String shownValue = key.rule().hidesValue() && value.isValueNode() && !value.isNull()
            ? "a value of " + value.asText().length() + " characters" : shown(value);
        throw ConfigException.notAllowed(key.name(), shownValue, key.rule().allowed());
      }
    }
    checkTlsIsWhole(tree, "rtmp.rtmps", "RTMPS");
    checkTlsIsWhole(tree, "http.tls", "HTTPS");
    checkTlsIsWhole(tree, "rtsp.tls", "RTSPS");
    checkClusterJoin(tree);
    checkHeartbeats(tree);
    checkPushReconnect(tree);
    checkTranscodeRestart(tree);
    ExecKeys.check(tree);
    checkMergeWrite(tree);
    PortChecks.check(tree);
    checkRtmptTimes(tree);
    HlsChecks.check(tree);
    checkAuth(tree);
    try {
      return MAPPER.treeToValue(tree, StreamedgeConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("ConfigKeys and the config records disagree: " + e.getOriginalMessage(), e);
    }
  }

  /** Half a TLS setup is a mistake, not a wish to run without TLS. */
  private static void checkTlsIsWhole(ObjectNode tree, String section, String what) {
    String cert = section + ".cert";
    String key = section + ".key";
    boolean hasCert = !tree.at("/" + cert.replace('.', '/')).asText().isEmpty();
    boolean hasKey = !tree.at("/" + key.replace('.', '/')).asText().isEmpty();
    if (hasCert != hasKey) {
      String missing = hasCert ? key : cert;
      String given = hasCert ? cert : key;
      throw ConfigException.notAllowed(missing, "\"\"",
          "a readable file, since " + given + " is set and " + what + " needs both");
    }
  }

  /** A cluster joins one way: none leaves the node alone, two would be guessing which was meant. */
  private static void checkClusterJoin(ObjectNode tree) {
    if (!tree.at("/cluster/enabled").asText().equals("true")) {
      return;
    }
    boolean byMembers = !tree.at("/cluster/members").asText().isEmpty();
    boolean byMulticast = tree.at("/cluster/multicast").asText().equals("true");
    boolean byKubernetes = !tree.at("/cluster/kubernetes/service-dns").asText().isEmpty();
    if (!byMembers && !byMulticast && !byKubernetes) {
      throw ConfigException.notAllowed(MEMBERS, "\"\"", "host:port items, since cluster.enabled is true "
          + "and a cluster needs one join method: " + MEMBERS + ", " + MULTICAST + " or " + SERVICE_DNS);
    }
    if (byMulticast && (byMembers || byKubernetes)) {
      throw ConfigException.notAllowed(MULTICAST, "\"true\"", "false, since " + (byMembers ? MEMBERS : SERVICE_DNS)
          + " is set and a cluster joins one way");
    }
    if (byMembers && byKubernetes) {
      throw ConfigException.notAllowed(SERVICE_DNS, shown(tree.at("/cluster/kubernetes/service-dns")),
          "\"\", since " + MEMBERS + " is set and a cluster joins one way");
    }
  }

  /** A member must get several heartbeats' chance before it is declared dead. */
  private static void checkHeartbeats(ObjectNode tree) {
    Duration heartbeat = Durations.parse(tree.at("/cluster/heartbeat").asText());
    JsonNode maxNoHeartbeat = tree.at("/cluster/max-no-heartbeat");
    if (Durations.parse(maxNoHeartbeat.asText()).compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw ConfigException.notAllowed("cluster.max-no-heartbeat", shown(maxNoHeartbeat),
          "at least twice cluster.heartbeat (" + Durations.format(heartbeat) + ")");
    }
  }

  /** The backoff grows from its minimum to its maximum: a maximum below the minimum is a typo. */
  private static void checkPushReconnect(ObjectNode tree) {
    Duration min = Durations.parse(tree.at("/relay/reconnect-min").asText());
    JsonNode max = tree.at("/relay/reconnect-max");
    if (Durations.parse(max.asText()).compareTo(min) < 0) {
      throw ConfigException.notAllowed("relay.reconnect-max", shown(max),
          "at least relay.reconnect-min (" + Durations.format(min) + ")");
    }
  }

  /** As the relays' backoff: a maximum below the minimum is a typo. */
  private static void checkTranscodeRestart(ObjectNode tree) {
    Duration min = Durations.parse(tree.at("/transcode/restart-min").asText());
    JsonNode max = tree.at("/transcode/restart-max");
    if (Durations.parse(max.asText()).compareTo(min) < 0) {
      throw ConfigException.notAllowed("transcode.restart-max", shown(max),
          "at least transcode.restart-min (" + Durations.format(min) + ")");
    }
  }

  /**
   * Held packets age by up to the merge delay before a player that is not in step queues them; a delay
   * as long as the queue's would make such a player skip at once.
   */
  private static void checkMergeWrite(ObjectNode tree) {
    Duration queueMaxDelay = Durations.parse(tree.at("/player/queue-max-delay").asText());
    JsonNode mergeWrite = tree.at("/player/merge-write");
    if (Durations.parse(mergeWrite.asText()).compareTo(queueMaxDelay) >= 0) {
      throw ConfigException.notAllowed("player.merge-write", shown(mergeWrite),
          "shorter than player.queue-max-delay (" + Durations.format(queueMaxDelay) + ")");
    }
    // A budget under merge-write is allowed: the fixed delay holds packets at least that long anyway
    // (MergeWrite.budgetMillis), so merge-write=40ms alone works beside the default 20 ms budget.
    JsonNode maxAdded = tree.at("/player/max-added-latency");
    if (Durations.parse(maxAdded.asText()).compareTo(queueMaxDelay) >= 0) {
      throw ConfigException.notAllowed("player.max-added-latency", shown(maxAdded),
          "shorter than player.queue-max-delay (" + Durations.format(queueMaxDelay) + ")");
    }
  }

  /** A held idle counts as the session's last request: a session timeout that short would reap polling clients. */
  private static void checkRtmptTimes(ObjectNode tree) {
    Duration idleWait = Durations.parse(tree.at("/rtmpt/idle-wait").asText());
    JsonNode sessionTimeout = tree.at("/rtmpt/session-timeout");
    if (Durations.parse(sessionTimeout.asText()).compareTo(idleWait.multipliedBy(4)) < 0) {
      throw ConfigException.notAllowed("rtmpt.session-timeout", shown(sessionTimeout),
          "at least four times rtmpt.idle-wait (" + Durations.format(idleWait) + ")");
    }
  }

  /** Each auth mode in use needs its keys, secret or URL; a mode without them would refuse everyone. */
  private static void checkAuth(ObjectNode tree) {
    AuthRules publish = AuthRules.parse(tree.at("/auth/publish").asText(), AuthMode.PUBLISH_MODES);
    AuthRules play = AuthRules.parse(tree.at("/auth/play").asText(), AuthMode.PLAY_MODES);
    requireFor(tree, publish.uses(AuthMode.KEYS), "auth.publish-keys", "auth.publish uses mode keys");
    requireFor(tree, publish.uses(AuthMode.SIGN), "auth.publish-secret", "auth.publish uses mode sign");
    requireFor(tree, play.uses(AuthMode.SIGN), "auth.play-secret", "auth.play uses mode sign");
    requireFor(tree, publish.uses(AuthMode.CALLBACK), "auth.callback.on-publish", "auth.publish uses mode callback");
    requireFor(tree, play.uses(AuthMode.CALLBACK), "auth.callback.on-play", "auth.play uses mode callback");
    String publishSecret = tree.at("/auth/publish-secret").asText();
    if (!publishSecret.isEmpty() && publishSecret.equals(tree.at("/auth/play-secret").asText())) {
      throw ConfigException.notAllowed("auth.play-secret", "the value of auth.publish-secret",
          "another secret, since with one secret a viewer's signed play URL would also publish");
    }
  }

  private static void requireFor(ObjectNode tree, boolean needed, String key, String because) {
    if (needed && tree.at("/" + key.replace('.', '/')).asText().isEmpty()) {
      String allowed = ConfigKeys.all().stream().filter(k -> k.name().equals(key)).findFirst().orElseThrow()
          .rule().allowed().replaceFirst("^\"\", or ", "");
      throw ConfigException.notAllowed(key, "\"\"", allowed + ", since " + because);
    }
  }

  /** The value as the operator wrote it: scalars quoted, so an empty string is visible as "". */
  static String shown(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    return value.isValueNode() ? "\"" + value.asText() + "\"" : value.toString();
  }

  /** Binds a type from the text of a scalar; the text has passed its {@link Rule} before. */
  private static <T> JsonDeserializer<T> fromText(Function<String, T> parse) {
    return new JsonDeserializer<>() {
      @Override
      public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        return parse.apply(parser.getText());
      }
    };
  }
}
