-- markov_attribution: exact Markov removal effects, checked against hand-solved chains.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;

-- The shares of a set of journeys (one row per journey), removal effects
-- compared with hand-solved fractions to 1e-15.
CREATE FUNCTION markov_test_shares(journeys text) RETURNS TABLE(channel text, removal_effect double precision,
	share double precision, conversions double precision, value numeric) LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format('SELECT s.* FROM (SELECT markov_attribution(p, c, v) AS m FROM (%s) j(p, c, v)) q, attribution_shares(q.m) s', journeys);
END $$;

-- (a) Two channels.  Journeys {A,B} converted, {A} not, {B} converted:
-- (start)>A 2, (start)>B 1, A>B 1, A>(null) 1, B>(conversion) 2.
-- x_B = 1, x_A = 1/2, P(conversion) = (2 x 1/2 + 1 x 1) / 3 = 2/3.
-- Without A: (start)>A goes to (null): P = 1/3, removal effect 1 - (1/3)/(2/3) = 1/2.
-- Without B: nothing converts: removal effect 1.  Shares 1/3 and 2/3;
-- conversions 2/3 and 4/3.
SELECT markov_attribution(p, c) FROM (VALUES ('{A,B}'::text[], true), ('{A}', false), ('{B}', true)) v(p, c);
SELECT channel, abs(removal_effect - want_re) < 1e-15 AS re_ok, abs(share - want_share) < 1e-15 AS share_ok,
	   abs(conversions - want_conv) < 1e-15 AS conv_ok, value
FROM markov_test_shares($$VALUES ('{A,B}'::text[], true, NULL::numeric), ('{A}', false, NULL), ('{B}', true, NULL)$$)
JOIN (VALUES ('A', 1/2., 1/3., 2/3.), ('B', 1., 2/3., 4/3.)) w(channel, want_re, want_share, want_conv) USING (channel);

-- The classic three-journey example (C1>C2>C3 converted, C1 not, C2>C3 not):
-- x_C3 = 1/2, x_C2 = 1/2, x_C1 = 1/4, P(conversion) = (2 x 1/4 + 1/2) / 3 = 1/3.
-- Without C1: P = (1/2) / 3 = 1/6, removal effect 1/2; without C2 or C3
-- nothing converts: 1 and 1.  Shares 1/5, 2/5, 2/5 -- the values published
-- for this example with R's ChannelAttribution (0.2, 0.4, 0.4 conversions).
SELECT channel, removal_effect, share, conversions
FROM markov_test_shares($$VALUES ('{C1,C2,C3}'::text[], true, NULL::numeric), ('{C1}', false, NULL), ('{C2,C3}', false, NULL)$$);

-- (b) Three channels with a loop A>B>A.  Journeys {A,B,A,C} converted,
-- {B,A} not, {C} converted, {A,B} not:
-- (start)>A 2, (start)>B 1, (start)>C 1, A>B 2, A>C 1, A>(null) 1, B>A 2,
-- B>(null) 1, C>(conversion) 2.  x_C = 1, x_A = (2 x_B + x_C) / 4,
-- x_B = 2 x_A / 3, so x_A = 3/8, x_B = 1/4, P = (2 x 3/8 + 1/4 + 1) / 4 = 1/2.
-- Without A: x_B = 0, P = 1/4, removal effect 1/2.  Without B: x_A = 1/4,
-- P = (1/2 + 1) / 4 = 3/8, removal effect 1/4.  Without C: 1.
-- Sum 7/4: shares 2/7, 1/7, 4/7; conversions 4/7, 2/7, 8/7.
SELECT channel, abs(removal_effect - want_re) < 1e-15 AS re_ok, abs(share - want_share) < 1e-15 AS share_ok,
	   abs(conversions - want_conv) < 1e-15 AS conv_ok
FROM markov_test_shares($$VALUES ('{A,B,A,C}'::text[], true, NULL::numeric), ('{B,A}', false, NULL), ('{C}', true, NULL), ('{A,B}', false, NULL)$$)
JOIN (VALUES ('A', 1/2., 2/7., 4/7.), ('B', 1/4., 1/7., 2/7.), ('C', 1., 4/7., 8/7.)) w(channel, want_re, want_share, want_conv) USING (channel);

