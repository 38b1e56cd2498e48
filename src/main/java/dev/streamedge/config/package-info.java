/**
 * The configuration: every key with its default and bounds ({@code ConfigKeys}), loaded from YAML, the
 * environment and the command line, validated into immutable records. Where is a key's default? {@code
 * ConfigKeys}.
 */
package dev.streamedge.config;
