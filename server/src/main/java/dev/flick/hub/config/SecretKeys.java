package dev.flick.hub.config;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one key ring for secrets at rest: ENCRYPTION_KEY, or a key generated once into the data dir (mode 0600) when
 * that is unset. ENCRYPTION_KEYS_OLD — and the generated key, once ENCRYPTION_KEY replaces it — still open what they
 * sealed. The seed's ENCRYPTION_NONCE is refused with the reason.
 */
@Configuration(proxyBeanMethods = false)
class SecretKeys {

    private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);
    static final String GENERATED_KEY_FILE = "encryption-key";

    @Bean
    SecretCipher secretCipher(FlickSettings settings, DataDir dataDir) {
        if (settings.encryptionNonce() != null && !settings.encryptionNonce().isBlank()) {
            log.warn("ENCRYPTION_NONCE is set and ignored: AES-GCM must never reuse a nonce under one key. A fixed nonce "
                    + "would let anyone holding two encrypted values XOR them into the XOR of the plaintexts and forge "
                    + "authentication tags. FLick draws a fresh random 96-bit nonce for every encryption and stores it "
                    + "with the value; remove ENCRYPTION_NONCE from the environment.");
        }
        List<byte[]> older = new ArrayList<>(SecretCipher.decodeKeys(settings.encryptionKeysOld(), "ENCRYPTION_KEYS_OLD"));
        boolean fromEnv = settings.encryptionKey() != null && !settings.encryptionKey().isBlank();
        byte[] current;
        if (!fromEnv) {
            current = SecretCipher.decodeKey(dataDir.secret(GENERATED_KEY_FILE, 32), GENERATED_KEY_FILE);
        } else {
            current = SecretCipher.decodeKey(settings.encryptionKey(), "ENCRYPTION_KEY");
            if (Files.exists(dataDir.root().resolve(GENERATED_KEY_FILE))) {
                older.add(SecretCipher.decodeKey(dataDir.secret(GENERATED_KEY_FILE, 32), GENERATED_KEY_FILE));
            }
        }
        SecretCipher cipher = new SecretCipher(current, older);
        log.info("Secrets at rest: AES-256-GCM, key {} ({}), {} older key(s) readable", cipher.currentKeyId(),
                fromEnv ? "ENCRYPTION_KEY" : "generated in the data dir", older.size());
        return cipher;
    }
}
