package dev.streamedge.dash;

/**
 * A Period of the MPD (ISO/IEC 23009-1 §5.3.2): consecutive segments of one run with no gap in time. The
 * media time {@code videoOffset} / {@code audioOffset} (each track's {@code presentationTimeOffset}) is
 * shown {@code startMillis} after the MPD's availabilityStartTime, {@code anchorMillis}.
 *
 * @param id the number of its first segment, which never changes while it is listed
 * @param anchorMillis the availabilityStartTime, epoch milliseconds; the same for every period of a packager
 * @param startMillis the Period's start, from the anchor
 * @param videoOffset media time of the Period's start in the video timescale
 * @param audioOffset the same instant in the audio timescale
 */
public record DashPeriod(long id, long anchorMillis, long startMillis, long videoOffset, long audioOffset) {
}
