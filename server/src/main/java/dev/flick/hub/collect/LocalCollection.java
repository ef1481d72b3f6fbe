package dev.flick.hub.collect;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.flick.collector.OshiCollector;
import dev.flick.collector.Snapshot;
import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.servers.Servers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** The hub watches its own host, so a fresh install shows live data at once. */
@Component
class LocalCollection implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LocalCollection.class);

    private final FlickSettings settings;
    private final Servers servers;
    private final Ingest ingest;
    private ScheduledExecutorService scheduler;
    private OshiCollector collector;
    private volatile boolean running;

    LocalCollection(FlickSettings settings, Servers servers, Ingest ingest) {
        this.settings = settings;
        this.servers = servers;
        this.ingest = ingest;
    }

    @EventListener(ApplicationReadyEvent.class)
    void begin() {
        if (!settings.localCollector()) {
            log.info("Local collection is off (flick.local-collector=false)");
            return;
        }
        String socket = settings.containerSocket();
        collector = new OshiCollector("local", socket == null || socket.isBlank() ? null : java.nio.file.Path.of(socket));
        String serverId = servers.ensureLocal(collector.hostInfo());
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("flick-local-collector").daemon().factory());
        long interval = settings.intervalMillis();
        scheduler.scheduleAtFixedRate(() -> sample(serverId), 0, interval, TimeUnit.MILLISECONDS);
        log.info("Collecting this host ({}) every {} ms as server {}", collector.hostInfo().hostname(), interval, serverId);
    }

    private void sample(String serverId) {
        try {
            Snapshot s = collector.sample();
            ingest.accept(s.withServerId(serverId));
        } catch (RuntimeException e) {
            // One bad sample must not end collection: the scheduler would silently stop on an exception.
            log.warn("Local sample failed: {}", e.toString());
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
