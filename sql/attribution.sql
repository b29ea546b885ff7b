-- Attribution: attribution_credit, rule-based multi-touch attribution (window function).
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- Hand-worked credits by position, n = 1, 2, 3, 5 touches (model from a column: checked per row):
-- first_touch {1,0,..}; last_touch {..,0,1}; linear 1/n;
-- position_based n=1 {1}, n=2 {0.5,0.5}, n=3 {0.4,0.2,0.4}, n=5 {0.4,0.2/3,0.2/3,0.2/3,0.4}
SELECT m, n, array_agg(round(c::numeric, 6) ORDER BY i) AS credits
FROM (SELECT n, i, m, attribution_credit(m) OVER (PARTITION BY m, n ORDER BY i) AS c
	  FROM unnest(array[1, 2, 3, 5]) n, generate_series(1, n) i,
		   unnest(array['first_touch', 'last_touch', 'linear', 'position_based']) m) s
GROUP BY m, n ORDER BY m, n;

-- custom ends: (0.3, 0.5): n=2 {0.3/0.8, 0.5/0.8} = {0.375, 0.625}, n=3 {0.3, 0.2, 0.5},
-- n=5 {0.3, 0.2/3 x 3, 0.5}; (0, 0): n=2 {0.5, 0.5}, n=3 {0, 1, 0}; (0.5, 0.5): n=3 {0.5, 0, 0.5};
-- (1, 0): n=2 {1, 0}; (0.7, 0.3) sums to 1 within rounding: accepted, middle 0
SELECT f, l, n, array_agg(round(c::numeric, 6) ORDER BY i) AS credits
FROM (SELECT f, l, n, i, attribution_credit('position_based', f, l) OVER (PARTITION BY f, l, n ORDER BY i) AS c
	  FROM (VALUES (0.3::float8, 0.5::float8), (0, 0), (0.5, 0.5), (1, 0), (0.7, 0.3)) s(f, l),
		   unnest(array[1, 2, 3, 5]) n, generate_series(1, n) i) s
GROUP BY f, l, n ORDER BY f, l, n;
-- the default ends are 0.4 and 0.4
SELECT bool_and(a = b) AS default_is_40_40
FROM (SELECT attribution_credit('position_based') OVER w AS a, attribution_credit('position_based', 0.4, 0.4) OVER w AS b
	  FROM generate_series(1, 7) i WINDOW w AS (ORDER BY i)) s;

-- Shares of a partition sum to 1 within 1e-12 for 1, 2, 3, 10 and 1000 touches, every model
-- and every form (timestamp forms: a touch every hour before the conversion).
CREATE TEMP TABLE sized AS
SELECT n, i, '2024-03-01'::timestamptz - (n - i + 1) * interval '1 hour' AS touched_at,
	   '2024-03-01'::timestamptz AS converted_at
FROM unnest(array[1, 2, 3, 10, 1000]) n, generate_series(1, n) i;
-- (window functions are computed for every row whatever CASE surrounds them: one query per form)
SELECT m, bool_and(abs(total - 1) < 1e-12) AS sums_to_1, count(*) AS partitions, max(abs(total - 1)) < 1e-12 AS max_error_below_1e_12
FROM (SELECT m, n, sum(c) AS total
	  FROM (SELECT m, n, attribution_credit(m) OVER (PARTITION BY m, n ORDER BY i) AS c
			FROM sized, unnest(array['first_touch', 'last_touch', 'linear', 'position_based']) m) s
	  GROUP BY m, n) t
GROUP BY m ORDER BY m;
SELECT f, l, bool_and(abs(total - 1) < 1e-12) AS shares_sum_to_1, count(*) AS partitions
FROM (SELECT f, l, n, sum(c) AS total
	  FROM (SELECT f, l, n, attribution_credit('position_based', f, l) OVER (PARTITION BY f, l, n ORDER BY i) AS c
			FROM sized, (VALUES (0.25::float8, 0.35::float8), (0.1, 0.1), (0.45, 0.55), (0, 0)) s(f, l)) s
	  GROUP BY f, l, n) t
