-- The global side of monitoring (owned by sw-monitors): the schedule every
-- checker leases from, the outbox of events, dead letters, and which tenant
-- schemas carry the monitor tables at which version.
CREATE SCHEMA IF NOT EXISTS monitors;

-- ISO-8601 UTC with milliseconds, the API's time format.
CREATE FUNCTION monitors.iso(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- Milliseconds since the epoch ↔ timestamptz, exactly (slots are compared for equality).
CREATE FUNCTION monitors.from_ms(ms bigint) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 'epoch'::timestamptz + ms * interval '1 millisecond' $$;
CREATE FUNCTION monitors.to_ms(t timestamptz) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (extract(epoch FROM t) * 1000)::bigint $$;
CREATE FUNCTION monitors.now_ms() RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT date_trunc('milliseconds', now()) $$;

CREATE TABLE monitors.tenant_schemas (
    schema_name text PRIMARY KEY,
    tenant_id uuid NOT NULL UNIQUE,
    version text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per active (not paused) endpoint. The checker's copy of what to
-- probe lives here too, so a lease is one indexed query over due rows and
-- never touches tenant schemas.
CREATE TABLE monitors.schedule (
    endpoint_id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL,
    schema_name text NOT NULL,
    url text NOT NULL,
    method text NOT NULL,
    timeout_ms integer NOT NULL,
    expected_status integer,
    keyword text,
    interval_seconds integer NOT NULL,
    slot_at timestamptz NOT NULL,      -- the scheduled time of the pending check (ms precision)
    due_at timestamptz NOT NULL,       -- when it is handed out: slot_at, or the lease expiry
    leases integer NOT NULL DEFAULT 0, -- leases of this slot that brought no result
    leased_by text,
    leased_at timestamptz
);
CREATE INDEX schedule_due ON monitors.schedule (due_at);
CREATE INDEX schedule_tenant ON monitors.schedule (tenant_id);
-- Due checks that were leased three times without a result (dead letters).
CREATE INDEX schedule_dead ON monitors.schedule (due_at) WHERE leases >= 3;

CREATE TABLE monitors.outbox (
    seq bigserial PRIMARY KEY,
    type text NOT NULL,
    tenant_id uuid NOT NULL,
    endpoint_id uuid,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_created ON monitors.outbox (created_at);

-- Checks whose lease expired three times without a result.
CREATE TABLE monitors.dead_letters (
    id bigserial PRIMARY KEY,
    endpoint_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    slot_at timestamptz NOT NULL,
    leases integer NOT NULL,
    last_checker text,
    created_at timestamptz NOT NULL DEFAULT now()
);
