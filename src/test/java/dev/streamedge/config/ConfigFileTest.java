package dev.streamedge.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shipped {@code conf/streamedge.yaml} must show exactly what the code does without it. */
@Tag("unit")
class ConfigFileTest {

  private static final Path SHIPPED = Path.of(ConfigLoader.DEFAULT_FILE);

  @Test
  void shippedFileParsesToExactlyTheBuiltInDefaults() {
    StreamedgeConfig fromFile = ConfigLoader.load(
        new String[] {"--config", SHIPPED.toString()}, Map.of(), SHIPPED, new PrintWriter(new StringWriter()))
        .orElseThrow();

    assertThat(fromFile).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void shippedFileSetsEveryKeyInOrderToTheDefaultTheHelpShows() throws IOException {
    Map<String, String> fileValues = leaves(new YAMLMapper().readTree(SHIPPED.toFile()), "");

    Map<String, String> defaults = new LinkedHashMap<>();
    ConfigKeys.all().forEach(key -> defaults.put(key.name(), key.defaultValue()));
    assertThat(fileValues).containsExactlyEntriesOf(defaults);
  }

  @Test
  void everyKeyInTheShippedFileHasACommentAboveIt() throws IOException {
    List<String> lines = Files.readAllLines(SHIPPED);
    List<String> uncommented = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      boolean isKeyWithValue = lines.get(i).matches("\\s+[a-z-]+: .+");
      if (isKeyWithValue && !lines.get(i - 1).trim().startsWith("#")) {
        uncommented.add(lines.get(i));
      }
    }
    assertThat(uncommented).isEmpty();
  }

  private static Map<String, String> leaves(JsonNode node, String prefix) {
    Map<String, String> leaves = new LinkedHashMap<>();
    node.fields().forEachRemaining(field -> {
      String path = prefix + field.getKey();
      if (field.getValue().isObject()) {
        leaves.putAll(leaves(field.getValue(), path + "."));
      } else {
        leaves.put(path, field.getValue().asText());
      }
    });
    return leaves;
  }
}
