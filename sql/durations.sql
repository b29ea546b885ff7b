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

-- states past 1 MB (131,072 durations) grow in place in a box: plain and
-- grouped (hash) aggregates, forced parallel (boxes in the workers, shipped
-- flat, combined into a box), growing and moving window frames.  The
-- durations are whole seconds and the medians fall half-way, so
-- percentile_cont's interval arithmetic is exact.
CREATE TABLE long_cycles AS
SELECT i, i % 2 AS g, timestamptz '2024-01-01' + (i % 1000) * interval '1 hour' AS a,
	   timestamptz '2024-01-01' + (i % 1000) * interval '1 hour' + ((i::bigint * 7919) % 200003) * interval '1 second' AS b
FROM generate_series(1, 600000) i;
ANALYZE long_cycles;
CREATE TEMP TABLE long_expected AS
SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY b - a) AS median FROM long_cycles GROUP BY ROLLUP (g);
SELECT smarkpi_serial();
SELECT count(*) AS groups, count(*) FILTER (WHERE duration_percentile IS NOT DISTINCT FROM median) AS equal
FROM (SELECT g, duration_percentile(a, b, 0.5) FROM long_cycles GROUP BY ROLLUP (g)) s JOIN long_expected USING (g);
SELECT duration_percentile(a, b, 0.5) = (SELECT median FROM long_expected WHERE g IS NULL) AS serial_equal
FROM long_cycles;
SELECT smarkpi_force_parallel();
SELECT duration_percentile(a, b, 0.5) = (SELECT median FROM long_expected WHERE g IS NULL) AS parallel_equal
FROM long_cycles;
SELECT count(*) FILTER (WHERE p.m = e.median) AS parallel_groups_equal
FROM (SELECT g, duration_percentile(a, b, 0.5) AS m FROM long_cycles GROUP BY g) p JOIN long_expected e USING (g);
SELECT smarkpi_serial();
-- durations of i seconds: the median of rows lo..i is (lo + i) / 2 seconds
-- (rows kept in memory: a window reading back from a spilled tuplestore is slow)
SET work_mem = '64MB';
SELECT count(*) AS rows, count(*) FILTER (WHERE m = make_interval(secs => (1 + i) / 2.0)) AS growing_equal
FROM (SELECT i, duration_percentile(a, a + i * interval '1 second', 0.5) OVER (ORDER BY i) AS m
	  FROM (SELECT i, timestamptz '2024-01-01' AS a FROM generate_series(1, 140000) i) t) s;
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE m = make_interval(secs => (greatest(1, i - 139999) + i) / 2.0)) AS moving_equal
FROM (SELECT i, duration_percentile(a, a + i * interval '1 second', 0.5)
				OVER (ORDER BY i ROWS BETWEEN 139999 PRECEDING AND CURRENT ROW) AS m
	  FROM (SELECT i, timestamptz '2024-01-01' AS a FROM generate_series(1, 141000) i) t) s;
RESET work_mem;
DROP TABLE long_cycles;

-- more errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT lead_response_time('2024-01-02', '2024-01-01')$$);
SELECT smarkpi_err($$SELECT lead_response_time('2024-01-02', 'infinity')$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-01', '2024-01-02', 1.5)$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-01', '2024-01-02', 'NaN')$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-01', '2024-01-02', f) FROM (VALUES (0.5), (0.9)) v(f)$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-03', '2024-01-02', 0.5)$$);
SELECT smarkpi_err($$SELECT duration_percentile('-infinity', '2024-01-02', 0.5)$$);
DROP TABLE opps;

