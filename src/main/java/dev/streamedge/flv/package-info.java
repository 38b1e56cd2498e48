/**
 * FLV (Adobe FLV spec v10.1), pure: the file header and tags HTTP-FLV players read, and the audio and
 * video tag headers (legacy and Enhanced RTMP) that tell keyframes and sequence headers apart. Is this
 * tag a keyframe? {@code FlvTags}. An FLV byte stream read tag by tag as it arrives (an HTTP-FLV
 * source)? {@code FlvStreamReader}.
 */
package dev.streamedge.flv;
