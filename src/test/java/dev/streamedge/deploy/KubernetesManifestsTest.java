package dev.streamedge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamedge.config.ConfigLoader;
import dev.streamedge.config.StreamedgeConfig;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s/} as {@code kubectl kustomize} renders it: valid against the Kubernetes API schemas
 * (offline, with kubernetes-models), and consistent with the server it deploys — the ports it declares
 * are the ports the node listens on with that environment, its probes answer, every variable it sets is
 * a config key, and the nodes' DNS discovery names the headless Service.
 */
@Tag("e2e")
class KubernetesManifestsTest {

  private static final Path K8S = Path.of("k8s");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Z_]+)\\)");
  private static final Map<String, Class<?>> MODELS = Map.of(
      "v1/Service", Service.class,
      "v1/ConfigMap", ConfigMap.class,
      "apps/v1/Deployment", Deployment.class,
      "apps/v1/StatefulSet", StatefulSet.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
  private static String rendered;
  private static List<JsonNode> objects;

  @BeforeAll
  static void render() throws Exception {
    rendered = run(List.of("kubectl", "kustomize", K8S.toString()), null);
    objects = new ArrayList<>();
    for (JsonNode object : new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(rendered)
        .readAll().stream().map(JsonNode.class::cast).toList()) {
      if (object != null && !object.isNull()) {
        objects.add(object);
      }
    }
  }

  @Test
  void everyRenderedObjectValidatesAgainstTheKubernetesSchemas() throws Exception {
    String report = run(List.of("node", "src/test/k8s/validate.mjs"), rendered);
    assertThat(report).contains(objects.size() + " objects, 0 invalid");
    assertThat(kinds()).contains("StatefulSet", "Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler",
        "PodDisruptionBudget");
  }

  @Test
  void everyFieldOfTheRenderedObjectsIsOneTheKubernetesApiHas() throws Exception {
    for (JsonNode object : objects) {
      assertThat(unknownFields(object)).as(describe(object)).isEmpty();
    }
    // The check finds a misspelt field, nested deep in a workload.
    JsonNode typo = workloads().get(0).deepCopy();
    ((ObjectNode) typo.path("spec").path("template").path("spec")).put("terminationGracePeriod", 30);
    ((ObjectNode) typo.path("spec").path("template").path("spec").path("containers").get(0)).put("imagePullPolicyy", "Always");
    assertThat(unknownFields(typo)).containsExactlyInAnyOrder(
        "spec.template.spec.terminationGracePeriod", "spec.template.spec.containers[0].imagePullPolicyy");
  }

  @Test
  void theConfigMapIsTheServersConfigFile() throws Exception {
    assertThat(Files.readString(K8S.resolve("streamedge.yaml")))
        .as("k8s/streamedge.yaml is a copy of conf/streamedge.yaml").isEqualTo(Files.readString(Path.of("conf/streamedge.yaml")));
  }

  @Test
  void containerPortsAreThePortsTheNodeListensOnWithThePodsEnvironment() throws Exception {
    for (JsonNode container : containers()) {
      StreamedgeConfig config = configOf(container);
      Map<String, Integer> ports = new HashMap<>();
      container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
      assertThat(ports).as("ports of %s", container.path("name").asText()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "rtmp", config.rtmp().port(),
          "rtmps", config.rtmp().rtmps().port(),
          "srt", config.srt().port(),
          "rtsp", config.rtsp().port(),
          "rtsps", config.rtsp().tls().port(),
          "http", config.http().port(),
          "ops", config.metrics().port(),
          "hazelcast", config.cluster().port(),
          "eventbus", config.cluster().eventbus().port()));
      assertThat(config.cluster().enabled()).isTrue();
    }
  }

  @Test
  void everyStreamedgeVariableIsAConfigKeyAndTheManifestsSetNoneTheServerLacks() throws Exception {
    for (JsonNode container : containers()) {
      // ConfigLoader refuses any STREAMEDGE_* variable that is not a key: loading proves them all.
      Map<String, String> env = environment(container);
      assertThat(env.keySet().stream().filter(k -> k.startsWith("STREAMEDGE_"))).isNotEmpty();
      configOf(container);
    }
  }

  /**
   * Probes and scrapes go to the metrics.port listener, which media clients cannot crowd out: with probes
   * on the media port, idle or slow viewers filling http.max-connections made the kubelet restart pods.
   */
  @Test
  void probesAndScrapesUseTheOpsPortAndTheirPathsAnswerOnARunningNode() throws Exception {
    List<String> paths = new ArrayList<>();
    for (JsonNode workload : workloads()) {
      JsonNode annotations = workload.path("spec").path("template").path("metadata").path("annotations");
      for (JsonNode container : workload.path("spec").path("template").path("spec").path("containers")) {
        assertThat(annotations.path("prometheus.io/port").asText()).as("scrape port")
            .isEqualTo(Integer.toString(configOf(container).metrics().port()));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
          JsonNode get = container.path(probe).path("httpGet");
          assertThat(get.path("port").asText()).as(probe + " port").isEqualTo("ops");
          paths.add(get.path("path").asText());
        }
      }
      paths.add(annotations.path("prometheus.io/path").asText());
    }
    assertThat(paths).contains("/health/live", "/health/ready", "/metrics");
    try (TestNode node = TestNode.startWithMetricsPort()) {
      for (String path : paths) {
        assertThat(Http.get("http://127.0.0.1:" + node.node().metricsPort() + path).statusCode()).as(path)
            .isEqualTo(200);
      }
    }
  }

  @Test
  void discoveryNamesTheHeadlessServiceThatSelectsEveryNode() throws Exception {
    JsonNode headless = objects.stream()
        .filter(o -> o.path("kind").asText().equals("Service") && o.path("spec").path("clusterIP").asText().equals("None"))
        .findFirst().orElseThrow(() -> new AssertionError("no headless Service"));
    String serviceName = headless.path("metadata").path("name").asText();
    assertThat(headless.path("spec").path("publishNotReadyAddresses").asBoolean())
        .as("not-ready nodes listed: a node is ready only after it joined").isTrue();
    for (JsonNode workload : workloads()) {
      JsonNode template = workload.path("spec").path("template");
      headless.path("spec").path("selector").fields().forEachRemaining(label -> assertThat(
          template.path("metadata").path("labels").path(label.getKey()).asText()).isEqualTo(label.getValue().asText()));
      for (JsonNode container : template.path("spec").path("containers")) {
        StreamedgeConfig config = configOf(container);
        assertThat(config.cluster().kubernetes().serviceDns()).startsWith(serviceName + ".");
        assertThat(headless.path("spec").path("ports").findValuesAsText("port"))
            .contains(Integer.toString(config.cluster().port()));
      }
      if (workload.path("kind").asText().equals("StatefulSet")) {
        assertThat(workload.path("spec").path("serviceName").asText()).isEqualTo(serviceName);
      }
    }
  }

  @Test
  void theGracePeriodCoversThePreStopDelayAndTheDrainTime() throws Exception {
    for (JsonNode workload : workloads()) {
      JsonNode pod = workload.path("spec").path("template").path("spec");
      for (JsonNode container : pod.path("containers")) {
        List<String> preStop = new ArrayList<>();
        container.path("lifecycle").path("preStop").path("exec").path("command").forEach(c -> preStop.add(c.asText()));
        assertThat(preStop.get(0)).isEqualTo("sleep");
        long needed = Long.parseLong(preStop.get(1)) + configOf(container).shutdown().drainTime().toSeconds();
        assertThat(pod.path("terminationGracePeriodSeconds").asLong()).as(workload.path("metadata").path("name").asText())
            .isGreaterThan(needed);
      }
    }
  }

  @Test
  void loadBalancersTargetNamedContainerPortsAndKeepClientAddresses() {
    List<String> portNames = new ArrayList<>();
    containers().forEach(c -> c.path("ports").forEach(p -> portNames.add(p.path("name").asText())));
    List<JsonNode> balancers = objects.stream()
        .filter(o -> o.path("spec").path("type").asText().equals("LoadBalancer")).toList();
    assertThat(balancers).hasSize(2);
    for (JsonNode service : balancers) {
      assertThat(service.path("spec").path("externalTrafficPolicy").asText()).isEqualTo("Local");
      service.path("spec").path("ports").forEach(p -> assertThat(portNames).contains(p.path("targetPort").asText()));
    }
  }

  /**
   * The fields of a rendered object that its Kubernetes API type lacks. The schemas that validate.mjs
   * checks allow any extra field, and a misspelt optional one would be silently dropped; fabric8's model
   * keeps each field it does not know in its object's additional properties.
   */
  private static List<String> unknownFields(JsonNode object) throws Exception {
    Class<?> type = MODELS.get(object.path("apiVersion").asText() + "/" + object.path("kind").asText());
    assertThat(type).as("a model for " + describe(object)).isNotNull();
    List<String> unknown = new ArrayList<>();
    collectUnknown(new ObjectMapper().treeToValue(object, type), "", unknown);
    return unknown;
  }

  private static void collectUnknown(Object value, String path, List<String> unknown) throws Exception {
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collectUnknown(list.get(i), path + "[" + i + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        collectUnknown(entry.getValue(), path + "." + entry.getKey(), unknown);
      }
      return;
    }
    if (value == null || !value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    String prefix = path.isEmpty() ? "" : path + ".";
    for (Method getter : value.getClass().getMethods()) {
      String name = getter.getName();
      if (getter.getParameterCount() > 0 || !name.startsWith("get") || name.equals("getClass")) {
        continue;
      }
      Object field = getter.invoke(value);
      if (name.equals("getAdditionalProperties")) {
        ((Map<?, ?>) field).keySet().forEach(key -> unknown.add(prefix + key));
      } else {
        collectUnknown(field, prefix + Character.toLowerCase(name.charAt(3)) + name.substring(4), unknown);
      }
    }
  }

  private static String describe(JsonNode object) {
    return object.path("apiVersion").asText() + " " + object.path("kind").asText() + " "
        + object.path("metadata").path("name").asText();
  }

  /** The config a container's node loads: its environment (pod fields filled in) over the ConfigMap's file. */
  private static StreamedgeConfig configOf(JsonNode container) throws Exception {
    StringWriter help = new StringWriter();
    return ConfigLoader.load(new String[0], environment(container), K8S.resolve("streamedge.yaml"),
        new PrintWriter(help)).orElseThrow();
  }

  private static Map<String, String> environment(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    Map<String, String> podFields = Map.of("status.podIP", "10.1.2.3", "metadata.namespace", "streaming");
    for (JsonNode variable : container.path("env")) {
      String value = variable.has("value") ? variable.path("value").asText()
          : podFields.get(variable.path("valueFrom").path("fieldRef").path("fieldPath").asText());
      Matcher reference = ENV_REFERENCE.matcher(value);
      StringBuilder resolved = new StringBuilder();
      while (reference.find()) {
        reference.appendReplacement(resolved, Matcher.quoteReplacement(env.getOrDefault(reference.group(1), "")));
      }
      reference.appendTail(resolved);
      env.put(variable.path("name").asText(), resolved.toString());
    }
    return env;
  }

  private static List<JsonNode> workloads() {
    return objects.stream().filter(o -> List.of("StatefulSet", "Deployment").contains(o.path("kind").asText())).toList();
  }

  private static List<JsonNode> containers() {
    List<JsonNode> containers = new ArrayList<>();
    workloads().forEach(w -> w.path("spec").path("template").path("spec").path("containers").forEach(containers::add));
    assertThat(containers).hasSize(2);
    return containers;
  }

  private static List<String> kinds() {
    return objects.stream().map(o -> o.path("kind").asText()).toList();
  }

  /** Runs a command, with {@code input} on its standard input; its standard output, or a failure with both outputs. */
  private static String run(List<String> command, String input) throws Exception {
    try (ChildProcesses processes = new ChildProcesses()) {
      return run(processes.own(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start()),
          command, input);
    }
  }

  private static String run(Process process, List<String> command, String input) throws Exception {
    if (input != null) {
      process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errors = new Thread(() -> {
      try {
        process.getErrorStream().transferTo(err);
      } catch (java.io.IOException ignored) {
        // the process went away; its exit status tells
      }
    });
    errors.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + out + "\n" + err);
    }
    errors.join();
    return out;
  }
}