-- ---- duration_sketch, rollup(summary), duration_percentile(summary, fraction) ----
-- by hand at relative error 0.25: gamma = 1.25 / 0.75 = 5/3, ln gamma = 0.5108;
-- durations 0, 1, 2, 2, 10 us: one zero, and buckets ceil(ln x / ln gamma) =
-- 0, 2, 2, 5, so (0.25,5,1,0,{1,0,2,0,0,1}); representatives 2 gamma^i / (gamma + 1)
-- = 0.75 x (5/3)^i: 0.75 -> 1 us, 2.083 -> 2 us, 9.645 -> 10 us.
CREATE TABLE tiny_us (d bigint);
INSERT INTO tiny_us VALUES (0), (1), (2), (2), (10), (NULL);
SELECT duration_sketch('2024-01-01', '2024-01-01'::timestamptz + d * interval '1 microsecond', 0.25) FROM tiny_us;
-- k = max(1, ceil(fraction x 5)): 1, 1, 2, 3, 5, 5, 5 -> 0, 0, 1, 2, 10, 10, 10 us, = percentile_disc here
SELECT f, duration_percentile(sk.s, f) AS estimate,
	   (SELECT percentile_disc(f) WITHIN GROUP (ORDER BY d) FROM tiny_us) AS exact_us
FROM (SELECT duration_sketch('2024-01-01', '2024-01-01'::timestamptz + d * interval '1 microsecond', 0.25) AS s FROM tiny_us) sk,
	 unnest('{0,0.01,0.25,0.5,0.9,0.99,1}'::float8[]) f
ORDER BY f;
-- default relative error 0.01: one day = 86,400,000,000 us, ln / ln(1.01 / 0.99) = 1259.07 -> bucket 1260,
-- representative 87,140,684,654 us = 1 day 00:12:20.684654 (0.86 % high, within 1 %)
SELECT duration_sketch('2024-01-01', '2024-01-02') AS one_day,
	   duration_percentile(duration_sketch('2024-01-01', '2024-01-02'), 0.5) AS estimate;
-- zero durations are counted apart: three zeros and 10 s (bucket ceil(16.118 / 0.0200007) = 806,
-- representative 9,924,203 us); only zeros: no bucket at all
SELECT duration_sketch(a, b) AS three_zeros_and_ten_s, duration_percentile(duration_sketch(a, b), 0.75) AS p75,
	   duration_percentile(duration_sketch(a, b), 0.76) AS p76
FROM (VALUES ('2024-01-01'::timestamptz, '2024-01-01'::timestamptz), ('2024-01-01', '2024-01-01'),
			 ('2024-01-01', '2024-01-01'), ('2024-01-01', '2024-01-01 00:00:10')) v(a, b);
SELECT duration_sketch(a, a) AS only_zeros, duration_percentile(duration_sketch(a, a), 1) AS p100
FROM (VALUES ('2024-01-01'::timestamptz), ('2024-06-01')) v(a);
-- NULL rules: no rows, only NULL timestamps -> NULL; a NULL sketch or fraction -> NULL; an empty sketch -> NULL
SELECT duration_sketch(a, a) IS NULL AS no_rows FROM (VALUES (now())) v(a) WHERE false;
SELECT duration_sketch(a, b) IS NULL AS only_nulls, duration_sketch(a, b, 0.05) IS NULL AS only_nulls_3
FROM (VALUES (NULL::timestamptz, now()), (now(), NULL)) v(a, b);
SELECT duration_percentile(NULL::smarkpi_duration_sketch, 0.5) AS null_sketch,
	   duration_percentile('(0.01,1,0,0,{1})', NULL) AS null_fraction,
	   duration_percentile('(0.01,0,0,0,{})', 0.5) AS empty_sketch;

-- An error in full: SQLSTATE, message, detail and hint.
CREATE FUNCTION sketch_err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE detail text; hint text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' / ' || nullif(detail, ''), '') || coalesce(' / ' || nullif(hint, ''), '');
END $$;

