-- The SSH host key's type (ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa…) beside its fingerprint, trusted and offered,
-- so an admin confirming a first or changed key knows which /etc/ssh/ssh_host_*_key.pub to compare it with.
ALTER TABLE servers ADD COLUMN host_key_type TEXT;
ALTER TABLE servers ADD COLUMN host_key_offered_type TEXT;
