-- Regions and quorum (issue 14; the rules are services/monitors/regions_sql.h).
-- regions: the regions the endpoint is checked in (NULL: every live one);
-- min_failing_regions: how many must fail for it to be down (NULL: a
-- majority). region_state: each region's own status and counters, and its
-- last check, as {"<region>": {"status", "f", "s", "at", "ms", "code",
-- "error"}} ("f"/"s": consecutive failures/successes in that region, "at":
-- epoch ms); the endpoint's status is decided from it (schedule.c).
ALTER TABLE endpoints
    ADD COLUMN regions text[],
    ADD COLUMN min_failing_regions integer,
    ADD COLUMN region_state jsonb NOT NULL DEFAULT '{}';
UPDATE endpoints SET region_state = jsonb_build_object('local', jsonb_build_object(
    'status', status, 'f', consecutive_failures, 's', consecutive_successes,
    'at', monitors.to_ms(last_checked_at), 'ms', last_latency_ms, 'code', last_status_code,
    'error', last_error))
WHERE last_checked_at IS NOT NULL;

-- A result is one region's check of a slot.
ALTER TABLE check_results ADD COLUMN region text NOT NULL DEFAULT 'local';
DO $$
DECLARE
    c text;
BEGIN
    SELECT conname INTO c FROM pg_constraint
     WHERE conrelid = 'check_results'::regclass AND contype = 'u';
    EXECUTE format('ALTER TABLE check_results DROP CONSTRAINT %I', c);
END
$$;
ALTER TABLE check_results ADD UNIQUE (endpoint_id, scheduled_at, region);
