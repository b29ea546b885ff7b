-- Cohort retention: cohort_retention(), retention_matrix(), rollup().
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
-- the session's TimeZone must not matter: periods are in time_zone (UTC by default)
SET timezone = 'America/Los_Angeles';

-- By hand, months of UTC, observed until 25 May (April is the last month that has ended):
-- customer 1 active Jan, Feb, Apr; customer 2 Jan (31st, 23:30 UTC), Mar; customer 3 Feb
-- (1st, 00:30 UTC), Feb, May; customer 4 May.  Cohort Jan = {1, 2}: offset 1 (Feb) 1 of 2,
-- 2 (Mar) 1, 3 (Apr) 1.  Cohort Feb = {3}: nobody in Mar or Apr.  Cohort May: its month has
-- not ended, one row with eligible 0.
CREATE TABLE act (customer bigint, at timestamptz);
INSERT INTO act VALUES
	(1, '2024-01-05 10:00+00'), (1, '2024-02-10 10:00+00'), (1, '2024-04-01 10:00+00'),
	(2, '2024-01-31 23:30+00'), (2, '2024-03-15 10:00+00'),
	(3, '2024-02-01 00:30+00'), (3, '2024-02-20 00:30+00'), (3, '2024-05-01 00:30+00'),
	(4, '2024-05-20 12:00+00'), (5, '2024-06-01 00:00+00'), (NULL, '2024-01-01'), (6, NULL);
