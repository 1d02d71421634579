-- The monitor tables of one tenant, applied with search_path set to the
-- tenant's schema (t_<id>). Unqualified names on purpose.
CREATE TABLE endpoints (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    url text NOT NULL,
    method text NOT NULL DEFAULT 'GET',
    interval_seconds integer NOT NULL,
    timeout_ms integer NOT NULL,
    expected_status integer,
    keyword text,
    retry_interval_seconds integer NOT NULL DEFAULT 10,
    failure_threshold integer NOT NULL DEFAULT 2,
    success_threshold integer NOT NULL DEFAULT 1,
    paused boolean NOT NULL DEFAULT false,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'up', 'down')),
    consecutive_failures integer NOT NULL DEFAULT 0,
    consecutive_successes integer NOT NULL DEFAULT 0,
    last_checked_at timestamptz,
    last_latency_ms integer,
    last_status_code integer,
    last_error text,
    tls_expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- One URL once per tenant.
CREATE UNIQUE INDEX endpoints_url ON endpoints (url);
CREATE INDEX endpoints_newest ON endpoints (created_at DESC, id DESC);

CREATE TABLE check_results (
    id bigserial PRIMARY KEY,
    endpoint_id uuid NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
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
    -- A slot is stored once, however often it was run or reported.
    UNIQUE (endpoint_id, scheduled_at)
);
CREATE INDEX check_results_recent ON check_results (endpoint_id, checked_at DESC);
CREATE INDEX check_results_checked ON check_results (checked_at);

CREATE TABLE status_changes (
    id bigserial PRIMARY KEY,
    endpoint_id uuid NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    from_status text NOT NULL,
    to_status text NOT NULL,
    reason text,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_changes_endpoint ON status_changes (endpoint_id, changed_at DESC);

-- Hourly summaries: uptime and latency percentiles are read from here, not
-- from raw results. latency_hist counts successful checks per latency bucket
-- (bounds in services/monitors/rollup.c).
CREATE TABLE rollups_hourly (
    endpoint_id uuid NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    hour timestamptz NOT NULL,
    checks integer NOT NULL,
    ok integer NOT NULL,
    latency_hist integer[] NOT NULL,
    PRIMARY KEY (endpoint_id, hour)
);
