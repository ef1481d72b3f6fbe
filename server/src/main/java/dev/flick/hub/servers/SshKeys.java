package dev.flick.hub.servers;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Reads a private key as a user pastes it (OpenSSH or PEM; RSA, ECDSA, Ed25519), with its passphrase if any. */
public final class SshKeys {

    private SshKeys() {}

    /** @throws IllegalArgumentException with a readable reason, never the key or passphrase */
    public static List<KeyPair> read(String privateKey, String passphrase) {
        if (privateKey == null || !privateKey.contains("-----BEGIN")) {
            throw new IllegalArgumentException("is not a private key (expected a -----BEGIN … PRIVATE KEY----- block)");
        }
        List<KeyPair> pairs = new ArrayList<>();
        try {
            FilePasswordProvider provider = passphrase == null || passphrase.isEmpty()
                    ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase);
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("private key"),
                    new ByteArrayInputStream(privateKey.strip().concat("\n").getBytes(StandardCharsets.UTF_8)), provider);
            if (loaded != null) loaded.forEach(pairs::add);
        } catch (Exception e) {
            boolean encrypted = privateKey.contains("ENCRYPTED") || privateKey.contains("Proc-Type: 4,ENCRYPTED")
                    || isEncryptedOpenSsh(privateKey);
            throw new IllegalArgumentException(encrypted
                    ? (passphrase == null || passphrase.isEmpty() ? "is encrypted: give its passphrase" : "could not be opened: wrong passphrase?")
                    : "could not be read as an RSA, ECDSA or Ed25519 private key");
        }
        if (pairs.isEmpty()) throw new IllegalArgumentException("holds no private key");
        return pairs;
    }

    /** OpenSSH's own format names its cipher inside the base64 body: "none" means unencrypted. */
    private static boolean isEncryptedOpenSsh(String key) {
        if (!key.contains("BEGIN OPENSSH PRIVATE KEY")) return false;
        try {
            String body = key.replaceAll("-----[^-]+-----", "").replaceAll("\\s", "");
            byte[] raw = java.util.Base64.getDecoder().decode(body);
            // "openssh-key-v1\0" then a length-prefixed cipher name
            int at = 15;
            int len = ((raw[at] & 0xff) << 24) | ((raw[at + 1] & 0xff) << 16) | ((raw[at + 2] & 0xff) << 8) | (raw[at + 3] & 0xff);
            return !new String(raw, at + 4, len, StandardCharsets.US_ASCII).equals("none");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