-- (c) Repeats are self-transitions: {A,A,B} converted, {A} not, {B,B} not:
-- A>A 1, B>B 1 kept in the summary.  x_B = (1 + x_B) / 3 = 1/2,
-- x_A = (x_A + x_B) / 3 = 1/4, P = (2 x 1/4 + 1/2) / 3 = 1/3; removal
-- effects 1/2 and 1, shares 1/3 and 2/3.  A first-order chain's
-- self-transitions never change where it is absorbed, so the shares equal
-- those of the journeys with repeats collapsed ({A,B}, {A}, {B}).
SELECT markov_attribution(p, c) FROM (VALUES ('{A,A,B}'::text[], true), ('{A}', false), ('{B,B}', false)) v(p, c);
SELECT channel, abs(removal_effect - want_re) < 1e-15 AS re_ok, abs(share - want_share) < 1e-15 AS share_ok
FROM markov_test_shares($$VALUES ('{A,A,B}'::text[], true, NULL::numeric), ('{A}', false, NULL), ('{B,B}', false, NULL)$$)
JOIN (VALUES ('A', 1/2., 1/3.), ('B', 1., 2/3.)) w(channel, want_re, want_share) USING (channel);
SELECT (SELECT array_agg(share ORDER BY channel) FROM markov_test_shares($$VALUES ('{A,A,B}'::text[], true, NULL::numeric), ('{A}', false, NULL), ('{B,B}', false, NULL)$$))
	 = (SELECT array_agg(share ORDER BY channel) FROM markov_test_shares($$VALUES ('{A,B}'::text[], true, NULL::numeric), ('{A}', false, NULL), ('{B}', false, NULL)$$))
	AS repeats_do_not_move_shares;

-- (d) A channel that never converts: {A} converted, {D} not, {A,D} not.
-- x_D = 0, x_A = 1/2, P = 1/3; without A nothing converts (1), without D
-- nothing changes (exactly 0): shares 1 and 0.
SELECT * FROM markov_test_shares($$VALUES ('{A}'::text[], true, NULL::numeric), ('{D}', false, NULL), ('{A,D}', false, NULL)$$);

