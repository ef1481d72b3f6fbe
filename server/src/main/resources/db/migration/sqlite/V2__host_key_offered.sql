-- A changed SSH host key seen but not yet accepted by an admin (the trusted one stays in host_key_fingerprint).
ALTER TABLE servers ADD COLUMN host_key_offered TEXT;
