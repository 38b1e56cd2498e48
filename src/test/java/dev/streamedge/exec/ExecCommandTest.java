package dev.streamedge.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An exec command line reads as nginx-rtmp reads its exec directives, and a wrong one fails at start. */
@Tag("unit")
class ExecCommandTest {

  private static final Map<String, String> VALUES = Map.of("app", "live", "name", "cam", "args", "token=a b",
      "addr", "127.0.0.1");

  private static ExecCommand parse(String line) {
    return ExecCommand.parse(line, ExecEvent.SESSION);
  }

  @Test
  void wordsSplitAtBlanksAndVariablesTakeTheEventsValues() {
    ExecCommand command = parse("ffmpeg  -i rtmp://127.0.0.1/$app/$name\t-c copy -f flv rtmp://127.0.0.1/copy/${name}x");
    assertThat(command.argv(VALUES)).containsExactly("ffmpeg", "-i", "rtmp://127.0.0.1/live/cam", "-c", "copy", "-f",
        "flv", "rtmp://127.0.0.1/copy/camx");
    assertThat(command.program()).isEqualTo("ffmpeg");
    assertThat(command.redirects()).isEmpty();
  }

  @Test
  void aVariableNameIsLettersOnlyAsInNginxRtmp() {
    // nginx-rtmp's classic transcode recipe: rtmp://localhost/hls/$name_mid is the name and "_mid".
    assertThat(parse("x $name_mid $name5 $name.flv").argv(VALUES)).containsExactly("x", "cam_mid", "cam5", "cam.flv");
  }

  @Test
  void quotesGroupBlanksAndABackslashTakesTheNextCharacterAsItIs() {
    ExecCommand command = parse("sh -c 'echo \"$args\" | tee x' \"two words\" \\$name a\\ b");
    assertThat(command.argv(VALUES)).containsExactly("sh", "-c", "echo \"token=a b\" | tee x", "two words", "$name",
        "a b");
  }

  @Test
  void aDollarBeforeNoLetterIsItself() {
    assertThat(parse("sh -c 'kill $$; echo 5$'").argv(VALUES)).containsExactly("sh", "-c", "kill $$; echo 5$");
  }

  @Test
  void aValueWithBlanksStaysOneArgument() {
    assertThat(parse("notify $args").argv(VALUES)).containsExactly("notify", "token=a b");
  }

  @Test
  void anEmptyValueIsAnEmptyArgumentNotAMissingOne() {
    assertThat(parse("notify $flashver end").argv(VALUES)).containsExactly("notify", "", "end");
  }

  @Test
  void redirectsAreReadAsNginxRtmpReadsThemAndTakeVariables() {
    ExecCommand command = parse("ffmpeg -i x >/tmp/$name.log 2>>/tmp/err <in.txt 2>&1");
    assertThat(command.argv(VALUES)).containsExactly("ffmpeg", "-i", "x");
    List<ExecCommand.Redirect> redirects = command.redirects();
    assertThat(redirects).hasSize(4);
    assertThat(redirects.get(0).fd()).isEqualTo(1);
    assertThat(redirects.get(0).append()).isFalse();
    assertThat(ExecCommand.file(redirects.get(0), VALUES)).isEqualTo("/tmp/cam.log");
    assertThat(redirects.get(1).fd()).isEqualTo(2);
    assertThat(redirects.get(1).append()).isTrue();
    assertThat(ExecCommand.file(redirects.get(1), VALUES)).isEqualTo("/tmp/err");
    assertThat(redirects.get(2).fd()).isEqualTo(0);
    assertThat(ExecCommand.file(redirects.get(2), VALUES)).isEqualTo("in.txt");
    assertThat(redirects.get(3).fd()).isEqualTo(2);
    assertThat(redirects.get(3).toFd()).isEqualTo(1);
    assertThat(parse("x 1>&2 1>>f").redirects().get(0).toFd()).isEqualTo(2);
  }

  @Test
  void anUnknownVariableIsAnErrorThatNamesTheKnownOnes() {
    assertThatThrownBy(() -> parse("ffmpeg -i rtmp://x/live/$nmae"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown variable $nmae (this event knows $addr, $app, $args,");
    assertThatThrownBy(() -> ExecCommand.parse("mv $path /x/$args", ExecEvent.RECORD))
        .hasMessageStartingWith("unknown variable $args");
    assertThatThrownBy(() -> parse("x ${name")).hasMessage("${ without its }");
  }

  @Test
  void malformedLinesAreErrors() {
    assertThatThrownBy(() -> parse("sh -c 'echo")).hasMessage("the quote ' is not closed");
    assertThatThrownBy(() -> parse("x \\")).hasMessage("a backslash at the end of the line escapes nothing");
    assertThatThrownBy(() -> parse(">out.log")).hasMessage("no program to run");
    assertThatThrownBy(() -> parse("x > out.log")).hasMessageContaining("names no file");
    assertThatThrownBy(() -> parse("x 3>f")).hasMessageStartingWith("redirect 3>f: only");
    assertThatThrownBy(() -> parse("x 0>f")).hasMessageStartingWith("redirect 0>f: only");
    assertThatThrownBy(() -> parse("x 2>&3")).hasMessageContaining("descriptor redirects");
    assertThatThrownBy(() -> parse("x " + "a ".repeat(300))).hasMessage("more than 256 words");
    assertThatThrownBy(() -> parse("x" + " ".repeat(9000))).hasMessage("longer than 8192 characters");
  }
}
