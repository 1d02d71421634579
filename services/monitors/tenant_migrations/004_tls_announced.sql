-- The certificate expiry already announced to sw-notify (once per certificate:
-- a renewed certificate has another expiry and is announced again when due).
ALTER TABLE endpoints ADD COLUMN tls_announced_expiry timestamptz;
