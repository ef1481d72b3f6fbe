package dev.flick.hub.auth;

/** Who a verified access token speaks for, and until when (epoch ms). */
public record AuthenticatedUser(String id, String email, String role, long expiresAt) {}
