package dev.flick.hub.collect;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.flick.hub.cluster.Cluster;
import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.servers.Presence;
import dev.flick.hub.servers.ServerEvents;
import dev.flick.hub.servers.Servers;
import dev.flick.hub.servers.SshAddresses;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Agentless collection from an existing node_exporter: one {@link PrometheusWatch} per prometheus-mode server. */
@Component
class PrometheusCollection implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PrometheusCollection.class);

    private final Servers servers;
    private final Presence presence;
    private final Ingest ingest;
    private final Duration interval;
    private final EventLog eventLog;
    private final SshAddresses addresses;
    private final Cluster cluster;
    private final Map<String, PrometheusWatch> watches = new ConcurrentHashMap<>();
    private volatile boolean running;

    PrometheusCollection(Servers servers, Presence presence, Ingest ingest, FlickSettings settings, EventLog eventLog,
                         SshAddresses addresses, Cluster cluster) {
        this.cluster = cluster;
        this.servers = servers;
        this.presence = presence;
        this.ingest = ingest;
        this.interval = Duration.ofMillis(settings.intervalMillis());
        this.eventLog = eventLog;
        this.addresses = addresses;
    }

    @EventListener(ApplicationReadyEvent.class)
    void begin() {
        for (String id : servers.prometheusServerIds()) restart(id);
        if (!watches.isEmpty()) log.info("Scraping {} node_exporter(s)", watches.size());
    }

    @EventListener
    void onServerEvent(ServerEvents event) {
        switch (event) {
            case ServerEvents.ScrapeTargetChanged changed -> restart(changed.serverId());
            case ServerEvents.Removed removed -> stopWatch(removed.serverId());
            case ServerEvents.SshTargetChanged ignored -> { }
            case ServerEvents.AgentTokenRevoked ignored -> { }
        }
    }

    /** The live hubs changed: start the watches this hub now owns, stop those another hub took. */
    @EventListener
    void onHubsChanged(Cluster.HubsChanged changed) {
        Thread.ofVirtual().name("flick-rebalance").start(this::rebalance);
    }

    private synchronized void rebalance() {
        if (!running) return;
        int started = cluster.rebalance(servers.prometheusServerIds(), watches.keySet(), this::stopWatch, this::restart);
        if (started > 0) log.info("Took over {} server(s) as hubs changed to {}", started, cluster.liveHubs());
    }

    private synchronized void restart(String serverId) {
        if (!running) return;
        stopWatch(serverId);
        if (!cluster.owns(serverId)) return; // another hub of the cluster collects it
        PrometheusWatch watch = new PrometheusWatch(serverId, servers, addresses, presence, ingest, interval, eventLog);
        watches.put(serverId, watch);
        watch.start();
    }

    private void stopWatch(String serverId) {
        PrometheusWatch old = watches.remove(serverId);
        if (old != null) {
            old.stop();
            try {
                old.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        watches.keySet().forEach(this::stopWatch);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
