package dev.flick.hub.notify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** A browser's side of Web Push, for tests: its own keys and auth secret, decrypting what a push service hands it. */
final class PushReceiver {

    final KeyPair keys = WebPushCrypto.generateKeyPair();
    final byte[] auth = WebPushCrypto.randomBytes(16);

    String p256dh() {
        return WebPushCrypto.b64(WebPushCrypto.encodePoint((ECPublicKey) keys.getPublic()));
    }

    String authSecret() {
        return WebPushCrypto.b64(auth);
    }

    /** RFC 8188 §2 / RFC 8291 §3.4 from the receiving end: read the header, derive the keys, open the one record. */
    static byte[] decrypt(byte[] body, KeyPair ua, byte[] auth) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        b.get(salt);
        int rs = b.getInt();
        int idlen = b.get() & 0xff;
        byte[] asPublic = new byte[idlen];
        b.get(asPublic);
        byte[] sealed = new byte[b.remaining()];
        b.get(sealed);
        if (sealed.length > rs) throw new IllegalStateException("more than one record");
        byte[] uaPublic = WebPushCrypto.encodePoint((ECPublicKey) ua.getPublic());
        byte[] ecdh = WebPushCrypto.ecdh(ua.getPrivate(), WebPushCrypto.decodePoint(asPublic));
        byte[][] k = WebPushCrypto.contentKeys(ecdh, auth, uaPublic, asPublic, salt);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k[0], "AES"), new GCMParameterSpec(128, k[1]));
        byte[] padded = gcm.doFinal(sealed);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) end--;
        if (end < 0 || padded[end] != 2) throw new IllegalStateException("no last-record delimiter");
        return Arrays.copyOf(padded, end);
    }

    /** Checks an ES256 JWT with the raw public key; returns its claims as JSON text. */
    static String verifiedClaims(String jwt, byte[] publicPoint) throws Exception {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) throw new IllegalStateException("not a JWT");
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initVerify(WebPushCrypto.decodePoint(publicPoint));
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!s.verify(WebPushCrypto.unb64(parts[2]))) throw new SecurityException("bad VAPID signature");
        String header = new String(WebPushCrypto.unb64(parts[0]), StandardCharsets.UTF_8);
        if (!header.contains("\"ES256\"")) throw new SecurityException("not ES256: " + header);
        return new String(WebPushCrypto.unb64(parts[1]), StandardCharsets.UTF_8);
    }
}
