-- The audit log (api.md "Audit log", docs/ARCHITECTURE.md "The audit log"):
-- one row per state-changing request of a tenant, written by the service
-- that makes the change, in the same transaction. Every service that writes
-- applies this migration set ("audit") at start-up; sw-tenants reads it.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_type text NOT NULL
        CHECK (actor_type IN ('user', 'api_key', 'staff', 'system', 'stripe')),
    actor_id text,
    actor_email text,
    action text NOT NULL,
    target_type text NOT NULL,
    target_id text,
    ip text,
    user_agent text,
    request_id text,
    before jsonb,
    after jsonb
);
CREATE INDEX events_tenant_at ON audit.events (tenant_id, at DESC, id);
CREATE INDEX events_at ON audit.events (at);

-- What never goes into before/after, whatever a caller passes: secrets by name.
CREATE FUNCTION audit.clean(doc jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(doc) = 'object'
        THEN doc - ARRAY['password', 'password_hash', 'secret', 'token', 'token_hash', 'key',
                         'key_hash', 'totp_secret', 'refresh', 'access', 'code']
        ELSE doc END
$$;
