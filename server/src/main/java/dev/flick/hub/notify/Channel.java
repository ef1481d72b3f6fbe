package dev.flick.hub.notify;

import java.util.List;

/**
 * Where alerts are sent. type email: {@code to}; type webhook: {@code url} (a secret: stored encrypted, shown
 * masked) in {@code format} json, slack or discord. allowPrivate lets a webhook reach private addresses (admins only).
 */
record Channel(String id, String name, String type, List<String> to, String url, String format, boolean allowPrivate,
               String ownerId, long createdAt) {

    static final List<String> TYPES = List.of("email", "webhook");
    static final List<String> FORMATS = List.of("json", "slack", "discord");

    /** Scheme and host only: enough to recognise the target, nothing of a token in the path or query. */
    static String mask(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            return u.getScheme() + "://" + u.getRawAuthority().replaceAll("^[^@]*@", "") + "/…";
        } catch (RuntimeException e) {
            return "…";
        }
    }
}
