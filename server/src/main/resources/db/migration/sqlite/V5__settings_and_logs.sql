-- Settings the admin changes at run time (retention, …), one JSON value per key.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT
);

CREATE INDEX logs_source_ts ON logs (source, ts);

-- Text search over logs: an FTS5 trigram index keeps substring semantics (LIKE '%kernel panic%') but reads the
-- index instead of every line. Kept in step with logs by triggers.
CREATE VIRTUAL TABLE logs_fts USING fts5(message, content = 'logs', content_rowid = 'id', tokenize = 'trigram');

CREATE TRIGGER logs_fts_insert AFTER INSERT ON logs BEGIN
    INSERT INTO logs_fts (rowid, message) VALUES (new.id, new.message);
END;

CREATE TRIGGER logs_fts_delete AFTER DELETE ON logs BEGIN
    INSERT INTO logs_fts (logs_fts, rowid, message) VALUES ('delete', old.id, old.message);
END;
