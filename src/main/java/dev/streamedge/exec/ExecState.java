package dev.streamedge.exec;

/**
 * One running exec process, as the API shows it.
 *
 * @param event the config key's last word: {@code static}, {@code push}, {@code publish}, ...
 * @param stream {@code app/key}, or "" for {@code static}
 * @param program the command's first word as configured (its arguments may hold a stream key)
 * @param pid the process id
 * @param startedAtMillis when it was started, milliseconds since the epoch
 */
public record ExecState(String event, String stream, String program, long pid, long startedAtMillis) {
}
