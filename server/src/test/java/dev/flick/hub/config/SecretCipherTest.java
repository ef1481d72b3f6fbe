package dev.flick.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private static ByteBuffer nonceOf(byte[] sealed) {
        int offset = 2 + (sealed[1] & 0xff);
        return ByteBuffer.wrap(sealed, offset, SecretCipher.NONCE_BYTES).slice();
    }

    @Test
    void roundTripsAndNeverRepeatsANonceAcrossManyEncryptions() {
        SecretCipher cipher = new SecretCipher(key(), List.of());
        Set<ByteBuffer> nonces = new HashSet<>();
        Set<ByteBuffer> ciphertexts = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] sealed = cipher.encrypt("servers.credentials", "server-1", "same secret");
            assertThat(nonces.add(nonceOf(sealed))).as("nonce %d is fresh", i).isTrue();
            assertThat(ciphertexts.add(ByteBuffer.wrap(sealed))).isTrue();
        }
        assertThat(cipher.decrypt("servers.credentials", "server-1", cipher.encrypt("servers.credentials", "server-1", "pässwörd ✓"))).isEqualTo("pässwörd ✓");
    }

    @Test
    void anyFlippedBitFailsToDecrypt() {
        SecretCipher cipher = new SecretCipher(key(), List.of());
        byte[] sealed = cipher.encrypt("servers.credentials", "server-1", "{\"password\":\"hunter2\"}");
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> cipher.decrypt("servers.credentials", "server-1", tampered))
                    .isInstanceOf(SecretCipher.Undecryptable.class)
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void aCiphertextMovedToAnotherServerRowFails() {
        SecretCipher cipher = new SecretCipher(key(), List.of());
        byte[] sealed = cipher.encrypt("servers.credentials", "server-1", "secret");
        assertThatThrownBy(() -> cipher.decrypt("servers.credentials", "server-2", sealed))
                .isInstanceOf(SecretCipher.Undecryptable.class)
                .hasMessageContaining("another row");
    }

    @Test
    void valuesSealedUnderAnOldKeyStillOpenAfterRotationAndNewOnesUseTheNewKey() {
        byte[] oldKey = key();
        byte[] newKey = key();
        byte[] sealedBefore = new SecretCipher(oldKey, List.of()).encrypt("servers.credentials", "server-1", "old secret");

        SecretCipher rotated = new SecretCipher(newKey, List.of(oldKey));
        assertThat(rotated.decrypt("servers.credentials", "server-1", sealedBefore)).isEqualTo("old secret");
        byte[] sealedAfter = rotated.encrypt("servers.credentials", "server-1", "new secret");
        assertThat(SecretCipher.keyIdOf(sealedAfter)).isEqualTo(SecretCipher.keyId(newKey)).isNotEqualTo(SecretCipher.keyIdOf(sealedBefore));

        SecretCipher withoutOldKey = new SecretCipher(newKey, List.of());
        assertThatThrownBy(() -> withoutOldKey.decrypt("servers.credentials", "server-1", sealedBefore))
                .isInstanceOf(SecretCipher.Undecryptable.class)
                .hasMessageContaining("ENCRYPTION_KEYS_OLD");
    }

    @Test
    void keysMustBe32BytesOfBase64AndErrorsNeverEchoTheValue() {
        assertThatThrownBy(() -> SecretCipher.decodeKey("c2hvcnQ=", "ENCRYPTION_KEY"))
                .hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> SecretCipher.decodeKey("not base64 at all!!", "ENCRYPTION_KEY"))
                .hasMessageContaining("base64").hasMessageNotContaining("not base64 at all");
    }
}
