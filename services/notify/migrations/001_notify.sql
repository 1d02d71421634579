-- sw-notify's schema: what it has read from each producer's outbox, the
-- tenants' channels and settings, in-app alerts with per-user read state,
-- and one delivery row per (event, channel) with the log of its attempts.
-- Every row carries tenant_id and every query names it.
CREATE SCHEMA IF NOT EXISTS notify;

-- How far each producer's outbox has been read (monitors, billing).
CREATE TABLE notify.cursors (
    producer text PRIMARY KEY,
    last_seq bigint NOT NULL DEFAULT 0
);

CREATE TABLE notify.settings (
    tenant_id uuid PRIMARY KEY,
    debounce_minutes integer NOT NULL DEFAULT 15 CHECK (debounce_minutes BETWEEN 0 AND 1440),
    storm_threshold integer NOT NULL DEFAULT 5 CHECK (storm_threshold BETWEEN 1 AND 1000),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notify.channels (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('email', 'slack', 'webhook')),
    name text NOT NULL,
    target text NOT NULL,
    secret text,                      -- webhook signing secret
    events text[] NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channels_tenant ON notify.channels (tenant_id, created_at);

-- An event as read from a producer, once (producer, seq).
CREATE TABLE notify.events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    producer text NOT NULL,
    seq bigint NOT NULL,
    tenant_id uuid NOT NULL,
    type text NOT NULL,               -- the alert type: endpoint_down, payment_failed, …
    endpoint_id uuid,
    payload jsonb NOT NULL,
    endpoint_json text,               -- the endpoint as GET returned it then (webhooks)
    tenant_name text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (producer, seq)
);

CREATE TABLE notify.alerts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    event_id uuid NOT NULL UNIQUE REFERENCES notify.events (id) ON DELETE CASCADE,
    type text NOT NULL,
    severity text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
    title text NOT NULL,
    message text NOT NULL,
    endpoint_id uuid,
    related jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
CREATE INDEX alerts_tenant ON notify.alerts (tenant_id, created_at DESC, id);

CREATE TABLE notify.alert_reads (
    alert_id uuid NOT NULL REFERENCES notify.alerts (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    read_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (alert_id, user_id)
);
CREATE INDEX alert_reads_user ON notify.alert_reads (user_id);

-- One row per (event, channel); a digest is a row without an event that the
-- deliveries it groups point at. status: pending (due at next_attempt_at),
-- retrying, sent, failed (given up, or refused for good), debounced, grouped.
CREATE TABLE notify.deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    channel_id uuid REFERENCES notify.channels (id) ON DELETE SET NULL,
    event_id uuid REFERENCES notify.events (id) ON DELETE CASCADE,
    event_type text NOT NULL,         -- the alert type, "digest" or "test"
    endpoint_id uuid,
    status text NOT NULL,
    digest_id uuid REFERENCES notify.deliveries (id) ON DELETE SET NULL,
    attempts integer NOT NULL DEFAULT 0,
    error text,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    UNIQUE (event_id, channel_id)
);
CREATE INDEX deliveries_due ON notify.deliveries (next_attempt_at)
    WHERE status IN ('pending', 'retrying');
CREATE INDEX deliveries_tenant ON notify.deliveries (tenant_id, created_at DESC, id);
CREATE INDEX deliveries_channel_recent ON notify.deliveries (channel_id, created_at);

CREATE TABLE notify.attempts (
    delivery_id uuid NOT NULL REFERENCES notify.deliveries (id) ON DELETE CASCADE,
    attempt integer NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    latency_ms integer NOT NULL,
    http_status integer,
    error text,
    PRIMARY KEY (delivery_id, attempt)
);

-- Debounce state per (channel, endpoint): the last state sent, when its
-- window closes, and the delivery holding the newest state seen inside it.
CREATE TABLE notify.debounce (
    channel_id uuid NOT NULL REFERENCES notify.channels (id) ON DELETE CASCADE,
    endpoint_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    last_sent_type text NOT NULL,
    window_until timestamptz NOT NULL,
    held_delivery_id uuid REFERENCES notify.deliveries (id) ON DELETE SET NULL,
    PRIMARY KEY (channel_id, endpoint_id)
);
CREATE INDEX debounce_closing ON notify.debounce (window_until) WHERE held_delivery_id IS NOT NULL;
