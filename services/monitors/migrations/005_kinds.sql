-- More kinds of monitor (issue 14). The schedule's copy of what to probe
-- carries the kind and the DNS fields; heartbeat rows are never leased to a
-- checker: their due_at is the moment a ping is overdue (last ping + interval
-- + grace), and sw-monitors' heartbeat watcher (heartbeat.c) records the miss.
ALTER TABLE monitors.schedule
    ADD COLUMN kind text NOT NULL DEFAULT 'http',
    ADD COLUMN record_type text,
    ADD COLUMN expected_value text,
    ADD COLUMN grace_seconds integer NOT NULL DEFAULT 0,
    ALTER COLUMN url DROP NOT NULL;
CREATE INDEX schedule_heartbeat_due ON monitors.schedule (due_at) WHERE kind = 'heartbeat';

-- Every tenant's heartbeat tokens, so that a ping (no login) finds its tenant
-- and endpoint with one index lookup instead of a scan of every tenant
-- schema. Written in the transaction that creates or deletes the endpoint.
CREATE TABLE monitors.ping_tokens (
    token text PRIMARY KEY,
    tenant_id uuid NOT NULL,
    schema_name text NOT NULL,
    endpoint_id uuid NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
