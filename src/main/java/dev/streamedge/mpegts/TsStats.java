package dev.streamedge.mpegts;

/** What a demuxer counted, shared with its PES assemblers; read through {@link TsDemuxer}'s getters. */
final class TsStats {
  long packets;
  long bytesSkipped;
  long transportErrors;
  long malformedPackets;
  long packetsIgnored;
  long sectionErrors;
  long continuityErrors;
  long duplicatePackets;
  long framesEmitted;
  long pesDroppedOversize;
  long pesDroppedLoss;
  long pesCutByLoss;
  long pesDroppedMalformed;
}
