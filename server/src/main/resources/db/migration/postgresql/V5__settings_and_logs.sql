-- Settings the admin changes at run time (retention, …), one JSON value per key.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT
);

CREATE INDEX logs_source_ts ON logs (source, ts);
