package dev.streamedge.exec;

/** What a process runs for: an event and its stream ({@code app/key}; "" for {@link ExecEvent#STATIC}). */
record ExecJob(ExecEvent event, String stream) {

  /** As log lines name it: {@code push live/test}, {@code static}. */
  String label() {
    return stream.isEmpty() ? event.label() : event.label() + " " + stream;
  }
}
