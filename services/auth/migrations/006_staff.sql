-- Staff accounts (api.md "Staff"): the operators of the service, not tenant
-- users. Created, listed and removed with the sw-admin command (which applies
-- this service's migrations itself); they log in at /api/staff/token/ with a
-- password (argon2id) and, once set up with `sw-admin staff totp`, a TOTP code.
CREATE TABLE auth.staff (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL UNIQUE CHECK (email = lower(email)),
    password_hash text NOT NULL,
    totp_secret text,                 -- while being set up, then for good
    totp_enabled_at timestamptz,      -- a code is required from then on
    totp_last_step bigint,            -- the last accepted time step (no code twice)
    created_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);
