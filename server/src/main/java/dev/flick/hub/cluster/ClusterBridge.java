package dev.flick.hub.cluster;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;

import dev.flick.hub.auth.Sessions;
import dev.flick.hub.auth.SessionsEnded;
import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveMessage;
import dev.flick.hub.servers.ServerEvents;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Joins this hub's live bus and control events to the other hubs': its own live messages go out on the stream,
 * the others' are fed into its LiveHub (so its sockets see every server and its ring serves {@code since});
 * sessions ended and server changes here are applied on every hub. Does nothing on a single hub.
 */
@Component
class ClusterBridge {

    private static final Logger log = LoggerFactory.getLogger(ClusterBridge.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Set while a remote control event is re-published here, so it is not sent back out. */
    private static final ThreadLocal<Boolean> APPLYING = ThreadLocal.withInitial(() -> false);

    private final NatsCluster nats;
    private final LiveHub live;
    private final Sessions sessions;
    private final ApplicationEventPublisher events;

    ClusterBridge(Cluster cluster, LiveHub live, Sessions sessions, ApplicationEventPublisher events,
                  FlickSettings settings) throws Exception {
        this.nats = cluster instanceof NatsCluster n ? n : null;
        this.live = live;
        this.sessions = sessions;
        this.events = events;
        if (nats == null) return;
        live.relayTo(this::relay);
        // The ring is fed from the stream's recent past too, so a hub that just joined can serve since resumes.
        nats.followLive(ZonedDateTime.now().minusSeconds(settings.ringSeconds()), this::applyLive);
        nats.followControl(this::applyControl);
    }

    private void relay(LiveMessage.Addressed message, String json) {
        try {
            switch (message) {
                case LiveMessage.Snapshot s -> nats.publishLive("snapshot", s.serverId(), json.getBytes(StandardCharsets.UTF_8));
                case LiveMessage.Status s -> nats.publishLive("status", s.serverId(), JSON.writeValueAsBytes(s));
                case LiveMessage.Alert a -> nats.publishLive("alert", a.serverId(), JSON.writeValueAsBytes(a));
                case LiveMessage.Notification n -> nats.publishLive("notification", n.userId(), JSON.writeValueAsBytes(n));
                case LiveMessage.Log l -> nats.publishLive("log", l.serverId(), JSON.writeValueAsBytes(l));
            }
        } catch (RuntimeException e) {
            log.warn("A live message was not sent to the other hubs: {}", e.toString());
        }
    }

    private void applyLive(String kind, byte[] body) {
        switch (kind == null ? "" : kind) {
            case "snapshot" -> {
                String json = new String(body, StandardCharsets.UTF_8);
                JsonNode root = JSON.readTree(json);
                live.publishRelayed(root.path("serverId").asString(), json);
            }
            case "status" -> live.sendRelayed(JSON.readValue(body, LiveMessage.Status.class));
            case "alert" -> {
                JsonNode n = JSON.readTree(body);
                live.sendRelayed(new LiveMessage.Alert(n.path("serverId").asString(), n.get("event")));
            }
            case "notification" -> {
                JsonNode n = JSON.readTree(body);
                live.sendRelayed(new LiveMessage.Notification(n.path("userId").asString(), n.get("item")));
            }
            case "log" -> live.sendRelayed(JSON.readValue(body, LiveMessage.Log.class));
            default -> log.debug("Unknown live kind {}", kind);
        }
    }

    @EventListener
    void onSessionsEnded(SessionsEnded ended) {
        if (nats == null || APPLYING.get()) return;
        ObjectNode n = JSON.createObjectNode().put("type", "sessionsEnded").put("userId", ended.userId())
                .put("reason", ended.reason());
        nats.publishControl(JSON.writeValueAsBytes(n));
    }

    @EventListener
    void onServerEvent(ServerEvents event) {
        if (nats == null || APPLYING.get()) return;
        String kind = switch (event) {
            case ServerEvents.Removed r -> "removed";
            case ServerEvents.AgentTokenRevoked r -> "agentTokenRevoked";
            case ServerEvents.SshTargetChanged c -> "sshTargetChanged";
            case ServerEvents.ScrapeTargetChanged c -> "scrapeTargetChanged";
        };
        ObjectNode n = JSON.createObjectNode().put("type", "server").put("event", kind).put("serverId", serverId(event));
        nats.publishControl(JSON.writeValueAsBytes(n));
    }

    private static String serverId(ServerEvents event) {
        return switch (event) {
            case ServerEvents.Removed r -> r.serverId();
            case ServerEvents.AgentTokenRevoked r -> r.serverId();
            case ServerEvents.SshTargetChanged c -> c.serverId();
            case ServerEvents.ScrapeTargetChanged c -> c.serverId();
        };
    }

    private void applyControl(byte[] body) {
        JsonNode n = JSON.readTree(body);
        Object event = switch (n.path("type").asString()) {
            case "sessionsEnded" -> {
                String userId = n.path("userId").asString();
                sessions.forget(userId); // the cached mark is stale: the next check reads the raised one
                yield new SessionsEnded(userId, n.path("reason").asString());
            }
            case "server" -> {
                String id = n.path("serverId").asString();
                yield switch (n.path("event").asString()) {
                    case "removed" -> {
                        live.forget(id);
                        yield new ServerEvents.Removed(id);
                    }
                    case "agentTokenRevoked" -> new ServerEvents.AgentTokenRevoked(id);
                    case "sshTargetChanged" -> new ServerEvents.SshTargetChanged(id);
                    case "scrapeTargetChanged" -> new ServerEvents.ScrapeTargetChanged(id);
                    default -> null;
                };
            }
            default -> null;
        };
        if (event == null) return;
        APPLYING.set(true);
        try {
            events.publishEvent(event);
        } finally {
            APPLYING.set(false);
        }
    }
}
