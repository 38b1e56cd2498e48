/**
 * RTMP messages as the chunk stream carries them: the record and the type ids (RTMP 1.0 §5.4, §6.2, §7.1).
 */
package dev.streamedge.rtmp.message;
