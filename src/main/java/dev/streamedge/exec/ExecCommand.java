package dev.streamedge.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One command line of an {@code exec.*} key, read once at start-up as nginx-rtmp reads its {@code exec}
 * directives: words split at blanks, quotes ({@code "..."} or {@code '...'}) grouping blanks into a word,
 * a backslash taking the next character as it is, and {@code $var} or {@code ${var}} (letters only, so
 * {@code $name_mid} is the name and {@code _mid}) standing for a value of the event. A word that begins
 * with a redirect ({@code >file}, {@code >>file}, {@code 2>file}, {@code 2>>file}, {@code <file},
 * {@code 2>&1}, {@code 1>&2}) sets where a standard stream goes instead of being an argument. Unlike
 * nginx-rtmp, which puts an empty string for a variable it does not know, an unknown variable is an error
 * at start-up: a misspelt {@code $nmae} would otherwise run with an empty argument on every publish.
 *
 * <p>Pure: no process is started here.
 */
public final class ExecCommand {

  /** Most words in one command, and characters in one line: the config bounds what runs. */
  static final int MAX_WORDS = 256;
  static final int MAX_CHARS = 8192;

  /** A piece of a word: literal text, or a variable ({@code variable} true) named by {@code text}. */
  private record Part(String text, boolean variable) {
  }

  /** Where a redirect sends a standard stream: a file (appended to or not), or the other stream. */
  record Redirect(int fd, List<Part> file, boolean append, int toFd) {
  }

  private final List<List<Part>> words;
  private final List<Redirect> redirects;

  private ExecCommand(List<List<Part>> words, List<Redirect> redirects) {
    this.words = words;
    this.redirects = redirects;
  }

  /**
   * Reads {@code line}, allowing the {@code variables} named.
   *
   * @throws IllegalArgumentException saying what is wrong: an unclosed quote, an unknown variable, a
   *     redirect without a file, no program, too long
   */
  public static ExecCommand parse(String line, Set<String> variables) {
    if (line.length() > MAX_CHARS) {
      throw new IllegalArgumentException("longer than " + MAX_CHARS + " characters");
    }
    List<List<Part>> raw = split(line, variables);
    List<List<Part>> words = new ArrayList<>();
    List<Redirect> redirects = new ArrayList<>();
    for (List<Part> word : raw) {
      Redirect redirect = redirect(word);
      if (redirect == null) {
        words.add(word);
      } else {
        redirects.add(redirect);
      }
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("no program to run");
    }
    if (words.size() > MAX_WORDS) {
      throw new IllegalArgumentException("more than " + MAX_WORDS + " words");
    }
    return new ExecCommand(List.copyOf(words), List.copyOf(redirects));
  }

  /** The program and its arguments with the event's {@code values} in place of the variables. */
  public List<String> argv(Map<String, String> values) {
    List<String> argv = new ArrayList<>(words.size());
    for (List<Part> word : words) {
      argv.add(evaluate(word, values));
    }
    return argv;
  }

  /** The program as written, for log lines (the arguments may hold a stream key). */
  public String program() {
    StringBuilder text = new StringBuilder();
    for (Part part : words.get(0)) {
      text.append(part.variable() ? "$" + part.text() : part.text());
    }
    return text.toString();
  }

  List<Redirect> redirects() {
    return redirects;
  }

  /** The file of {@code redirect} with the event's values in place. */
  static String file(Redirect redirect, Map<String, String> values) {
    return evaluate(redirect.file(), values);
  }

  private static String evaluate(List<Part> word, Map<String, String> values) {
    if (word.size() == 1 && !word.get(0).variable()) {
      return word.get(0).text();
    }
    StringBuilder text = new StringBuilder();
    for (Part part : word) {
      text.append(part.variable() ? values.getOrDefault(part.text(), "") : part.text());
    }
    return text.toString();
  }

