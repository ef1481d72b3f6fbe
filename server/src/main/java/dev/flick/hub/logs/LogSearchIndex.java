package dev.flick.hub.logs;

import java.util.List;

import dev.flick.hub.config.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, a trigram GIN index makes substring search over millions of log lines an index read. pg_trgm ships
 * with PostgreSQL's contrib and is a trusted extension, but a database may lack it: then searches scan, and the log
 * says so. (SQLite gets its FTS5 trigram index from the migration.)
 */
@Component
class LogSearchIndex {

    private static final Logger log = LoggerFactory.getLogger(LogSearchIndex.class);

    private final Database db;
    private final JdbcClient jdbc;
    private volatile boolean trigram;

    LogSearchIndex(Database db, JdbcClient jdbc) {
        this.db = db;
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationStartedEvent.class)
    void ensure() {
        if (db.dialect() == Database.Dialect.SQLITE) {
            trigram = true;
            return;
        }
        try {
            boolean available = jdbc.sql("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
                    .query(Long.class).single() > 0;
            if (!available) {
                log.info("Log search: pg_trgm is not available; text searches scan the logs table");
                return;
            }
            jdbc.sql("CREATE EXTENSION IF NOT EXISTS pg_trgm").update();
            // The extension may live in another schema than FLick's tables: name its operator class fully.
            String schema = jdbc.sql("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
                    .query(String.class).single();
            jdbc.sql("CREATE INDEX IF NOT EXISTS logs_message_trgm ON logs USING gin (message " + schema + ".gin_trgm_ops)").update();
            trigram = true;
            log.info("Log search: trigram index on logs.message");
        } catch (RuntimeException e) {
            log.warn("Log search: could not create the trigram index ({}); text searches scan the logs table", e.getMessage());
        }
    }

    /** Beyond this many matches a word is common: scanning newest-first finds a page of it sooner than the index. */
    static final int COMMON = 2_000;

    /** SQL (and its parameter) restricting logs to lines whose message contains {@code q}, case-insensitively. */
    String contains(String q, List<Object> params) {
        String pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        if (db.dialect() == Database.Dialect.POSTGRESQL) {
            params.add(pattern);
            return " AND message ILIKE ? ESCAPE '\\'"; // the planner weighs the trigram index against the ts index itself
        }
        if (q.length() >= 3) {
            // SQLite has no such planner for FTS: count (up to a cap) how often the phrase occurs and pick the plan.
            String phrase = "\"" + q.replace("\"", "\"\"") + "\"";
            int matches = jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM logs_fts WHERE logs_fts MATCH ? LIMIT " + COMMON + ")")
                    .param(phrase).query(Integer.class).single();
            if (matches < COMMON) {
                params.add(phrase);
                return " AND id IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?)";
            }
        }
        params.add(pattern);
        return " AND message LIKE ? ESCAPE '\\'";
    }
}
