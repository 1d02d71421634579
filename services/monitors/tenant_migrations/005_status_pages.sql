-- Status pages, incidents and maintenance windows of one tenant (issue 15),
-- applied with search_path set to the tenant's schema. A page's slug is
-- global: monitors.status_slugs (the global migration 004) holds every
-- tenant's, and this table keeps its own copy for the tenant's reads.
CREATE TABLE status_pages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE,
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    public boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_pages_newest ON status_pages (created_at DESC, id DESC);

-- The endpoints a page shows, in the owner's order.
CREATE TABLE status_page_components (
    page_id uuid NOT NULL REFERENCES status_pages (id) ON DELETE CASCADE,
    endpoint_id uuid NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    position integer NOT NULL,
    PRIMARY KEY (page_id, endpoint_id)
);
CREATE INDEX status_page_components_endpoint ON status_page_components (endpoint_id);

-- An incident is about endpoints; it shows on every page that shows one of
-- them. auto_endpoint_id: opened by that endpoint's outage (one open at a time).
CREATE TABLE incidents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL,
    status text NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
    impact text NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical')),
    auto_endpoint_id uuid REFERENCES endpoints (id) ON DELETE SET NULL,
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    resolved_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX incidents_open_outage ON incidents (auto_endpoint_id)
    WHERE resolved_at IS NULL AND auto_endpoint_id IS NOT NULL;
CREATE INDEX incidents_newest ON incidents (started_at DESC, id DESC);

CREATE TABLE incident_endpoints (
    incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    endpoint_id uuid NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, endpoint_id)
);
CREATE INDEX incident_endpoints_endpoint ON incident_endpoints (endpoint_id);

CREATE TABLE incident_updates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
    message text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX incident_updates_incident ON incident_updates (incident_id, created_at DESC);

-- Planned work: checks of its endpoints still run and are stored, but
-- raise nothing and count for nothing between starts_at and ends_at.
CREATE TABLE maintenances (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at AND ends_at <= starts_at + interval '7 days')
);
CREATE INDEX maintenances_newest ON maintenances (starts_at DESC, id DESC);

CREATE TABLE maintenance_endpoints (
    maintenance_id uuid NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    endpoint_id uuid NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    PRIMARY KEY (maintenance_id, endpoint_id)
);
CREATE INDEX maintenance_endpoints_endpoint ON maintenance_endpoints (endpoint_id);

-- A check that ran inside a maintenance window: stored, left out of the rollups.
ALTER TABLE check_results ADD COLUMN in_maintenance boolean NOT NULL DEFAULT false;
