-- More kinds of monitor (issue 14, api.md "More kinds of monitor"): an
-- endpoint is http (as before), tcp (url tcp://host:port), dns (url
-- dns://host with a record type and an optional expected value) or heartbeat
-- (no URL: the service pings us at /api/ping/{ping_token}/). The kind is fixed
-- when the endpoint is created.
ALTER TABLE endpoints
    ADD COLUMN kind text NOT NULL DEFAULT 'http'
        CHECK (kind IN ('http', 'tcp', 'dns', 'heartbeat')),
    ADD COLUMN record_type text CHECK (record_type IN ('A', 'AAAA', 'CNAME', 'MX', 'TXT')),
    ADD COLUMN expected_value text,
    ADD COLUMN grace_seconds integer NOT NULL DEFAULT 0
        CHECK (grace_seconds BETWEEN 0 AND 86400),
    ADD COLUMN ping_token text UNIQUE,
    ALTER COLUMN url DROP NOT NULL,
    ADD CONSTRAINT endpoints_kind_fields CHECK (
        (kind = 'heartbeat') = (url IS NULL)
        AND (kind = 'heartbeat') = (ping_token IS NOT NULL)
        AND (kind = 'dns') = (record_type IS NOT NULL));
-- One target once per tenant: a DNS name may be watched once per record type;
-- heartbeats have no URL.
DROP INDEX endpoints_url;
CREATE UNIQUE INDEX endpoints_url ON endpoints (url, coalesce(record_type, ''))
    WHERE url IS NOT NULL;
