package dev.streamedge.transcode;

/**
 * One transcoder as the API shows it.
 *
 * @param state starting, running, waiting (to start again), stopping or stopped
 * @param pid the ffmpeg process id; -1 while none runs
 * @param speed media time encoded per wall-clock time over the last second (1 is real time: a live source
 *     comes no faster)
 * @param cpu CPU cores ffmpeg used over its last report period
 * @param frames frames ffmpeg decoded from the source
 * @param restarts times ffmpeg ended and was started again
 * @param droppedPackets source packets skipped because ffmpeg was {@code transcode.max-queued} behind
 * @param lastExit why the last ffmpeg ended; "" for none
 * @param addedLatencyMillis how much later the last rendition keyframe arrived here than the source's
 *     keyframe of the same timestamp (what the ladder adds); -1 before one was matched
 */
public record TranscodeState(String app, String key, String state, long pid, double speed, double cpu, long frames,
    long restarts, long droppedPackets, String lastExit, long addedLatencyMillis) {
}
