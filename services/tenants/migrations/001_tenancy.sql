-- Tenants, their domains, plan limits and the audit log (owned by sw-tenants).
CREATE SCHEMA IF NOT EXISTS tenancy;

CREATE TABLE tenancy.plan_limits (
    plan text PRIMARY KEY,
    endpoint_limit integer NOT NULL,          -- -1: unlimited
    min_interval_seconds integer NOT NULL,
    retention_days integer NOT NULL
);
INSERT INTO tenancy.plan_limits VALUES ('free', 3, 60, 7), ('pro', -1, 30, 90);

CREATE TABLE tenancy.tenants (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 100),
    schema_name text NOT NULL UNIQUE CHECK (schema_name ~ '^t_[0-9a-f]{32}$'),
    plan text NOT NULL DEFAULT 'free' REFERENCES tenancy.plan_limits (plan),
    subscription_status text NOT NULL DEFAULT 'free',
    account_status text NOT NULL DEFAULT 'active'
        CHECK (account_status IN ('active', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- Organisation names are unique regardless of case.
CREATE UNIQUE INDEX tenants_name_ci ON tenancy.tenants (lower(name));

CREATE TABLE tenancy.domains (
    id bigserial PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
    domain text NOT NULL UNIQUE,
    is_primary boolean NOT NULL DEFAULT true
);
CREATE INDEX domains_tenant ON tenancy.domains (tenant_id);

CREATE TABLE tenancy.audit_log (
    id bigserial PRIMARY KEY,
    tenant_id uuid,
    actor_user_id uuid,
    action text NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}',
    client_ip text,
    request_id text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_time ON tenancy.audit_log (tenant_id, created_at DESC);
