-- Raw check results live in daily partitions of each tenant's check_results
-- (range on scheduled_at, UTC days, named check_results_pYYYYMMDD, with a
-- default partition for anything outside them). This keeps one tenant's
-- partitions: the days from today to ahead_days ahead exist, and, when
-- keep_days is given, every day partition that ended keep_days or more ago
-- is dropped (retention is a DROP, not a DELETE) and the default partition
-- loses its rows older than that. It touches one tenant schema (the Citus
-- rule) and is called by the tenant migration and by sw-monitors' pruner.
-- Returns the number of partitions created plus dropped.
CREATE FUNCTION monitors.result_partitions(schema text, keep_days integer, ahead_days integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    today bigint := floor(extract(epoch FROM now()) / 86400);
    d bigint;
    part record;
    changed integer := 0;
BEGIN
    FOR d IN today .. today + ahead_days LOOP
        IF to_regclass(format('%I.%I', schema, 'check_results_p'
                || to_char(to_timestamp(d * 86400) AT TIME ZONE 'UTC', 'YYYYMMDD'))) IS NULL THEN
            BEGIN
                EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s'
                               ' FOR VALUES FROM (%L) TO (%L)', schema, 'check_results_p'
                               || to_char(to_timestamp(d * 86400) AT TIME ZONE 'UTC', 'YYYYMMDD'),
                               to_regclass(format('%I.check_results', schema)),
                               to_timestamp(d * 86400), to_timestamp((d + 1) * 86400));
                changed := changed + 1;
            EXCEPTION WHEN check_violation THEN
                -- Rows of that day already sit in the default partition:
                -- they stay there until they expire.
                RAISE WARNING 'check_results of %: % has rows in the default partition',
                    schema, to_timestamp(d * 86400);
            END;
        END IF;
    END LOOP;
    IF keep_days IS NULL THEN
        RETURN changed;
    END IF;
    FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass(format('%I.check_results', schema))
          AND c.relname ~ '^check_results_p[0-9]{8}$'
          AND to_date(substr(c.relname, 16), 'YYYYMMDD') + 1
              <= (now() AT TIME ZONE 'UTC')::date - keep_days
    LOOP
        EXECUTE format('DROP TABLE %I.%I', schema, part.relname);
        changed := changed + 1;
    END LOOP;
    EXECUTE format('DELETE FROM %I.check_results_default'
                   ' WHERE scheduled_at < now() - %s * interval ''1 day''', schema, keep_days);
    RETURN changed;
END
$$;

-- The staff count of checks in the last 24 hours reads only the partitions of
-- the last two days (there is no index on checked_at any more; a check runs
-- after its slot, within a lease of it).
CREATE OR REPLACE FUNCTION monitors.staff_usage(OUT endpoints bigint, OUT checks_last_24h bigint)
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
                       ' WHERE checked_at > now() - interval ''24 hours'''
                       ' AND scheduled_at > now() - interval ''25 hours'')', s.schema_name)
           INTO e, c;
        endpoints := endpoints + e;
        checks_last_24h := checks_last_24h + c;
    END LOOP;
END $$;
