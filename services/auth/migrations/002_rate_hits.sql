-- Rate limits that every sw-auth replica (and so every gateway) shares: one
-- row per counted hit, read as a sliding window (libcommon/sw_ratelimit.h).
CREATE TABLE auth.rate_hits (
    bucket text NOT NULL,
    key text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_hits_key ON auth.rate_hits (bucket, key, at);
