package dev.streamedge.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.config.ConfigException;
import dev.streamedge.config.ConfigLoader;
import dev.streamedge.config.ExecConfig;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The exec section's commands are read at start: a wrong one refuses the start, naming key and command. */
@Tag("unit")
class ExecConfigTest {

  private static ExecConfig load(String... args) {
    return ConfigLoader.load(args, Map.of()).orElseThrow().exec();
  }

  @Test
  void commandsAreOnePerLineAndBlankLinesAreSkipped() {
    ExecConfig config = load("--exec.apps=live,studio", "--exec.publish=/bin/a $name\n\n  /bin/b $app  \n");
    assertThat(config.commands(ExecEvent.PUBLISH)).hasSize(2);
    assertThat(config.commands(ExecEvent.PUBLISH).get(1).argv(Map.of("app", "live"))).containsExactly("/bin/b", "live");
    assertThat(config.enabled()).isTrue();
    assertThat(config.runs("studio")).isTrue();
    assertThat(config.runs("other")).isFalse();
    assertThat(load("--exec.push=/bin/a").enabled()).as("no app").isFalse();
    assertThat(load("--exec.apps=*").enabled()).as("no command").isFalse();
  }

  @Test
  void aWrongCommandRefusesTheStartWithoutEchoingTheLine() {
    assertThatThrownBy(() -> load("--exec.push=/bin/ok $name\nffmpeg -i rtmp://x/live/$nmae secretkey"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config key exec.push: command 2 is not allowed: unknown variable $nmae")
        .message().doesNotContain("secretkey");
    assertThatThrownBy(() -> load("--exec.record-done=mv $path $addr"))
        .hasMessageStartingWith("config key exec.record-done: command 1 is not allowed: unknown variable $addr");
    assertThatThrownBy(() -> load("--exec.publish=" + "/bin/x\n".repeat(17)))
        .hasMessageContaining("at most 16");
    assertThatThrownBy(() -> load("--exec.kill-signal=hup")).hasMessageContaining("exec.kill-signal");
  }
}