GROUP BY f, l ORDER BY f, l;
SELECT m, bool_and(abs(total - 1) < 1e-12) AS timed_sums_to_1, bool_and(abs(total_1h - 1) < 1e-12) AS half_life_1h_sums_to_1,
	   count(*) AS partitions
FROM (SELECT m, n, sum(c) AS total, sum(c_1h) AS total_1h
	  FROM (SELECT m, n, attribution_credit(m, touched_at, converted_at) OVER w AS c,
				   attribution_credit(m, touched_at, converted_at, interval '1 hour') OVER w AS c_1h
			FROM sized, unnest(array['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay']) m
			WINDOW w AS (PARTITION BY m, n ORDER BY i)) s
	  GROUP BY m, n) t
GROUP BY m ORDER BY m;

-- time_decay, the issue's reference values: touches 1, 8 and 15 days before the conversion,
-- half-life 7 days, weigh 2^(-1/7), 2^(-8/7), 2^(-15/7) before normalising (ratio 4 : 2 : 1,
-- so the shares are 4/7, 2/7, 1/7)
WITH t AS (SELECT d, '2024-05-20'::timestamptz - d * interval '1 day' AS touched_at, '2024-05-20'::timestamptz AS converted_at
		   FROM unnest(array[15, 8, 1]) d),
	 c AS (SELECT d, attribution_credit('time_decay', touched_at, converted_at) OVER (ORDER BY touched_at) AS credit,
				  attribution_credit('time_decay', touched_at, converted_at, '7 days') OVER (ORDER BY touched_at) AS credit_7d,
				  power(2, -d / 7.0)::float8 / sum(power(2, -d / 7.0)::float8) OVER () AS plain_sql
		   FROM t)
SELECT d, round(credit::numeric, 12) AS credit, abs(credit - plain_sql) < 1e-15 AS equals_plain_sql,
	   credit = credit_7d AS default_is_7_days, round((credit * 7)::numeric, 12) AS sevenths
FROM c ORDER BY d DESC;
-- half-life 1 day, lags 0, 1, 2 days: weights 1, 1/2, 1/4 -> 4/7, 2/7, 1/7; a month is 30 days:
-- half-life '1 month' equals '30 days'
SELECT i, round(attribution_credit('time_decay', ts, '2024-01-03', '1 day') OVER w::numeric, 12) AS half_life_1d,
	   attribution_credit('time_decay', ts, '2024-01-03', '1 month') OVER w
		   = attribution_credit('time_decay', ts, '2024-01-03', '30 days') OVER w AS month_is_30_days
FROM (VALUES (1, '2024-01-01'::timestamptz), (2, '2024-01-02'), (3, '2024-01-03')) t(i, ts)
WINDOW w AS (ORDER BY ts) ORDER BY i;
-- time_decay for n = 1, 2, 5 with a half-life of 1 day and touches 0, 1, 2, ... days before the
-- conversion: weights 1, 1/2, 1/4, 1/8, 1/16 -> n=1 {1}, n=2 {2/3, 1/3},
-- n=5 {16/31, 8/31, 4/31, 2/31, 1/31} (listed from the latest touch back)
SELECT n, array_agg(round(c::numeric, 6) ORDER BY d) AS credits,
	   array_agg(round((power(2, -d) / (2 - power(2, 1 - n)))::numeric, 6) ORDER BY d) AS by_hand
FROM (SELECT n, d, attribution_credit('time_decay', '2024-01-10'::timestamptz - d * interval '1 day', '2024-01-10', '1 day')
				   OVER (PARTITION BY n ORDER BY d DESC) AS c
	  FROM unnest(array[1, 2, 5]) n, generate_series(0, n - 1) d) s
