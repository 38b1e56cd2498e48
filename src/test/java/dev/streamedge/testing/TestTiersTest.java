package dev.streamedge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Every test class is in exactly one tier (docs/testing.md#test-tiers), so that running the tiers one
 * by one runs the whole suite, and a unit test starts no node and no child process.
 */
@Tag("unit")
class TestTiersTest {

  private static final Set<String> TIERS = Set.of("unit", "fuzz", "e2e", "cluster", "browser", "faults", "image");
  /** The tag of e2e tests that measure time: they run in their own lane, two at a time (docs/testing.md#lanes). */
  private static final String TIMING = "timing";
  /**
   * The tag of cluster, browser and faults tests whose outcome a second JVM beside them would change (an ABR
   * estimate, a latency bound): they run in a lane of their own, one at a time (docs/testing.md#lanes).
   */
  private static final String SOLO = "solo";
  private static final Set<String> SOLO_TIERS = Set.of("cluster", "browser", "faults");
  /** What a unit test must not use: the helpers that start nodes, clients and browsers. */
  private static final Pattern NOT_UNIT = Pattern.compile(
      "\\b(TestNode|NodeProcess|Ffmpeg|Clients|ChildProcesses|BrowserPlayback|ProcessBuilder|GoodStream|Podman)\\b");

  @Test
  void everyTestClassHasExactlyOneTierTag() throws Exception {
    List<Class<?>> tests = testClasses();
    assertThat(tests).as("test classes found").hasSizeGreaterThan(50);
    TreeMap<String, List<String>> wrong = new TreeMap<>();
    for (Class<?> test : tests) {
      List<String> tags = AnnotationSupport.findRepeatableAnnotations(test, Tag.class).stream()
          .map(Tag::value).filter(TIERS::contains).toList();
      if (tags.size() != 1) {
        wrong.put(test.getName(), tags);
      }
    }
    assertThat(wrong).as("test classes with other than one tier tag of " + TIERS).isEmpty();
  }

  @Test
  void onlyEndToEndTestsCarryTheTimingTagAndOnlyTheTiersAndItAreTags() throws Exception {
    TreeMap<String, List<String>> wrong = new TreeMap<>();
    for (Class<?> test : testClasses()) {
      List<String> tags = AnnotationSupport.findRepeatableAnnotations(test, Tag.class).stream().map(Tag::value).toList();
      boolean unknown = tags.stream().anyMatch(tag -> !TIERS.contains(tag) && !tag.equals(TIMING) && !tag.equals(SOLO));
      if (unknown || tags.contains(TIMING) && !tags.contains("e2e")
          || tags.contains(SOLO) && tags.stream().noneMatch(SOLO_TIERS::contains)) {
        wrong.put(test.getName(), tags);
      }
    }
    // pom.xml's surefire lanes select on exactly these tags: any other would fall between them.
    assertThat(wrong).as("test classes tagged " + TIMING + " outside e2e, " + SOLO + " outside " + SOLO_TIERS
        + ", or with a tag no lane knows").isEmpty();
  }

  @Test
  void unitTestsStartNoNodeAndNoChildProcess() throws Exception {
    List<String> offenders = new ArrayList<>();
    for (Class<?> test : testClasses()) {
      boolean unit = AnnotationSupport.findRepeatableAnnotations(test, Tag.class).stream()
          .anyMatch(tag -> tag.value().equals("unit"));
      Path source = Path.of("src", "test", "java", test.getName().replace('.', '/') + ".java");
      if (unit && test != getClass() && Files.exists(source)
          && NOT_UNIT.matcher(Files.readString(source)).find()) {
        offenders.add(test.getName());
      }
    }
    assertThat(offenders).as("unit test classes that use a node, client or browser helper").isEmpty();
  }

  /** The top-level classes of the compiled test sources with a test method. */
  private static List<Class<?>> testClasses() throws Exception {
    Path root = Path.of(TestTiersTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> tests = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
        String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type = Class.forName(name, false, TestTiersTest.class.getClassLoader());
        if (Arrays.stream(type.getDeclaredMethods()).anyMatch(TestTiersTest::isTest)) {
          tests.add(type);
        }
      }
    }
    return tests;
  }

  private static boolean isTest(Method method) {
    // @Test, @ParameterizedTest, @RepeatedTest, @TestFactory and @TestTemplate are all @Testable.
    return AnnotationSupport.isAnnotated(method, Testable.class);
  }
}
