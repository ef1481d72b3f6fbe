package dev.flick.hub.remotewrite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.DataDir;
import dev.flick.hub.config.SecretCipher;
import dev.flick.hub.config.SettingsStore;
import dev.flick.hub.metrics.StoredSnapshotListener;
import dev.flick.hub.servers.Servers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.xerial.snappy.Snappy;
import tools.jackson.databind.ObjectMapper;

/**
 * Pushes every stored snapshot to a Prometheus remote-write 1.0 receiver. The ingest path appends the snapshot's
 * series to the durable {@link SampleQueue} before it goes on (one thread fsyncs it every second), another sends batches in
 * queue order and moves the checkpoint only when the receiver took them (2xx) or refused them for good (4xx other than
 * 429: counted as rejected). 5xx, 429 and network errors are retried with full-jitter backoff for as long as the queue's
 * bounds allow; what falls outside them is dropped and counted ({@code flick.remote_write.dropped}).
 */
@Component
public class RemoteWrite implements StoredSnapshotListener {

    private static final Logger log = LoggerFactory.getLogger(RemoteWrite.class);
    static final String KEY = "remote-write";

    private final SettingsStore settings;
    private final SecretCipher cipher;
    private final ObjectMapper json;
    private final Servers servers;
    private final RemoteWriteLimits limits;
    private final MeterRegistry meters;
    private final SampleQueue queue;
    /** Appended since the last fsync; guarded by {@code lock}. */
    private boolean unsynced;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final Map<String, Counter> droppedByReason = new ConcurrentHashMap<>();
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Counter sentCounter;
    private final Counter rejectedCounter;
    private final HttpClient http;
    private final Thread encoder;
    private final Thread sender;
    private volatile RemoteWriteConfig config;
    private volatile boolean running = true;
    private volatile String lastError;
    private volatile Long lastErrorAt;
    private volatile Long lastSentAt;
    private volatile long namesReadAt;

