package dev.flick.hub.notify;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.ObjectMapper;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends a notice to each of the rule's channels and keeps a row per delivery: pending until it went through,
 * retried with growing delays (retryBase × 4ⁿ), failed for good after maxAttempts. The payload is stored so
 * a retry after a hub restart sends the same message. The alert event itself was recorded before any of this.
 */
@Component
class Deliveries implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    /** While one attempt runs, the row is leased this long so the retry sweep does not pick it up as well. */
    private static final long LEASE_MS = 120_000;

    private final JdbcClient jdbc;
    private final ChannelRepository channels;
    private final EmailSender email;
    private final WebhookSender webhooks;
    private final NotifySettings settings;
    private final ObjectMapper json;
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("flick-delivery-", 0).factory());

    Deliveries(JdbcClient jdbc, ChannelRepository channels, EmailSender email, WebhookSender webhooks, NotifySettings settings,
               ObjectMapper json) {
        this.jdbc = jdbc;
        this.channels = channels;
        this.email = email;
        this.webhooks = webhooks;
        this.settings = settings;
        this.json = json;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delivery(String id, String channelId, String eventId, String kind, String status, int attempts, String lastError,
                    Long nextAttemptAt, long createdAt, Long deliveredAt) {}

    @Override
    public void notify(Notice notice) {
        for (String channelId : notice.channelIds()) {
            Optional<Channel> channel = channels.find(channelId);
            if (channel.isEmpty()) continue; // deleted since the rule was saved
            String id = record(channelId, notice);
            if (id != null) senders.execute(() -> attempt(id));
        }
    }

    /** Sends a test through the channel now and reports how it went; recorded like any delivery, never retried. */
    Outcome test(Channel channel, Notice notice) {
        String id = record(channel.id(), notice);
        Outcome outcome = send(channel, notice);
        finish(id, 1, outcome, true);
        return outcome;
    }

    /**
     * Records a pending delivery; null when this notice already has one on the channel (another hub of a cluster
     * recorded it first: the unique index of V16 decides, not the leases).
     */
    private String record(String channelId, Notice notice) {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        int inserted = jdbc.sql("""
                        INSERT INTO alert_deliveries (id, channel_id, event_id, kind, status, attempts, next_attempt_at, created_at, payload)
                        VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(id, channelId, notice.eventId(), notice.kind().name().toLowerCase(java.util.Locale.ROOT), now + LEASE_MS, now,
                        json.writeValueAsString(notice))
                .update();
        return inserted == 1 ? id : null;
    }

    @Scheduled(fixedDelayString = "${flick.notify.retry-sweep:5000}", initialDelay = 5_000)
    void retryDue() {
        long now = System.currentTimeMillis();
        List<String> due = jdbc.sql("SELECT id FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 100")
                .param(now).query(String.class).list();
        for (String id : due) {
            int leased = jdbc.sql("UPDATE alert_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?")
                    .params(now + LEASE_MS, id, now).update();
            if (leased == 1) senders.execute(() -> attempt(id));
        }
    }

    private void attempt(String id) {
        try {
            var row = jdbc.sql("SELECT channel_id, attempts, payload FROM alert_deliveries WHERE id = ?").param(id)
                    .query((rs, n) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3)}).optional();
            if (row.isEmpty()) return;
            Optional<Channel> channel = channels.find((String) row.get()[0]);
            int attempts = (int) row.get()[1] + 1;
            if (channel.isEmpty()) return; // cascade removed the delivery with it
            Notice notice = json.readValue((String) row.get()[2], Notice.class);
            finish(id, attempts, send(channel.get(), notice), false);
        } catch (RuntimeException e) {
            log.warn("Delivery {} could not be attempted: {}", id, e.toString());
        }
    }

    private Outcome send(Channel channel, Notice notice) {
        try {
            return channel.kind() == ChannelKind.EMAIL ? email.send(channel, notice) : webhooks.send(channel, notice);
        } catch (RuntimeException e) {
            return Outcome.failed(e.getClass().getSimpleName());
        }
    }

    private void finish(String id, int attempts, Outcome outcome, boolean once) {
        long now = System.currentTimeMillis();
        switch (outcome) {
            case Outcome.Delivered d -> jdbc.sql("""
                            UPDATE alert_deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, next_attempt_at = NULL
                            WHERE id = ?""")
                    .params(attempts, now, id).update();
            case Outcome.Failed f -> {
                boolean giveUp = once || attempts >= settings.maxAttempts();
                long delay = settings.retryBase().toMillis() * (1L << Math.min(2 * (attempts - 1), 20));
                jdbc.sql("UPDATE alert_deliveries SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?")
                        .params(giveUp ? "failed" : "pending", attempts, f.reason(), giveUp ? null : now + delay, id).update();
                log.info("Delivery {} attempt {} failed{}: {}", id, attempts, giveUp ? " for good" : ", will retry", f.reason());
            }
        }
    }

    List<Delivery> forChannel(String channelId, int limit) {
        return jdbc.sql("""
                        SELECT id, channel_id, event_id, kind, status, attempts, last_error, next_attempt_at, created_at, delivered_at
                        FROM alert_deliveries WHERE channel_id = ? ORDER BY created_at DESC LIMIT ?""")
                .params(channelId, limit)
                .query((rs, n) -> new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), rs.getString(7), longOrNull(rs, 8), rs.getLong(9), longOrNull(rs, 10)))
                .list();
    }

    private static Long longOrNull(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** Per channel: deliveries that are failing now (waiting to retry after an error) or failed for good in the last day. */
    record Health(long failing, String lastError, Long lastDeliveredAt) {}

    Health health(String channelId) {
        long since = System.currentTimeMillis() - 86_400_000L;
        long failing = jdbc.sql("""
                        SELECT count(*) FROM alert_deliveries WHERE channel_id = ? AND created_at >= ?
                        AND (status = 'failed' OR (status = 'pending' AND last_error IS NOT NULL))""")
                .params(channelId, since).query(Long.class).single();
        String lastError = jdbc.sql("SELECT last_error FROM alert_deliveries WHERE channel_id = ? AND last_error IS NOT NULL ORDER BY created_at DESC LIMIT 1")
                .param(channelId).query(String.class).optional().orElse(null);
        Long delivered = jdbc.sql("SELECT max(delivered_at) FROM alert_deliveries WHERE channel_id = ?")
                .param(channelId).query(Long.class).optional().orElse(null);
        return new Health(failing, lastError, delivered);
    }

    @PreDestroy
    void close() {
        senders.shutdown();
    }
}
