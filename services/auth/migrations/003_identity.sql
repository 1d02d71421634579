-- Identity (docs/DECISIONS.md, "Identity and login cost"): a verified e-mail
-- has one identity holding the password every verified membership of that
-- e-mail logs in with. auth.credentials keeps the password of memberships
-- whose e-mail is not verified yet; a membership that becomes verified joins
-- the identity and its own credential is dropped.
CREATE TABLE auth.identities (
    email text PRIMARY KEY CHECK (email = lower(email)),
    password_hash text NOT NULL,
    verified_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO auth.identities (email, password_hash)
SELECT DISTINCT ON (u.email) u.email, c.password_hash
  FROM auth.users u JOIN auth.credentials c ON c.user_id = u.id
 WHERE u.email_verified ORDER BY u.email, u.created_at;
DELETE FROM auth.credentials c USING auth.users u WHERE u.id = c.user_id AND u.email_verified;

CREATE INDEX users_email_created ON auth.users (email, created_at);
CREATE INDEX verification_tokens_user ON auth.email_verification_tokens (user_id);
CREATE INDEX reset_tokens_user ON auth.password_reset_tokens (user_id);

-- Two-factor (RFC 6238): the secret while being set up, then enabled; the
-- last accepted time step, so a code is never accepted twice.
ALTER TABLE auth.users
    ADD COLUMN totp_secret text,
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step bigint;

CREATE TABLE auth.recovery_codes (
    user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- The second step of a login: which membership passed the password check.
CREATE TABLE auth.login_challenges (
    token_hash text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    failures integer NOT NULL DEFAULT 0,
    used_at timestamptz
);
CREATE INDEX login_challenges_expiry ON auth.login_challenges (expires_at);
