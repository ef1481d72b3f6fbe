-- Overview groups (issue 14): a server belongs to at most one group; tags are free-form, stored as a JSON array of
-- strings on the server row, so they go with it when it is removed.
CREATE TABLE server_groups (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX server_groups_name ON server_groups (name);
ALTER TABLE servers ADD COLUMN group_id TEXT;
ALTER TABLE servers ADD COLUMN tags TEXT;