    RemoteWrite(SettingsStore settings, SecretCipher cipher, ObjectMapper json, Servers servers, DataDir dataDir,
                RemoteWriteLimits limits, MeterRegistry meters) {
        this.settings = settings;
        this.cipher = cipher;
        this.json = json;
        this.servers = servers;
        this.limits = limits;
        this.meters = meters;
        this.queue = new SampleQueue(dataDir.root().resolve("remote-write"), limits.maxBytes().toBytes(),
                limits.maxAge().toMillis(), (reason, n) -> dropped(reason, n));
        this.sentCounter = Counter.builder("flick.remote_write.sent").description("Samples the remote-write receiver took").register(meters);
        this.rejectedCounter = Counter.builder("flick.remote_write.rejected")
                .description("Samples the remote-write receiver refused for good (4xx other than 429)").register(meters);
        Gauge.builder("flick.remote_write.queued", this, r -> r.status().queuedSamples()).register(meters);
        this.config = settings.get(KEY).map(this::open).orElse(RemoteWriteConfig.OFF);
        this.http = HttpClient.newBuilder().connectTimeout(limits.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        this.encoder = Thread.ofPlatform().name("flick-remote-write-sync").daemon().start(this::syncLoop);
        this.sender = Thread.ofPlatform().name("flick-remote-write-send").daemon().start(this::sendLoop);
    }

    @Override
    public void onStored(Snapshot snapshot) {
        RemoteWriteConfig c = config;
        if (!c.enabled()) return;
        // Appended here, on the caller's thread, so a hub that is killed loses nothing it handed over (the write is in
        // the kernel's hands at once; the queue thread fsyncs every second for power loss).
        RemoteWriteSeries.Encoded e = RemoteWriteSeries.encode(snapshot, name(snapshot.serverId()), c.extraLabels());
        lock.lock();
        try {
            queue.append(snapshot.ts(), e.samples(), Snappy.compress(e.bytes()));
            unsynced = true;
            appended.signalAll();
        } catch (IOException | RuntimeException ex) {
            // Cannot write the queue (disk full, …): these samples are lost to the receiver, and counted.
            dropped("queue-unwritable", e.samples());
            failed("The remote-write queue cannot be written: " + ex.getMessage());
        } finally {
            lock.unlock();
        }
    }

    RemoteWriteConfig config() {
        return config;
    }

    /** Stores the new settings (secrets sealed) and sends with them from the next batch on; queued samples stay queued. */
    void change(RemoteWriteConfig next, String actor) {
        settings.put(KEY, json.writeValueAsString(seal(next)), actor);
        config = next;
        lock.lock();
        try {
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** What an admin sees: how far behind the receiver is and why. */
    record Status(boolean enabled, long queuedSamples, long queuedSnapshots, long queuedBytes, Long lagMs, long sentSamples,
                  long rejectedSamples, long droppedSamples, Map<String, Long> dropped, String lastError, Long lastErrorAt,
                  Long lastSentAt) {}

    Status status() {
        long qs, qr, qb;
        java.util.OptionalLong oldest;
        lock.lock();
        try {
            qs = queue.queuedSamples();
            qr = queue.queuedRecords();
            qb = queue.bytesOnDisk();
            oldest = queue.oldestTs();
        } finally {
            lock.unlock();
        }
        Map<String, Long> byReason = new TreeMap<>();
        droppedByReason.forEach((r, c) -> byReason.put(r, (long) c.count()));
        long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        Long lag = oldest.isPresent() ? Math.max(0, System.currentTimeMillis() - oldest.getAsLong()) : null;
        return new Status(config.enabled(), qs, qr, qb, lag, sent.get(), rejected.get(), total, byReason, lastError,
                lastErrorAt, lastSentAt);
    }

    /** Fsyncs what was appended since the last pass, once a second. */
    private void syncLoop() {
        while (running) {
            try {
                Thread.sleep(1_000);
                lock.lock();
                try {
                    if (unsynced) {
                        queue.sync();
                        unsynced = false;
                    }
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                failed("The remote-write queue cannot be synced: " + e.getMessage());
            }
        }
    }

    private void sendLoop() {
        int attempt = 0;
        while (running) {
            try {
                SampleQueue.Batch batch;
                lock.lock();
                try {
                    batch = queue.read(Math.max(1, limits.batchSamples() / 100), 4L << 20, System.currentTimeMillis());
                    if (batch.isEmpty()) {
                        if (batch.records() > 0) queue.commit(batch); // only samples past the age bound
                        else appended.await(1, TimeUnit.SECONDS);
                        continue;
                    }
                } finally {
                    lock.unlock();
                }
                while (running) {
                    RemoteWriteConfig c = config;
                    if (!c.enabled()) {
                        sleep(1_000);
                        continue;
                    }
                    Outcome o = send(c, batch);
                    if (o == Outcome.RETRY) {
                        long ceiling = Math.min(limits.maxBackoff().toMillis(), 250L << Math.min(attempt++, 16));
                        sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
                        continue;
                    }
                    attempt = 0;
                    if (o == Outcome.SENT) {
                        sent.addAndGet(batch.samples());
                        sentCounter.increment(batch.samples());
                        lastSentAt = System.currentTimeMillis();
                    } else {
                        rejected.addAndGet(batch.samples());
                        rejectedCounter.increment(batch.samples());
                    }
                    lock.lock();
                    try {
                        queue.commit(batch);
                    } finally {
                        lock.unlock();
                    }
                    break;
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                failed("The remote-write queue cannot be read: " + e.getMessage());
                try {
                    sleep(5_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private enum Outcome { SENT, REJECTED, RETRY }

    private Outcome send(RemoteWriteConfig c, SampleQueue.Batch batch) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(batch.series().size() * 8_192);
        for (byte[] b : batch.series()) all.write(Snappy.uncompress(b));
        byte[] body = all.toByteArray();
        byte[] compressed = Snappy.compress(body);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(c.url())).timeout(limits.timeout())
                .header("Content-Encoding", "snappy")
                .header("Content-Type", "application/x-protobuf")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .header("User-Agent", "FLick")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed));
        if (c.bearerToken() != null) req.header("Authorization", "Bearer " + c.bearerToken());
        else if (c.basicUsername() != null) {
            String pair = c.basicUsername() + ":" + (c.basicPassword() == null ? "" : c.basicPassword());
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r;
        try {
            r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.RETRY;
        } catch (IOException e) {
            failed("Cannot reach the receiver (" + kind(e) + ")");
            return Outcome.RETRY;
        }
        int code = r.statusCode();
        if (code / 100 == 2) {
            if (lastError != null) log.info("Remote write to {} works again", c.url());
            lastError = null;
            return Outcome.SENT;
        }
        String body2 = r.body() == null ? "" : r.body().replaceAll("\\p{Cntrl}", " ");
        if (code == 429 || code >= 500) {
            failed("The receiver answered HTTP " + code + " (retrying)");
            return Outcome.RETRY;
        }
        log.warn("Remote write: the receiver refused {} samples with HTTP {}: {}", batch.samples(), code,
                body2.length() > 300 ? body2.substring(0, 300) : body2);
        failed("The receiver refused " + batch.samples() + " samples: HTTP " + code);
        return Outcome.REJECTED;
    }

    private void failed(String reason) {
        if (!reason.equals(lastError)) log.warn("Remote write: {}", reason);
        lastError = reason;
        lastErrorAt = System.currentTimeMillis();
    }

    private void dropped(String reason, long samples) {
        droppedByReason.computeIfAbsent(reason, r -> Counter.builder("flick.remote_write.dropped").tag("reason", r)
                .description("Samples never sent: a documented bound was exceeded (docs/prometheus-remote-write.md)")
                .register(meters)).increment(samples);
    }

    private String name(String serverId) {
        long now = System.currentTimeMillis();
        if (now - namesReadAt > 60_000 || !names.containsKey(serverId)) {
            try {
                for (Servers.Known k : servers.all()) names.put(k.id(), k.name());
                namesReadAt = now;
            } catch (RuntimeException e) {
                // the database is away: the id stands in for the name
            }
        }
        return names.getOrDefault(serverId, serverId);
    }

    private static String kind(IOException e) {
        String n = e.getClass().getSimpleName();
        if (e instanceof java.net.ConnectException) return "connection refused";
        if (e instanceof java.net.http.HttpTimeoutException) return "timed out";
        return n;
    }

    private static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    // Stored form: secrets sealed with the hub's key ring, base64.
    record Stored(String url, String bearerToken, String basicUsername, String basicPassword, Map<String, String> extraLabels) {}

    private Stored seal(RemoteWriteConfig c) {
        return new Stored(c.url(), sealOne("bearer", c.bearerToken()), c.basicUsername(), sealOne("basic", c.basicPassword()),
                c.extraLabels());
    }

    private String sealOne(String what, String value) {
        return value == null ? null : Base64.getEncoder().encodeToString(cipher.encrypt("remote-write-" + what, "settings", value));
    }

    private RemoteWriteConfig open(String stored) {
        try {
            Stored s = json.readValue(stored, Stored.class);
            return new RemoteWriteConfig(s.url(), openOne("bearer", s.bearerToken()), s.basicUsername(),
                    openOne("basic", s.basicPassword()), s.extraLabels() == null ? Map.of() : new LinkedHashMap<>(s.extraLabels()));
        } catch (SecretCipher.Undecryptable e) {
            log.error("Remote write is off: its stored credentials cannot be opened ({}); enter them again in Settings", e.getMessage());
            return RemoteWriteConfig.OFF;
        }
    }

    private String openOne(String what, String sealed) {
        return sealed == null ? null : cipher.decrypt("remote-write-" + what, "settings", Base64.getDecoder().decode(sealed));
    }

    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        encoder.interrupt();
        sender.interrupt();
        encoder.join(5_000);
        sender.join(5_000);
        lock.lock();
        try {
            queue.close();
        } finally {
            lock.unlock();
        }
    }
}
