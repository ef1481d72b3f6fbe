package dev.flick.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** RFC 6238 appendix B test vectors (HMAC-SHA1, seed "12345678901234567890", 8 digits), and RFC 4226 appendix D. */
class TotpTest {

    static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void matchesTheRfc6238Sha1Vectors() {
        long[][] vectors = {{59L, 94287082L}, {1111111109L, 7081804L}, {1111111111L, 14050471L},
                {1234567890L, 89005924L}, {2000000000L, 69279037L}, {20000000000L, 65353130L}};
        for (long[] v : vectors) {
            assertThat(Totp.code(SEED, Totp.step(v[0] * 1000), 8)).as("T = %d", v[0]).isEqualTo(String.format("%08d", v[1]));
        }
    }

    @Test
    void matchesTheRfc4226HotpVectors() {
        String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"};
        for (int i = 0; i < expected.length; i++) assertThat(Totp.code(SEED, i, 6)).isEqualTo(expected[i]);
    }

    @Test
    void acceptsOneStepOfDriftAndNothingFurther() {
        String secret = Totp.base32(SEED);
        assertThat(secret).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        long now = 1_700_000_000_000L;
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(secret, Totp.code(SEED, step - 1, 6), now)).isEqualTo(step - 1);
        assertThat(Totp.matchingStep(secret, Totp.code(SEED, step + 1, 6), now)).isEqualTo(step + 1);
        assertThat(Totp.matchingStep(secret, Totp.code(SEED, step - 2, 6), now)).isEqualTo(-1);
        assertThat(Totp.matchingStep(secret, "12a456", now)).isEqualTo(-1);
        assertThat(Totp.fromBase32(secret)).isEqualTo(SEED);
    }
}
