package dev.flick.hub.notify;

import java.util.List;
import java.util.Map;

/**
 * Where alerts are sent: a {@link ChannelKind} with its config fields. {@code settings} are the plain fields,
 * {@code secrets} the sealed ones (tokens, keys, URLs that embed a token) and {@code headers} a webhook's custom
 * headers (sealed too: they usually carry credentials). allowPrivate lets the channel reach private addresses
 * (admins only).
 */
record Channel(String id, String name, ChannelKind kind, List<String> to, Map<String, String> settings,
               Map<String, String> secrets, Map<String, String> headers, Template.Set templates, boolean allowPrivate,
               String ownerId, long createdAt) {

    Channel {
        to = to == null ? List.of() : List.copyOf(to);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        templates = templates == null ? Template.Set.DEFAULTS : templates;
    }

    String type() {
        return kind.wire;
    }

    /** A field's value, secret or not; a field's default when unset. */
    String get(String field) {
        String v = secrets.containsKey(field) ? secrets.get(field) : settings.get(field);
        if (v != null && !v.isBlank()) return v;
        for (ChannelKind.Field f : kind.fields) if (f.name().equals(field)) return f.defaultValue();
        return null;
    }

    String url() {
        return get("url");
    }

    String format() {
        String f = settings.get("format");
        return f == null ? "json" : f;
    }

    static final List<String> FORMATS = List.of("json", "slack", "discord", "custom");

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
