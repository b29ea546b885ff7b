-- Distinct sketch: distinct_sketch(), rollup(), distinct_count().
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- The hash is XXH3-64 of a canonical byte form: the sparse form shows it (its last 16 hex
-- digits here), and the reference xxHash library (0.8) pins it on every machine, one length
-- per branch of the algorithm: 0 = 2d06800538d394c2, 1 = e6c632b61e964e1f,
-- 3 = 78af5f94892f3950, 4 = 6497a96f53a89890, 8 = 6f45a76842a96483, 9 = e0dde4fc174590a0,
-- 16 = 3d3ccac9af14d8a8, 17 = ca7f3571df47cacf, 128 = 30d769616650b99d,
-- 129 = 978bbc0f2c4d07f9, 240 = 43f8e58f86e097f2, 241 = 2c15fe9d5dd02598,
-- 1024 = 3250be577471081c, 1025 = bcc4709199a7b4be, 2500 = f514d9f401bee3fb
-- (the first n bytes of 'abcdefghijklmnopqrstuvwxyz0123456789' repeated)
SELECT n, right(distinct_sketch(left(repeat('abcdefghijklmnopqrstuvwxyz0123456789', 70), n))::text, 16) AS xxh3
FROM (VALUES (0), (1), (3), (4), (8), (9), (16), (17), (128), (129), (240), (241), (1024), (1025), (2500)) v(n)
GROUP BY n ORDER BY n;
SELECT distinct_sketch(''::text) AS empty_text, distinct_sketch('a'::text) AS a;
-- one value, one hash, whatever its type: integers as one 8-byte number, floats as a double
-- (-0 is 0), numeric normalized, char without trailing spaces, text = varchar
SELECT (SELECT distinct_sketch(x) FROM (VALUES (7::smallint)) v(x))::text = (SELECT distinct_sketch(7::bigint))::text
		   AS small_equals_big,
	   (SELECT distinct_sketch(7))::text = (SELECT distinct_sketch(7::bigint))::text AS int_equals_big,
	   (SELECT distinct_count(distinct_sketch(x)) FROM (VALUES (1.0::numeric), (1.00), (1)) v(x)) AS numerics,
	   (SELECT distinct_count(distinct_sketch(x)) FROM (VALUES (0.0::float8), ('-0'), (1.5)) v(x)) AS floats,
	   (SELECT distinct_sketch(1.5::float4))::text = (SELECT distinct_sketch(1.5::float8))::text AS float4_equals_float8,
	   (SELECT distinct_sketch('ab '::char(5)))::text = (SELECT distinct_sketch('ab'::text))::text AS char_trims,
	   (SELECT distinct_sketch('ab'::varchar))::text = (SELECT distinct_sketch('ab'::text))::text AS varchar_is_text,
	   (SELECT distinct_count(distinct_sketch(x)) FROM (VALUES ('2024-01-01'::date), ('2024-01-01'), ('2024-01-02')) v(x)) AS dates,
	   (SELECT distinct_count(distinct_sketch(x)) FROM (VALUES (ARRAY[1, 2]), (ARRAY[1, 2]), (ARRAY[2, 1])) v(x)) AS arrays,
	   (SELECT distinct_sketch(u)::text = distinct_sketch(uuid_send(u))::text
		FROM (VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid)) v(u)) AS uuid_is_its_bytes,
	   (SELECT distinct_sketch('x'))::text = (SELECT distinct_sketch('x'::text))::text AS literal_is_text;
