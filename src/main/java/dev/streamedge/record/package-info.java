/**
 * Recording: each publish session of a recorded app is written to FLV or fragmented MP4 files as its
 * packets come, by a subscriber of the live stream like any player, through Vert.x's asynchronous file
 * system so that no event loop waits for a disk. Files need no trailer, so a crash loses at most what
 * the disk had not taken yet (and, in fMP4, the fragment being gathered). How do packets become bytes?
 * {@code RecordingEncoder}: {@code FlvEncoder}, {@code Fmp4Encoder} (on the HLS fMP4 writer). The store
 * lists, serves and deletes the files for the API and removes old ones.
 */
package dev.streamedge.record;
