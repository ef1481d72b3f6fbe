package dev.flick.hub.servers;

import java.util.Map;

import dev.flick.hub.config.SecretCipher;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Seals and opens SSH credentials with the hub's {@link SecretCipher}, bound to their server row. On start every value
 * sealed under an older key is sealed again under the current one, so an old key can be retired after one restart.
 */
@Component
class CredentialVault {

    private static final Logger log = LoggerFactory.getLogger(CredentialVault.class);
    static final String PURPOSE = "servers.credentials";

    private final SecretCipher cipher;
    private final ServerRepository repository;
    private final ObjectMapper json;

    CredentialVault(SecretCipher cipher, ServerRepository repository, ObjectMapper json) {
        this.cipher = cipher;
        this.repository = repository;
        this.json = json;
    }

    byte[] seal(String serverId, SshCredentials credentials) {
        var node = json.createObjectNode();
        if (credentials.hasPassword()) node.put("password", credentials.password());
        if (credentials.hasKey()) node.put("privateKey", credentials.privateKey());
        if (credentials.passphrase() != null && !credentials.passphrase().isEmpty()) node.put("passphrase", credentials.passphrase());
        return cipher.encrypt(PURPOSE, serverId, json.writeValueAsString(node));
    }

    /** @throws SecretCipher.Undecryptable when the value cannot be opened (the message names no secret) */
    SshCredentials open(String serverId, byte[] sealed) {
        JsonNode node = json.readTree(cipher.decrypt(PURPOSE, serverId, sealed));
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
            String keyId = SecretCipher.keyIdOf(e.getValue());
            if (cipher.currentKeyId().equals(keyId)) continue;
            try {
                repository.updateCredentials(e.getKey(), seal(e.getKey(), open(e.getKey(), e.getValue())));
                resealed++;
            } catch (SecretCipher.Undecryptable u) {
                log.warn("Credentials of server {} cannot be re-encrypted: {}", e.getKey(), u.getMessage());
            }
        }
        if (resealed > 0) log.info("Re-encrypted the SSH credentials of {} server(s) under key {}", resealed, cipher.currentKeyId());
    }
}
