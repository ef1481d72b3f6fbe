package dev.flick.hub.collect;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import dev.flick.collector.HostInfo;
import dev.flick.collector.ProcSnapshotCalculator;
import dev.flick.collector.Snapshot;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.servers.Presence;
import dev.flick.hub.servers.Servers;
import dev.flick.hub.servers.SshAddresses;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one prometheus-mode server: scrapes its node_exporter at the hub interval (nothing is installed on the
 * target), turns each scrape into a snapshot with the collectors' shared arithmetic ({@link NodeExporterSample},
 * {@link ProcSnapshotCalculator}) and hands it to {@link Ingest#accept}, like the SSH watcher. The URL's host is vetted
 * by {@link SshAddresses} before every scrape and the connection goes to that vetted address (the client's resolver
 * answers with it), so a DNS answer that changes in between cannot slip through. Failures become the server's status
 * with a reason that names the kind of failure, never what the target sent; then full-jitter backoff.
 */
final class PrometheusWatch {

    private static final Logger log = LoggerFactory.getLogger(PrometheusWatch.class);
    static final int MAX_BODY = 16 << 20;

    private final String serverId;
    private final Servers servers;
    private final SshAddresses addresses;
    private final Presence presence;
    private final Ingest ingest;
    private final Duration interval;
    private final EventLog eventLog;
    private final ProcSnapshotCalculator calculator;
    private final CloseableHttpClient http;
    private volatile InetAddress vetted;
    private volatile boolean running = true;
    private Thread thread;
    private String lastError;
    private boolean up;
    private HostInfo info;

    /** A failed scrape; the message is the server's status reason. */
    static final class ScrapeFailure extends Exception {
        final boolean retry;

        ScrapeFailure(String message, boolean retry) {
            super(message, null, false, false);
            this.retry = retry;
        }
    }

    PrometheusWatch(String serverId, Servers servers, SshAddresses addresses, Presence presence, Ingest ingest, Duration interval,
                    EventLog eventLog) {
        this.serverId = serverId;
        this.servers = servers;
        this.addresses = addresses;
        this.presence = presence;
        this.ingest = ingest;
        this.interval = interval;
        this.eventLog = eventLog;
        this.calculator = new ProcSnapshotCalculator(serverId);
        Timeout timeout = Timeout.ofMilliseconds(Math.max(2_000, Math.min(10_000, interval.toMillis() * 5)));
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new VettedResolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("FLick")
                .build();
    }

    void start() {
        thread = Thread.ofVirtual().name("flick-scrape-" + serverId).start(this::loop);
    }

    void stop() {
        running = false;
        if (thread != null) thread.interrupt();
    }

    void join(long millis) throws InterruptedException {
        if (thread != null) thread.join(millis);
        try {
            http.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private void loop() {
        long attempt = 0;
        long next = System.currentTimeMillis();
        while (running) {
            try {
                Optional<Servers.ScrapeTarget> target = servers.scrapeTarget(serverId);
                if (target.isEmpty()) return;
                long started = System.currentTimeMillis();
                scrape(target.get());
                attempt = 0;
                next = Math.max(next + interval.toMillis(), started + interval.toMillis() / 2);
                long wait = next - System.currentTimeMillis();
                if (wait > 0) Thread.sleep(wait);
            } catch (ScrapeFailure f) {
                if (!running) return;
                failed(f.getMessage());
                if (!f.retry) return; // an edit starts a new watch
                long ceiling = Math.min(30_000, interval.toMillis() << Math.min(attempt++, 10));
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(interval.toMillis(), Math.max(interval.toMillis(), ceiling) + 1));
                } catch (InterruptedException e) {
                    return;
                }
                next = System.currentTimeMillis();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("prometheus server {}: unexpected {}", serverId, e.toString());
                if (running) failed("Unexpected error: " + e.getClass().getSimpleName());
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException ie) {
                    return;
                }
                next = System.currentTimeMillis();
            }
        }
    }

    private void failed(String reason) {
        presence.error(serverId, reason);
        if (up) {
            eventLog.hub("warning", "node_exporter scrapes stopped: " + reason, null, "server:" + serverId, serverId);
        } else if (!reason.equals(lastError)) {
            eventLog.hub("error", "node_exporter scrape failed: " + reason, null, "server:" + serverId, serverId);
            log.info("prometheus server {}: {}", serverId, reason);
        }
        up = false;
        lastError = reason;
    }

    private void scrape(Servers.ScrapeTarget t) throws ScrapeFailure, InterruptedException {
        URI uri = URI.create(t.url());
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        String where = host + ":" + port;
        try {
            InetSocketAddress a = addresses.vet(host, port, t.allowLoopback(), "node_exporter URLs");
            vetted = a.getAddress();
        } catch (UnknownHostException e) {
            throw new ScrapeFailure("Cannot resolve the host name " + host, true);
        } catch (SshAddresses.Refused e) {
            throw new ScrapeFailure("Not connecting: " + e.getMessage(), false);
        }
        HttpGet get = new HttpGet(uri);
        get.setHeader("Accept", "text/plain;version=0.0.4");
        String body;
        long ts, clock;
        try {
            body = http.execute(get, response -> {
                int code = response.getCode();
                if (code == 401 || code == 403) throw new StatusFailure("The node_exporter refused the request: HTTP " + code);
                if (code != 200) throw new StatusFailure("HTTP " + code + " from " + t.url());
                if (response.getEntity() == null) throw new StatusFailure("An empty answer from " + t.url());
                try (InputStream in = response.getEntity().getContent()) {
                    byte[] bytes = in.readNBytes(MAX_BODY + 1);
                    if (bytes.length > MAX_BODY) throw new StatusFailure("The answer from " + t.url() + " is larger than 16 MiB");
                    return new String(bytes, StandardCharsets.UTF_8);
                }
            });
            ts = System.currentTimeMillis();
            clock = System.nanoTime();
        } catch (StatusFailure e) {
            throw new ScrapeFailure(e.getMessage(), true);
        } catch (java.net.ConnectException e) {
            throw new ScrapeFailure("Connection refused by " + where + " (is node_exporter running there?)", true);
        } catch (java.net.SocketTimeoutException e) {
            throw new ScrapeFailure("No answer from " + where + " (timed out)", true);
        } catch (javax.net.ssl.SSLException e) {
            throw new ScrapeFailure("TLS with " + where + " failed (certificate or protocol)", true);
        } catch (UnknownHostException e) {
            throw new ScrapeFailure("Cannot resolve the host name " + host, true);
        } catch (IOException e) {
            log.info("prometheus server {}: {} ({})", serverId, e.getClass().getSimpleName(), clean(e.getMessage()));
            throw new ScrapeFailure("Could not read from " + where + " (" + e.getClass().getSimpleName() + ")", true);
        }
        if (!running) return;
        Snapshot snapshot;
        HostInfo now;
        try {
            Exposition e = Exposition.parse(body);
            snapshot = calculator.next(NodeExporterSample.of(e, ts, clock));
            now = NodeExporterSample.info(e);
        } catch (Exposition.Malformed e) {
            log.info("prometheus server {}: not the text exposition format: {}", serverId, e.getMessage());
            throw new ScrapeFailure("Not a node_exporter: the answer is not in the Prometheus text format (" + e.getMessage() + ")", true);
        } catch (NodeExporterSample.NotNodeExporter e) {
            throw new ScrapeFailure(e.getMessage(), true);
        }
        if (!now.equals(info) && (info == null || !sameMachine(info, now))) servers.updateInfo(serverId, now);
        info = now;
        if (!up) {
            eventLog.hub("info", "Scraping node_exporter at " + t.url() + " (" + now.hostname() + ")", null, "server:" + serverId, serverId);
            log.info("prometheus server {}: scraping {} ({})", serverId, t.url(), now.hostname());
        }
        up = true;
        lastError = null;
        ingest.accept(snapshot);
    }

    /** Uptime grows every scrape; the stored info changes only when the machine does. */
    private static boolean sameMachine(HostInfo a, HostInfo b) {
        return a.hostname().equals(b.hostname()) && a.os().equals(b.os()) && a.kernel().equals(b.kernel())
                && a.cores() == b.cores() && a.memoryTotal() == b.memoryTotal() && java.util.Objects.equals(a.cpuModel(), b.cpuModel());
    }

    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", " ");
    }

    /** A response the watch will not use; carried out of the response handler. */
    private static final class StatusFailure extends IOException {
        StatusFailure(String message) {
            super(message, null);
        }
    }

    /** Answers every lookup with the address vetted for this scrape: no second DNS lookup between check and connect. */
    private final class VettedResolver implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress a = vetted;
            if (a == null) throw new UnknownHostException(host);
            return new InetAddress[] {a};
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            return List.of(new InetSocketAddress(resolve(host)[0], port));
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
