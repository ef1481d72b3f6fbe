package dev.flick.hub.auth;

import java.util.Optional;
import java.util.Set;

/**
 * Long-lived API tokens ({@code flk_…}) as a second kind of bearer token. The tokens module implements it; the
 * security chain asks it for every request whose bearer token has the prefix.
 */
public interface ApiTokenLookup {

    String PREFIX = "flk_";

    /**
     * Who a token speaks for. {@code readOnly}: the read scope (GET only). {@code serverIds}: the servers it is
     * limited to, or null for every server its owner may see.
     */
    record Grant(String tokenId, String userId, String email, String role, boolean readOnly, Set<String> serverIds) {}

    /** The grant of a known, unrevoked, unexpired token of an enabled user; empty otherwise. */
    Optional<Grant> find(String token);
}
