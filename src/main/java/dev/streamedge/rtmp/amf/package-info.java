/**
 * AMF0 and AMF3 (Adobe specs), pure and bounded: every length is checked before it is read or
 * allocated, nesting and references are limited ({@code DecodeLimits}). How is a command decoded? {@code
 * Amf0}.
 */
package dev.streamedge.rtmp.amf;
