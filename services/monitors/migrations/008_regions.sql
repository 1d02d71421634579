-- Regions and quorum (issue 14, api.md "More kinds of monitor"). A checker
-- runs in one region (SW_CHECKER_REGION, default 'local'); each scheduled
-- check of an endpoint runs once in each of its regions, so the schedule has
-- one row per endpoint and region, and a checker leases only its region's.
--
-- all_regions: the endpoint names no regions, so it is checked in every
-- region that has a live checker; when a region (re)appears, its first lease
-- gives it a row for each such endpoint (schedule.c). Heartbeats have one
-- row, in region 'local', that no checker leases.
ALTER TABLE monitors.schedule
    ADD COLUMN region text NOT NULL DEFAULT 'local',
    ADD COLUMN all_regions boolean NOT NULL DEFAULT true;
ALTER TABLE monitors.schedule DROP CONSTRAINT schedule_pkey;
ALTER TABLE monitors.schedule ADD PRIMARY KEY (endpoint_id, region);
DROP INDEX monitors.schedule_due;
CREATE INDEX schedule_due ON monitors.schedule (region, due_at);
UPDATE monitors.schedule SET all_regions = false WHERE kind = 'heartbeat';

-- The regions that have had a checker, and when one last leased there.
CREATE TABLE monitors.regions (
    name text PRIMARY KEY,
    last_seen_at timestamptz NOT NULL
);

-- A region is live while one of its checkers leased in the last 60 seconds
-- (a checker leases at least every SW_CHECKER_POLL_MS when idle).
CREATE FUNCTION monitors.is_live(last_seen_at timestamptz) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT last_seen_at > now() - interval '60 seconds' $$;
CREATE FUNCTION monitors.live_regions() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(name ORDER BY name), '{}') FROM monitors.regions
          WHERE monitors.is_live(last_seen_at) $$;

-- The regions an endpoint is judged in: the ones it names, else every live
-- region (and the one reporting, `also`, which may have just come up); a
-- heartbeat is pinged, not checked, and has the one region 'local'.
CREATE FUNCTION monitors.active_regions(kind text, regions text[], also text) RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN kind = 'heartbeat' THEN ARRAY['local']
                      WHEN regions IS NOT NULL THEN regions
                      ELSE ARRAY(SELECT DISTINCT r FROM unnest(monitors.live_regions()
                                 || CASE WHEN also IS NULL THEN '{}'::text[]
                                         ELSE ARRAY[also] END) r ORDER BY r) END $$;

-- How many of n regions must fail for the endpoint to be down: the
-- endpoint's min_failing_regions (capped at n, so a setting above the live
-- regions cannot keep an outage silent), else a majority.
CREATE FUNCTION monitors.quorum_need(n integer, min_failing integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT greatest(1, least(coalesce(min_failing, n / 2 + 1), n)) $$;

-- Regions of `active` whose own status (region_state, kept per endpoint) is `status`.
CREATE FUNCTION monitors.regions_in(state jsonb, active text[], status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT count(*)::int FROM unnest(active) a WHERE state -> a ->> 'status' = status $$;

-- Regions of `active` whose last check failed.
CREATE FUNCTION monitors.regions_failing_now(state jsonb, active text[]) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT count(*)::int FROM unnest(active) a WHERE (state -> a ->> 'f')::int > 0 $$;

-- The REST members region_results and quorum (api.md), as JSON text.
CREATE FUNCTION monitors.region_results_json(state jsonb, active text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(jsonb_agg(jsonb_build_object(
            'region', a,
            'status', coalesce(state -> a ->> 'status', 'pending'),
            'last_checked_at', monitors.iso(monitors.from_ms((state -> a ->> 'at')::bigint)),
            'last_latency_ms', (state -> a ->> 'ms')::int,
            'last_status_code', (state -> a ->> 'code')::int,
            'last_error', state -> a ->> 'error') ORDER BY a), '[]')::text
          FROM unnest(active) a $$;

CREATE FUNCTION monitors.quorum_json(state jsonb, active text[], min_failing integer)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT jsonb_build_object('regions', n, 'required', need, 'failing', failing,
                                    'below_quorum', failing > 0 AND failing < need)::text
          FROM (SELECT cardinality(active) AS n,
                       monitors.quorum_need(cardinality(active), min_failing) AS need,
                       monitors.regions_in(state, active, 'down') AS failing) q $$;
