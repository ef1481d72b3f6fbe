package dev.flick.hub.alerts;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveMessage;

import org.springframework.stereotype.Component;

/** Acknowledging an event: who and when, kept once, and pushed live so every open list shows it. */
@Component
class AlertAcks {

    private final EventRepository events;
    private final LiveHub live;

    AlertAcks(EventRepository events, LiveHub live) {
        this.events = events;
        this.live = live;
    }

    AlertEvent ack(String id, String userId) {
        if (!events.ack(id, userId, System.currentTimeMillis())) throw ApiProblem.notFound("Alert event");
        AlertEvent e = events.find(id).orElseThrow(() -> ApiProblem.notFound("Alert event"));
        live.send(new LiveMessage.Alert(e.serverId(), e));
        return e;
    }
}
