/**
 * Who is connected to this node, in which role, over which protocol: the registry the API lists and
 * kicks from, filled by every protocol. Which protocols are there? {@code Protocol}.
 */
package dev.streamedge.session;
