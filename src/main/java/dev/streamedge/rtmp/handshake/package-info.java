/**
 * The RTMP handshake (RTMP 1.0 §5.2), pure: plain and digest ("complex") C1/S1, and RTMPE's encrypted
 * one, server and client sides. How is S1 signed? {@code Digests}. Where do RTMPE's keys come from?
 * {@code EncryptedHandshake}, {@code DiffieHellman}, {@code Rc4}. Who collects a packet that arrives in
 * pieces? {@code HandshakeReader}, on both sides.
 */
package dev.streamedge.rtmp.handshake;
