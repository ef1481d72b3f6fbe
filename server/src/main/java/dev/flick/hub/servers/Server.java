package dev.flick.hub.servers;

/**
 * A monitored server as stored. mode ∈ local, agent, ssh, prometheus; status ∈ online, offline, pending, error.
 * hostKeyOffered is an SSH host key seen but not yet accepted: the first one (no hostKeyFingerprint yet) or a changed one;
 * the types are the keys' algorithms (ssh-ed25519…). Credentials are not part of this record:
 * they are read, decrypted, only where a session needs them. allowLoopback: an admin let this SSH server point at an
 * address {@link SshAddresses} refuses by default (for a prometheus server: its scrape URL's host). scrapeUrl: the
 * node_exporter a prometheus server scrapes.
 */
public record Server(String id, String name, String mode, String status, String statusReason, Long lastSeen,
                     String host, Integer port, String username, String hostKeyFingerprint, String hostKeyOffered,
                     String infoJson, long createdAt, boolean allowLoopback, String scrapeUrl,
                     String hostKeyType, String hostKeyOfferedType) {}
