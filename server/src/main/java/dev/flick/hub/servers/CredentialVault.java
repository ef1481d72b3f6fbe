package dev.flick.hub.servers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.flick.hub.config.DataDir;
import dev.flick.hub.config.FlickSettings;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Seals and opens SSH credentials with {@link CredentialCipher}. The key is ENCRYPTION_KEY, or one generated once into
 * the data dir (mode 0600) when that is unset; ENCRYPTION_KEYS_OLD (and a generated key, once ENCRYPTION_KEY replaces
 * it) still open what they sealed, and on start every value sealed under an older key is sealed again under the
 * current one, so an old key can be retired after one restart.
 */
@Component
class CredentialVault {

    private static final Logger log = LoggerFactory.getLogger(CredentialVault.class);
    static final String GENERATED_KEY_FILE = "encryption-key";

    private final CredentialCipher cipher;
    private final ServerRepository repository;
    private final ObjectMapper json;

    CredentialVault(FlickSettings settings, DataDir dataDir, ServerRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
        if (settings.encryptionNonce() != null && !settings.encryptionNonce().isBlank()) {
            log.warn("ENCRYPTION_NONCE is set and ignored: AES-GCM must never reuse a nonce under one key. A fixed nonce "
                    + "would let anyone holding two encrypted values XOR them into the XOR of the plaintexts and forge "
                    + "authentication tags. FLick draws a fresh random 96-bit nonce for every encryption and stores it "
                    + "with the value; remove ENCRYPTION_NONCE from the environment.");
        }
        List<byte[]> older = new ArrayList<>(CredentialCipher.decodeKeys(settings.encryptionKeysOld(), "ENCRYPTION_KEYS_OLD"));
        byte[] current;
        boolean generatedExists = java.nio.file.Files.exists(dataDir.root().resolve(GENERATED_KEY_FILE));
        if (settings.encryptionKey() == null || settings.encryptionKey().isBlank()) {
            current = CredentialCipher.decodeKey(dataDir.secret(GENERATED_KEY_FILE, 32), GENERATED_KEY_FILE);
        } else {
            current = CredentialCipher.decodeKey(settings.encryptionKey(), "ENCRYPTION_KEY");
            if (generatedExists) older.add(CredentialCipher.decodeKey(dataDir.secret(GENERATED_KEY_FILE, 32), GENERATED_KEY_FILE));
        }
        this.cipher = new CredentialCipher(current, older);
        log.info("SSH credentials: AES-256-GCM, key {} ({}), {} older key(s) readable", cipher.currentKeyId(),
                settings.encryptionKey() == null || settings.encryptionKey().isBlank() ? "generated in the data dir" : "ENCRYPTION_KEY",
                older.size());
    }

    byte[] seal(String serverId, SshCredentials credentials) {
        var node = json.createObjectNode();
        if (credentials.hasPassword()) node.put("password", credentials.password());
        if (credentials.hasKey()) node.put("privateKey", credentials.privateKey());
        if (credentials.passphrase() != null && !credentials.passphrase().isEmpty()) node.put("passphrase", credentials.passphrase());
        return cipher.encrypt(serverId, json.writeValueAsString(node));
    }

    /** @throws CredentialCipher.Undecryptable when the value cannot be opened (the message names no secret) */
    SshCredentials open(String serverId, byte[] sealed) {
        JsonNode node = json.readTree(cipher.decrypt(serverId, sealed));
        return new SshCredentials(text(node, "password"), text(node, "privateKey"), text(node, "passphrase"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    @EventListener(ApplicationReadyEvent.class)
    void resealUnderCurrentKey() {
        int resealed = 0;
        for (Map.Entry<String, byte[]> e : repository.allCredentials().entrySet()) {
            String keyId = CredentialCipher.keyIdOf(e.getValue());
            if (cipher.currentKeyId().equals(keyId)) continue;
            try {
                repository.updateCredentials(e.getKey(), seal(e.getKey(), open(e.getKey(), e.getValue())));
                resealed++;
            } catch (CredentialCipher.Undecryptable u) {
                log.warn("Credentials of server {} cannot be re-encrypted: {}", e.getKey(), u.getMessage());
            }
        }
        if (resealed > 0) log.info("Re-encrypted the SSH credentials of {} server(s) under key {}", resealed, cipher.currentKeyId());
    }
}
