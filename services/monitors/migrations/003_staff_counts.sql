-- Counts across tenant schemas for the staff routes (api.md "Staff"), each
-- one statement for the caller however many schemas it visits. A schema
-- still recorded but already dropped (a removed tenant, before the pruner
-- forgets it) is passed over.

-- Endpoints (paused ones included) of each given tenant that has any schema.
CREATE FUNCTION monitors.staff_endpoint_counts(ids uuid[])
    RETURNS TABLE (tenant_id uuid, endpoints bigint)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    s record;
BEGIN
    FOR s IN SELECT ts.tenant_id AS id, ts.schema_name FROM monitors.tenant_schemas ts
              WHERE ts.tenant_id = ANY(ids) LOOP
        CONTINUE WHEN to_regclass(format('%I.endpoints', s.schema_name)) IS NULL;
        tenant_id := s.id;
        EXECUTE format('SELECT count(*) FROM %I.endpoints', s.schema_name) INTO endpoints;
        RETURN NEXT;
    END LOOP;
END $$;

-- Every tenant's endpoints, and the checks stored in the last 24 hours.
CREATE FUNCTION monitors.staff_usage(OUT endpoints bigint, OUT checks_last_24h bigint)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    s record;
    e bigint;
    c bigint;
BEGIN
    endpoints := 0;
    checks_last_24h := 0;
    FOR s IN SELECT ts.schema_name FROM monitors.tenant_schemas ts LOOP
        CONTINUE WHEN to_regclass(format('%I.check_results', s.schema_name)) IS NULL;
        EXECUTE format('SELECT (SELECT count(*) FROM %1$I.endpoints),'
                       ' (SELECT count(*) FROM %1$I.check_results'
                       ' WHERE checked_at > now() - interval ''24 hours'')', s.schema_name)
           INTO e, c;
        endpoints := endpoints + e;
        checks_last_24h := checks_last_24h + c;
    END LOOP;
END $$;
