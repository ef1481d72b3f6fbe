-- One incident per rule × server × mount: level changes and flaps are recorded on the event itself.
ALTER TABLE alert_events ADD COLUMN peak_level TEXT;
ALTER TABLE alert_events ADD COLUMN peak_stage INTEGER;
ALTER TABLE alert_events ADD COLUMN told_stage INTEGER;
ALTER TABLE alert_events ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0;
-- [{"ts": epoch ms, "level": "warning|critical|info|resolved", "value": n}], oldest first, capped by the hub.
ALTER TABLE alert_events ADD COLUMN history TEXT;

UPDATE alert_events SET peak_level = level, peak_stage = COALESCE(stage, 1),
                        told_stage = CASE WHEN notified_at IS NULL THEN 0 ELSE COALESCE(stage, 1) END;

-- Older hubs could leave several open events for one track; the newest stays open.
UPDATE alert_events SET state = 'resolved', resolved_at = COALESCE(resolved_at, started_at)
WHERE state = 'firing' AND EXISTS (
    SELECT 1 FROM alert_events n
    WHERE n.state = 'firing' AND n.rule_id = alert_events.rule_id AND n.server_id = alert_events.server_id
      AND COALESCE(n.mount, '') = COALESCE(alert_events.mount, '')
      AND (n.started_at > alert_events.started_at OR (n.started_at = alert_events.started_at AND n.id > alert_events.id)));

CREATE UNIQUE INDEX alert_events_one_open ON alert_events (rule_id, server_id, COALESCE(mount, '')) WHERE state = 'firing';
CREATE INDEX alert_events_rule ON alert_events (rule_id, started_at);
