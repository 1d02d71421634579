-- API keys (api.md "Identity"): a scope and an optional expiry; keys are
-- looked up by their visible prefix and compared by keyed hash.
ALTER TABLE auth.api_keys
    ADD COLUMN scope text NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'write')),
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN tenant_schema text NOT NULL DEFAULT '';  -- as the creator's token named it
CREATE INDEX api_keys_tenant ON auth.api_keys (tenant_id, created_at);
