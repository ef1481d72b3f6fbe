/**
 * The live bus: what the hub pushes to browsers. One sealed {@link dev.flick.hub.live.LiveMessage} set serialised in
 * one place ({@link dev.flick.hub.live.LiveJson}), messages addressed to a server, a user or a server's logs
 * ({@link dev.flick.hub.live.Address}), and {@link dev.flick.hub.live.LiveHub}: each server's latest snapshot, a
 * compact ring for {@code since} resumes, and the subscribers. Depends on nothing but config and the collector's model,
 * so every module that pushes can use it; the seam a multi-hub bus plugs into.
 */
package dev.flick.hub.live;
