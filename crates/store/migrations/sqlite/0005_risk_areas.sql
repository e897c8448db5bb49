-- Indexes for recomputing every code at once: the bulk reads take a lookback window of
-- arrivals and check-ins, and the declarations found false, without walking whole tables.

CREATE INDEX itineraries_arrived ON itineraries (arrived_on, person_id);
CREATE INDEX check_ins_day ON check_ins (day, person_id);
CREATE INDEX declarations_found_false ON declarations (found_false_on)
    WHERE found_false_on IS NOT NULL;
