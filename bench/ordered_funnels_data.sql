-- Lead events for bench/ordered_funnels.sh: :leads leads with :events events
-- each on average (1 to 2 x :events - 1), over 120 days from 2024-01-01, at
-- whole minutes.  A lead's events are drawn so that later steps are rarer:
-- step 1 (MQL) 35 %, 2 (SAL) 25 %, 3 (SQL) 15 %, 4 (won) 5 %, and 20 % other
-- events (NULL step: emails, visits).  Deterministic (setseed).
SELECT setseed(0.1414);
DROP TABLE IF EXISTS lead_events;
CREATE TABLE lead_events AS
SELECT l AS lead_id,
	   timestamptz '2024-01-01' + (random() * 120 * 24 * 60)::int * interval '1 minute' AS at,
	   CASE WHEN r < 0.35 THEN 1 WHEN r < 0.60 THEN 2 WHEN r < 0.75 THEN 3 WHEN r < 0.80 THEN 4 END AS step
FROM generate_series(1, :leads) l,
	 LATERAL generate_series(1, 1 + (random() * (2 * :events - 2))::int + (l * 0)) e,
	 LATERAL (SELECT random() + (e * 0) AS r) x;
-- the index the plain-SQL LATERAL query needs (window_funnel does not use it)
CREATE INDEX lead_events_chain ON lead_events (lead_id, step, at);
VACUUM ANALYZE lead_events;
