-- "Unlimited" is no value, not -1: the limit travels as an absent field.
ALTER TABLE tenancy.plan_limits ALTER COLUMN endpoint_limit DROP NOT NULL;
UPDATE tenancy.plan_limits SET endpoint_limit = NULL WHERE endpoint_limit = -1;
