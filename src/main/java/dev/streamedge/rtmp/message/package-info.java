/**
 * RTMP messages: the record the chunk stream carries ({@code RtmpMessage}), the type ids, one record
 * per message a server reads ({@code WindowAckSize}, {@code UserControl}, {@code Command},
 * {@code DataMessage}) and the {@code MessageReader} that makes them, splitting aggregates on the way
 * (RTMP 1.0 §5.4, §6.2, §7.1). Pure: bytes in, records out.
 */
package dev.streamedge.rtmp.message;
