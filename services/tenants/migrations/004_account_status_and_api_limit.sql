-- The account statuses of the contract (api.md, "Roles, account status and
-- rate limits"): trial, active, pending_payment and past_due work normally;
-- suspended and cancelled are refused by the gateway on most routes.
ALTER TABLE tenancy.tenants DROP CONSTRAINT tenants_account_status_check;
ALTER TABLE tenancy.tenants ADD CONSTRAINT tenants_account_status_check
    CHECK (account_status IN ('trial', 'active', 'pending_payment', 'past_due', 'suspended',
                              'cancelled'));

-- Authenticated API calls a tenant may make per minute, by plan. sw-tenants
-- writes SW_RATE_LIMIT_API_PER_MINUTE_FREE / _PRO here at start-up.
ALTER TABLE tenancy.plan_limits
    ADD COLUMN api_requests_per_minute integer NOT NULL DEFAULT 120
    CHECK (api_requests_per_minute > 0);
UPDATE tenancy.plan_limits SET api_requests_per_minute = 1200 WHERE plan = 'pro';

-- Fixed one-minute windows of API calls per tenant, summed over every gateway
-- replica (tenants.SyncUsage adds each replica's calls once per sync
-- interval). Windows older than ten minutes are removed by the same statement.
-- No foreign key: a batch must not fail because one tenant was just removed.
CREATE TABLE tenancy.api_usage (
    tenant_id uuid NOT NULL,
    window_start timestamptz NOT NULL,
    calls bigint NOT NULL CHECK (calls >= 0),
    PRIMARY KEY (tenant_id, window_start)
);
CREATE INDEX api_usage_window ON tenancy.api_usage (window_start);
