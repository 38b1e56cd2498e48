/**
 * The HTTP API under {@code /api/v1}: streams, clients, stopping a stream, kicking a client, and who may
 * use it. Who may call the API? {@code ApiAccess}.
 */
package dev.streamedge.api;