GROUP BY n ORDER BY n;
-- lags 0 and 10 000 days with a half-life of 1 second: the far weight underflows to 0, the
-- near one is exactly 1 (weights are relative to the smallest lag), shares 1 and 0
SELECT attribution_credit('time_decay', ts, '2024-01-01', '1 second') OVER (ORDER BY ts) AS credit
FROM (VALUES ('2024-01-01'::timestamptz), ('2024-01-01'::timestamptz - interval '10000 days')) t(ts);

-- position_based equals the plain SQL a user writes with row_number() and count() OVER,
-- on 300 conversions of 1 to 12 touches
CREATE TEMP TABLE journeys AS
SELECT c AS conv, i AS touch_id, (array['direct', 'email', 'search', 'social'])[1 + (c * 7 + i * 3) % 4] AS channel,
	   '2024-01-01'::timestamptz + (c * interval '1 day') + (i * interval '5 hours') AS touched_at,
	   '2024-01-01'::timestamptz + (c * interval '1 day') + interval '3 days' AS converted_at,
	   (100 + c % 17 * 10)::numeric AS amount
FROM generate_series(1, 300) c, generate_series(1, 1 + c % 12) i;
SELECT count(*) AS touches, bool_and(abs(credit - plain) < 1e-15) AS position_based_equals_plain_sql,
	   bool_and(abs(credit_t - plain) < 1e-15) AS timed_form_equals_plain_sql
FROM (SELECT attribution_credit('position_based') OVER w AS credit,
			 attribution_credit('position_based', touched_at, converted_at) OVER w AS credit_t,
			 CASE WHEN count(*) OVER p = 1 THEN 1.0
				  WHEN count(*) OVER p = 2 THEN 0.5
				  WHEN row_number() OVER w IN (1, count(*) OVER p) THEN 0.4
				  ELSE 0.2 / (count(*) OVER p - 2) END AS plain
	  FROM journeys
	  WINDOW p AS (PARTITION BY conv), w AS (PARTITION BY conv ORDER BY touched_at, touch_id)) s;
-- every model of the timestamp form in one query (CROSS JOIN the model names)
SELECT m, round(sum(credit)::numeric, 9) AS total_credit, count(DISTINCT conv) AS conversions
FROM (SELECT conv, m, attribution_credit(m, touched_at, converted_at) OVER (PARTITION BY m, conv ORDER BY touched_at, touch_id) AS credit
	  FROM journeys CROSS JOIN unnest(array['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay']) m) s
GROUP BY m ORDER BY m;

-- Revenue by channel = sum(amount x credit), hand-made example:
-- conversion 1 (100): email d1, search d3, direct d5, converted d6
-- conversion 2 (200): search d2, social d4, converted d10
-- conversion 3 (50): direct d1, converted d2
-- first_touch: email 100, search 200, direct 50
-- last_touch: direct 100 + 50 = 150, social 200
-- linear: direct 33.33 + 50 = 83.33, email 33.33, search 33.33 + 100 = 133.33, social 100
-- position_based: direct 40 + 50 = 90, email 40, search 20 + 100 = 120, social 100
CREATE TEMP TABLE touches (conv int, touch_id int, channel text, touched_at timestamptz,
						   converted_at timestamptz, amount numeric);
INSERT INTO touches VALUES
	(1, 1, 'email', '2024-06-01', '2024-06-06', 100), (1, 2, 'search', '2024-06-03', '2024-06-06', 100),
	(1, 3, 'direct', '2024-06-05', '2024-06-06', 100),
	(2, 4, 'search', '2024-06-02', '2024-06-10', 200), (2, 5, 'social', '2024-06-04', '2024-06-10', 200),
	(3, 6, 'direct', '2024-06-01', '2024-06-02', 50);
SELECT channel,
	   round(sum(amount * first_touch)::numeric, 2) AS first_touch,
	   round(sum(amount * last_touch)::numeric, 2) AS last_touch,
	   round(sum(amount * linear)::numeric, 2) AS linear,
	   round(sum(amount * position_based)::numeric, 2) AS position_based,
	   round(sum(amount * time_decay)::numeric, 2) AS time_decay