  private static List<List<Part>> split(String line, Set<String> variables) {
    List<List<Part>> words = new ArrayList<>();
    List<Part> word = null;
    StringBuilder literal = new StringBuilder();
    char quote = 0;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (quote == 0 && (c == ' ' || c == '\t')) {
        if (word != null) {
          flush(word, literal);
          words.add(word);
          word = null;
        }
        i++;
        continue;
      }
      if (word == null) {
        word = new ArrayList<>();
      }
      if (c == '\\') {
        if (i + 1 == line.length()) {
          throw new IllegalArgumentException("a backslash at the end of the line escapes nothing");
        }
        literal.append(line.charAt(i + 1));
        i += 2;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
        i++;
      } else if (c == quote) {
        quote = 0;
        i++;
      } else if (c == '$') {
        i = variable(line, i, variables, word, literal);
      } else {
        literal.append(c);
        i++;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("the quote " + quote + " is not closed");
    }
    if (word != null) {
      flush(word, literal);
      words.add(word);
    }
    return words;
  }

  /** Reads the variable at {@code line[at]} (a '$') into {@code word}; returns where reading goes on. */
  private static int variable(String line, int at, Set<String> variables, List<Part> word, StringBuilder literal) {
    int start = at + 1;
    boolean braced = start < line.length() && line.charAt(start) == '{';
    int end;
    String name;
    if (braced) {
      end = line.indexOf('}', start);
      if (end < 0) {
        throw new IllegalArgumentException("${ without its }");
      }
      name = line.substring(start + 1, end);
      end++;
    } else {
      end = start;
      while (end < line.length() && Character.isLetter(line.charAt(end)) && line.charAt(end) < 128) {
        end++;
      }
      name = line.substring(start, end);
    }
    if (name.isEmpty() && !braced) {
      // A '$' before no letter is itself, as "$$" or "5$" in a shell script's argument.
      literal.append('$');
      return start;
    }
    if (!variables.contains(name)) {
      throw new IllegalArgumentException("unknown variable $" + name + (variables.isEmpty()
          ? " (this event has no variables; \\$ is a $)"
          : " (this event knows " + String.join(", ", new TreeSet<>(variables).stream().map(v -> "$" + v).toList())
              + ")"));
    }
    flush(word, literal);
    word.add(new Part(name, true));
    return end;
  }

  private static void flush(List<Part> word, StringBuilder literal) {
    if (!literal.isEmpty()) {
      word.add(new Part(literal.toString(), false));
      literal.setLength(0);
    }
  }

  /** The redirect a word is, read from its leading literal, or null when it is an argument. */
  private static Redirect redirect(List<Part> word) {
    if (word.isEmpty() || word.get(0).variable()) {
      return null;
    }
    String head = word.get(0).text();
    int digits = 0;
    while (digits < head.length() && Character.isDigit(head.charAt(digits))) {
      digits++;
    }
    if (digits == head.length() || (head.charAt(digits) != '>' && head.charAt(digits) != '<')) {
      return null;
    }
    boolean input = head.charAt(digits) == '<';
    int fd = digits == 0 ? (input ? 0 : 1) : Integer.parseInt(head.substring(0, Math.min(digits, 9)));
    if (fd > 2 || (input && fd != 0) || (!input && fd == 0)) {
      throw new IllegalArgumentException("redirect " + head + ": only <file for 0, and >file, >>file, 2>&1, 1>&2 for 1"
          + " and 2");
    }
    int at = digits + 1;
    boolean append = !input && at < head.length() && head.charAt(at) == '>';
    if (append) {
      at++;
    }
    List<Part> rest = new ArrayList<>(word);
    rest.set(0, new Part(head.substring(at), false));
    if (!input && head.startsWith("&", at)) {
      String target = head.substring(at + 1);
      if (word.size() != 1 || !(target.equals("1") || target.equals("2")) || target.equals(Integer.toString(fd))) {
        throw new IllegalArgumentException("redirect " + head + ": 2>&1 and 1>&2 are the descriptor redirects");
      }
      return new Redirect(fd, List.of(), false, Integer.parseInt(target));
    }
    if (rest.get(0).text().isEmpty()) {
      rest.remove(0);
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("redirect " + head + " names no file (write it as one word: >file)");
    }
    return new Redirect(fd, List.copyOf(rest), append, -1);
  }
}
