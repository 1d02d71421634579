-- The 24 h window's check and success counts behind uptime_24h, valid for
-- the hour bucket in uptime_hour (issue 14): storing a result adds to them
-- instead of summing the window's 25 rollup rows. NULL: not known for this
-- hour, summed from the rollups by the next result (services/monitors/schedule.c).
ALTER TABLE endpoints ADD COLUMN uptime_checks integer;
ALTER TABLE endpoints ADD COLUMN uptime_ok integer;