FROM (SELECT channel, amount::float8 AS amount,
			 attribution_credit('first_touch') OVER w AS first_touch,
			 attribution_credit('last_touch') OVER w AS last_touch,
			 attribution_credit('linear') OVER w AS linear,
			 attribution_credit('position_based') OVER w AS position_based,
			 attribution_credit('time_decay', touched_at, converted_at) OVER w AS time_decay
	  FROM touches WINDOW w AS (PARTITION BY conv ORDER BY touched_at, touch_id)) s
GROUP BY ROLLUP (channel) ORDER BY channel;
-- time_decay against the plain SQL a user writes (sum(power(2, ...)) OVER):
-- conversion 1 lags 5, 3, 1 days, conversion 2 lags 8, 6 days, conversion 3 lag 1 day
SELECT channel, round(sum(amount * w / total)::numeric, 2) AS plain_time_decay
FROM (SELECT channel, amount, power(2, -extract(epoch FROM converted_at - touched_at) / 86400 / 7) AS w,
			 sum(power(2, -extract(epoch FROM converted_at - touched_at) / 86400 / 7)) OVER (PARTITION BY conv) AS total
	  FROM touches) s
GROUP BY ROLLUP (channel) ORDER BY channel;

-- Touches after the conversion get 0 and do not count; NULL touched_at gets NULL and does not
-- count. Conversion at d10: touches d1, d5, NULL, d12 (after): counting d1, d5 ->
-- first {1,0,NULL,0}, last {0,1,NULL,0}, linear/position_based {0.5,0.5,NULL,0},
-- time_decay lags 9d and 5d: {2^(-4/7), 1} / (1 + 2^(-4/7)) = {0.402254, 0.597746}
SELECT m, array_agg(round(c::numeric, 6) ORDER BY i) AS credits
FROM (SELECT i, m, attribution_credit(m, ts, '2024-01-10') OVER (PARTITION BY m ORDER BY ts, i) AS c
	  FROM (VALUES (1, '2024-01-01'::timestamptz), (2, '2024-01-05'), (3, NULL), (4, '2024-01-12')) t(i, ts),
		   unnest(array['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay']) m) s
GROUP BY m ORDER BY m;
SELECT round((power(2, -4 / 7.0) / (1 + power(2, -4 / 7.0)))::numeric, 6) AS d1_by_hand;
-- each row uses its own converted_at; a NULL converted_at gives NULL and the row does not count;
-- all touches after the conversion: every credit 0 (nothing to credit)
SELECT i, attribution_credit('linear', ts, conv_at) OVER w AS per_row_conversion,
	   attribution_credit('linear', ts, NULL) OVER w AS no_conversion,
	   attribution_credit('linear', ts, '2023-01-01') OVER w AS all_after
FROM (VALUES (1, '2024-01-01'::timestamptz, '2024-01-10'::timestamptz), (2, '2024-01-05', NULL),
			 (3, '2024-01-07', '2024-01-06'), (4, '2024-01-08', '2024-01-09')) t(i, ts, conv_at)
WINDOW w AS (ORDER BY ts) ORDER BY i;
-- a touch exactly at the conversion counts (lag 0)
SELECT attribution_credit('last_touch', ts, '2024-01-10') OVER (ORDER BY ts) AS at_conversion
FROM (VALUES ('2024-01-01'::timestamptz), ('2024-01-10')) t(ts);

-- Ties: touches at the same time are ordered by the tiebreak column
SELECT touch_id, attribution_credit('first_touch') OVER (ORDER BY ts, touch_id) AS by_id_asc,
	   attribution_credit('first_touch') OVER (ORDER BY ts, touch_id DESC) AS by_id_desc
FROM (VALUES (1, '2024-01-01'::timestamptz), (2, '2024-01-01')) t(touch_id, ts) ORDER BY touch_id;

