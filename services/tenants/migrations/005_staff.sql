-- What the staff routes need of sw-tenants (api.md "Staff").
--
-- Why an account is suspended, shown to staff while it is.
ALTER TABLE tenancy.tenants
    ADD COLUMN suspension_reason text,
    ADD COLUMN suspended_at timestamptz;
CREATE INDEX tenants_newest ON tenancy.tenants (created_at DESC, id DESC);

-- API calls per tenant and hour, for the usage report's "last 24 hours":
-- tenancy.api_usage keeps only ten minutes of one-minute windows, so every
-- count added to a window (tenants.SyncUsage) is added to its hour as well,
-- by the trigger below, in the same statement. A tenant's hours older than
-- two days are removed when it opens a new minute window.
CREATE TABLE tenancy.api_usage_hourly (
    tenant_id uuid NOT NULL,
    hour timestamptz NOT NULL,
    calls bigint NOT NULL CHECK (calls >= 0),
    PRIMARY KEY (tenant_id, hour)
);
CREATE INDEX api_usage_hourly_hour ON tenancy.api_usage_hourly (hour);

CREATE FUNCTION tenancy.api_usage_add_to_hour() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        DELETE FROM tenancy.api_usage_hourly
         WHERE tenant_id = NEW.tenant_id AND hour < now() - interval '2 days';
    END IF;
    INSERT INTO tenancy.api_usage_hourly AS h (tenant_id, hour, calls)
    VALUES (NEW.tenant_id, date_trunc('hour', NEW.window_start, 'UTC'),
            NEW.calls - CASE WHEN TG_OP = 'UPDATE' THEN OLD.calls ELSE 0 END)
    ON CONFLICT (tenant_id, hour) DO UPDATE SET calls = h.calls + EXCLUDED.calls;
    RETURN NULL;
END $$;

CREATE TRIGGER api_usage_add_to_hour AFTER INSERT OR UPDATE OF calls ON tenancy.api_usage
    FOR EACH ROW EXECUTE FUNCTION tenancy.api_usage_add_to_hour();
