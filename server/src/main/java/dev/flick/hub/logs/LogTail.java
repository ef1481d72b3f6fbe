package dev.flick.hub.logs;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.flick.hub.metrics.LiveHub;

import tools.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Component;

/** Live tail: every stored log line goes out as a {@code log} message to the sockets tailing its server. */
@Component
class LogTail {

    private final LiveHub live;
    private final ObjectMapper json;

    LogTail(EventLog log, LiveHub live, ObjectMapper json) {
        this.live = live;
        this.json = json;
        log.onStored(this::send);
    }

    private void send(LogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "log");
        m.put("ts", e.ts());
        if (e.serverId() != null) m.put("serverId", e.serverId());
        m.put("source", e.source());
        m.put("level", e.level());
        if (e.unit() != null) m.put("unit", e.unit());
        m.put("message", e.message());
        if (e.actor() != null) m.put("actor", e.actor());
        if (e.target() != null) m.put("target", e.target());
        live.broadcastLog(e.serverId(), json.writeValueAsString(m));
    }
}