SELECT * FROM retention_matrix((SELECT cohort_retention(customer, at, 'month', '2024-05-25 00:00+00') FROM act));
-- on_or_after: retained when active in the period or any later one (customer 3's May counts,
-- though May has not ended; customer 2's last month is March)
SELECT * FROM retention_matrix((SELECT cohort_retention(customer, at, 'month', '2024-05-25 00:00+00') FROM act),
							   'on_or_after');
-- in Berlin, customer 2's first activity is on 1 Feb: cohorts Jan = {1}, Feb = {2, 3}
SELECT * FROM retention_matrix((SELECT cohort_retention(customer, at, 'Month', '2024-05-25 00:00+00', 'Europe/Berlin') FROM act))
WHERE period_offset < 2;
-- ISO weeks from Monday; observed on Tuesday 20 Feb: the week of 12 Feb is the last ended
SELECT cohort, to_char(cohort, 'Dy') AS starts, period_offset, eligible, retained
FROM retention_matrix((SELECT cohort_retention(customer, at, 'week', '2024-02-20 00:00+00') FROM act));
-- days; observed_until exactly at a period's start: that period has not ended
SELECT cohort, period_offset, eligible, retained
FROM retention_matrix((SELECT cohort_retention(customer, at, 'day', '2024-01-07 00:00+00') FROM act));
SELECT cohort_retention(customer, at, 'day', '2024-01-07') FROM act WHERE false;
SELECT count(*) AS no_rows FROM retention_matrix(NULL);

-- Against the plain SQL with date_trunc and generate_series, on seeded activity (3 years, 500
-- customers, 6000 rows), every period, both modes, in UTC and New York
CREATE TABLE rnd AS
SELECT 1 + (i * 7919) % 500 AS customer,
	   '2022-01-01 00:00+00'::timestamptz + ((i * 104729) % 1095) * interval '1 day'
		   + ((i * 15485863) % 86400) * interval '1 second' AS at
FROM generate_series(1::bigint, 6000) i;
CREATE FUNCTION plain_matrix(unit text, tz text, obs timestamptz, on_or_after boolean)
RETURNS TABLE(cohort date, period_offset integer, cohort_size bigint, retained bigint) LANGUAGE sql AS $$
	WITH a AS (SELECT DISTINCT customer, date_trunc(unit, at AT TIME ZONE tz)::date AS p FROM rnd WHERE at <= obs),
	c AS (SELECT customer, min(p) AS cohort, max(p) AS last_active FROM a GROUP BY 1),
	sizes AS (SELECT cohort, count(*) AS n FROM c GROUP BY 1),
	grid AS (SELECT s.cohort, s.n, g::date AS p,
					(row_number() OVER (PARTITION BY s.cohort ORDER BY g) - 1)::int AS k
			 FROM sizes s,
				  generate_series(s.cohort, date_trunc(unit, obs AT TIME ZONE tz) - ('1 ' || unit)::interval,
								  ('1 ' || unit)::interval) g),
	ret AS (SELECT c.cohort, a.p, count(*) AS n FROM a JOIN c USING (customer) GROUP BY 1, 2)
	SELECT g.cohort, g.k, g.n,
		   CASE WHEN on_or_after
				THEN (SELECT count(*) FROM c WHERE c.cohort = g.cohort AND c.last_active >= g.p)
				ELSE coalesce(r.n, 0) END
	FROM grid g LEFT JOIN ret r ON r.cohort = g.cohort AND r.p = g.p $$;
SELECT u.unit, z.tz, m.on_or_after,
	   (SELECT count(*) FROM plain_matrix(u.unit, z.tz, '2024-10-15 12:00+00', m.on_or_after)) AS cells,
	   (SELECT count(*) FROM (
			(SELECT cohort, period_offset, cohort_size, retained
			 FROM retention_matrix((SELECT cohort_retention(customer, at, u.unit, '2024-10-15 12:00+00', z.tz) FROM rnd),
								   CASE WHEN m.on_or_after THEN 'on_or_after' ELSE 'on' END)
			 WHERE eligible > 0
			 EXCEPT ALL SELECT * FROM plain_matrix(u.unit, z.tz, '2024-10-15 12:00+00', m.on_or_after))
			UNION ALL
			(SELECT * FROM plain_matrix(u.unit, z.tz, '2024-10-15 12:00+00', m.on_or_after)
			 EXCEPT ALL SELECT cohort, period_offset, cohort_size, retained
			 FROM retention_matrix((SELECT cohort_retention(customer, at, u.unit, '2024-10-15 12:00+00', z.tz) FROM rnd),
								   CASE WHEN m.on_or_after THEN 'on_or_after' ELSE 'on' END)
			 WHERE eligible > 0)) d) AS differing
FROM (VALUES ('day'), ('week'), ('month')) u(unit), (VALUES ('UTC'), ('America/New_York')) z(tz),
	 (VALUES (false), (true)) m(on_or_after)
ORDER BY 1, 2, 3;
-- the cohort whose period has not ended: one row, eligible 0, retention NULL
SELECT cohort, period_offset, cohort_size, eligible, retained, retention
FROM retention_matrix((SELECT cohort_retention(customer, at, 'month', '2022-02-10 00:00+00') FROM rnd));

-- rollup: summaries per month of activity merge a customer seen in several; equal to the whole
CREATE TABLE monthly AS
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS m, cohort_retention(customer, at, 'week', '2024-10-15 12:00+00') AS s
FROM rnd GROUP BY 1;
SELECT (SELECT rollup(s) FROM monthly)::text = (SELECT cohort_retention(customer, at, 'week', '2024-10-15 12:00+00') FROM rnd)::text
	AS rollup_equals_whole,
	   (SELECT count(*) FROM monthly) AS summaries;
-- the same rows in two summaries are the same activity, not twice as much: the same summary
SELECT (SELECT rollup(s) FROM (SELECT s FROM monthly UNION ALL SELECT s FROM monthly) x)::text
	   = (SELECT rollup(s) FROM monthly)::text AS duplicates_merge;
-- a moving frame of summaries (rollup's inverse) equals each frame recomputed
SELECT count(*) FILTER (WHERE w.v IS DISTINCT FROM (SELECT rollup(s)::text FROM monthly m2 WHERE m2.m BETWEEN w.m - interval '2 months' AND w.m))
	AS moving_rollup_mismatches
FROM (SELECT m, rollup(s) OVER (ORDER BY m ROWS 2 PRECEDING)::text AS v FROM monthly) w;
-- a moving frame of activity rows (the aggregate's inverse)
SELECT count(*) FILTER (WHERE w.v IS DISTINCT FROM (SELECT cohort_retention(customer, at, 'month', '2024-10-15 12:00+00')::text
													FROM rnd r2 WHERE r2.customer % 10 = 0 AND r2.at BETWEEN w.at - interval '90 days' AND w.at))
	AS moving_mismatches
FROM (SELECT at, cohort_retention(customer, at, 'month', '2024-10-15 12:00+00')
				 OVER (ORDER BY at RANGE BETWEEN interval '90 days' PRECEDING AND CURRENT ROW)::text AS v
	  FROM rnd WHERE customer % 10 = 0) w;

-- parallel plans: partial states merged by the combine function give the serial value
ANALYZE rnd;
SELECT smarkpi_serial();
SELECT cohort_retention(customer, at, 'week', '2024-10-15 12:00+00', 'Asia/Kolkata')::text AS serial_state FROM rnd \gset
SELECT string_agg(v, ' ' ORDER BY g) AS serial_groups
FROM (SELECT customer % 3 AS g, cohort_retention(customer, at, 'day', '2024-10-15 12:00+00')::text AS v FROM rnd GROUP BY 1) x \gset
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT cohort_retention(customer, at, ''week'', now()) FROM rnd') ~ 'Partial Aggregate' AS partial_plan;
SELECT cohort_retention(customer, at, 'week', '2024-10-15 12:00+00', 'Asia/Kolkata')::text = :'serial_state' AS parallel_equals_serial FROM rnd;
SELECT string_agg(v, ' ' ORDER BY g) = :'serial_groups' AS parallel_groups_equal_serial
FROM (SELECT customer % 3 AS g, cohort_retention(customer, at, 'day', '2024-10-15 12:00+00')::text AS v FROM rnd GROUP BY 1) x;
SELECT smarkpi_serial();

-- outside forms
SELECT s::text::smarkpi_cohort_retention::text = s::text AS text_round_trip,
	   smarkpi_copy_binary('smarkpi_cohort_retention', smarkpi_cohort_retention_send(s)) = 'accepted ' || s::text AS binary_round_trip
FROM (SELECT cohort_retention(customer, at, 'month', '2024-05-25 00:00+00', 'Europe/Berlin') AS s FROM act) x;
SELECT smarkpi_copy_binary('smarkpi_cohort_retention', overlay(smarkpi_cohort_retention_send(s) PLACING '\x04'::bytea FROM 2))
FROM (SELECT cohort_retention(customer, at, 'month', '2024-05-25 00:00+00') AS s FROM act) x;
SELECT smarkpi_copy_binary('smarkpi_cohort_retention', overlay(smarkpi_cohort_retention_send(s) PLACING 'utc'::bytea FROM 7))
FROM (SELECT cohort_retention(customer, at, 'month', '2024-05-25 00:00+00') AS s FROM act) x;

-- errors: parameters always; a row's infinite active_at under smarkpi.invalid_rows
SELECT smarkpi_err($$SELECT cohort_retention(customer, at, 'quarter', now()) FROM act$$);
SELECT smarkpi_err($$SELECT cohort_retention(customer, at, 'month', now(), 'Mars/Olympus') FROM act$$);
SELECT smarkpi_err($$SELECT cohort_retention(customer, at, 'month', 'infinity') FROM act$$);
SELECT smarkpi_err($$SELECT cohort_retention(customer, at, CASE WHEN customer = 1 THEN 'month' ELSE 'week' END, '2024-06-01') FROM act$$);
SELECT smarkpi_err($$SELECT cohort_retention(customer, at, 'month', '2024-06-01'::timestamptz + customer * interval '1 hour') FROM act$$);
SELECT smarkpi_err($$SELECT rollup(s) FROM (SELECT cohort_retention(customer, at, 'month', '2024-06-01') AS s FROM act
										  UNION ALL SELECT cohort_retention(customer, at, 'week', '2024-06-01') FROM act) x$$);
SELECT smarkpi_err($$SELECT cohort_retention(1, 'infinity', 'month', '2024-06-01')$$);
SELECT smarkpi_err($$SELECT * FROM retention_matrix((SELECT cohort_retention(customer, at, 'month', '2024-06-01') FROM act), 'before')$$);
-- a matrix of ten daily cohorts in 4713 BC would have 24 million cells
SELECT smarkpi_err($$SELECT count(*) FROM retention_matrix((SELECT cohort_retention(i, '4713-01-01 00:00+00 BC'::timestamptz + i * interval '1 day', 'day', '2024-06-01') FROM generate_series(1, 10) i))$$);
SELECT count(*) AS ancient_month_cohort_rows
FROM retention_matrix((SELECT cohort_retention(c, t, 'month', '2024-06-01')
					   FROM (VALUES (1, '2000-01-01 00:00+00'::timestamptz), (2, '4713-01-01 00:00+00 BC')) v(c, t)));
DROP TABLE act, rnd, monthly;
DROP FUNCTION plain_matrix;
