/**
 * The web dashboard every node serves at {@code /}: its page and assets from the jar, and the live feed
 * the node pushes to it, under the API's access rules. What does the page get, and how often?
 * {@code DashboardFeed}.
 */
package dev.streamedge.ui;
