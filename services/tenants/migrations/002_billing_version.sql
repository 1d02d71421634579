-- The version of the subscription state sw-billing last pushed (SetPlan ignores
-- anything older, so retries and concurrent pushes cannot move a plan back).
ALTER TABLE tenancy.tenants ADD COLUMN billing_version bigint NOT NULL DEFAULT 0;
