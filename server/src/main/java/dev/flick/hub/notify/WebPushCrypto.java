package dev.flick.hub.notify;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web Push with the JDK's own crypto, no library: RFC 8291 message encryption (ECDH P-256, HKDF-SHA256,
 * AES-128-GCM in the RFC 8188 aes128gcm coding, one record) and the RFC 8292 VAPID JWT (ES256).
 * HKDF is two HMAC-SHA256 steps written out here because Java 21 has no HKDF API.
 */
final class WebPushCrypto {

    /** The record size announced in the header; one record carries the whole message. */
    static final int RECORD_SIZE = 4096;
    /** Largest plaintext that fits one record: rs − 16 (GCM tag) − 1 (delimiter). */
    static final int MAX_PLAINTEXT = RECORD_SIZE - 17;

    private static final SecureRandom RANDOM = new SecureRandom();
    static final ECParameterSpec P256 = p256();

    private WebPushCrypto() {}

    static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available", e);
        }
    }

    /** The uncompressed point 0x04 ‖ X ‖ Y (65 bytes), the form browsers and the Push API use. */
    static byte[] encodePoint(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        copyUnsigned(key.getW().getAffineX(), out, 1);
        copyUnsigned(key.getW().getAffineY(), out, 33);
        return out;
    }

    static ECPublicKey decodePoint(byte[] raw) {
        if (raw.length != 65 || raw[0] != 4) throw new IllegalArgumentException("not an uncompressed P-256 point");
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(raw, 1, 33)), new BigInteger(1, Arrays.copyOfRange(raw, 33, 65)));
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a point on P-256", e);
        }
    }

    /**
     * The request body for one push: salt ‖ rs ‖ idlen ‖ keyid (the sender's ephemeral public key) ‖ ciphertext.
     *
     * @param uaPublic   the subscription's p256dh key (65 bytes)
     * @param authSecret the subscription's auth secret (16 bytes)
     */
    static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret) {
        return encrypt(plaintext, uaPublic, authSecret, generateKeyPair(), randomBytes(16));
    }

    static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, KeyPair ephemeral, byte[] salt) {
        if (plaintext.length > MAX_PLAINTEXT) throw new IllegalArgumentException("payload too large for one record");
        try {
            byte[] asPublic = encodePoint((ECPublicKey) ephemeral.getPublic());
            byte[] ecdh = ecdh(ephemeral.getPrivate(), decodePoint(uaPublic));
            byte[][] keys = contentKeys(ecdh, authSecret, uaPublic, asPublic, salt);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[0], "AES"), new GCMParameterSpec(128, keys[1]));
            byte[] padded = Arrays.copyOf(plaintext, plaintext.length + 1);
            padded[plaintext.length] = 2; // the last (and only) record's delimiter, no padding
            byte[] sealed = gcm.doFinal(padded);
            return ByteBuffer.allocate(16 + 4 + 1 + asPublic.length + sealed.length)
                    .put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Web Push encryption failed", e);
        }
    }

    /** RFC 8291 §3.3–3.4 and RFC 8188 §2.2: returns {CEK (16 bytes), NONCE (12 bytes)}. */
    static byte[][] contentKeys(byte[] ecdhSecret, byte[] authSecret, byte[] uaPublic, byte[] asPublic, byte[] salt) {
        ByteArrayOutputStream keyInfo = new ByteArrayOutputStream();
        keyInfo.writeBytes("WebPush: info".getBytes(StandardCharsets.US_ASCII));
        keyInfo.write(0);
        keyInfo.writeBytes(uaPublic);
        keyInfo.writeBytes(asPublic);
        byte[] ikm = hkdf(authSecret, ecdhSecret, keyInfo.toByteArray(), 32);
        byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        return new byte[][] {cek, nonce};
    }

    static byte[] ecdh(PrivateKey own, PublicKey peer) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(own);
        ka.doPhase(peer, true);
        return ka.generateSecret();
    }

    /** HKDF-SHA256 (RFC 5869) for outputs of at most 32 bytes: one extract, one expand block. */
    static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        byte[] prk = hmac(salt, ikm);
        byte[] block = Arrays.copyOf(info, info.length + 1);
        block[info.length] = 1;
        return Arrays.copyOf(hmac(prk, block), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 8292 §2: a JWT signed with ES256 (raw r ‖ s), naming the push service's origin, an expiry and a contact. */
    static String vapidJwt(PrivateKey key, String audience, long expiresAtSeconds, String subject) {
        String header = b64("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64(("{\"aud\":\"" + jsonText(audience) + "\",\"exp\":" + expiresAtSeconds + ",\"sub\":\""
                + jsonText(subject) + "\"}").getBytes(StandardCharsets.UTF_8));
        String signingInput = header + "." + claims;
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("VAPID signing failed", e);
        }
    }

    private static String jsonText(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String b64(byte[] raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Base64url as browsers send it (padding optional); plain base64 is accepted too. */
    static byte[] unb64(String text) {
        String t = text.trim().replace('+', '-').replace('/', '_');
        while (t.endsWith("=")) t = t.substring(0, t.length() - 1);
        return Base64.getUrlDecoder().decode(t);
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void copyUnsigned(BigInteger v, byte[] out, int offset) {
        byte[] b = v.toByteArray();
        int start = Math.max(0, b.length - 32);
        int len = b.length - start;
        System.arraycopy(b, start, out, offset + 32 - len, len);
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available", e);
        }
    }
}
