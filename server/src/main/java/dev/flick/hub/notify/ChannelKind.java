package dev.flick.hub.notify;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The closed set of channel kinds: each one's wire name, its config fields (which are secrets, sealed and never
 * returned), and how placeholder values are escaped for what the service parses.
 */
enum ChannelKind {
    EMAIL("email", Template.Escape.PLAIN, List.of()),
    WEBHOOK("webhook", Template.Escape.JSON, List.of(Field.secretUrl("url"), Field.text("format", false))),
    TELEGRAM("telegram", Template.Escape.HTML, List.of(Field.secret("botToken"), Field.text("chatId", true),
            Field.url("apiUrl", false, "https://api.telegram.org"))),
    NTFY("ntfy", Template.Escape.PLAIN, List.of(Field.secretUrl("url"), Field.optionalSecret("token"))),
    GOTIFY("gotify", Template.Escape.PLAIN, List.of(Field.url("url", true, null), Field.secret("token"))),
    PUSHOVER("pushover", Template.Escape.PLAIN, List.of(Field.secret("userKey"), Field.secret("appToken"),
            Field.url("apiUrl", false, "https://api.pushover.net"))),
    TEAMS("teams", Template.Escape.MARKDOWN, List.of(Field.secretUrl("url"))),
    MATRIX("matrix", Template.Escape.HTML, List.of(Field.url("homeserverUrl", true, null), Field.secret("accessToken"),
            Field.text("roomId", true))),
    MATTERMOST("mattermost", Template.Escape.MARKDOWN, List.of(Field.secretUrl("url"))),
    ROCKETCHAT("rocketchat", Template.Escape.MARKDOWN, List.of(Field.secretUrl("url"))),
    GOOGLECHAT("googlechat", Template.Escape.PLAIN, List.of(Field.secretUrl("url"))),
    PAGERDUTY("pagerduty", Template.Escape.PLAIN, List.of(Field.secret("routingKey"),
            Field.url("apiUrl", false, "https://events.pagerduty.com"))),
    OPSGENIE("opsgenie", Template.Escape.PLAIN, List.of(Field.secret("apiKey"),
            Field.url("apiUrl", false, "https://api.opsgenie.com")));

    /**
     * One config field. A secret is sealed and only reported as {@code hasName: true} (a secret URL also masked);
     * an url field is vetted like a webhook target.
     */
    record Field(String name, boolean secret, boolean required, boolean url, String defaultValue) {
        static Field secret(String name) { return new Field(name, true, true, false, null); }
        static Field optionalSecret(String name) { return new Field(name, true, false, false, null); }
        static Field secretUrl(String name) { return new Field(name, true, true, true, null); }
        static Field text(String name, boolean required) { return new Field(name, false, required, false, null); }
        static Field url(String name, boolean required, String defaultValue) { return new Field(name, false, required, true, defaultValue); }
    }

    final String wire;
    final Template.Escape escape;
    final List<Field> fields;

    ChannelKind(String wire, Template.Escape escape, List<Field> fields) {
        this.wire = wire;
        this.escape = escape;
        this.fields = fields;
    }

    static Optional<ChannelKind> of(String wire) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(wire)).findFirst();
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(k -> k.wire).toList());
    }

    /** Kinds whose message the admin may template (email keeps its fixed layout). */
    boolean templated() {
        return this != EMAIL;
    }
}
