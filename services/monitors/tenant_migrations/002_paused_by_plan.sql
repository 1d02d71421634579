-- Endpoints paused because a downgrade left them over the plan's limit; they
-- resume on upgrade. A pause or resume by hand clears the mark.
ALTER TABLE endpoints ADD COLUMN paused_by_plan boolean NOT NULL DEFAULT false;
