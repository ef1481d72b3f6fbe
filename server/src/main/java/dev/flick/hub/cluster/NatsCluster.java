package dev.flick.hub.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Hubs on one NATS server: a heartbeat per second into the {@code <prefix>_hubs} KV bucket (entries older than the
 * hub TTL, by the NATS server's clock, are dead hubs), live messages on the JetStream stream {@code <prefix>_live}
 * (memory, kept as long as the live ring) and control events on the core subject {@code <prefix>.control}.
 */
final class NatsCluster implements Cluster, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NatsCluster.class);
    static final String ORIGIN = "Flick-Origin";
    static final String KIND = "Flick-Kind";

    private final ClusterSettings settings;
    private final String hubId;
    private final String prefix;
    private final ApplicationEventPublisher events;
    private final Connection nc;
    private final JetStream js;
    private final KeyValue hubs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("flick-cluster").daemon().factory());
    private volatile Set<String> live;

    NatsCluster(ClusterSettings settings, String hubId, ApplicationEventPublisher events, Duration liveKeep)
            throws IOException, InterruptedException, JetStreamApiException {
        this.settings = settings;
        this.hubId = hubId;
        this.prefix = settings.prefix().replaceAll("[^A-Za-z0-9_-]", "_");
        this.events = events;
        this.live = Set.of(hubId);
        this.nc = Nats.connect(Options.builder().server(settings.natsUrl()).connectionName("flick-hub-" + hubId)
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).build());
        try {
            nc.keyValueManagement().create(KeyValueConfiguration.builder().name(prefix + "_hubs")
                    .ttl(settings.hubTtl().multipliedBy(4)).storageType(StorageType.Memory).build());
        } catch (JetStreamApiException e) {
            log.debug("Hub bucket already there: {}", e.getMessage());
        }
        this.hubs = nc.keyValue(prefix + "_hubs");
        try {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(prefix + "_live")
                    .subjects(prefix + ".live.>").storageType(StorageType.Memory).maxAge(liveKeep).build());
        } catch (JetStreamApiException e) {
            log.debug("Live stream already there: {}", e.getMessage());
        }
        this.js = nc.jetStream();
        heartbeat();
        refreshLive();
        timer.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
        log.info("Hub {} joined cluster '{}' on NATS", hubId, prefix);
    }

    private void tick() {
        try {
            heartbeat();
            refreshLive();
        } catch (Exception e) {
            log.warn("Cluster heartbeat failed, retried: {}", e.toString());
        }
    }

    private void heartbeat() throws IOException, JetStreamApiException {
        hubs.put(hubId, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
    }

    private void refreshLive() throws IOException, JetStreamApiException, InterruptedException {
        ZonedDateTime cutoff = null;
        KeyValueEntry self = hubs.get(hubId);
        // The NATS server's clock decides, so hubs with skewed clocks agree on who is alive.
        if (self != null) cutoff = self.getCreated().minus(settings.hubTtl());
        Set<String> now = new TreeSet<>();
        now.add(hubId);
        List<String> keys;
        try {
            keys = hubs.keys();
        } catch (RuntimeException e) {
            keys = List.of();
        }
        for (String key : keys) {
            KeyValueEntry e = hubs.get(key);
            if (e != null && e.getValue() != null && (cutoff == null || e.getCreated().isAfter(cutoff))) now.add(key);
        }
        Set<String> fixed = Set.copyOf(now);
        if (!fixed.equals(live)) {
            log.info("Live hubs: {}", fixed);
            live = fixed;
            events.publishEvent(new HubsChanged(fixed));
        }
    }

    @Override
    public String hubId() {
        return hubId;
    }

    @Override
    public Set<String> liveHubs() {
        return live;
    }

    @Override
    public boolean owns(String serverId) {
        return hubId.equals(Rendezvous.owner(serverId, live));
    }

    /** Publishes a live message on the stream; the origin header lets this hub skip its own. */
    void publishLive(String kind, String serverKey, byte[] body) {
        Headers h = new Headers().put(ORIGIN, hubId).put(KIND, kind);
        js.publishAsync(prefix + ".live." + kind + "." + subjectToken(serverKey), h, body);
    }

    /**
     * Follows the live stream from {@code since} (to fill this hub's ring at start), skipping this hub's own
     * messages; handler gets kind and body.
     */
    void followLive(ZonedDateTime since, LiveHandler handler) throws IOException, JetStreamApiException {
        Dispatcher d = nc.createDispatcher();
        ConsumerConfiguration cc = ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartTime)
                .startTime(since.withZoneSameInstant(ZoneOffset.UTC)).build();
        js.subscribe(prefix + ".live.>", d, msg -> {
            Headers h = msg.getHeaders();
            if (h == null || hubId.equals(h.getFirst(ORIGIN))) return;
            try {
                handler.handle(h.getFirst(KIND), msg.getData());
            } catch (RuntimeException e) {
                log.warn("A live message from hub {} was not applied: {}", h.getFirst(ORIGIN), e.toString());
            }
        }, false, PushSubscribeOptions.builder().ordered(true).configuration(cc).build());
    }

    interface LiveHandler {
        void handle(String kind, byte[] body);
    }

    void publishControl(byte[] body) {
        Headers h = new Headers().put(ORIGIN, hubId);
        nc.publish(prefix + ".control", h, body);
    }

    void followControl(Consumer<byte[]> handler) {
        Dispatcher d = nc.createDispatcher();
        d.subscribe(prefix + ".control", (Message msg) -> {
            Headers h = msg.getHeaders();
            if (h != null && hubId.equals(h.getFirst(ORIGIN))) return;
            try {
                handler.accept(msg.getData());
            } catch (RuntimeException e) {
                log.warn("A control event was not applied: {}", e.toString());
            }
        });
    }

    static String subjectToken(String key) {
        return key == null || key.isEmpty() ? "_" : key.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        try {
            hubs.delete(hubId); // leaving on purpose: the others take over at once instead of after the TTL
        } catch (Exception e) {
            log.debug("Could not withdraw heartbeat: {}", e.toString());
        }
        nc.close();
    }
}
