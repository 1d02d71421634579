-- Plan rules that hold (issue 14), applied with search_path set to the
-- tenant's schema.
--
-- follow_redirects: GET and HEAD monitors follow redirects by default,
-- POST/PUT/PATCH/DELETE/OPTIONS ones only when the endpoint says so (the
-- checker never replays another method on a redirect to another host).
ALTER TABLE endpoints ADD COLUMN follow_redirects boolean NOT NULL DEFAULT true;
UPDATE endpoints SET follow_redirects = false WHERE method NOT IN ('GET', 'HEAD');
-- The check budget (schedule.c): the theoretical arrival time of the next
-- check at the plan's rate (GCRA); retries may run ahead of it by a burst.
ALTER TABLE endpoints ADD COLUMN budget_at timestamptz;
-- When a check of this endpoint last started, as known when its schedule row
-- was reset (a new target, a pause): a new check waits the retry interval
-- after it, even if the started one never reported.
ALTER TABLE endpoints ADD COLUMN last_started_at timestamptz;
