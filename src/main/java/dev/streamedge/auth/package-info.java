/**
 * Who may connect, publish and play, whatever the protocol: per-app modes ({@code AuthRules}), static keys,
 * signed URLs (pure), and the nginx-rtmp style HTTP callbacks with their bounded cache, their 3xx renames and
 * redirects ({@code CallbackAnswer}) and the connect events ({@code ConnectCallbacks}). Where is a publish
 * refused? {@code AuthService}.
 */
package dev.streamedge.auth;
