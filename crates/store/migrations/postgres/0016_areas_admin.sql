-- Areas the zone no longer uses are retired, not deleted: they stay for the history of the
-- persons, checkpoints and figures that named them, and are hidden from pickers and lists.
ALTER TABLE areas ADD COLUMN retired_at BIGINT;
