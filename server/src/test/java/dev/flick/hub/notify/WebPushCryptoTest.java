package dev.flick.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.ECPrivateKeySpec;

import javax.crypto.AEADBadTagException;

import org.junit.jupiter.api.Test;

class WebPushCryptoTest {

    // RFC 8291 Appendix A: fixed keys and salt, and the exact body they give.
    static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
    static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_"
            + "yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    static KeyPair pair(String priv, String pub) throws Exception {
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, WebPushCrypto.unb64(priv)),
                WebPushCrypto.P256));
        return new KeyPair(WebPushCrypto.decodePoint(WebPushCrypto.unb64(pub)), key);
    }

    @Test
    void reproducesTheRfc8291ExampleBodyByteForByte() throws Exception {
        byte[] body = WebPushCrypto.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), WebPushCrypto.unb64(UA_PUBLIC),
                WebPushCrypto.unb64(AUTH), pair(AS_PRIVATE, AS_PUBLIC), WebPushCrypto.unb64(SALT));
        assertThat(WebPushCrypto.b64(body)).isEqualTo(BODY);
    }

    @Test
    void aBrowserOpensTheRfcExampleAndRefusesATamperedOne() throws Exception {
        KeyPair ua = pair(UA_PRIVATE, UA_PUBLIC);
        byte[] body = WebPushCrypto.unb64(BODY);
        assertThat(new String(PushReceiver.decrypt(body, ua, WebPushCrypto.unb64(AUTH)), StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
        body[body.length - 1] ^= 1;
        assertThatThrownBy(() -> PushReceiver.decrypt(body, ua, WebPushCrypto.unb64(AUTH))).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void vapidTokensVerifyWithThePublicKeyOnly() throws Exception {
        KeyPair vapid = WebPushCrypto.generateKeyPair();
        String jwt = WebPushCrypto.vapidJwt(vapid.getPrivate(), "https://push.example.net", 1_900_000_000L, "mailto:ops@example.com");
        byte[] pub = WebPushCrypto.encodePoint((java.security.interfaces.ECPublicKey) vapid.getPublic());
        assertThat(PushReceiver.verifiedClaims(jwt, pub))
                .isEqualTo("{\"aud\":\"https://push.example.net\",\"exp\":1900000000,\"sub\":\"mailto:ops@example.com\"}");
        byte[] other = WebPushCrypto.encodePoint((java.security.interfaces.ECPublicKey) WebPushCrypto.generateKeyPair().getPublic());
        assertThatThrownBy(() -> PushReceiver.verifiedClaims(jwt, other)).isInstanceOf(SecurityException.class);
    }

    @Test
    void theAudienceIsThePushServicesOrigin() {
        assertThat(WebPushSender.audience(java.net.URI.create("https://fcm.googleapis.com/fcm/send/abc"))).isEqualTo("https://fcm.googleapis.com");
        assertThat(WebPushSender.audience(java.net.URI.create("http://127.0.0.1:8123/push/1"))).isEqualTo("http://127.0.0.1:8123");
    }
}
