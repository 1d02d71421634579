-- Bank transfers confirmed by staff (api.md "Staff"), and the subscription
-- history the staff reports read (docs/DECISIONS.md, "Bank transfers").

-- One row per confirmed transfer. The external id is unique: the same
-- confirmation sent again finds its row (and changes nothing).
CREATE TABLE billing.payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    method text NOT NULL DEFAULT 'bank_transfer' CHECK (method = 'bank_transfer'),
    external_payment_id text NOT NULL UNIQUE,
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    currency text NOT NULL CHECK (currency = lower(currency)),
    payer_name text NOT NULL,
    period_months integer NOT NULL CHECK (period_months BETWEEN 1 AND 36),
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    invoice_id text NOT NULL UNIQUE,      -- its billing.invoices row, status 'paid'
    confirmed_by uuid,                    -- the staff account
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_tenant ON billing.payments (tenant_id, period_end DESC);

-- A tenant's paid bank-transfer periods are one row of billing.subscriptions
-- (id 'bank_transfer:<tenant id>', v_source 3), so that the effective
-- subscription, the plan push and checkout's "already on that plan" see
-- them as they see Stripe's. The expiry job finds the periods that are over.
CREATE INDEX subscriptions_bank_transfer_end ON billing.subscriptions (current_period_end)
    WHERE v_source = 3 AND status = 'active';

-- Every status a subscription has held and since when: written by the
-- trigger below whatever writes the row (webhooks, bank transfers, expiry).
CREATE TABLE billing.subscription_history (
    id bigserial PRIMARY KEY,
    subscription_id text NOT NULL,
    tenant_id uuid NOT NULL,
    status text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscription_history_at ON billing.subscription_history (at);
CREATE INDEX subscription_history_subscription
    ON billing.subscription_history (subscription_id, at, id);

CREATE FUNCTION billing.subscription_status_recorded() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO billing.subscription_history (subscription_id, tenant_id, status)
        VALUES (NEW.id, NEW.tenant_id, NEW.status);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER subscription_status_recorded AFTER INSERT OR UPDATE OF status
    ON billing.subscriptions FOR EACH ROW EXECUTE FUNCTION billing.subscription_status_recorded();

-- The subscriptions stored before: their current status, since the event that set it.
INSERT INTO billing.subscription_history (subscription_id, tenant_id, status, at)
SELECT id, tenant_id, status, to_timestamp(v_created) FROM billing.subscriptions;
