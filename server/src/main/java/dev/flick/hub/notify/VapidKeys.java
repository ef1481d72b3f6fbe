package dev.flick.hub.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPrivateKeySpec;

import dev.flick.hub.config.DataDir;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The hub's VAPID key pair (RFC 8292, P-256): generated once into the data dir as {@code vapid.key} (mode 0600,
 * like the encryption key), holding the private scalar and the public point, base64url, one per line.
 * Browsers bind a subscription to the public key, so it must survive restarts.
 */
@Component
class VapidKeys {

    private static final Logger log = LoggerFactory.getLogger(VapidKeys.class);
    static final String FILE = "vapid.key";

    private final ECPrivateKey privateKey;
    private final byte[] publicPoint;

    VapidKeys(DataDir dataDir) {
        Path file = dataDir.root().resolve(FILE);
        try {
            if (!Files.exists(file)) {
                KeyPair pair = WebPushCrypto.generateKeyPair();
                BigInteger s = ((ECPrivateKey) pair.getPrivate()).getS();
                byte[] d = new byte[32];
                byte[] raw = s.toByteArray();
                int start = Math.max(0, raw.length - 32);
                System.arraycopy(raw, start, d, 32 - (raw.length - start), raw.length - start);
                DataDir.createPrivate(file);
                Files.writeString(file, WebPushCrypto.b64(d) + "\n" + WebPushCrypto.b64(WebPushCrypto.encodePoint((ECPublicKey) pair.getPublic())) + "\n",
                        StandardCharsets.US_ASCII);
                log.info("Generated {} in the data directory (mode 0600)", FILE);
            }
            String[] lines = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+");
            this.privateKey = privateKey(WebPushCrypto.unb64(lines[0]));
            this.publicPoint = WebPushCrypto.unb64(lines[1]);
            WebPushCrypto.decodePoint(publicPoint); // a damaged file fails the start, not the first push
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file, e);
        }
    }

    static ECPrivateKey privateKey(byte[] d) {
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, d),
                    WebPushCrypto.P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the VAPID private key in " + FILE + " is damaged", e);
        }
    }

    ECPrivateKey privateKey() {
        return privateKey;
    }

    /** The application server key browsers subscribe with: the uncompressed point, base64url. */
    String publicKey() {
        return WebPushCrypto.b64(publicPoint);
    }
}
