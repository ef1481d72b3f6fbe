package dev.flick.hub.auth;

/**
 * Published when every session of a user ends (password change, sign out everywhere, disabled, deleted, role
 * changed): whoever holds long-lived connections for the user closes them.
 */
public record SessionsEnded(String userId, String reason) {}
