-- The events other services act on (sw-notify: payment failed, subscription
-- canceled), written in the transaction that applied the webhook event and
-- read with billing.ListEventsSince (libcommon/sw_outbox.h).
CREATE TABLE billing.outbox (
    seq bigserial PRIMARY KEY,
    type text NOT NULL,
    tenant_id uuid NOT NULL,
    endpoint_id uuid,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
