-- Several hubs may evaluate the same rule during a hand-over: one firing and one resolved notice per alert event and
-- channel, whichever hub records it first (reminders and tests repeat on purpose and stay unconstrained).
DELETE FROM alert_deliveries
 WHERE event_id IS NOT NULL AND kind IN ('firing', 'resolved')
   AND id NOT IN (SELECT MIN(id) FROM alert_deliveries
                   WHERE event_id IS NOT NULL AND kind IN ('firing', 'resolved')
                   GROUP BY channel_id, event_id, kind);
CREATE UNIQUE INDEX alert_deliveries_once ON alert_deliveries (channel_id, event_id, kind)
    WHERE event_id IS NOT NULL AND kind IN ('firing', 'resolved');
