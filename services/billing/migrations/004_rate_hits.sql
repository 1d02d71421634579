-- Checkout and portal sessions per user (10 an hour by default), counted where
-- every sw-billing replica sees them (libcommon/sw_ratelimit.h).
CREATE TABLE billing.rate_hits (
    bucket text NOT NULL,
    key text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_hits_key ON billing.rate_hits (bucket, key, at);
