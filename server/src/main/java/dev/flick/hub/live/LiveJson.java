package dev.flick.hub.live;

import java.util.Map;

import java.io.StringWriter;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place a {@link LiveMessage} becomes JSON: Jackson's generator, so any text (a status reason with a tab,
 * a log line with control characters) is escaped. A snapshot's message was written on ingest and is passed through.
 */
public final class LiveJson {

    // A top process (alert evidence) with unknown disk I/O leaves the rates out, as SnapshotJson does.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addMixIn(dev.flick.collector.Snapshot.Processes.Process.class, ProcessIoJson.class).build();

    private LiveJson() {}

    public static String write(LiveMessage message) {
        if (message instanceof LiveMessage.Snapshot s) return s.json();
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            switch (message) {
                case LiveMessage.Snapshot s -> throw new IllegalStateException("written on ingest");
                case LiveMessage.Status s -> {
                    g.writeStringProperty("type", "status");
                    g.writeStringProperty("serverId", s.serverId());
                    g.writeStringProperty("status", s.status());
                    g.writeNumberProperty("ts", s.ts());
                    if (s.reason() != null) g.writeStringProperty("reason", s.reason());
                    if (s.reasonCode() != null) {
                        g.writeStringProperty("reasonCode", s.reasonCode());
                        g.writeName("reasonParams");
                        g.writeTree(JSON.valueToTree(s.reasonParams() == null ? Map.of() : s.reasonParams()));
                    }
                }
                case LiveMessage.Alert a -> {
                    g.writeStringProperty("type", "alert");
                    properties(g, a.event());
                }
                case LiveMessage.Notification n -> {
                    g.writeStringProperty("type", "notification");
                    properties(g, n.item());
                }
                case LiveMessage.Log l -> {
                    g.writeStringProperty("type", "log");
                    g.writeNumberProperty("ts", l.ts());
                    optional(g, "serverId", l.serverId());
                    g.writeStringProperty("source", l.source());
                    g.writeStringProperty("level", l.level());
                    optional(g, "unit", l.unit());
                    g.writeStringProperty("message", l.message());
                    optional(g, "actor", l.actor());
                    optional(g, "target", l.target());
                }
                case LiveMessage.Ready r -> {
                    g.writeStringProperty("type", "ready");
                    g.writeObjectPropertyStart("user");
                    g.writeStringProperty("id", r.user().id());
                    g.writeStringProperty("email", r.user().email());
                    g.writeStringProperty("role", r.user().role());
                    g.writeEndObject();
                }
                case LiveMessage.Ping p -> {
                    g.writeStringProperty("type", "ping");
                    g.writeNumberProperty("ts", p.ts());
                }
                case LiveMessage.Error e -> {
                    g.writeStringProperty("type", "error");
                    g.writeStringProperty("code", e.code());
                    g.writeStringProperty("message", e.message());
                }
                case LiveMessage.Coalesced c -> {
                    g.writeStringProperty("type", "coalesced");
                    g.writeNumberProperty("ts", c.ts());
                    g.writeNumberProperty("skipped", c.skipped());
                    g.writeNumberProperty("logsSkipped", c.logsSkipped());
                }
                case LiveMessage.Summary s -> {
                    g.writeStringProperty("type", "summary");
                    g.writeNumberProperty("ts", s.ts());
                    g.writeArrayPropertyStart("servers");
                    for (LiveMessage.ServerSummary v : s.servers()) entry(g, v);
                    g.writeEndArray();
                }
            }
            g.writeEndObject();
        }
        return out.toString();
    }

    /**
     * One server's summary entry, for {@link #summary}: written once per snapshot and status and shared by every
     * summary subscriber (LiveHub keeps it), so a second's summaries cost no serialising per viewer.
     */
    public static String entry(LiveMessage.ServerSummary v) {
        StringWriter out = new StringWriter(192);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            entry(g, v);
        }
        return out.toString();
    }

    /** A summary message from entries written by {@link #entry}: the same text {@link #write} gives for it. */
    public static String summary(long ts, java.util.List<String> entries) {
        StringWriter out = new StringWriter(64 + entries.size() * 192);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("type", "summary");
            g.writeNumberProperty("ts", ts);
            g.writeArrayPropertyStart("servers");
            for (String e : entries) g.writeRawValue(e);
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString();
    }

    private static void entry(JsonGenerator g, LiveMessage.ServerSummary v) {
        g.writeStartObject();
        g.writeStringProperty("serverId", v.serverId());
        g.writeNumberProperty("ts", v.ts());
        g.writeNumberProperty("cpu", v.cpu());
        g.writeNumberProperty("memUsed", v.memUsed());
        g.writeNumberProperty("memTotal", v.memTotal());
        g.writeNumberProperty("diskUsed", v.diskUsed());
        g.writeNumberProperty("diskTotal", v.diskTotal());
        g.writeNumberProperty("netRxBps", v.netRxBps());
        g.writeNumberProperty("netTxBps", v.netTxBps());
        optional(g, "status", v.status());
        g.writeEndObject();
    }

    /** A module's record (alert event, inbox item) as this message's own properties, after "type". */
    private static void properties(JsonGenerator g, Object value) {
        JsonNode node = JSON.valueToTree(value);
        for (var e : node.properties()) {
            g.writeName(e.getKey());
            g.writeTree(e.getValue());
        }
    }

    private static void optional(JsonGenerator g, String name, String value) {
        if (value != null) g.writeStringProperty(name, value);
    }
}
