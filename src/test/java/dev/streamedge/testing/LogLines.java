package dev.streamedge.testing;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The log lines of the nodes in this JVM from now until {@link #close}, for a test to wait on a node's
 * own one-line events (as {@link NodeProcess#awaitLog} does for a node in its own JVM). Keeps the last
 * {@value #MAX_LINES} lines.
 */
public final class LogLines implements AutoCloseable {

  private static final int MAX_LINES = 10_000;

  /** One captured line and when it was logged. */
  private record Line(long millis, String text) {
  }

  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final LoggerConfig root;
  private final Appender appender;

  private LogLines() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    root = context.getConfiguration().getRootLogger();
    appender = new Appender("log-lines-" + UUID.randomUUID());
    appender.start();
    root.addAppender(appender, Level.INFO, null);
    context.updateLoggers();
  }

  /** Starts capturing. */
  public static LogLines capture() {
    return new LogLines();
  }

  /** Whether a captured line matches {@code regex}. */
  public boolean contains(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return lines.stream().anyMatch(line -> pattern.matcher(line.text()).find());
  }

  /** How many captured lines match {@code regex}. */
  public long count(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return lines.stream().filter(line -> pattern.matcher(line.text()).find()).count();
  }

  /** The captured lines that match {@code regex}, in the order logged. */
  public List<String> matching(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return lines.stream().map(Line::text).filter(text -> pattern.matcher(text).find()).toList();
  }

  /** When each captured line that matches {@code regex} was logged, in epoch milliseconds. */
  public List<Long> times(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return lines.stream().filter(line -> pattern.matcher(line.text()).find()).map(Line::millis).toList();
  }

  /** Waits until a line matches {@code regex}. */
  public void await(String regex, Duration timeout) throws Exception {
    Await.until("a log line matching " + regex, timeout, () -> contains(regex));
  }

  @Override
  public void close() {
    root.removeAppender(appender.getName());
    ((LoggerContext) LogManager.getContext(false)).updateLoggers();
    appender.stop();
  }

  private final class Appender extends AbstractAppender {

    Appender(String name) {
      super(name, null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      if (lines.size() >= MAX_LINES) {
        lines.remove(0);
      }
      lines.add(new Line(event.getTimeMillis(), event.getMessage().getFormattedMessage()));
    }
  }
}
