-- In-app notifications keep a stable code (alert.firing, alert.resolved…) and its parameters as JSON beside the
-- English title and body, so the web client renders them in its user's language. Older rows have neither.
ALTER TABLE notifications ADD COLUMN code TEXT;
ALTER TABLE notifications ADD COLUMN params TEXT;
