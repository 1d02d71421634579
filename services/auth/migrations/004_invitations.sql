-- Invitations into a tenant (api.md "Identity"): a single-use link, 7 days.
CREATE TABLE auth.invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    email text NOT NULL CHECK (email = lower(email)),
    role text NOT NULL CHECK (role IN ('admin', 'member')),
    token_hash text NOT NULL UNIQUE,
    invited_by uuid REFERENCES auth.users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    revoked_at timestamptz
);
-- At most one open invitation per e-mail and tenant.
CREATE UNIQUE INDEX invitations_open ON auth.invitations (tenant_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
