package dev.flick.hub.servers;

import java.security.SecureRandom;
import java.util.Base64;

/** Agent tokens: flk_ and 256 random bits; the hub keeps only their SHA-256 ({@link Servers#tokenHash}). */
final class AgentTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AgentTokens() {}

    static String newToken() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return "flk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
