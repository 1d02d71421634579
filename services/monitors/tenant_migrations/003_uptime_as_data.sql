-- The 24 h uptime kept in the endpoint row (see services/monitors/endpoint_row.h):
-- the percentage of the window that starts 24 hours before uptime_hour's
-- bucket, recomputed when a result is stored and when the hour turns.
ALTER TABLE endpoints ADD COLUMN uptime_24h numeric;
ALTER TABLE endpoints ADD COLUMN uptime_hour timestamptz;
UPDATE endpoints e SET uptime_hour = date_trunc('hour', now()),
    uptime_24h = (SELECT round(100.0 * sum(r.ok) / nullif(sum(r.checks), 0), 3)
                  FROM rollups_hourly r WHERE r.endpoint_id = e.id
                  AND r.hour >= date_trunc('hour', now() - interval '24 hours'));
-- A new endpoint has no checks: no uptime, as of the hour it was created.
ALTER TABLE endpoints ALTER COLUMN uptime_hour SET DEFAULT date_trunc('hour', now());