-- Seeded data (setseed, so every run is the same): log-normal durations (median 1 hour,
-- sigma 1.5) and Pareto ones (1 minute scale, shape 1.2), over 30 days x 3 channels;
-- every 50th row is open (NULL ended_at), every 97th log-normal one is zero.
SELECT setseed(0.1313);
CREATE TABLE sketch_rows AS
SELECT dist, i, 1 + i % 30 AS day, 1 + (i / 30) % 3 AS channel,
	   '2024-01-01'::timestamptz + (1 + i % 30) * interval '1 day' + (i % 997) * interval '1 second' AS started_at,
	   CASE WHEN dist = 'lognormal' AND i % 97 = 0 THEN 0
			WHEN dist = 'lognormal' THEN round(exp(ln(3600e6) + 1.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::bigint
			ELSE least(round(60e6 * power(1 - random(), -1 / 1.2)), 1e15)::bigint END AS d
FROM unnest('{lognormal,pareto}'::text[]) dist, generate_series(1, 3000) i;
ALTER TABLE sketch_rows ADD ended_at timestamptz;
UPDATE sketch_rows SET ended_at = started_at + d * interval '1 microsecond' WHERE i % 50 <> 0;
UPDATE sketch_rows SET d = NULL WHERE ended_at IS NULL;
ANALYZE sketch_rows;
-- tiny inputs: 1, 2 and 3 rows (1 us, 45 min, 5 days and 0, 3 s, 7 h)
INSERT INTO sketch_rows (dist, i, day, channel, started_at, d)
VALUES ('tiny1', 1, 1, 1, '2024-03-01', 1),
	   ('tiny2', 1, 1, 1, '2024-03-01', 2700000000), ('tiny2', 2, 2, 2, '2024-03-02', 432000000000),
	   ('tiny3', 1, 1, 1, '2024-03-01', 0), ('tiny3', 2, 1, 2, '2024-03-01', 3000000),
	   ('tiny3', 3, 2, 3, '2024-03-02', 25200000000);
UPDATE sketch_rows SET ended_at = started_at + d * interval '1 microsecond' WHERE dist LIKE 'tiny%';
SELECT dist, count(*) AS rows, count(d) AS closed, count(*) FILTER (WHERE d = 0) AS zeros,
	   min(d) AS min_us, max(d) AS max_us
FROM sketch_rows GROUP BY dist ORDER BY dist;

-- The guarantee: |estimate - percentile_disc| <= 0.01 x percentile_disc + 0.5 us, at every
-- fraction; and the estimate is the representative of the exact value's bucket, computed
-- here independently in SQL (round(2 gamma^i / (gamma + 1)), i = ceil(ln x / ln gamma)).
CREATE FUNCTION sketch_model_us(x numeric, a float8) RETURNS numeric LANGUAGE sql AS $$
	SELECT CASE WHEN x = 0 THEN 0
		   ELSE round(2 * power((1 + a) / (1 - a), ceil(ln(x::float8) / ln((1 + a) / (1 - a))))
					  / ((1 + a) / (1 - a) + 1))::numeric END
$$;
CREATE TABLE sketch_checks AS
SELECT e.dist, e.f, e.exact_us,
	   extract(epoch FROM duration_percentile(s.sk, e.f)) * 1000000 AS estimate_us,
	   extract(epoch FROM duration_percentile(s.sk5, e.f)) * 1000000 AS estimate5_us
FROM (SELECT dist, f, percentile_disc(f) WITHIN GROUP (ORDER BY d)::numeric AS exact_us
	  FROM sketch_rows, unnest('{0,0.01,0.25,0.5,0.9,0.99,1}'::float8[]) f GROUP BY dist, f) e
JOIN (SELECT dist, duration_sketch(started_at, ended_at) AS sk, duration_sketch(started_at, ended_at, 0.05) AS sk5
	  FROM sketch_rows GROUP BY dist) s USING (dist);
SELECT dist, count(*) AS fractions,
	   bool_and(abs(estimate_us - exact_us) <= 0.01 * exact_us + 0.5) AS within_1_percent,
	   bool_and(abs(estimate5_us - exact_us) <= 0.05 * exact_us + 0.5) AS within_5_percent,
	   bool_and(estimate_us = sketch_model_us(exact_us, 0.01)) AS model_1,
	   bool_and(estimate5_us = sketch_model_us(exact_us, 0.05)) AS model_5
FROM sketch_checks GROUP BY dist ORDER BY dist;
-- the tiny inputs in full
SELECT dist, f, exact_us, estimate_us FROM sketch_checks WHERE dist LIKE 'tiny%' ORDER BY dist, f;

-- Merging is exact: rollups of per-day x channel sketches in any grouping or order equal
-- the sketch of all the rows, byte for byte.
CREATE TABLE daily_sketches AS
SELECT dist, day, channel, duration_sketch(started_at, ended_at) AS s
FROM sketch_rows GROUP BY dist, day, channel;
SELECT w.dist,
	   (SELECT rollup(s)::text FROM daily_sketches d WHERE d.dist = w.dist) = w.whole AS by_day_channel,
	   (SELECT rollup(s ORDER BY day DESC, channel)::text FROM daily_sketches d WHERE d.dist = w.dist) = w.whole AS reversed,
	   (SELECT rollup(c)::text FROM (SELECT rollup(s) AS c FROM daily_sketches d WHERE d.dist = w.dist GROUP BY channel) x) = w.whole AS by_channel_first,
	   (SELECT rollup(c ORDER BY day % 7, day)::text FROM (SELECT day, rollup(s) AS c FROM daily_sketches d WHERE d.dist = w.dist GROUP BY day) x) = w.whole AS by_day_first
FROM (SELECT dist, duration_sketch(started_at, ended_at)::text AS whole FROM sketch_rows GROUP BY dist) w
ORDER BY dist;
-- rollup of no rows, of NULLs and of empty sketches is NULL; an empty sketch is neutral, whatever its relative error
SELECT (SELECT rollup(s) FROM daily_sketches WHERE false) IS NULL AS no_rows,
	   rollup(s) IS NULL AS only_nulls FROM (VALUES (NULL::smarkpi_duration_sketch), (NULL)) v(s);
SELECT rollup(s) IS NULL AS only_empty FROM (VALUES ('(0.01,0,0,0,{})'::smarkpi_duration_sketch), ('(0.05,0,0,0,{})')) v(s);
SELECT rollup(s) AS empty_is_neutral FROM (VALUES ('(0.05,0,0,0,{})'::smarkpi_duration_sketch), ('(0.01,2,0,3,{1,1})'), (NULL)) v(s);
SELECT sketch_err($$SELECT rollup(s) FROM (VALUES ('(0.01,1,0,0,{1})'::smarkpi_duration_sketch), ('(0.02,1,0,0,{1})')) v(s)$$);

-- Forced parallel plans (workers' partial sketches merged by the combine function) equal serial.
SELECT smarkpi_serial();
SELECT string_agg(s, ' | ' ORDER BY dist) AS serial_sketches
FROM (SELECT dist, duration_sketch(started_at, ended_at)::text AS s FROM sketch_rows GROUP BY dist) x \gset
SELECT string_agg(s, ' | ' ORDER BY dist) AS serial_rollups
FROM (SELECT dist, rollup(s)::text AS s FROM daily_sketches GROUP BY dist) x \gset
SELECT duration_sketch(started_at, ended_at)::text AS serial_one FROM sketch_rows WHERE dist = 'pareto' AND i = 7 \gset
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT dist, duration_sketch(started_at, ended_at) FROM sketch_rows GROUP BY dist') ~ 'Partial \w*Aggregate' AS partial_plan;
SELECT string_agg(s, ' | ' ORDER BY dist) = :'serial_sketches' AS parallel_equals_serial
FROM (SELECT dist, duration_sketch(started_at, ended_at)::text AS s FROM sketch_rows GROUP BY dist) x;
SELECT smarkpi_plan('SELECT dist, rollup(s) FROM daily_sketches GROUP BY dist') ~ 'Partial \w*Aggregate' AS partial_rollup_plan;
SELECT string_agg(s, ' | ' ORDER BY dist) = :'serial_rollups' AS parallel_rollup_equals_serial
FROM (SELECT dist, rollup(s)::text AS s FROM daily_sketches GROUP BY dist) x;
-- workers that see no rows: one matching row, and none
SELECT smarkpi_plan('SELECT duration_sketch(started_at, ended_at) FROM sketch_rows WHERE i + 0 = 7 AND dist = ''pareto''') ~ 'Partial Aggregate' AS partial_one_row_plan;
SELECT duration_sketch(started_at, ended_at)::text = :'serial_one' AS one_row_equals_serial
FROM sketch_rows WHERE i + 0 = 7 AND dist = 'pareto';
SELECT duration_sketch(started_at, ended_at) IS NULL AS no_row, rollup(NULL::smarkpi_duration_sketch) IS NULL AS no_sketch
FROM sketch_rows WHERE i + 0 = -1;
SELECT smarkpi_serial();
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- Moving windows: rollup of daily sketches over ROWS 6 PRECEDING (exact subtraction)
-- equals the sketch of the raw rows of those 7 days, recomputed per frame; so does
-- duration_sketch itself as a moving window over raw rows (open rows included).
CREATE TABLE day_sketches AS
SELECT dist, day, duration_sketch(started_at, ended_at) AS s FROM sketch_rows WHERE dist IN ('lognormal', 'pareto') GROUP BY dist, day;
SELECT count(*) AS frames, count(*) FILTER (WHERE w.s::text = r.s::text) AS equal
FROM (SELECT dist, day, rollup(s) OVER (PARTITION BY dist ORDER BY day ROWS 6 PRECEDING) AS s FROM day_sketches) w
CROSS JOIN LATERAL (SELECT duration_sketch(started_at, ended_at) AS s FROM sketch_rows r
					WHERE r.dist = w.dist AND r.day BETWEEN w.day - 6 AND w.day) r;
SELECT count(*) AS frames, count(*) FILTER (WHERE w.s::text = r.s::text) AS equal,
	   count(*) FILTER (WHERE w.s IS NULL) AS null_frames
FROM (SELECT i, duration_sketch(started_at, ended_at, 0.02) OVER (ORDER BY i ROWS 40 PRECEDING) AS s
	  FROM sketch_rows WHERE dist = 'pareto' AND i <= 400) w
CROSS JOIN LATERAL (SELECT duration_sketch(started_at, ended_at, 0.02) AS s FROM sketch_rows r
					WHERE r.dist = 'pareto' AND r.i BETWEEN w.i - 40 AND w.i) r;
-- a frame of only open rows is NULL, as over no rows
SELECT i, duration_sketch(a, b) OVER (ORDER BY i ROWS 1 PRECEDING)
FROM (VALUES (1, '2024-01-01'::timestamptz, '2024-01-01 00:00:00.000002'::timestamptz), (2, NULL, NULL), (3, NULL, NULL),
			 (4, '2024-01-01', '2024-01-01')) v(i, a, b) ORDER BY i;

-- Text and binary round trips: every daily sketch reads back to itself.
SELECT count(*) AS sketches, count(*) FILTER (WHERE s::text::smarkpi_duration_sketch::text = s::text) AS text_round_trips
FROM daily_sketches;
SELECT count(*) AS sketches,
	   count(*) FILTER (WHERE smarkpi_copy_binary('smarkpi_duration_sketch', smarkpi_send_text('smarkpi_duration_sketch', s::text))
						= 'accepted ' || s::text) AS binary_round_trips
FROM daily_sketches WHERE day <= 2;
-- input is made canonical (empty end buckets trimmed, first 0 when empty); the relative
-- error prints with the fewest digits that read back to the same double
SELECT '(0.25,5,1,3,{0,0,1,0,2,0,0,1,0})'::smarkpi_duration_sketch AS trimmed,
	   ' ( 0.01 , 0 , 0 , 7 , { } ) '::smarkpi_duration_sketch AS empty,
	   '(0.1234567890123,2,0,0,{1,1})'::smarkpi_duration_sketch AS digits,
	   '(0.01,1,0,2184,{1})'::smarkpi_duration_sketch AS top_bucket;
-- the memory bound: 40 bytes + 8 per bucket from the lowest to the highest non-empty one;
-- 1 us and a span of 74,769,887 days (6.46e18 us, ln / ln gamma = 2165.5) are buckets 0 and 2166:
-- 40 + 8 x 2167 = 17,376 bytes
SELECT pg_column_size(s) AS bytes, ceil(ln(74769887 * 86400e6::float8) / ln(1.01 / 0.99)) AS top_bucket,
	   abs(extract(epoch FROM duration_percentile(s, 1)) - 74769887 * 86400.0) <= 0.01 * 74769887 * 86400 AS longest_within_1_percent
FROM (SELECT duration_sketch(a, b) AS s FROM (VALUES ('2024-01-01'::timestamptz, '2024-01-01 00:00:00.000001'::timestamptz),
														('4713-01-01 BC', '200000-12-31')) v(a, b)) x;

-- Hostile text input: 22P02, never a crash.
SELECT t, left(r, 5) AS sqlstate, split_part(r, ' / ', 2) AS detail
FROM (SELECT t, sketch_err(format('SELECT %L::smarkpi_duration_sketch', t)) AS r
FROM unnest(ARRAY['', '()', '(0.01,1,0,0,1)', '(0.01,1,0,0,{1}', '(0.01,1,0,{1})', '(0.01,1,0,0,{1},5)',
				  '(x,1,0,0,{1})', '(NaN,1,0,0,{1})', '(Infinity,1,0,0,{1})', '(0.5,1,0,0,{1})', '(0.00009,1,0,0,{1})',
				  '(0.01,1,0,-1,{1})', '(0.01,1,0,2185,{1})', '(0.01,2,0,2184,{1,1})', '(0.01,1,0,9223372036854775807,{1,1})',
				  '(0.01,1,0,0,{-1,2})', '(0.01,2,0,0,{1})', '(0.01,1,2,0,{})', '(0.01,-1,-1,0,{})',
				  '(0.01,1,0,0,{1,})', '(0.01,1,0,0,{1 2})', '(0.01,9223372036854775807,0,0,{9223372036854775807,1})',
				  '(0.01,1,0,0,{99999999999999999999})']) t) x;
-- Hostile binary input through COPY: 22P03, never a crash.
SELECT what, regexp_replace(smarkpi_copy_binary('smarkpi_duration_sketch', b), '^22P03: invalid value for type smarkpi_duration_sketch', '22P03') AS result
FROM (VALUES
	('valid', '\x01'::bytea || float8send(0.01) || int8send(2) || int8send(1) || int4send(3) || int4send(1) || int8send(1)),
	('version 2', '\x02'::bytea || float8send(0.01) || int8send(1) || int8send(0) || int4send(3) || int4send(1) || int8send(1)),
	('truncated header', '\x01'::bytea || float8send(0.01) || int8send(1)),
	('missing count', '\x01'::bytea || float8send(0.01) || int8send(2) || int8send(0) || int4send(3) || int4send(2) || int8send(1)),
	('extra bytes', '\x01'::bytea || float8send(0.01) || int8send(1) || int8send(0) || int4send(3) || int4send(1) || int8send(1) || '\x00'::bytea),
	('negative bucket count', '\x01'::bytea || float8send(0.01) || int8send(0) || int8send(0) || int4send(3) || int4send(-1)),
	('huge bucket count', '\x01'::bytea || float8send(0.01) || int8send(0) || int8send(0) || int4send(3) || int4send(2147483647)),
	('NaN relative error', '\x01'::bytea || float8send('NaN') || int8send(1) || int8send(0) || int4send(3) || int4send(1) || int8send(1)),
	('bucket beyond 2^63 us', '\x01'::bytea || float8send(0.01) || int8send(1) || int8send(0) || int4send(2185) || int4send(1) || int8send(1)),
	('negative first bucket', '\x01'::bytea || float8send(0.01) || int8send(1) || int8send(0) || int4send(-5) || int4send(1) || int8send(1)),
	('negative count', '\x01'::bytea || float8send(0.01) || int8send(0) || int8send(0) || int4send(3) || int4send(2) || int8send(-1) || int8send(1)),
	('sum mismatch', '\x01'::bytea || float8send(0.01) || int8send(5) || int8send(1) || int4send(3) || int4send(1) || int8send(1)),
	('sum overflow', '\x01'::bytea || float8send(0.01) || int8send(1) || int8send(0) || int4send(3) || int4send(2) || int8send(9223372036854775807) || int8send(9223372036854775807))
) v(what, b);

-- relative_error is a query parameter: NULL, NaN, outside [0.0001, 0.5) or differing between
-- rows is an error (22023) even under smarkpi.invalid_rows = 'skip'; both ends of the range work.
SET smarkpi.invalid_rows = 'skip';
SELECT sketch_err($$SELECT duration_sketch('2024-01-01', '2024-01-02', NULL)$$);
SELECT sketch_err($$SELECT duration_sketch('2024-01-01', '2024-01-02', 'NaN')$$);
SELECT smarkpi_err($$SELECT duration_sketch('2024-01-01', '2024-01-02', 0.5)$$);
SELECT smarkpi_err($$SELECT duration_sketch('2024-01-01', '2024-01-02', 0.00009)$$);
SELECT smarkpi_err($$SELECT duration_sketch('2024-01-01', '2024-01-02', -1)$$);
SELECT sketch_err($$SELECT duration_sketch('2024-01-01', '2024-01-02', e) FROM (VALUES (0.01), (0.02)) v(e)$$);
SELECT smarkpi_err($$SELECT duration_sketch(NULL, NULL, e) FROM (VALUES (0.01), (0.02)) v(e)$$);
RESET smarkpi.invalid_rows;
SELECT duration_sketch('2024-01-01', '2024-01-02', 0.0001) AS smallest, duration_sketch('2024-01-01', '2024-01-02', 0.4999) AS largest;
-- duration_percentile(summary, fraction): fraction outside [0, 1] or NaN -> 22003
SELECT smarkpi_err($$SELECT duration_percentile('(0.01,1,0,0,{1})'::smarkpi_duration_sketch, 1.5)$$);
SELECT smarkpi_err($$SELECT duration_percentile('(0.01,1,0,0,{1})'::smarkpi_duration_sketch, 'NaN')$$);
SELECT smarkpi_err($$SELECT duration_percentile('(0.01,1,0,0,{1})'::smarkpi_duration_sketch, -0.1)$$);
-- support functions refuse to run outside an aggregate
SELECT smarkpi_err($$SELECT smarkpi_duration_sketch_trans(NULL, now(), now())$$);

-- Invalid rows: an error by default (with the hint), left out under 'skip', in both the
-- forward and the inverse transition.
CREATE TABLE dirty_spans (i int, a timestamptz, b timestamptz);
INSERT INTO dirty_spans VALUES (1, '2024-01-01', '2024-01-03'), (2, '2024-01-05', '2024-01-04'), (3, '2024-01-01', 'infinity'),
							   (4, '2024-01-01', '2024-01-01 06:00'), (5, NULL, '2024-01-02');
SELECT sketch_err($$SELECT duration_sketch(a, b) FROM dirty_spans$$);
SELECT sketch_err($$SELECT duration_sketch(a, b) FROM dirty_spans WHERE i <> 2$$);
SET smarkpi.invalid_rows = 'skip';
SELECT duration_sketch(a, b)::text = (SELECT duration_sketch(a, b)::text FROM dirty_spans WHERE i IN (1, 4)) AS skip_equals_valid_rows
FROM dirty_spans;
SELECT i, duration_sketch(a, b) OVER (ORDER BY i ROWS 1 PRECEDING) FROM dirty_spans ORDER BY i;
RESET smarkpi.invalid_rows;
DROP TABLE tiny_us, sketch_rows, sketch_checks, daily_sketches, day_sketches, dirty_spans;
DROP FUNCTION sketch_model_us(numeric, float8), sketch_err(text);
