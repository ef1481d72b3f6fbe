-- Accounts and access: session revocation, two-factor, social identities, invites and per-server sharing.

-- Access tokens carry the value current when they were issued; raising it ends every session of the user at once.
ALTER TABLE users ADD COLUMN sessions_valid_after BIGINT NOT NULL DEFAULT 0;
-- Base32 TOTP secret, encrypted with the hub's data key; totp_enabled_at is set once the user confirmed a code.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;

CREATE TABLE recovery_codes (
    id        TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A social sign-in method, keyed by provider and the provider's subject (never by email).
CREATE TABLE user_identities (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    email      TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (provider, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- Single-use codes that let a user set a password: invites and admin resets. Stored as SHA-256 hashes.
CREATE TABLE password_codes (
    code_hash  TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- Servers shared with users other than their owner: level view (read-only) or manage.
CREATE TABLE server_access (
    server_id  TEXT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    level      TEXT NOT NULL,
    granted_by TEXT,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (server_id, user_id)
);
CREATE INDEX server_access_user ON server_access (user_id);
