package dev.flick.hub.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for every secret FLick keeps at rest (SSH credentials, webhook URLs). Every encryption draws a fresh random 96-bit nonce: GCM under one key
 * must never see a nonce twice (a repeat leaks the XOR of the two plaintexts and lets anyone forge tags), and 2^32
 * random nonces per key keep that chance below 2^-32. The stored value names the key that sealed it, so keys rotate:
 * the current key seals, older keys still open what they sealed. The additional data binds a value to what it is and
 * to its row, so a ciphertext copied into another row (or another kind of secret) does not decrypt there.
 *
 * <pre>value = 0x01 | keyIdLength (1 byte) | keyId (ASCII) | nonce (12 bytes) | ciphertext with 128-bit tag</pre>
 * AAD = "flick/" + purpose + "/" + rowId + "/" + keyId. keyId is the first 8 bytes of SHA-256(key) in hex, so
 * it identifies a key without revealing it and needs no separate configuration.
 */
public final class SecretCipher {

    public static final int NONCE_BYTES = 12;
    private static final byte VERSION = 1;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, SecretKey> keys;

    /** @param current the key that seals; {@code older} only open */
    public SecretCipher(byte[] current, List<byte[]> older) {
        Map<String, SecretKey> all = new LinkedHashMap<>();
        currentId = put(all, current);
        for (byte[] k : older) put(all, k);
        keys = Map.copyOf(all);
    }

    private static String put(Map<String, SecretKey> keys, byte[] raw) {
        if (raw.length != 32) throw new IllegalArgumentException("an AES-256 key is 32 bytes, this one has " + raw.length);
        String id = keyId(raw);
        keys.putIfAbsent(id, new SecretKeySpec(raw.clone(), "AES"));
        return id;
    }

    static String keyId(byte[] raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes one base64 key as ENCRYPTION_KEY gives it; the message never echoes the value. */
    public static byte[] decodeKey(String base64, String name) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not valid base64 (expected 32 random bytes, e.g. openssl rand -base64 32)");
        }
        if (raw.length != 32) {
            throw new IllegalStateException(name + " must decode to 32 bytes for AES-256 (it decodes to " + raw.length + ")");
        }
        return raw;
    }

    public static List<byte[]> decodeKeys(String commaSeparated, String name) {
        List<byte[]> out = new ArrayList<>();
        if (commaSeparated == null) return out;
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) out.add(decodeKey(part, name));
        }
        return out;
    }

    public String currentKeyId() {
        return currentId;
    }

    public byte[] encrypt(String purpose, String rowId, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] id = currentId.getBytes(StandardCharsets.US_ASCII);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(purpose, rowId, currentId));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(2 + id.length + NONCE_BYTES + sealed.length)
                    .put(VERSION).put((byte) id.length).put(id).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws Undecryptable when the value was altered, belongs to another row, or its key is not configured */
    public String decrypt(String purpose, String rowId, byte[] value) {
        if (value == null || value.length < 2 + NONCE_BYTES + TAG_BITS / 8 || value[0] != VERSION) {
            throw new Undecryptable("stored secret are not in a format this hub reads");
        }
        int idLength = value[1] & 0xff;
        if (value.length < 2 + idLength + NONCE_BYTES + TAG_BITS / 8) throw new Undecryptable("stored secret are truncated");
        String id = new String(value, 2, idLength, StandardCharsets.US_ASCII);
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new Undecryptable("stored secret were encrypted with key " + id
                    + ", which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEYS_OLD");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, value, 2 + idLength, NONCE_BYTES));
            cipher.updateAAD(aad(purpose, rowId, id));
            int offset = 2 + idLength + NONCE_BYTES;
            return new String(cipher.doFinal(value, offset, value.length - offset), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new Undecryptable("stored secret fail authentication (altered, or copied from another row)");
        } catch (GeneralSecurityException e) {
            throw new Undecryptable("stored secret could not be decrypted");
        }
    }

    /** The key id a stored value names, or null when it is not in this format. */
    public static String keyIdOf(byte[] value) {
        if (value == null || value.length < 2 || value[0] != VERSION || value.length < 2 + (value[1] & 0xff)) return null;
        return new String(value, 2, value[1] & 0xff, StandardCharsets.US_ASCII);
    }

    private static byte[] aad(String purpose, String rowId, String keyId) {
        return ("flick/" + purpose + "/" + rowId + "/" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    /** A stored secret that cannot be opened; the message names no secret. */
    public static final class Undecryptable extends RuntimeException {
        Undecryptable(String message) {
            super(message, null, false, false);
        }
    }
}
