-- Mean durations: sales_cycle_length.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET timezone = 'UTC';

\i sql/opps.inc

-- all closed: (10 + 30 + 20 + 0.25) / 4 = 15.0625 days = 15 days 01:30:00
SELECT sales_cycle_length(created_at, closed_at) FROM opps;
-- ann: 20 days; bob: (20 + 0.25) / 2 = 10.125 days = 10 days 03:00:00
SELECT owner, sales_cycle_length(created_at, closed_at) FROM opps GROUP BY owner ORDER BY owner;
-- equals avg() of the differences
SELECT sales_cycle_length(created_at, closed_at) = avg(closed_at - created_at) AS same FROM opps;
-- in days, for dashboards (days(): numeric, so pgJDBC and Metabase can chart it)
SELECT round(extract(epoch FROM sales_cycle_length(created_at, closed_at)) / 86400, 4) AS by_epoch,
	   round(days(sales_cycle_length(created_at, closed_at)), 4) AS days FROM opps;
-- by hand: 36 hours = 1.5 days; 12 days 03:14:15.123456 = 12 + 11655.123456 / 86400;
-- a month counts 30 days (as in interval comparison); negative spans stay negative
SELECT days('36 hours') AS one_and_a_half, round(days('12 days 03:14:15.123456'), 15) = round(12 + 11655.123456 / 86400, 15) AS exact,
	   days('1 mon 1 day') AS thirty_one, days('-2 days -12 hours') AS minus_two_and_a_half,
	   days(NULL) AS null_in, pg_typeof(days('1 day')) AS type;
-- an infinite interval (PostgreSQL 17+) is an infinite number of days
DO $$
DECLARE right_answer boolean := true;
BEGIN
	IF current_setting('server_version_num')::int >= 170000 THEN
		EXECUTE $q$SELECT days('infinity'::interval) = 'Infinity' AND days('-infinity'::interval) = '-Infinity'$q$
			INTO right_answer;
	END IF;
	IF NOT right_answer THEN
		RAISE EXCEPTION 'days() of an infinite interval is not infinite';
	END IF;
END $$;
-- rounding to the microsecond: (1 us + 2 us) / 2 = 1.5 us -> 2 us
SELECT sales_cycle_length(a, b) FROM (VALUES ('2024-01-01 00:00:00'::timestamptz, '2024-01-01 00:00:00.000001'::timestamptz),
											  ('2024-01-01 00:00:00', '2024-01-01 00:00:00.000002')) v(a, b);
-- empty, NULL rows, one row, zero length
SELECT sales_cycle_length(created_at, closed_at) FROM opps WHERE false;
SELECT sales_cycle_length(NULL, now());
SELECT sales_cycle_length('2024-01-01', '2024-03-01');
SELECT sales_cycle_length('2024-01-01', '2024-01-01');
-- very long spans: the longest an interval holds works, a longer one is an error
SELECT sales_cycle_length('4713-01-01 BC', '200000-12-31');
SELECT smarkpi_err($$SELECT sales_cycle_length('4713-01-01 BC', '294276-12-31')$$);

-- errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT sales_cycle_length('2024-01-02', '2024-01-01')$$);
SELECT smarkpi_err($$SELECT sales_cycle_length('-infinity', '2024-01-01')$$);
SELECT smarkpi_err($$SELECT sales_cycle_length('2024-01-01', 'infinity')$$);

-- more of the family: hand-worked values, NULL rules
-- durations: lead response 2 h and 4 h -> 3 h; median and other percentiles
SELECT lead_response_time(a, b)
FROM (VALUES ('2024-01-01'::timestamptz, '2024-01-01 02:00'::timestamptz),
			 ('2024-01-01', '2024-01-01 04:00'), ('2024-01-01', NULL)) v(a, b);
-- cycles of 1, 2, 4 and 10 days: median (2 + 4) / 2 = 3 days; 90th: 4 + 0.7 x 6 = 8.2 days
SELECT duration_percentile(a, b, 0.5) AS median, duration_percentile(a, b, 0.9) AS p90,
	   duration_percentile(a, b, 0) AS min, duration_percentile(a, b, 1) AS max,
	   percentile_cont(0.9) WITHIN GROUP (ORDER BY b - a) AS plain_p90
FROM (VALUES ('2024-01-01'::timestamptz, '2024-01-02'::timestamptz), ('2024-01-01', '2024-01-05'),
			 ('2024-01-01', '2024-01-11'), ('2024-01-01', '2024-01-03'), (NULL, '2024-01-03')) v(a, b);
SELECT duration_percentile(a, a, 0.5) FROM (VALUES (now())) v(a) WHERE false;
-- a moving frame that starts on ignored rows
SELECT i, duration_percentile(a, b, 0.5) OVER (ORDER BY i ROWS 1 PRECEDING)
FROM (VALUES (1, NULL::timestamptz, NULL::timestamptz), (2, NULL, NULL), (3, '2024-01-01', '2024-01-03'),
			 (4, '2024-01-01', '2024-01-02'), (5, NULL, NULL), (6, NULL, NULL)) v(i, a, b) ORDER BY i;

-- more errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT lead_response_time('2024-01-02', '2024-01-01')$$);
SELECT smarkpi_err($$SELECT lead_response_time('2024-01-02', 'infinity')$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-01', '2024-01-02', 1.5)$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-01', '2024-01-02', 'NaN')$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-01', '2024-01-02', f) FROM (VALUES (0.5), (0.9)) v(f)$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-03', '2024-01-02', 0.5)$$);
SELECT smarkpi_err($$SELECT duration_percentile('-infinity', '2024-01-02', 0.5)$$);
DROP TABLE opps;
