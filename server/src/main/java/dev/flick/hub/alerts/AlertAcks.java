package dev.flick.hub.alerts;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.metrics.LiveHub;

import tools.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Component;

/** Acknowledging an event: who and when, kept once, and pushed live so every open list shows it. */
@Component
class AlertAcks {

    private final EventRepository events;
    private final LiveHub live;
    private final ObjectMapper json;

    AlertAcks(EventRepository events, LiveHub live, ObjectMapper json) {
        this.events = events;
        this.live = live;
        this.json = json;
    }

    AlertEvent ack(String id, String userId) {
        if (!events.ack(id, userId, System.currentTimeMillis())) throw ApiProblem.notFound("Alert event");
        AlertEvent e = events.find(id).orElseThrow(() -> ApiProblem.notFound("Alert event"));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "alert");
        message.putAll(json.convertValue(e, Map.class));
        live.broadcast(e.serverId(), json.writeValueAsString(message));
        return e;
    }
}
