/**
 * Programs run on stream events, as nginx-rtmp's exec directives: a command line read once at start-up
 * ({@link dev.streamedge.exec.ExecCommand}, pure), the events and their variables, and the service that
 * starts, bounds, respawns and ends the processes on worker threads, never on an event loop. See
 * docs/exec.md.
 */
package dev.streamedge.exec;
