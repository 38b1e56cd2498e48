package dev.streamedge.config;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The command line, parsed by picocli from a spec built out of {@link ConfigKeys}: every key is an
 * option {@code --<key>=<value>}, so a new key is an option without further code.
 */
final class ConfigCommandLine {

  /**
   * What the command line asked for.
   *
   * @param configFile the {@code --config} file, if given
   * @param values the keys given as options, by key name, as written
   */
  record Arguments(Optional<String> configFile, Map<String, String> values) {
  }

  private static final String CONFIG_OPTION = "--config";
  private static final String CLUSTER_OPTION = "--cluster";
  private static final String CLUSTER_ENABLED = "cluster.enabled";

  private ConfigCommandLine() {
  }

  /**
   * Parses the arguments, or prints the help or version to {@code out} when asked for.
   *
   * @return the arguments, or empty when help or version was printed and the program should end
   * @throws ConfigException with picocli's message when the arguments are not understood
   */
  static Optional<Arguments> parse(String[] args, PrintWriter out) {
    CommandLine commandLine = new CommandLine(spec());
    ParseResult result;
    try {
      result = commandLine.parseArgs(args);
    } catch (ParameterException e) {
      throw new ConfigException(e.getMessage());
    }
    if (commandLine.isUsageHelpRequested()) {
      commandLine.usage(out);
      out.flush();
      return Optional.empty();
    }
    if (commandLine.isVersionHelpRequested()) {
      commandLine.printVersionHelp(out);
      out.flush();
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (result.hasMatchedOption(CLUSTER_OPTION)) {
      values.put(CLUSTER_ENABLED, "true");
    }
    for (ConfigKey key : ConfigKeys.all()) {
      String value = result.matchedOptionValue(key.optionName(), null);
      if (value != null) {
        values.put(key.name(), value);
      }
    }
    return Optional.of(new Arguments(Optional.ofNullable(result.matchedOptionValue(CONFIG_OPTION, null)), values));
  }

  private static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create()
        .name("streamedge")
        .version("streamedge " + version())
        .mixinStandardHelpOptions(true);
    // The generated synopsis would list all keys twice over; the option list below has them.
    spec.usageMessage()
        .customSynopsis("streamedge [-hV] [-c=<file>] [--cluster] [--<key>=<value>]...")
        .description("Live-streaming server.")
        .sortOptions(false)
        .footer("",
            "Each key is read, from lowest to highest precedence, from its built-in default,",
            "the config file, its environment variable and its command-line option.");
    spec.addOption(OptionSpec.builder("-c", CONFIG_OPTION)
        .paramLabel("<file>")
        .type(String.class)
        .description("Config file (default: " + ConfigLoader.DEFAULT_FILE + " if it exists)")
        .build());
    spec.addOption(OptionSpec.builder(CLUSTER_OPTION)
        .arity("0")
        .description("Join a cluster: short for --" + CLUSTER_ENABLED + "=true")
        .build());
    for (ConfigKey key : ConfigKeys.all()) {
      String shownDefault = key.defaultValue().isEmpty() ? "\"\"" : key.defaultValue();
      spec.addOption(OptionSpec.builder(key.optionName())
          .paramLabel(key.rule().label())
          .type(String.class)
          .description(
              key.description() + ".",
              "Allowed: " + key.rule().allowed() + ".",
              "Default: " + shownDefault + ", env: " + key.envName())
          .build());
    }
    return spec;
  }

  /** From the jar manifest; a build run from classes has none. */
  private static String version() {
    String version = ConfigCommandLine.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }
}
