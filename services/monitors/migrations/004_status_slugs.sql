-- Status-page slugs are global (api.md: 409 duplicate_slug across tenants):
-- one row per page of every tenant, written in the transaction that creates,
-- renames or deletes the page. The public page is found here by its slug.
CREATE TABLE monitors.status_slugs (
    slug text PRIMARY KEY,
    tenant_id uuid NOT NULL,
    schema_name text NOT NULL,
    page_id uuid NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
