package dev.flick.hub.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private static ByteBuffer nonceOf(byte[] sealed) {
        int offset = 2 + (sealed[1] & 0xff);
        return ByteBuffer.wrap(sealed, offset, CredentialCipher.NONCE_BYTES).slice();
    }

    @Test
    void roundTripsAndNeverRepeatsANonceAcrossManyEncryptions() {
        CredentialCipher cipher = new CredentialCipher(key(), List.of());
        Set<ByteBuffer> nonces = new HashSet<>();
        Set<ByteBuffer> ciphertexts = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] sealed = cipher.encrypt("server-1", "same secret");
            assertThat(nonces.add(nonceOf(sealed))).as("nonce %d is fresh", i).isTrue();
            assertThat(ciphertexts.add(ByteBuffer.wrap(sealed))).isTrue();
        }
        assertThat(cipher.decrypt("server-1", cipher.encrypt("server-1", "pässwörd ✓"))).isEqualTo("pässwörd ✓");
    }

    @Test
    void anyFlippedBitFailsToDecrypt() {
        CredentialCipher cipher = new CredentialCipher(key(), List.of());
        byte[] sealed = cipher.encrypt("server-1", "{\"password\":\"hunter2\"}");
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> cipher.decrypt("server-1", tampered))
                    .isInstanceOf(CredentialCipher.Undecryptable.class)
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void aCiphertextMovedToAnotherServerRowFails() {
        CredentialCipher cipher = new CredentialCipher(key(), List.of());
        byte[] sealed = cipher.encrypt("server-1", "secret");
        assertThatThrownBy(() -> cipher.decrypt("server-2", sealed))
                .isInstanceOf(CredentialCipher.Undecryptable.class)
                .hasMessageContaining("another server");
    }

    @Test
    void valuesSealedUnderAnOldKeyStillOpenAfterRotationAndNewOnesUseTheNewKey() {
        byte[] oldKey = key();
        byte[] newKey = key();
        byte[] sealedBefore = new CredentialCipher(oldKey, List.of()).encrypt("server-1", "old secret");

        CredentialCipher rotated = new CredentialCipher(newKey, List.of(oldKey));
        assertThat(rotated.decrypt("server-1", sealedBefore)).isEqualTo("old secret");
        byte[] sealedAfter = rotated.encrypt("server-1", "new secret");
        assertThat(CredentialCipher.keyIdOf(sealedAfter)).isEqualTo(CredentialCipher.keyId(newKey)).isNotEqualTo(CredentialCipher.keyIdOf(sealedBefore));

        CredentialCipher withoutOldKey = new CredentialCipher(newKey, List.of());
        assertThatThrownBy(() -> withoutOldKey.decrypt("server-1", sealedBefore))
                .isInstanceOf(CredentialCipher.Undecryptable.class)
                .hasMessageContaining("ENCRYPTION_KEYS_OLD");
    }

    @Test
    void keysMustBe32BytesOfBase64AndErrorsNeverEchoTheValue() {
        assertThatThrownBy(() -> CredentialCipher.decodeKey("c2hvcnQ=", "ENCRYPTION_KEY"))
                .hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> CredentialCipher.decodeKey("not base64 at all!!", "ENCRYPTION_KEY"))
                .hasMessageContaining("base64").hasMessageNotContaining("not base64 at all");
    }
}
