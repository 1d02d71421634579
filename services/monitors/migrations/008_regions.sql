-- Regions and quorum (issue 14, api.md "More kinds of monitor"). A checker
-- runs in one region (SW_CHECKER_REGION, default 'local'); each scheduled
-- check of an endpoint runs once in each of its regions, so the schedule has
-- one row per endpoint and region, and a checker leases only its region's.
--
-- all_regions: the endpoint names no regions, so it is checked in every
-- region that has a live checker; when a region (re)appears, its first lease
-- gives it a row for each such endpoint (regions.c). Heartbeats have one
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

-- When a region is live, and the rest of the rules, are SQL expressions in
-- services/monitors/regions_sql.h (inlined into the statements: a function
-- with a subquery is not, and per result row its calls cost more than the
-- result).
--
-- How many of n regions must fail for the endpoint to be down: the
-- endpoint's min_failing_regions (capped at n, so a setting above the live
-- regions cannot keep an outage silent), else a majority.
CREATE FUNCTION monitors.quorum_need(n integer, min_failing integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT greatest(1, least(coalesce(min_failing, n / 2 + 1), n)) $$;
