-- "Has this tenant been told already?" (plan limit events, at most one a day).
CREATE INDEX outbox_tenant_type ON monitors.outbox (tenant_id, type, created_at);
