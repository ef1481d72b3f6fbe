/**
 * Several hubs as one FLick: which hub collects which server, live messages and control events between hubs.
 * {@link dev.flick.hub.cluster.Cluster} is the public face; without {@code FLICK_NATS_URL} it is a single hub that
 * owns everything, otherwise hubs heartbeat into a NATS KV bucket, SSH and Prometheus servers are placed by
 * rendezvous hashing over the live hubs, and live messages and control events travel on NATS (JetStream for the
 * live stream, so a hub's ring and {@code since} resumes are fed from it).
 */
package dev.flick.hub.cluster;
