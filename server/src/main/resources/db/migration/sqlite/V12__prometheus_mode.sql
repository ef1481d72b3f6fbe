-- A prometheus server scrapes an existing node_exporter at this URL (collect.PrometheusWatch); its allowance for a
-- restricted address is ssh_allow_loopback, as for SSH servers.
ALTER TABLE servers ADD COLUMN scrape_url TEXT;
