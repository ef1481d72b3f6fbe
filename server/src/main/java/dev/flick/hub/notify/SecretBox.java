package dev.flick.hub.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.flick.hub.config.DataDir;

import org.springframework.stereotype.Component;

/**
 * AES-256-GCM for channel secrets (webhook URLs carry tokens). A fresh random 96-bit nonce per encryption, a key
 * id byte for rotation, and AAD naming the row, so a ciphertext copied onto another channel does not decrypt.
 * Layout: [key id][12-byte nonce][ciphertext + 16-byte tag].
 */
@Component
class SecretBox {

    private static final byte KEY_ID = 1;
    private static final int NONCE = 12;
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    @org.springframework.beans.factory.annotation.Autowired
    SecretBox(DataDir dataDir) {
        this(Base64.getDecoder().decode(dataDir.secret("channel-secret-key", 32)));
    }

    SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    byte[] seal(String plaintext, String aad) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[1 + NONCE + ct.length];
            out[0] = KEY_ID;
            System.arraycopy(nonce, 0, out, 1, NONCE);
            System.arraycopy(ct, 0, out, 1 + NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    String open(byte[] sealed, String aad) {
        if (sealed == null || sealed.length < 1 + NONCE + 16 || sealed[0] != KEY_ID) {
            throw new IllegalStateException("Unknown secret format or key");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 1, NONCE));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored secret does not decrypt (wrong key or moved between rows)");
        }
    }
}
