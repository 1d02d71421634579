-- Raw check results in daily partitions (issue 14): retention drops whole
-- days (monitors.result_partitions, the global migration 007, run by the
-- pruner), and a result costs two index entries instead of four: the slot's
-- UNIQUE (endpoint_id, scheduled_at), which includes the partition key and
-- keeps a slot stored once, and (endpoint_id, checked_at) for an endpoint's
-- newest results (a heartbeat's slot is a deadline, not the time it was
-- checked, so the slot order is not the check order). No index on
-- checked_at alone (retention drops partitions) and no surrogate id:
-- nothing refers to a result row. No foreign key to the
-- endpoint either (its check was a fifth of a result's cost): a result is
-- stored only for the endpoint's live schedule row, locked while it is
-- stored, and deleting an endpoint deletes its schedule row first (waiting
-- for a result being stored) and then its results (services/monitors/endpoints.c).
ALTER TABLE check_results RENAME TO check_results_unpartitioned;
ALTER INDEX check_results_recent RENAME TO check_results_unpartitioned_recent;
CREATE TABLE check_results (
    endpoint_id uuid NOT NULL,
    scheduled_at timestamptz NOT NULL,
    checked_at timestamptz NOT NULL,
    ok boolean NOT NULL,
    status_code integer,
    latency_ms integer,
    dns_ms integer,
    connect_ms integer,
    tls_ms integer,
    ttfb_ms integer,
    error text,
    status_ok boolean NOT NULL,
    keyword_ok boolean NOT NULL,
    tls_expires_at timestamptz,
    checker_id text,
    in_maintenance boolean NOT NULL DEFAULT false,
    UNIQUE (endpoint_id, scheduled_at)
) PARTITION BY RANGE (scheduled_at);
CREATE INDEX check_results_recent ON check_results (endpoint_id, checked_at DESC);
CREATE TABLE check_results_default PARTITION OF check_results DEFAULT;
-- The days the old rows cover (at most the longest retention), then today
-- and the next two.
DO $$
DECLARE
    d date;
BEGIN
    FOR d IN SELECT DISTINCT (scheduled_at AT TIME ZONE 'UTC')::date
             FROM check_results_unpartitioned
             WHERE (scheduled_at AT TIME ZONE 'UTC')::date < (now() AT TIME ZONE 'UTC')::date
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF check_results FOR VALUES FROM (%L) TO (%L)',
                       'check_results_p' || to_char(d, 'YYYYMMDD'),
                       d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
    END LOOP;
END
$$;
SELECT monitors.result_partitions(current_schema()::text, NULL, 2);
INSERT INTO check_results (endpoint_id, scheduled_at, checked_at, ok, status_code, latency_ms,
    dns_ms, connect_ms, tls_ms, ttfb_ms, error, status_ok, keyword_ok, tls_expires_at,
    checker_id, in_maintenance)
SELECT endpoint_id, scheduled_at, checked_at, ok, status_code, latency_ms, dns_ms, connect_ms,
    tls_ms, ttfb_ms, error, status_ok, keyword_ok, tls_expires_at, checker_id, in_maintenance
FROM check_results_unpartitioned;
DROP TABLE check_results_unpartitioned;
