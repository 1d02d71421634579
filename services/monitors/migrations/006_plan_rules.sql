-- Plan rules that hold, and counts kept as data (issue 14).
--
-- The schedule's copy of what to probe carries whether redirects are followed
-- and the plan's minimum interval, the emission interval of the check budget
-- (schedule.c: retries and thresholds cannot make an endpoint be checked more
-- often than its plan allows on average). NULL: the endpoint's own interval,
-- until the endpoint is next saved or its tenant's plan is applied.
ALTER TABLE monitors.schedule
    ADD COLUMN follow_redirects boolean NOT NULL DEFAULT true,
    ADD COLUMN min_interval_seconds integer;

-- Each tenant's endpoints, all and active (not paused), kept in the same
-- transaction as every change that adds, removes, pauses or resumes one
-- (counts.c), so that no request counts a tenant's endpoints. The row is also
-- the tenant's endpoint lock: creation, resuming and plan limits take it
-- FOR UPDATE, so two creations at the limit cannot both pass.
ALTER TABLE monitors.tenant_schemas
    ADD COLUMN endpoints bigint NOT NULL DEFAULT 0,
    ADD COLUMN active_endpoints bigint NOT NULL DEFAULT 0;

DO $$
DECLARE
    s record;
BEGIN
    FOR s IN SELECT schema_name FROM monitors.tenant_schemas LOOP
        CONTINUE WHEN to_regclass(format('%I.endpoints', s.schema_name)) IS NULL;
        EXECUTE format('UPDATE monitors.tenant_schemas SET endpoints = c.n, active_endpoints = c.a'
                       ' FROM (SELECT count(*) AS n, count(*) FILTER (WHERE NOT paused) AS a'
                       ' FROM %I.endpoints) c WHERE schema_name = %L', s.schema_name, s.schema_name);
    END LOOP;
END $$;

-- The staff counts read the kept counts instead of visiting every schema.
CREATE OR REPLACE FUNCTION monitors.staff_endpoint_counts(ids uuid[])
    RETURNS TABLE (tenant_id uuid, endpoints bigint)
    LANGUAGE sql STABLE AS $$
    SELECT ts.tenant_id, ts.endpoints FROM monitors.tenant_schemas ts
    WHERE ts.tenant_id = ANY(ids)
$$;

CREATE OR REPLACE FUNCTION monitors.staff_usage(OUT endpoints bigint, OUT checks_last_24h bigint)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    s record;
    c bigint;
BEGIN
    SELECT coalesce(sum(ts.endpoints), 0) INTO endpoints FROM monitors.tenant_schemas ts;
    checks_last_24h := 0;
    FOR s IN SELECT ts.schema_name FROM monitors.tenant_schemas ts LOOP
        CONTINUE WHEN to_regclass(format('%I.check_results', s.schema_name)) IS NULL;
        EXECUTE format('SELECT count(*) FROM %I.check_results'
                       ' WHERE checked_at > now() - interval ''24 hours''', s.schema_name)
           INTO c;
        checks_last_24h := checks_last_24h + c;
    END LOOP;
END $$;