-- NULL parameters give NULL credits
SELECT attribution_credit(NULL) OVER () AS null_model, attribution_credit('position_based', NULL, 0.4) OVER () AS null_share,
	   attribution_credit(NULL, now(), now()) OVER () AS null_model_timed,
	   attribution_credit('time_decay', now(), now(), NULL) OVER () AS null_half_life;
-- no rows: no credits
SELECT count(*) FROM (SELECT attribution_credit('linear') OVER () FROM touches WHERE false) s;

-- Errors: the unknown model lists the valid ones (shown in full, once)
\set VERBOSITY default
SELECT attribution_credit('Linear') OVER () FROM touches;
\set VERBOSITY terse
SELECT smarkpi_err($$SELECT attribution_credit('u_shaped') OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('time_decay') OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('time_decay', 0.4, 0.4) OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('linear', 0.4, 0.4) OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('position_based', 0.6, 0.6) OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('position_based', -0.1, 0.5) OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('position_based', 0.2, 1.5) OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('position_based', 'NaN', 0.2) OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('position_based', 'Infinity', 0) OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('time_decay', touched_at, converted_at, '0') OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('time_decay', touched_at, converted_at, '-1 day') OVER () FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('linear', touched_at, converted_at, '1 month -31 days') OVER () FROM touches$$);
SELECT current_setting('server_version_num')::int < 170000
	   OR smarkpi_err($$SELECT attribution_credit('time_decay', touched_at, converted_at, 'infinity') OVER () FROM touches$$)
		  LIKE '22023: half_life must be a positive finite interval' AS infinite_half_life_is_22023;
-- parameters must be the same on every row of a partition (else the shares would not sum to 1)
SELECT smarkpi_err($$SELECT attribution_credit(CASE WHEN touch_id = 2 THEN 'linear' ELSE 'first_touch' END) OVER (PARTITION BY conv ORDER BY touch_id) FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit(CASE WHEN touch_id = 1 THEN 'linear' END) OVER (PARTITION BY conv ORDER BY touch_id) FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('position_based', touch_id / 10.0, 0.4) OVER (PARTITION BY conv ORDER BY touch_id) FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit(CASE WHEN touch_id = 3 THEN 'linear' ELSE 'first_touch' END, touched_at, converted_at) OVER (PARTITION BY conv ORDER BY touch_id) FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('time_decay', touched_at, converted_at, touch_id * interval '1 day') OVER (PARTITION BY conv ORDER BY touch_id) FROM touches$$);
SELECT smarkpi_err($$SELECT attribution_credit('bogus', touched_at, converted_at) OVER () FROM touches$$);
-- a model that differs between partitions only is fine
SELECT conv, attribution_credit(CASE WHEN conv = 1 THEN 'first_touch' ELSE 'last_touch' END) OVER (PARTITION BY conv ORDER BY touch_id) AS credit
FROM touches ORDER BY conv, touch_id;

-- invalid rows: an infinite timestamp is an error (22008) by default; under 'skip' the row
-- gets NULL and does not count (the other two touches share the conversion)
SELECT smarkpi_err($$SELECT attribution_credit('linear', ts, '2024-01-10') OVER () FROM (VALUES ('-infinity'::timestamptz), ('2024-01-01')) t(ts)$$);
SELECT smarkpi_err($$SELECT attribution_credit('linear', ts, 'infinity') OVER () FROM (VALUES ('2024-01-01'::timestamptz)) t(ts)$$);
SET smarkpi.invalid_rows = 'skip';
SELECT i, attribution_credit('linear', ts, conv_at) OVER w AS linear, attribution_credit('first_touch', ts, conv_at) OVER w AS first_touch
FROM (VALUES (1, '-infinity'::timestamptz, '2024-01-10'::timestamptz), (2, '2024-01-01', '2024-01-10'),
			 (3, '2024-01-02', 'infinity'), (4, '2024-01-03', '2024-01-10')) t(i, ts, conv_at)