-- (e) Values: only converted journeys' values count (50 on a journey that did
-- not convert is ignored), a NULL value counts the journey without a value.
-- Total 100.00 + 20.5 = 120.50 (display scale 2); A gets 1/3 of it = 40.17,
-- B 2/3 = 80.33 (each rounded to the total's scale).
SELECT markov_attribution(p, c, v) FROM (VALUES ('{A,B}'::text[], true, 100.00), ('{A}', false, 50), ('{B}', true, 20.5), ('{B}', true, NULL)) j(p, c, v);
SELECT * FROM markov_test_shares($$VALUES ('{A,B}'::text[], true, 100.00), ('{A}', false, 50), ('{B}', true, 20.5)$$);
-- no value at all: value NULL
SELECT * FROM markov_test_shares($$VALUES ('{A,B}'::text[], true, NULL::numeric), ('{B}', true, NULL)$$);

-- (f) Nothing converted: removal effects and shares NULL, conversions 0, value NULL.
SELECT * FROM markov_test_shares($$VALUES ('{A,B}'::text[], false, 10::numeric), ('{B}', false, NULL)$$);
SELECT markov_conversion_probability(markov_attribution(p, c)) FROM (VALUES ('{A,B}'::text[], false)) v(p, c);

-- (g) No rows, only ignored rows: NULL summary, no shares (STRICT).
SELECT markov_attribution(p, c) IS NULL AS no_rows FROM (VALUES ('{A}'::text[], true)) v(p, c) WHERE false;
SELECT markov_attribution(p, c) IS NULL AS only_nulls FROM (VALUES (NULL::text[], true), ('{A}', NULL)) v(p, c);
SELECT count(*) FROM attribution_shares(NULL);

-- Empty paths go (start)>(conversion) or (start)>(null): they raise
-- P(conversion) and no removal changes them.  With (a) plus {} converted:
-- P = 3/4; reaching A has probability 1/2 and x_A = 1/2, so the removal
-- effect of A is (1/2 x 1/2) / (3/4) = 1/3; B is reached with 1/2, x_B = 1:
-- 2/3.  Shares stay 1/3 and 2/3, and all 3 conversions are distributed.
SELECT channel, abs(removal_effect - want_re) < 1e-15 AS re_ok, abs(conversions - want_conv) < 1e-15 AS conv_ok
FROM markov_test_shares($$VALUES ('{A,B}'::text[], true, NULL::numeric), ('{A}', false, NULL), ('{B}', true, NULL), ('{}', true, NULL)$$)
JOIN (VALUES ('A', 1/3., 1.), ('B', 2/3., 2.)) w(channel, want_re, want_conv) USING (channel);
-- only empty paths: no channel; every removal effect 0 gives NULL shares
SELECT markov_attribution(p, c), markov_conversion_probability(markov_attribution(p, c))
FROM (VALUES ('{}'::text[], true), ('{}', false)) v(p, c);
SELECT count(*) FROM attribution_shares((SELECT markov_attribution(p, c) FROM (VALUES ('{}'::text[], true)) v(p, c)));
SELECT * FROM markov_test_shares($$VALUES ('{}'::text[], true, NULL::numeric), ('{A}', false, NULL)$$);

-- Channel names: byte order (not the collation's), any characters.
SELECT s::text, s::text::smarkpi_markov_summary::text = s::text AS round_trip
FROM (SELECT markov_attribution(p, c) AS s
	  FROM (VALUES ('{b,B,"a \"q\"","back\\slash",é}'::text[], true), ('{B}', false)) v(p, c)) q;
SELECT channel FROM attribution_shares((SELECT markov_attribution(p, c) FROM (VALUES ('{b,B,a,é}'::text[], true)) v(p, c)));

-- ---- An independent solve: value iteration in plain SQL ----
-- 400 seeded journeys over 6 channels with loops and repeats; the transition
-- counts by unnest + lead, then x_i <- (n(i>conv) + sum_j n(i>j) x_j) / out_i
-- iterated to a fixed point, once per removed channel (x_c = 0).
SELECT setseed(0.14);
CREATE TEMP TABLE mj AS
SELECT i AS id, i % 7 AS day,
	   ARRAY(SELECT (ARRAY['ads','email','search','social','direct','referral'])[1 + floor(random() * 6)::int]
			 FROM generate_series(1, 1 + floor(random() * 5)::int + (i % 2)) g WHERE g > 0 * i) AS path,
	   random() < 0.3 AS converted,
	   round((random() * 1000)::numeric, (i % 3)) AS value
FROM generate_series(1, 400) i;
CREATE TEMP TABLE mt AS
SELECT coalesce(f, '(start)') AS f, t, count(*) AS n
FROM (SELECT lag(ch) OVER w AS f, ch AS t FROM (
		SELECT id, o, ch FROM mj, unnest(path || ARRAY[CASE WHEN converted THEN '(conversion)' ELSE '(null)' END]) WITH ORDINALITY u(ch, o)) x
	  WINDOW w AS (PARTITION BY id ORDER BY o)) y
GROUP BY 1, 2;
CREATE FUNCTION markov_iterate(removed text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
	x jsonb := '{}';
	nx jsonb;
	r record;
	delta double precision;
	it int := 0;
	ps double precision;
BEGIN
	LOOP
		nx := '{}';
		FOR r IN SELECT f, sum(n * CASE WHEN t = '(conversion)' THEN 1 WHEN t = '(null)' OR t = removed THEN 0
									  ELSE coalesce((x ->> t)::float8, 0) END) / sum(n) AS v
				 FROM mt WHERE f <> '(start)' GROUP BY f LOOP
			nx := nx || jsonb_build_object(r.f, r.v);
		END LOOP;
		SELECT coalesce(max(abs((nx ->> k)::float8 - coalesce((x ->> k)::float8, 0))), 0) INTO delta FROM jsonb_object_keys(nx) k;
		x := nx;
		it := it + 1;
		EXIT WHEN delta < 1e-17 OR it > 5000;
	END LOOP;
	SELECT sum(n * CASE WHEN t = '(conversion)' THEN 1 WHEN t = removed THEN 0 ELSE coalesce((x ->> t)::float8, 0) END) / sum(n)
	INTO ps FROM mt WHERE f = '(start)';
	RETURN ps;
END $$;
-- P(conversion) is conversions / journeys for a chain fitted to its journeys
SELECT abs(markov_iterate(NULL) - (SELECT avg(converted::int) FROM mj)) < 1e-14 AS iteration_ok,
	   abs(markov_conversion_probability(s) - (SELECT avg(converted::int) FROM mj)::float8) < 1e-15 AS solve_ok
FROM (SELECT markov_attribution(path, converted) AS s FROM mj) q;
SELECT a.channel, abs(a.removal_effect - (1 - markov_iterate(a.channel) / markov_iterate(NULL))) < 1e-12 AS agrees_to_1e_12
FROM attribution_shares((SELECT markov_attribution(path, converted) FROM mj)) a;
SELECT abs(sum(share) - 1) < 1e-15 AS shares_sum_to_1,
	   abs(sum(conversions) - (SELECT count(*) FILTER (WHERE converted) FROM mj)) < 1e-12 AS conversions_add_up,
	   abs(sum(value) - (SELECT sum(value) FILTER (WHERE converted) FROM mj)) <= 0.005 * 6 AS value_adds_up_to_rounding
FROM attribution_shares((SELECT markov_attribution(path, converted, value) FROM mj));

-- ---- Plans: forced parallel = serial, rollup of days = all rows ----
-- (not TEMP: temporary tables are never scanned in parallel)
CREATE TABLE mbig AS SELECT j.* FROM mj j, generate_series(1, 30) r;
ANALYZE mbig;
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT markov_attribution(path, converted, value) FROM mbig') LIKE '%Partial Aggregate%' AS parallel_plan;
CREATE TEMP TABLE mpar AS SELECT markov_attribution(path, converted, value)::text AS s FROM mbig;
CREATE TEMP TABLE mpar_days AS SELECT day, markov_attribution(path, converted, value) AS s FROM mbig GROUP BY day;
-- a worker may see no rows at all
SELECT markov_attribution(path, converted, value) IS NULL AS empty_in_parallel FROM mbig WHERE id < 0;
SELECT smarkpi_serial();
SELECT (SELECT s FROM mpar) = markov_attribution(path, converted, value)::text AS parallel_equals_serial FROM mbig;
SELECT rollup(s)::text = (SELECT markov_attribution(path, converted, value)::text FROM mbig) AS rollup_equals_all,
	   (SELECT array_agg(a ORDER BY a.channel) FROM attribution_shares(rollup(s)) a)
	   = (SELECT array_agg(a ORDER BY a.channel) FROM attribution_shares((SELECT markov_attribution(path, converted, value) FROM mbig)) a) AS same_shares
FROM mpar_days;
-- rollup is itself parallel safe
SELECT smarkpi_force_parallel();
CREATE TABLE mdays AS SELECT d.* FROM mpar_days d, generate_series(1, 200) r;
ANALYZE mdays;
SELECT smarkpi_plan('SELECT rollup(s) FROM mdays') LIKE '%Partial Aggregate%' AS parallel_rollup_plan;
CREATE TEMP TABLE mroll AS SELECT rollup(s)::text AS s FROM mdays;
SELECT smarkpi_serial();
SELECT (SELECT s FROM mroll) = rollup(s)::text AS parallel_rollup_equals_serial FROM mdays;
-- hash and sort grouping agree
SET enable_hashagg = off;
CREATE TEMP TABLE msort AS SELECT day, markov_attribution(path, converted, value)::text AS s FROM mj GROUP BY day;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) AS days, bool_and(h.s = m.s) AS hash_equals_sort
FROM (SELECT day, markov_attribution(path, converted, value)::text AS s FROM mj GROUP BY day) h JOIN msort m USING (day);
RESET enable_sort;

-- ---- Moving windows: the exact inverse vs a recompute ----
SELECT count(*) AS frames,
	   bool_and(w.s IS NOT DISTINCT FROM r.s) AS rows_window_ok
FROM (SELECT id, markov_attribution(path, converted, value) OVER (ORDER BY id ROWS BETWEEN 4 PRECEDING AND CURRENT ROW)::text AS s FROM mj) w
JOIN LATERAL (SELECT markov_attribution(path, converted, value)::text AS s FROM mj m WHERE m.id BETWEEN w.id - 4 AND w.id) r ON true;
SELECT count(*) AS frames, bool_and(w.s = r.s) AS rollup_window_ok
FROM (SELECT day, rollup(s) OVER (ORDER BY day ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)::text AS s FROM mpar_days) w
JOIN LATERAL (SELECT rollup(s)::text AS s FROM mpar_days d WHERE d.day BETWEEN w.day - 2 AND w.day) r ON true;

-- a frame may start on ignored rows or NULL summaries: the moving state is never
-- NULL (the window executor refuses that). i=1 NULL, i=2 and 3 {A} converted
-- (row 3 ignored), i=4 {B} not converted; rollup: i=4 frames only NULLs: NULL.
SELECT i, markov_attribution(p, c) OVER (ORDER BY i ROWS 1 PRECEDING)
FROM (VALUES (1, NULL::text[], true), (2, '{A}', true), (3, '{B}', NULL), (4, '{B}', false)) v(i, p, c);
SELECT i, rollup(s) OVER (ORDER BY i ROWS 1 PRECEDING)
FROM (VALUES (1, NULL::smarkpi_markov_summary), (2, '(1,1,0,0,0,{(start)>"A"=1,"A">(conversion)=1})'), (3, NULL), (4, NULL),
			 (5, '(1,0,0,0,0,{(start)>"B"=1,"B">(null)=1})')) v(i, s);

-- value sums past 128 bits switch to numeric (kept in the state's memory): windows and rollups still exact
CREATE TEMP TABLE mhuge AS SELECT i, ARRAY['a', 'b'] AS p, (i % 2 = 0) AS c, ('1e30'::numeric * i + 0.1234567891) AS v FROM generate_series(1, 60) i;
SELECT markov_attribution(p, c, v) FROM mhuge;
SELECT bool_and(w IS NOT DISTINCT FROM r) AS huge_window_ok FROM (
	SELECT i, markov_attribution(p, c, v) OVER (ORDER BY i ROWS 3 PRECEDING)::text AS w,
		   (SELECT markov_attribution(p, c, v)::text FROM mhuge b2 WHERE b2.i BETWEEN b.i - 3 AND b.i) AS r FROM mhuge b) z;
SELECT bool_and(w = r) AS huge_rollup_window_ok FROM (
	SELECT k, rollup(s) OVER (ORDER BY k ROWS 1 PRECEDING)::text AS w,
		   (SELECT markov_attribution(p, c, v)::text FROM mhuge WHERE i % 5 BETWEEN q.k - 1 AND q.k) AS r
	FROM (SELECT i % 5 AS k, markov_attribution(p, c, v) AS s FROM mhuge GROUP BY 1) q) z;
SELECT channel, value FROM attribution_shares((SELECT markov_attribution(p, c, v) FROM mhuge));

-- ---- Text and binary forms ----
SELECT s::text::smarkpi_markov_summary::text = s::text AS text_round_trip,
	   smarkpi_markov_summary_recv_ok AS binary_round_trip
FROM (SELECT markov_attribution(path, converted, value) AS s FROM mj) q,
	 LATERAL (SELECT smarkpi_copy_binary('smarkpi_markov_summary', smarkpi_markov_summary_send(q.s)) = 'accepted ' || q.s::text AS smarkpi_markov_summary_recv_ok) b;
SELECT '(2,1,12.5,1,1,{(start)>"A"=2,"A">"A"=3,"A">(conversion)=1,"A">(null)=1})'::smarkpi_markov_summary;
SELECT '(0,0,0,0,0,{})'::smarkpi_markov_summary, rollup(s) IS NULL AS empty_rollup_is_null,
	   (SELECT count(*) FROM attribution_shares('(0,0,0,0,0,{})')) AS no_rows,
	   markov_conversion_probability('(0,0,0,0,0,{})') AS no_probability
FROM (VALUES ('(0,0,0,0,0,{})'::smarkpi_markov_summary)) v(s);
-- malformed (22P02) and contradictory (22P02) text
SELECT q, smarkpi_err(format('SELECT %L::smarkpi_markov_summary', q)) FROM (VALUES
	('(1,1,0,0,0,{(start)>"A"=1,"A">(conversion)=1}'),
	('(1,1,0,0,0,{(start)>"A"=1,"A">(conversion)=1}) x'),
	('(1,1,abc,0,0,{(start)>"A"=1,"A">(conversion)=1})'),
	('(1,1,NaN,0,0,{(start)>"A"=1,"A">(conversion)=1})'),
	('(1,1,1e3,1,1,{(start)>"A"=1,"A">(conversion)=1})'),
	('(1,1,0,0,0,{(start)>A=1,"A">(conversion)=1})'),
	('(1,1,0,0,0,{(start)>""=1,"">(conversion)=1})'),
	('(1,1,0,0,0,{(start)>"A=1})'),
	('(1,1,0,0,0,{(stop)>"A"=1,"A">(conversion)=1})'),
	('(1,1,0,0,0,{(conversion)>"A"=1,"A">(conversion)=1})'),
	('(1,1,0,0,0,{"A">(start)=1})'),
	('(1,1,0,0,0,{(start)>"A"=99999999999999999999,"A">(conversion)=1})'),
	('(2,1,0,0,0,{(start)>"A"=1,"A">(conversion)=1})'),
	('(1,1,0,0,0,{(start)>"A"=1,"A">(null)=1})'),
	('(1,2,0,0,0,{(start)>"A"=1,"A">(conversion)=1})'),
	('(1,1,0,0,0,{(start)>"A"=1,"A">(conversion)=0})'),
	('(1,1,0,0,0,{(start)>"A"=1,"A">(conversion)=-1})'),
	('(1,1,0,0,0,{"A">(conversion)=1,(start)>"A"=1})'),
	('(1,1,0,0,0,{(start)>"A"=1,(start)>"A"=1,"A">(conversion)=1})'),
	('(1,1,0,0,0,{(start)>"A"=1,"A">"B"=1,"B">(conversion)=1,"A">(null)=0})'),
	('(1,1,0,0,0,{(start)>"A"=1,"A">(conversion)=1,"B">"C"=1,"C">"B"=1})'),
	('(1,1,0,0,0,{(start)>"A"=1,"A">(conversion)=2})'),
	('(1,1,5,0,0,{(start)>"A"=1,"A">(conversion)=1})'),
	('(1,1,5,2,1,{(start)>"A"=1,"A">(conversion)=1})'),
	('(1,1,5,1,0,{(start)>"A"=1,"A">(conversion)=1})'),
	('(1,0,5,1,1,{(start)>"A"=1,"A">(null)=1})')
) t(q);
-- binary: truncated, bad version, bad counts, bad names (22P03)
SELECT smarkpi_copy_binary('smarkpi_markov_summary', substr(b, 1, len)) AS truncated
FROM (SELECT smarkpi_markov_summary_send('(2,1,12.5,1,1,{(start)>"A"=2,"A">"A"=3,"A">(conversion)=1,"A">(null)=1})') AS b) q,
	 (VALUES (0), (1), (20), (40), (60), (70)) l(len);
SELECT smarkpi_copy_binary('smarkpi_markov_summary', set_byte(b, pos, val)) AS corrupted
FROM (SELECT smarkpi_markov_summary_send('(2,1,12.5,1,1,{(start)>"A"=2,"A">"A"=3,"A">(conversion)=1,"A">(null)=1})') AS b) q,
	 (VALUES (0, 2), (8, 9), (36, 52), (48, 0), (49, 0), (52, 0), (53, 255), (57, 2), (60, 7), (75, 0)) p(pos, val);
SELECT smarkpi_copy_binary('smarkpi_markov_summary', b || '\x00'::bytea) AS trailing_byte
FROM (SELECT smarkpi_markov_summary_send('(1,1,0,0,0,{(start)>"A"=1,"A">(conversion)=1})') AS b) q;
-- seeded byte mutations: accepted (and then reads back to itself) or a clean 22P02/22P03/22003/54000
SELECT setseed(0.5);
SELECT count(*) AS mutations,
	   count(*) FILTER (WHERE r LIKE 'accepted %' OR r ~ '^(22P02|22P03|22003|54000):') AS clean
FROM (SELECT smarkpi_copy_binary('smarkpi_markov_summary',
			 set_byte(b, floor(random() * length(b))::int, floor(random() * 256)::int)) AS r
	  FROM (SELECT smarkpi_markov_summary_send(markov_attribution(path, converted, value)) AS b FROM mj WHERE id <= 20) q,
		   generate_series(1, 200) g) m;

-- ---- Rows under smarkpi.invalid_rows ----
SELECT q, smarkpi_err(q) FROM (VALUES
	($$SELECT markov_attribution('{A,NULL}'::text[], true)$$),
	($$SELECT markov_attribution('{A,""}'::text[], true)$$),
	($$SELECT markov_attribution('{{A,B},{C,D}}'::text[], true)$$),
	($$SELECT markov_attribution('{A}'::text[], true, 'NaN')$$),
	($$SELECT markov_attribution('{A}'::text[], false, 'Infinity')$$)
) t(q);
\set VERBOSITY default
SELECT markov_attribution(p, c) FROM (VALUES ('{A,NULL}'::text[], true)) v(p, c);
\set VERBOSITY terse
SET smarkpi.invalid_rows = 'skip';
SELECT markov_attribution(p, c, v) FROM (VALUES ('{A,NULL}'::text[], true, 1::numeric), ('{A,""}', true, 1), ('{{A},{B}}', true, 1),
	('{A}', true, 'NaN'), ('{B}', true, '-Infinity'), ('{C}', true, 2.5)) j(p, c, v);
SELECT markov_attribution(p, c) IS NULL AS all_skipped FROM (VALUES ('{A,NULL}'::text[], true)) v(p, c);
-- the inverse skips exactly what the transition skipped
SELECT bool_and(w IS NOT DISTINCT FROM r) AS window_with_skipped_rows_ok
FROM (SELECT i, markov_attribution(p, true) OVER (ORDER BY i ROWS 1 PRECEDING)::text AS w,
			 (SELECT markov_attribution(p2, true)::text FROM (VALUES (1, '{A}'::text[]), (2, '{B,NULL}'), (3, '{C}')) y(i2, p2) WHERE i2 BETWEEN x.i - 1 AND x.i) AS r
	  FROM (VALUES (1, '{A}'::text[]), (2, '{B,NULL}'), (3, '{C}')) x(i, p)) z;
-- a skipped first row: i=1 NULL, i=2 {B} converted
SELECT i, markov_attribution(p, true) OVER (ORDER BY i ROWS 1 PRECEDING) FROM (VALUES (1, '{A,NULL}'::text[]), (2, '{B}')) x(i, p);
RESET smarkpi.invalid_rows;
\set VERBOSITY default

-- ---- Counting: a matrix up to 64 channels, a hash table past that ----
-- a moving frame whose state passes from one to the other (125 channels seen,
-- about 10 per frame) equals each frame recomputed; so do the whole table
-- and the same rows in two halves rolled up
CREATE TEMP TABLE mwide AS
SELECT i, ARRAY(SELECT 'w' || ((i * 7 + g * 13) % (5 + i)) FROM generate_series(1, 1 + i % 4) g WHERE g > 0 * i) AS p,
	   i % 3 = 0 AS c
FROM generate_series(1, 120) i;
SELECT count(*) AS frames, count(*) FILTER (WHERE w IS DISTINCT FROM r) AS differ
FROM (SELECT i, markov_attribution(p, c) OVER (ORDER BY i ROWS 9 PRECEDING)::text AS w FROM mwide) a,
	 LATERAL (SELECT markov_attribution(p, c)::text AS r FROM mwide b WHERE b.i BETWEEN a.i - 9 AND a.i) l;
SELECT (SELECT markov_attribution(p, c) FROM mwide)::text =
	   (SELECT rollup(s) FROM (SELECT markov_attribution(p, c) AS s FROM mwide GROUP BY i > 60) h)::text AS halves_equal,
	   (SELECT count(*) FROM attribution_shares((SELECT markov_attribution(p, c) FROM mwide))) AS channels;

-- ---- Limits ----
-- more than 2000 channels: 54000 before any work
SELECT smarkpi_err(format($$SELECT * FROM attribution_shares(%L)$$,
	(SELECT markov_attribution(ARRAY['c' || i], true)::text FROM generate_series(1, 2001) i)));
-- counts overflow on rollup: 22003
SELECT smarkpi_err($$SELECT rollup(s) FROM (VALUES ('(9223372036854775807,0,0,0,0,{(start)>"A"=9223372036854775807,"A">(null)=9223372036854775807})'::smarkpi_markov_summary), ('(1,0,0,0,0,{(start)>"A"=1,"A">(null)=1})')) v(s)$$);
-- huge counts stay exact in the solve: x_A = 1/2 whatever the self-loop count
SELECT * FROM attribution_shares('(4,2,0,0,0,{(start)>"A"=4,"A">"A"=9223372036854775000,"A">(conversion)=2,"A">(null)=2})');
DROP TABLE mbig, mdays;
