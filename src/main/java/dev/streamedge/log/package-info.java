/**
 * Logging that a storm of clients cannot turn into a storm of lines: each kind of event line is bounded
 * per second, and what is held back is counted in one summary line. How many lines can a connection
 * storm write? {@code RateLimitedLog}.
 */
package dev.streamedge.log;
