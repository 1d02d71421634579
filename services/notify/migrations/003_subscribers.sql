-- Subscribers of public status pages (issue 15): double opt-in by e-mail.
-- A subscriber belongs to one page of one tenant; the confirmation token is
-- kept only as its SHA-256 (it is mailed once), the unsubscribe token as is
-- (every message carries it, and it can do nothing but unsubscribe).
CREATE TABLE notify.subscribers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    page_id uuid NOT NULL,
    email text NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
    confirm_hash bytea,
    confirm_expires_at timestamptz,
    unsubscribe_token text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    confirmed_at timestamptz,
    unsubscribed_at timestamptz,
    UNIQUE (page_id, email)
);
CREATE UNIQUE INDEX subscribers_confirm ON notify.subscribers (confirm_hash)
    WHERE confirm_hash IS NOT NULL;
CREATE INDEX subscribers_page ON notify.subscribers (tenant_id, page_id, created_at DESC);

-- A subscriber's message is a delivery like any other (sent, retried,
-- logged by the sender), once per event and subscriber.
ALTER TABLE notify.deliveries ADD COLUMN subscriber_id uuid
    REFERENCES notify.subscribers (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX deliveries_once_per_subscriber ON notify.deliveries (event_id, subscriber_id)
    WHERE subscriber_id IS NOT NULL;

-- The subscribe form's rate limit (libcommon/sw_ratelimit.h).
CREATE TABLE notify.rate_hits (
    bucket text NOT NULL,
    key text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_hits_key ON notify.rate_hits (bucket, key, at);
