/**
 * Recording: each publish session of a recorded app is written to FLV files as its packets come, by a
 * subscriber of the live stream like any player, through Vert.x's asynchronous file system so that no
 * event loop waits for a disk. Files need no trailer, so a crash loses at most what the disk had not
 * taken yet. The store lists, serves and deletes the files for the API and removes old ones.
 */
package dev.streamedge.record;
