-- An admin let this SSH server point at a loopback, link-local, metadata or hub-own address (servers.SshAddresses).
ALTER TABLE servers ADD COLUMN ssh_allow_loopback BOOLEAN NOT NULL DEFAULT FALSE;
