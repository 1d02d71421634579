-- Plans, Stripe customers and subscriptions, invoices, the webhook event log
-- and the plan-sync queue (owned by sw-billing). Limits of a plan live in
-- sw-tenants (tenancy.plan_limits); prices live here.
CREATE SCHEMA IF NOT EXISTS billing;

CREATE TABLE billing.plans (
    id text PRIMARY KEY,
    name text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    currency text NOT NULL,
    interval text NOT NULL,
    stripe_price_id text,                 -- set from STRIPE_PRICE_PRO at start-up
    sort integer NOT NULL
);
INSERT INTO billing.plans VALUES
    ('free', 'Free', 0, 'usd', 'month', NULL, 1),
    ('pro', 'Pro', 1900, 'usd', 'month', NULL, 2);

CREATE TABLE billing.customers (
    tenant_id uuid PRIMARY KEY,
    stripe_customer_id text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per Stripe subscription; (v_created, v_source, v_rank) is the version
-- of the state held (see docs/BILLING.md, "Ordering").
CREATE TABLE billing.subscriptions (
    id text PRIMARY KEY,
    tenant_id uuid NOT NULL,
    customer_id text,
    status text NOT NULL,
    price_id text,
    current_period_end timestamptz,
    cancel_at_period_end boolean NOT NULL DEFAULT false,
    v_created bigint NOT NULL,
    v_source smallint NOT NULL,
    v_rank smallint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_tenant ON billing.subscriptions (tenant_id);

CREATE TABLE billing.invoices (
    id text PRIMARY KEY,
    tenant_id uuid NOT NULL,
    subscription_id text,
    number text,
    status text NOT NULL,
    amount_due bigint NOT NULL DEFAULT 0,
    amount_paid bigint NOT NULL DEFAULT 0,
    currency text NOT NULL DEFAULT 'usd',
    period_start timestamptz,
    period_end timestamptz,
    hosted_invoice_url text,
    invoice_pdf text,
    created_at timestamptz NOT NULL,
    v_created bigint NOT NULL,
    v_rank smallint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_tenant_created ON billing.invoices (tenant_id, created_at DESC, id DESC);

-- Every webhook event, by Stripe's id, exactly as received.
CREATE TABLE billing.webhook_events (
    id text PRIMARY KEY,
    type text NOT NULL,
    created bigint NOT NULL,
    livemode boolean NOT NULL DEFAULT false,
    payload text NOT NULL,
    outcome text NOT NULL,
    tenant_id uuid,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_events_received ON billing.webhook_events (received_at);

-- The plan each tenant should have, and how far sw-tenants and sw-monitors
-- have been told (synced_version < version: a push is owed).
CREATE TABLE billing.tenant_sync (
    tenant_id uuid PRIMARY KEY,
    plan text NOT NULL,
    status text NOT NULL,
    version bigint NOT NULL,
    synced_version bigint NOT NULL DEFAULT 0,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_sync_owed ON billing.tenant_sync (next_attempt_at)
    WHERE synced_version < version;
