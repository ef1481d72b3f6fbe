package dev.flick.hub.notify;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.flick.hub.auth.User;
import dev.flick.hub.auth.UserAccounts;
import dev.flick.hub.servers.ServerAccess;

import tools.jackson.databind.ObjectMapper;

import jakarta.annotation.PreDestroy;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Web Push (RFC 8030) to every browser subscribed by the people who get the in-app notice: one encrypted POST per
 * subscription (RFC 8291, VAPID RFC 8292), one push_deliveries row each, retried like {@link Deliveries}
 * (retryBase × 4ⁿ, maxAttempts). A 404 or 410 means the browser dropped the subscription: the row goes.
 * Push endpoints are vetted like webhook URLs (https, public addresses, the connection goes to the vetted address).
 */
@Component
class WebPushSender implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(WebPushSender.class);
    private static final long LEASE_MS = 120_000;
    /** How long a push service keeps an undelivered message for an offline device. */
    static final int TTL_SECONDS = 86_400;
    /** VAPID tokens live 12 h (RFC 8292 allows up to 24 h). */
    private static final long JWT_SECONDS = 12 * 3600;

    private final JdbcClient jdbc;
    private final PushSubscriptions subscriptions;
    private final UserAccounts users;
    private final ServerAccess access;
    private final VapidKeys keys;
    private final NotifySettings settings;
    private final PublicLinks links;
    private final ObjectMapper json;
    private final CloseableHttpClient guarded;
    private final CloseableHttpClient open;
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("flick-push-", 0).factory());

    WebPushSender(JdbcClient jdbc, PushSubscriptions subscriptions, UserAccounts users, ServerAccess access, VapidKeys keys,
                  NotifySettings settings, PublicLinks links, ObjectMapper json) {
        this.jdbc = jdbc;
        this.subscriptions = subscriptions;
        this.users = users;
        this.access = access;
        this.keys = keys;
        this.settings = settings;
        this.links = links;
        this.json = json;
        this.guarded = client(new WebhookAddresses.GuardedResolver());
        this.open = client(SystemDefaultDnsResolver.INSTANCE);
    }

    /** Built like WebhookSender's client: timeouts, no redirects, no automatic retries, no cookies. */
    private CloseableHttpClient client(DnsResolver resolver) {
        Timeout connect = Timeout.of(settings.connectTimeout());
        Timeout read = Timeout.of(settings.readTimeout());
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(read).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read).setConnectionRequestTimeout(connect).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("FLick-push/1")
                .build();
    }

    /** What the service worker shows; url is relative to the app (its router's "#/servers/<id>?at=<ts>"). */
    record Payload(String title, String body, String level, String tag, String kind, String eventId, String serverId,
                   Long ts, String url) {}

    /** Why an endpoint is not acceptable as a push target as typed, or empty. Push services are public HTTPS hosts. */
    Optional<String> invalidEndpoint(String endpoint) {
        boolean allowPrivate = settings.webhookAllowPrivate();
        Optional<String> bad = WebhookSender.invalid(endpoint, allowPrivate);
        if (bad.isPresent()) return bad;
        if (!allowPrivate && !endpoint.trim().toLowerCase(Locale.ROOT).startsWith("https://")) return Optional.of("must be an https:// URL");
        if (endpoint.length() > 2000) return Optional.of("is too long");
        return Optional.empty();
    }

    @Override
    public void notify(Notice n) {
        if (n.kind() == Notice.Kind.TEST) return;
        Payload payload = payload(n);
        for (User u : users.active()) {
            // The same people as the in-app notice: only those who may see the server.
            if (n.serverId() != null && !access.canView(u.id(), u.role(), n.serverId())) continue;
            for (PushSubscriptions.Subscription s : subscriptions.forUser(u.id())) {
                String id = record(s.id(), n.eventId(), payload);
                senders.execute(() -> attempt(id));
            }
        }
    }

    static Payload payload(Notice n) {
        String level = n.kind() == Notice.Kind.RESOLVED ? "info" : n.level();
        String body = Inbox.body(n);
        if (body.length() > 1000) body = body.substring(0, 1000) + "…";
        String url = n.serverId() == null ? "#/" : "#/servers/" + java.net.URLEncoder.encode(n.serverId(), StandardCharsets.UTF_8) + "?at=" + n.ts();
        // One tag per rule × server × mount: a resolve or a reminder replaces the earlier notification on the device.
        String tag = "flick-" + n.ruleId() + "-" + n.serverId() + (n.mount() == null ? "" : "-" + n.mount());
        return new Payload(n.headline(), body, level, tag, n.kind().name().toLowerCase(Locale.ROOT), n.eventId(), n.serverId(), n.ts(), url);
    }

    private String record(String subscriptionId, String eventId, Payload payload) {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        jdbc.sql("""
                        INSERT INTO push_deliveries (id, subscription_id, event_id, status, attempts, next_attempt_at, created_at, payload)
                        VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)""")
                .params(id, subscriptionId, eventId, now + LEASE_MS, now, json.writeValueAsString(payload)).update();
        return id;
    }

    @Scheduled(fixedDelayString = "${flick.notify.retry-sweep:5000}", initialDelay = 5_000)
    void retryDue() {
        long now = System.currentTimeMillis();
        List<String> due = jdbc.sql("SELECT id FROM push_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 100")
                .param(now).query(String.class).list();
        for (String id : due) {
            int leased = jdbc.sql("UPDATE push_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?")
                    .params(now + LEASE_MS, id, now).update();
            if (leased == 1) senders.execute(() -> attempt(id));
        }
    }

    private void attempt(String id) {
        try {
            var row = jdbc.sql("SELECT subscription_id, attempts, payload FROM push_deliveries WHERE id = ?").param(id)
                    .query((rs, n) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3)}).optional();
            if (row.isEmpty()) return;
            Optional<PushSubscriptions.Subscription> sub = subscriptions.find((String) row.get()[0]);
            if (sub.isEmpty()) return; // removed: the delivery went with it
            int attempts = (int) row.get()[1] + 1;
            Sent sent = send(sub.get(), ((String) row.get()[2]).getBytes(StandardCharsets.UTF_8));
            if (sent.gone()) {
                log.info("Push subscription {} is gone at the push service (HTTP {}): removed", sub.get().id(), sent.status());
                subscriptions.expire(sub.get().id());
                return;
            }
            finish(id, attempts, sent);
        } catch (RuntimeException e) {
            log.warn("Push delivery {} could not be attempted: {}", id, e.toString());
        }
    }

    /** status 0: no answer; error: why it failed, safe to store (never the endpoint's path, never a response body). */
    record Sent(int status, String error) {
        boolean delivered() {
            return status >= 200 && status < 300;
        }

        boolean gone() {
            return status == 404 || status == 410;
        }

        /** A 4xx other than 429 will not get better by asking again. */
        boolean hopeless() {
            return status >= 400 && status < 500 && status != 429;
        }
    }

    Sent send(PushSubscriptions.Subscription s, byte[] plaintext) {
        Optional<String> bad = invalidEndpoint(s.endpoint());
        if (bad.isPresent()) return new Sent(0, "refused: the endpoint " + bad.get());
        URI endpoint = URI.create(s.endpoint().trim());
        byte[] body = WebPushCrypto.encrypt(plaintext, WebPushCrypto.unb64(s.p256dh()), WebPushCrypto.unb64(s.auth()));
        HttpPost post = new HttpPost(endpoint);
        post.setHeader("TTL", Integer.toString(TTL_SECONDS));
        post.setHeader("Content-Encoding", "aes128gcm");
        post.setHeader("Urgency", "high");
        post.setHeader("Authorization", "vapid t=" + WebPushCrypto.vapidJwt(keys.privateKey(), audience(endpoint),
                System.currentTimeMillis() / 1000 + JWT_SECONDS, subject()) + ", k=" + keys.publicKey());
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
        try {
            int status = (settings.webhookAllowPrivate() ? open : guarded).execute(post, response -> {
                if (response.getEntity() != null) response.getEntity().getContent().skip(64 * 1024);
                return response.getCode();
            });
            return new Sent(status, status >= 200 && status < 300 ? null : "HTTP " + status);
        } catch (WebhookAddresses.Refused e) {
            return new Sent(0, e.getMessage());
        } catch (IOException e) {
            return new Sent(0, e.getClass().getSimpleName() + " reaching " + endpoint.getHost());
        }
    }

    /** RFC 8292 §2: aud is the push resource's origin. */
    static String audience(URI endpoint) {
        String origin = endpoint.getScheme().toLowerCase(Locale.ROOT) + "://" + endpoint.getHost();
        return endpoint.getPort() == -1 ? origin : origin + ":" + endpoint.getPort();
    }

    /** A contact for the push service's operator: the mail sender when set, else FLick's public URL. */
    String subject() {
        String from = settings.mailFrom();
        if (from != null && !from.isBlank()) return "mailto:" + from.trim();
        return links.base();
    }

    private void finish(String id, int attempts, Sent sent) {
        long now = System.currentTimeMillis();
        if (sent.delivered()) {
            jdbc.sql("UPDATE push_deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, next_attempt_at = NULL WHERE id = ?")
                    .params(attempts, now, id).update();
            return;
        }
        boolean giveUp = sent.hopeless() || attempts >= settings.maxAttempts();
        long delay = settings.retryBase().toMillis() * (1L << Math.min(2 * (attempts - 1), 20));
        String error = sent.error() == null ? "HTTP " + sent.status() : sent.error();
        jdbc.sql("UPDATE push_deliveries SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?")
                .params(giveUp ? "failed" : "pending", attempts, error.length() > 500 ? error.substring(0, 500) : error,
                        giveUp ? null : now + delay, id).update();
        log.info("Push delivery {} attempt {} failed{}: {}", id, attempts, giveUp ? " for good" : ", will retry", error);
    }

    /** Recent pushes to one subscription, for the device list. */
    Map<String, Object> health(String subscriptionId) {
        Long delivered = jdbc.sql("SELECT max(delivered_at) FROM push_deliveries WHERE subscription_id = ?")
                .param(subscriptionId).query(Long.class).optional().orElse(null);
        String lastError = jdbc.sql("SELECT last_error FROM push_deliveries WHERE subscription_id = ? AND last_error IS NOT NULL ORDER BY created_at DESC LIMIT 1")
                .param(subscriptionId).query(String.class).optional().orElse(null);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (delivered != null) out.put("lastDeliveredAt", delivered);
        if (lastError != null) out.put("lastError", lastError);
        return out;
    }

    @PreDestroy
    void close() throws IOException {
        senders.shutdown();
        guarded.close();
        open.close();
    }
}