WINDOW w AS (ORDER BY i) ORDER BY i;
-- parameters are still errors under 'skip'
SELECT smarkpi_err($$SELECT attribution_credit('position_based', 0.6, 0.6) OVER () FROM touches$$);
RESET smarkpi.invalid_rows;

-- The frame clause does not matter: credit is per partition
SELECT bool_and(a = b AND c = d AND c = e) AS frame_independent, count(*)
FROM (SELECT attribution_credit('position_based') OVER w AS a,
			 attribution_credit('position_based') OVER (w ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS b,
			 attribution_credit('time_decay', touched_at, converted_at) OVER w AS e,
			 attribution_credit('time_decay', touched_at, converted_at) OVER (w RANGE BETWEEN interval '1 day' PRECEDING AND CURRENT ROW) AS c,
			 attribution_credit('time_decay', touched_at, converted_at) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS d
	  FROM journeys WINDOW w AS (PARTITION BY conv ORDER BY touched_at)) s;
-- and a frame aggregate beside it still moves: running share of the conversion so far
SELECT touch_id, round(sum(credit) OVER (ORDER BY touch_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)::numeric, 2) AS running
FROM (SELECT touch_id, attribution_credit('position_based') OVER (ORDER BY touch_id ROWS 1 PRECEDING) AS credit
	  FROM touches WHERE conv = 1) s ORDER BY touch_id;

-- A partition larger than work_mem (the window's rows spill to a temporary file): same credits
-- as in memory
SET work_mem = '64kB';
CREATE TEMP TABLE spilled AS
SELECT i, attribution_credit('time_decay', '2024-01-01'::timestamptz - i * interval '1 hour', '2024-01-01', '30 days') OVER w AS td,
	   attribution_credit('position_based', '2024-01-01'::timestamptz - i * interval '1 hour', '2024-01-01') OVER w AS pb
FROM generate_series(1, 20000) i WINDOW w AS (ORDER BY i);
RESET work_mem;
SELECT count(*) AS touches, count(*) FILTER (WHERE s.td = m.td AND s.pb = m.pb) AS same_in_memory,
	   abs(sum(s.td) - 1) < 1e-12 AS sums_to_1
FROM spilled s
JOIN (SELECT i, attribution_credit('time_decay', '2024-01-01'::timestamptz - i * interval '1 hour', '2024-01-01', '30 days') OVER w AS td,
			 attribution_credit('position_based', '2024-01-01'::timestamptz - i * interval '1 hour', '2024-01-01') OVER w AS pb
	  FROM generate_series(1, 20000) i WINDOW w AS (ORDER BY i)) m USING (i);

-- Analyst settings.
-- 90-day lookback: touches older than 90 days before the conversion get no credit.
-- Conversion 2024-04-09: touches 99 (out), 80 and 40 days before -> email first.
CREATE TEMP TABLE lookback (touch_id int, channel text, touched_at timestamptz, converted_at timestamptz);
INSERT INTO lookback VALUES (1, 'social', '2024-01-01', '2024-04-09'), (2, 'email', '2024-01-20', '2024-04-09'),
							(3, 'search', '2024-02-29', '2024-04-09');
-- (a) filter before the window
SELECT touch_id, channel, attribution_credit('first_touch') OVER (ORDER BY touched_at, touch_id) AS first_touch
FROM lookback WHERE touched_at >= converted_at - interval '90 days' ORDER BY touch_id;
-- (b) keep every row: a NULL touched_at does not count (credit NULL)
SELECT touch_id, channel,
	   attribution_credit('first_touch', CASE WHEN touched_at >= converted_at - interval '90 days' THEN touched_at END,
						  converted_at) OVER (ORDER BY touched_at, touch_id) AS first_touch
FROM lookback ORDER BY touch_id;
-- First non-direct touch: direct visits get credit only when they are the only touches.
-- Conversion 1: email, search, direct -> email; conversion 3: direct only -> direct.
SELECT conv, touch_id, channel, attribution_credit('first_touch') OVER (PARTITION BY conv ORDER BY touched_at, touch_id) AS credit
FROM (SELECT *, count(*) FILTER (WHERE channel <> 'direct') OVER (PARTITION BY conv) AS non_direct FROM touches) t
WHERE channel <> 'direct' OR non_direct = 0
ORDER BY conv, touch_id;

-- Forced-parallel plan (the window runs above Gather): same credits as serial
-- (a regular table: temporary tables are never scanned in parallel)
CREATE TABLE attribution_journeys AS SELECT * FROM journeys;
ANALYZE attribution_journeys;
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT attribution_credit(''linear'') OVER (PARTITION BY conv ORDER BY touched_at, touch_id) FROM attribution_journeys') LIKE '%Gather%' AS parallel_plan;
CREATE TEMP TABLE par AS
SELECT conv, touch_id, attribution_credit('position_based') OVER w AS pb, attribution_credit('time_decay', touched_at, converted_at) OVER w AS td,
	   attribution_credit('position_based', 0.3, 0.5) OVER w AS pb35
FROM attribution_journeys WINDOW w AS (PARTITION BY conv ORDER BY touched_at, touch_id);
SELECT smarkpi_serial();
CREATE TEMP TABLE ser AS
SELECT conv, touch_id, attribution_credit('position_based') OVER w AS pb, attribution_credit('time_decay', touched_at, converted_at) OVER w AS td,
	   attribution_credit('position_based', 0.3, 0.5) OVER w AS pb35
FROM attribution_journeys WINDOW w AS (PARTITION BY conv ORDER BY touched_at, touch_id);
SELECT (SELECT count(*) FROM par) AS touches,
	   (SELECT count(*) FROM (SELECT * FROM par EXCEPT SELECT * FROM ser) d) AS parallel_not_serial,
	   (SELECT count(*) FROM (SELECT * FROM ser EXCEPT SELECT * FROM par) d) AS serial_not_parallel;
-- Under smarkpi.invalid_rows = 'skip', in a forced-parallel plan too: a touch with an infinite
-- touched_at gets NULL and the others share the conversion as if it were absent
UPDATE attribution_journeys SET touched_at = 'infinity' WHERE (conv + touch_id) % 7 = 0;
SET smarkpi.invalid_rows = 'skip';
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT attribution_credit(''linear'', touched_at, converted_at) OVER (PARTITION BY conv ORDER BY touched_at, touch_id) FROM attribution_journeys') LIKE '%Gather%' AS parallel_plan;
CREATE TEMP TABLE skip_par AS
SELECT conv, touch_id, attribution_credit('position_based', touched_at, converted_at) OVER w AS pb,
	   attribution_credit('time_decay', touched_at, converted_at) OVER w AS td
FROM attribution_journeys WINDOW w AS (PARTITION BY conv ORDER BY touched_at, touch_id);
SELECT smarkpi_serial();
CREATE TEMP TABLE skip_ref AS
SELECT conv, touch_id, attribution_credit('position_based', touched_at, converted_at) OVER w AS pb,
	   attribution_credit('time_decay', touched_at, converted_at) OVER w AS td
FROM attribution_journeys WHERE isfinite(touched_at) WINDOW w AS (PARTITION BY conv ORDER BY touched_at, touch_id);
SELECT count(*) AS touches, count(*) FILTER (WHERE NOT isfinite(a.touched_at)) AS skipped,
	   count(*) FILTER (WHERE (p.pb, p.td) IS DISTINCT FROM (r.pb, r.td)) AS differing_from_valid_rows
FROM attribution_journeys a JOIN skip_par p USING (conv, touch_id) LEFT JOIN skip_ref r USING (conv, touch_id);
RESET smarkpi.invalid_rows;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
DROP TABLE attribution_journeys;