-- the text, smallint, integer, bigint and uuid forms (for Citus) and anyelement resolve without ambiguity
SELECT pg_typeof(x) AS type, distinct_count(distinct_sketch(x)) AS n
FROM (VALUES ('1'::text)) v(x) GROUP BY 1
UNION ALL SELECT pg_typeof(1::smallint), distinct_count(distinct_sketch(1::smallint))
UNION ALL SELECT pg_typeof(1), distinct_count(distinct_sketch(1))
UNION ALL SELECT pg_typeof(1::bigint), distinct_count(distinct_sketch(1::bigint))
UNION ALL SELECT pg_typeof('x'::varchar), distinct_count(distinct_sketch('x'::varchar))
UNION ALL SELECT pg_typeof(1.5), distinct_count(distinct_sketch(1.5))
UNION ALL SELECT pg_typeof(gen_random_uuid()), distinct_count(distinct_sketch(gen_random_uuid()));

-- exact while sparse: up to 2^p / 8 distinct values, with repeats and NULLs
SELECT p, n, distinct_count(distinct_sketch(i % n, p)) = n AS exact, count(DISTINCT i % n) = n AS reference
FROM (VALUES (14, 1), (14, 10), (14, 1000), (14, 2048), (10, 128), (4, 2)) v(p, n),
	 generate_series(0, 3 * n) i
GROUP BY p, n ORDER BY p, n;
SELECT distinct_count(distinct_sketch(x)) AS nulls_ignored FROM (VALUES (1), (NULL), (2), (NULL)) v(x);
SELECT distinct_count(distinct_sketch(x)) AS only_nulls FROM (VALUES (NULL::int), (NULL)) v(x);
SELECT distinct_sketch(i) IS NULL AS no_rows FROM generate_series(1, 0) i;

-- dense: within 3 relative standard errors (1.04 / sqrt(2^p)) of the truth, 10 .. 300,000
-- distinct values at p = 14 and p = 10 (ids scattered by a multiplier, text and bigint)
SELECT p, n, round((1.04 / sqrt(2 ^ p) * 100)::numeric, 2) AS rse_pct,
	   abs(distinct_count(distinct_sketch((i * 2654435761) % 4294967311, p)) - n) <= 3 * 1.04 / sqrt(2 ^ p) * n AS within_3_rse,
	   abs(distinct_count(distinct_sketch('lead-' || i, p)) - n) <= 3 * 1.04 / sqrt(2 ^ p) * n AS text_within_3_rse
FROM (VALUES (14, 10), (14, 3000), (14, 30000), (14, 300000), (10, 500), (10, 5000), (10, 100000)) v(p, n),
	 generate_series(1, n) i
GROUP BY p, n ORDER BY p, n;
-- no spike where the sparse form ends (2,048 values at p = 14): the largest error from 1,900
-- to 2,600 distinct values, every 20, stays within 3 relative standard errors (2.4 %)
SELECT max(abs(est - n)::float8 / n) < 3 * 1.04 / sqrt(2 ^ 14) AS no_spike, count(*) AS sizes,
	   count(*) FILTER (WHERE est = n) AS exact_sizes
FROM (SELECT n, distinct_count(distinct_sketch('visitor ' || i)) AS est
	  FROM generate_series(1900, 2600, 20) n, generate_series(1, n) i GROUP BY n) x;

-- rollup: daily sketches roll up to the month exactly as the rows would have, sparse and dense;
-- a value seen on two days counts once; a sketch merged with itself is itself
CREATE TABLE visits AS
SELECT date '2024-03-01' + (i % 31) AS day, (i * 7919) % 40000 AS visitor FROM generate_series(1, 150000) i;
CREATE TABLE daily AS
SELECT day, distinct_sketch(visitor) AS s, distinct_sketch(visitor, 16) AS s16, count(DISTINCT visitor) AS exact
FROM visits GROUP BY day;
SELECT (SELECT rollup(s) FROM daily)::text = (SELECT distinct_sketch(visitor) FROM visits)::text AS month_equals_rows,
	   (SELECT rollup(s16) FROM daily)::text = (SELECT distinct_sketch(visitor, 16) FROM visits)::text AS month_equals_rows_p16,
	   (SELECT sum(exact) FROM daily) AS sum_of_daily_uniques,
	   (SELECT count(DISTINCT visitor) FROM visits) AS monthly_uniques,
	   (SELECT distinct_count(rollup(s16)) FROM daily) AS from_sketches_p16,
	   (SELECT bool_and(distinct_count(s16) = exact) FROM daily) AS daily_p16_exact;
