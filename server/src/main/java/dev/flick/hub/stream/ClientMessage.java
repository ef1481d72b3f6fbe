package dev.flick.hub.stream;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** What a browser may send on /api/v1/ws. A closed set, so handling it is an exhaustive switch. */
sealed interface ClientMessage {

    record Auth(String token) implements ClientMessage {}

    /** serverIds null means "*": every server the user may see. since is 0 when absent. */
    record Subscribe(List<String> serverIds, long since) implements ClientMessage {}

    record Unsubscribe(List<String> serverIds) implements ClientMessage {}

    record Pong(long ts) implements ClientMessage {}

    /** Live tail of system logs; serverIds null means "*" (every server, and the hub's own events). */
    record SubscribeLogs(List<String> serverIds) implements ClientMessage {}

    record UnsubscribeLogs() implements ClientMessage {}

    /** A summary of every server the user may see (what overview cards draw), at most once a second. */
    record SubscribeSummary() implements ClientMessage {}

    record UnsubscribeSummary() implements ClientMessage {}

    final class Invalid extends RuntimeException {
        final String code;

        Invalid(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    static ClientMessage parse(JsonNode node) {
        String type = node.path("type").asString("");
        return switch (type) {
            case "auth" -> new Auth(node.path("token").asString(""));
            case "subscribe" -> new Subscribe(ids(node.get("serverIds"), true), since(node.get("since")));
            case "unsubscribe" -> new Unsubscribe(ids(node.get("serverIds"), true));
            case "pong" -> new Pong(node.path("ts").asLong(0));
            case "subscribe-logs" -> new SubscribeLogs(ids(node.get("serverIds"), true));
            case "unsubscribe-logs" -> new UnsubscribeLogs();
            case "subscribe-summary" -> {
                if (ids(node.get("serverIds"), true) != null) throw new Invalid("bad-message", "summaries are for \"*\" only");
                yield new SubscribeSummary();
            }
            case "unsubscribe-summary" -> new UnsubscribeSummary();
            case "" -> throw new Invalid("bad-message", "Every message needs a type");
            default -> throw new Invalid("unknown-type", "Unknown message type: " + truncate(type));
        };
    }

    private static List<String> ids(JsonNode node, boolean starAllowed) {
        if (node == null || node.isNull()) throw new Invalid("bad-message", "serverIds is required: a list of ids or \"*\"");
        if (node.isString() && starAllowed && "*".equals(node.asString())) return null;
        if (!node.isArray()) throw new Invalid("bad-message", "serverIds must be a list of ids or \"*\"");
        List<String> ids = new ArrayList<>();
        for (JsonNode id : node) {
            if (!id.isString() || id.asString().isBlank()) throw new Invalid("bad-message", "serverIds must hold strings");
            ids.add(id.asString());
        }
        return ids;
    }

    private static long since(JsonNode node) {
        if (node == null || node.isNull()) return 0;
        if (!node.canConvertToLong() || node.asLong() < 0) throw new Invalid("bad-message", "since must be epoch milliseconds");
        return node.asLong();
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
