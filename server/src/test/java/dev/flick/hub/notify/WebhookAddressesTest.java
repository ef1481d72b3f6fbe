package dev.flick.hub.notify;

import dev.flick.hub.config.SecretCipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class WebhookAddressesTest {

    static String why(String literal) throws Exception {
        return WebhookAddresses.refusal(InetAddress.getByName(literal)).orElse("allowed");
    }

    @Test
    void refusesEveryInternalKindOfAddress() throws Exception {
        assertThat(why("127.0.0.1")).contains("loopback");
        assertThat(why("::1")).contains("loopback");
        assertThat(why("10.20.30.40")).contains("private");
        assertThat(why("172.16.0.1")).contains("private");
        assertThat(why("192.168.1.1")).contains("private");
        assertThat(why("169.254.169.254")).contains("metadata");
        assertThat(why("fd00:ec2::254")).contains("metadata");
        assertThat(why("169.254.10.1")).contains("link-local");
        assertThat(why("fe80::1")).contains("link-local");
        assertThat(why("fc00::1")).contains("unique local");
        assertThat(why("100.64.0.1")).contains("carrier-grade NAT");
        assertThat(why("224.0.0.1")).contains("multicast");
        assertThat(why("0.0.0.0")).contains("unspecified");
        assertThat(why("::")).contains("unspecified");
        assertThat(why("64:ff9b::a00:1")).as("NAT64 of 10.0.0.1").contains("private");
    }

    @Test
    void allowsPublicAddresses() throws Exception {
        assertThat(why("93.184.216.34")).isEqualTo("allowed");
        assertThat(why("172.32.0.1")).isEqualTo("allowed");
        assertThat(why("2606:4700:4700::1111")).isEqualTo("allowed");
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedAtResolution() {
        assertThatThrownBy(() -> new WebhookAddresses.GuardedResolver().resolve("localhost"))
                .isInstanceOf(WebhookAddresses.Refused.class).hasMessageContaining("loopback");
    }

    @Test
    void literalTargetsAreCheckedBeforeAnyConnection() {
        assertThat(WebhookSender.invalid("http://127.0.0.1/x", false)).get().asString().contains("loopback");
        assertThat(WebhookSender.invalid("http://[::ffff:127.0.0.1]/x", false)).get().asString().contains("loopback");
        assertThat(WebhookSender.invalid("http://127.0.0.1/x", true)).isEmpty();
        assertThat(WebhookSender.invalid("https://hooks.example.com/x", false)).isEmpty();
        assertThat(WebhookSender.invalid("http://user:pw@example.com/x", false)).get().asString().contains("user name");
    }

    @Test
    void sealedSecretsOnlyOpenForTheirOwnRow() {
        SecretCipher box = new SecretCipher(new byte[32], java.util.List.of());
        byte[] a = box.encrypt("alert_channels.url", "row-1", "https://hooks.example.com/T/B/token");
        byte[] b = box.encrypt("alert_channels.url", "row-1", "https://hooks.example.com/T/B/token");
        assertThat(a).isNotEqualTo(b); // a fresh nonce each time
        assertThat(box.decrypt("alert_channels.url", "row-1", a)).isEqualTo("https://hooks.example.com/T/B/token");
        assertThatThrownBy(() -> box.decrypt("alert_channels.url", "row-2", a)).isInstanceOf(SecretCipher.Undecryptable.class);
        assertThatThrownBy(() -> box.decrypt("servers.credentials", "row-1", a)).as("another kind of secret")
                .isInstanceOf(SecretCipher.Undecryptable.class);
        assertThat(Channel.mask("https://hooks.example.com/T/B/token?x=1")).isEqualTo("https://hooks.example.com/…");
    }
}
