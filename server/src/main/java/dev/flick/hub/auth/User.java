package dev.flick.hub.auth;

/** An account as the API shows it. role ∈ admin, member, viewer. */
public record User(String id, String email, String name, String role) {}
