package dev.flick.hub.servers;

/**
 * Everything the SSH collector needs to watch one server, credentials decrypted. Never serialised, never logged:
 * {@link SshCredentials#toString()} hides the secrets.
 *
 * @param hostKeyFingerprint the trusted "SHA256:…" fingerprint, or null until an admin confirms the first key presented
 * @param connectedBefore    the hub has collected from it: a key that does not match the trusted one is a changed key,
 *                           not a mismatch with the fingerprint given when it was added
 * @param allowLoopback      an admin allowed this server an address {@link SshAddresses} refuses by default
 */
public record SshTarget(String serverId, String host, int port, String username, SshCredentials credentials,
                        String hostKeyFingerprint, boolean allowLoopback, boolean connectedBefore) {}
