/**
 * Start-up: {@code Main} reads the command line, the environment and the config file; {@code Node} starts
 * Vert.x (single or clustered) and deploys the protocol verticles. Where does a node start? {@code Node}.
 */
package dev.streamedge;