SELECT (SELECT rollup(x) FROM (VALUES (s), (s)) v(x))::text = s::text AS self_merge,
	   (SELECT rollup(x) FROM (VALUES (s16), (s16)) v(x))::text = s16::text AS self_merge_sparse
FROM daily WHERE day = '2024-03-05';
-- a window over growing frames: the running count of unique visitors by day
SELECT day, running_uniques, (SELECT count(DISTINCT visitor) FROM visits v WHERE v.day <= w.day) AS exact,
	   running_uniques = (SELECT distinct_count(distinct_sketch(visitor)) FROM visits v WHERE v.day <= w.day) AS equals_recomputed
FROM (SELECT day, distinct_count(rollup(s) OVER (ORDER BY day)) AS running_uniques FROM daily) w
WHERE day IN ('2024-03-01', '2024-03-02', '2024-03-10', '2024-03-31') ORDER BY day;

-- parallel plans give the serial sketch
ANALYZE visits;
SELECT smarkpi_serial();
SELECT distinct_sketch(visitor)::text AS serial_sketch FROM visits \gset
SELECT string_agg(v, ' ' ORDER BY day) AS serial_groups FROM (SELECT day, distinct_sketch(visitor)::text AS v FROM visits GROUP BY day) x \gset
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT distinct_sketch(visitor) FROM visits') ~ 'Partial Aggregate' AS partial_plan;
SELECT distinct_sketch(visitor)::text = :'serial_sketch' AS parallel_equals_serial FROM visits;
SELECT string_agg(v, ' ' ORDER BY day) = :'serial_groups' AS parallel_groups_equal_serial
FROM (SELECT day, distinct_sketch(visitor)::text AS v FROM visits GROUP BY day) x;
SELECT smarkpi_serial();

-- outside forms
SELECT s::text::smarkpi_distinct_sketch::text = s::text AS text_round_trip,
	   smarkpi_copy_binary('smarkpi_distinct_sketch', smarkpi_distinct_sketch_send(s)) = 'accepted ' || s::text AS binary_round_trip,
	   length(smarkpi_distinct_sketch_send(s)) AS bytes
FROM (SELECT distinct_sketch(visitor, 12) AS s FROM visits UNION ALL SELECT distinct_sketch(visitor % 100, 12) FROM visits) x
ORDER BY bytes;
SELECT smarkpi_copy_binary('smarkpi_distinct_sketch', '\x011300'::bytea);
SELECT smarkpi_copy_binary('smarkpi_distinct_sketch', '\x010e00'::bytea || int4send(2) || int8send(5) || int8send(3));
SELECT smarkpi_copy_binary('smarkpi_distinct_sketch', '\x010401'::bytea || '\x3e000000000000000000000000000000'::bytea);
SELECT distinct_count('\x01040100000000000000000000000000000000'::smarkpi_distinct_sketch) AS empty_dense;

-- errors: precision is a parameter
SELECT smarkpi_err($$SELECT distinct_sketch(1, 3)$$);
SELECT smarkpi_err($$SELECT distinct_sketch(1, 19)$$);
SELECT smarkpi_err($$SELECT distinct_sketch(x, p) FROM (VALUES (1, 10), (2, 12)) v(x, p)$$);
SELECT smarkpi_err($$SELECT rollup(s) FROM (SELECT distinct_sketch(1, 10) AS s UNION ALL SELECT distinct_sketch(1, 12)) x$$);
SELECT distinct_count(distinct_sketch(x, NULL)) AS null_precision_is_14 FROM (VALUES (1), (2)) v(x);
DROP TABLE visits, daily;
