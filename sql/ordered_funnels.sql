-- ordered_funnels: window_funnel, window_funnel_times, funnel_counts.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET TimeZone = 'UTC';
SET IntervalStyle = 'postgres';

-- Events as (entity, seconds, step); the helper view turns seconds into timestamps.
CREATE TEMP TABLE fe (u int, t int, step int);
CREATE TEMP VIEW fv AS SELECT u, timestamptz 'epoch' + t * interval '1 second' AS ts, step FROM fe;

------------------------------------------------------------------------------
-- ClickHouse tests/queries/0_stateless/00632_aggregation_window_funnel, mapped:
-- each condition "event = X" is a step number, an event matching no condition
-- has a NULL step.  Cases where one event matches several conditions (event
-- <= 1007 / event >= 1002 ..., three times event = 1004, failure/failure/
-- success with strict_once, the ecommerce funnel with begin_checkout at steps 1
-- and 3) do not apply: here a row is one step.
------------------------------------------------------------------------------
-- funnel_test: (0,1000) .. (8,1008); step = position of the event in the condition list.
CREATE TEMP TABLE ch (t int, ev int);
INSERT INTO ch SELECT i, 1000 + i FROM generate_series(0, 8) i;
CREATE FUNCTION pg_temp.ch_funnel(w int, conds int[], ts_base int DEFAULT 0) RETURNS int LANGUAGE sql AS $$
	SELECT window_funnel(w * interval '1 second', timestamptz 'epoch' + (ts_base + t) * interval '1 second',
						 array_position(conds, ev))
	FROM ch $$;
SELECT pg_temp.ch_funnel(10000, '{1000}') = 1 AS c1,
	   pg_temp.ch_funnel(10000, '{1000,1001}') = 2 AS c2,
	   pg_temp.ch_funnel(10000, '{1000,1001,1002}') = 3 AS c3,
	   pg_temp.ch_funnel(10000, '{1000,1001,1002,1008}') = 4 AS c4,
	   pg_temp.ch_funnel(1, '{1000}') = 1 AS c5,
	   pg_temp.ch_funnel(2, '{1003,1004,1005,1006,1007}') = 3 AS c6,
	   pg_temp.ch_funnel(3, '{1003,1004,1005,1006,1007}') = 4 AS c7,
	   pg_temp.ch_funnel(4, '{1003,1004,1005,1006,1007}') = 5 AS c8;
-- funnel_test2 (DateTime from 2018-01-01 01:01:01, events 1001..1008) and
-- funnel_test_u64 (timestamps 1e14 + i): the same data shifted in time
DELETE FROM ch;
INSERT INTO ch SELECT i, 1000 + i FROM generate_series(1, 8) i;
SELECT pg_temp.ch_funnel(4, '{1003,1004,1005,1006,1007}', 1514768460) = 5 AS d1,
	   pg_temp.ch_funnel(10000, '{1001,1008}', 1514768460) = 2 AS d2,
	   pg_temp.ch_funnel(10000, '{1008,1001}', 1514768460) = 1 AS d3,
	   pg_temp.ch_funnel(4, '{1003,1004,1005,1006,1007}', 100000000) = 5 AS u1,
	   pg_temp.ch_funnel(10000, '{1001,1008}', 100000000) = 2 AS u2,
	   pg_temp.ch_funnel(10000, '{1008,1001}', 100000000) = 1 AS u3;
-- funnel_test_strict: 1005 twice; strict_deduplication stops at the repeat
CREATE TEMP TABLE chs (t int, ev int);
INSERT INTO chs VALUES (0,1000),(10,1001),(20,1002),(30,1003),(40,1004),(50,1005),(51,1005),(60,1006),(70,1007),(80,1008);
SELECT window_funnel('10000 seconds', timestamptz 'epoch' + t * interval '1 second',
					 array_position('{1000,1001,1002,1003,1004,1005,1006}'::int[], ev), 'strict_deduplication') = 6 AS strict_dedup,
	   window_funnel('10000 seconds', timestamptz 'epoch' + t * interval '1 second',
					 array_position('{1000,1001,1002,1003,1004,1005,1006}'::int[], ev)) = 7 AS default_mode
FROM chs;
-- funnel_test_strict_order: users 1-6 are the issue's ABC, ADBC, AABBCC,
-- AAAABBCC, AABBDCC, CCBBAA (a=1, b=2, c=3, d other); window 86400 s.
INSERT INTO fe VALUES (1,1,1),(1,2,2),(1,3,3),
	(2,1,1),(2,2,NULL),(2,3,2),(2,4,3),
	(3,1,1),(3,2,1),(3,3,2),(3,4,2),(3,5,3),(3,6,3),
	(4,1,1),(4,2,1),(4,3,1),(4,4,1),(4,5,2),(4,6,2),(4,7,3),(4,8,3),
	(5,1,1),(5,2,1),(5,3,2),(5,4,2),(5,5,NULL),(5,6,3),(5,7,3),
	(6,1,3),(6,2,3),(6,3,2),(6,4,2),(6,5,1),(6,6,1);
-- expected: 3,3,3,3,3,1 | 3,1,3,3,2,1 | 3,1,2,2,2,1
SELECT u, window_funnel('86400 s', ts, step) AS default_mode,
	   window_funnel('86400 s', ts, step, 'strict_order') AS strict_order,
	   window_funnel('86400 s', ts, step, 'strict_deduplication, strict_order') AS dedup_order
FROM fv GROUP BY u ORDER BY u;
-- user 7: a c b, window 10, strict_order: c before b ends the scan at 1
INSERT INTO fe VALUES (7,1,1),(7,2,3),(7,3,2);
SELECT window_funnel('10 s', ts, step, 'strict_order') AS u7 FROM fv WHERE u = 7;
-- strict_BiteTheDDDD (issue 27469): a b c b d, strict_deduplication, 4 steps -> 3
SELECT window_funnel('86400 s', timestamptz 'epoch' + t * interval '1 second', s, 'strict_deduplication') AS bite
FROM (VALUES (1,1),(2,2),(3,3),(4,2),(5,4)) v(t, s);
-- funnel_test_non_null: rows (dt, a, b) per user; the step is computed from
-- the conditions, NULL when no condition holds.  Expected: (a1, a2): 2,2,0,0;
-- (a1, b2): 2,1,0,0; (a is null and b is null): 0,0,1,0; (a is null, b3):
-- 0,0,1,2 and strict_order 0,0,1,1.  In user 4 the third row matches both
-- conditions of the last case; as step 2 it gives ClickHouse's answer.
CREATE TEMP TABLE nn (dt int, u int, a text, b text);
INSERT INTO nn VALUES (1,1,'a1','b1'),(2,1,'a2','b2'),(1,2,'a1',NULL),(2,2,'a2',NULL),
	(1,3,NULL,NULL),(1,4,NULL,'b1'),(2,4,'a2',NULL),(3,4,NULL,'b3');
SELECT u,
	window_funnel('86400 s', timestamptz 'epoch' + dt * interval '1 second',
				  CASE WHEN a = 'a1' THEN 1 WHEN a = 'a2' THEN 2 END) AS a1_a2,
	window_funnel('86400 s', timestamptz 'epoch' + dt * interval '1 second',
				  CASE WHEN a = 'a1' THEN 1 WHEN b = 'b2' THEN 2 END) AS a1_b2,
	window_funnel('86400 s', timestamptz 'epoch' + dt * interval '1 second',
				  CASE WHEN a IS NULL AND b IS NULL THEN 1 END) AS both_null,
	window_funnel('86400 s', timestamptz 'epoch' + dt * interval '1 second',
				  CASE WHEN b = 'b3' THEN 2 WHEN a IS NULL THEN 1 END) AS anull_b3,
	window_funnel('86400 s', timestamptz 'epoch' + dt * interval '1 second',
				  CASE WHEN b = 'b3' THEN 2 WHEN a IS NULL THEN 1 END, 'strict_order') AS anull_b3_order
FROM nn GROUP BY u ORDER BY u;
-- funnel_test_strict_increase: (0,1000),(1,1001),(1,1002),(1,1003),(2,1004):
-- default 5 (ties in step order), strict_increase 2 (steps 2 and 3 share t = 1)
SELECT window_funnel('10000 s', timestamptz 'epoch' + t * interval '1 second', s) = 5 AS si_default,
	   window_funnel('10000 s', timestamptz 'epoch' + t * interval '1 second', s, 'strict_increase') = 2 AS si_increase
FROM (VALUES (0,1),(1,2),(1,3),(1,4),(2,5)) v(t, s);
-- funnel_test_allow_reentry, steps a b c (and d as a 4th step or an other event)
CREATE TEMP TABLE ar (u int, t int, ev text);
INSERT INTO ar VALUES (1,1,'a'),(1,2,'b'),(1,3,'a'),(1,4,'c'),
	(2,1,'a'),(2,2,'b'),(2,3,'a'),(2,4,'b'),(2,5,'c'),
	(3,1,'a'),(3,2,'b'),(3,3,'c'),(3,4,'b'),(3,5,'d'),
	(4,1,'a'),(4,2,'c'),(4,3,'b'),
	(5,1,'a'),(5,2,'b'),(5,3,'c'),(5,4,'a'),(5,5,'b'),(5,6,'c'),(5,7,'d');
-- expected: 2,2,3,1,3 | 3,3,3,1,3 | 2,2,4,1,3 | 3,3,4,1,4 | 3,1,3,1,3 (ClickHouse's
-- reference); the last column differs for user 2: see below
SELECT u,
	window_funnel('86400 s', ts, nullif(position(ev IN 'abc'), 0), 'strict_order') AS so3,
	window_funnel('86400 s', ts, nullif(position(ev IN 'abc'), 0), 'strict_order, allow_reentry') AS ar3,
	window_funnel('86400 s', ts, position(ev IN 'abcd'), 'strict_order') AS so4,
	window_funnel('86400 s', ts, position(ev IN 'abcd'), 'strict_order,allow_reentry') AS ar4,
	window_funnel('86400 s', ts, nullif(position(ev IN 'abc'), 0), 'strict_order, allow_reentry, strict_deduplication') AS combined
FROM (SELECT u, timestamptz 'epoch' + t * interval '1 second' AS ts, ev FROM ar) x GROUP BY u ORDER BY u;
-- user 2 combined (a b a b c): the second b repeats step 2 at depth 2, so
-- strict_deduplication stops at depth 2.  ClickHouse's reference says 1, the
-- step of the previous event (a), which its issue 37177 reports as a bug
-- and its current code fixes (it returns the depth reached, 2).
-- funnel_test_ecommerce (begin_checkout 1, view_product_detail 2, complete_payment 3):
-- strict_order 2,2,3; with allow_reentry 3,3,3
SELECT u, window_funnel('600 s', timestamptz 'epoch' + t * interval '1 second', s, 'strict_order') AS normal,
	   window_funnel('600 s', timestamptz 'epoch' + t * interval '1 second', s, 'strict_order, allow_reentry') AS reentry
FROM (VALUES (1,100,1),(1,200,2),(1,300,1),(1,400,3),
			 (2,100,1),(2,200,2),(2,250,2),(2,300,1),(2,400,3),
			 (3,100,1),(3,200,2),(3,300,3)) v(u, t, s)
GROUP BY u ORDER BY u;

------------------------------------------------------------------------------
-- Modes, worked by hand
------------------------------------------------------------------------------
-- window boundary: step 3 exactly at ts1 + window counts, one microsecond later does not
SELECT window_funnel('1 hour', ts, s) AS at_boundary
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 00:30', 2), ('2024-01-01 01:00', 3)) v(ts, s);
SELECT window_funnel('1 hour', ts, s) AS past_boundary
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 00:30', 2), ('2024-01-01 01:00:00.000001', 3)) v(ts, s);
-- a later step 1 restarts the window: 1@0, 2@50min, 1@55min, 3@1h40: the chain 1@55, 2? no:
-- step 2 must follow the new step 1, so only the old chain (1@0, 2@50) reaches 2 -> 2
SELECT window_funnel('1 hour', ts, s) AS restart
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 00:50', 2), ('2024-01-01 00:55', 1),
			 ('2024-01-01 01:40', 3)) v(ts, s);
-- ... and with a step 2 after the new step 1 the chain reaches 3 -> 3
SELECT window_funnel('1 hour', ts, s) AS restart_ok
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 00:50', 2), ('2024-01-01 00:55', 1),
			 ('2024-01-01 01:00', 2), ('2024-01-01 01:40', 3)) v(ts, s);
-- ties: equal timestamps are taken in step order, whatever the row order -> 3;
-- with strict_increase the tie breaks the chain after step 1 -> 1
SELECT window_funnel('1 day', ts, s) AS ties, window_funnel('1 day', ts, s, 'strict_increase') AS ties_increase
FROM (VALUES ('2024-01-01'::timestamptz, 3), ('2024-01-01', 2), ('2024-01-01', 1)) v(ts, s);
-- an other event tied with a step comes first: under strict_order it ends the
-- chain before step 2 at the same instant -> 1 (default 2)
SELECT window_funnel('1 day', ts, s) AS other_tie, window_funnel('1 day', ts, s, 'strict_order') AS other_tie_order
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 01:00', 2), ('2024-01-01 01:00', NULL)) v(ts, s);
-- other events before the first step 1 do not matter under strict_order -> 2
SELECT window_funnel('1 day', ts, s, 'strict_order') AS other_before
FROM (VALUES ('2024-01-01 00:00'::timestamptz, NULL), ('2024-01-01 01:00', 1), ('2024-01-01 02:00', 2)) v(ts, s);
-- strict_order: a step 1 after step 2 ends the scan (1,2,1,3 -> 2); allow_reentry
-- starts a new chain instead, and steps 2 and 3 of the old chain still count (-> 3);
-- a step 1 repeated before step 2 is allowed (1,1,2 -> 2)
SELECT window_funnel('1 day', ts, s, 'strict_order') AS reentry_stops,
	   window_funnel('1 day', ts, s, 'strict_order, allow_reentry') AS reentry_allowed
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 01:00', 2), ('2024-01-01 02:00', 1),
			 ('2024-01-01 03:00', 3)) v(ts, s);
SELECT window_funnel('1 day', ts, s, 'strict_order') AS repeat_first
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 01:00', 1), ('2024-01-01 02:00', 2)) v(ts, s);
-- strict_deduplication: 1,2,2,3 -> 2 (default 3); a repeated step 1 is not a duplicate: 1,1,2,3 -> 3
SELECT window_funnel('1 day', ts, s, 'strict_deduplication') AS dedup, window_funnel('1 day', ts, s) AS dflt
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 01:00', 2), ('2024-01-01 02:00', 2),
			 ('2024-01-01 03:00', 3)) v(ts, s);
SELECT window_funnel('1 day', ts, s, 'strict_deduplication') AS dedup_first
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 01:00', 1), ('2024-01-01 02:00', 2),
			 ('2024-01-01 03:00', 3)) v(ts, s);
-- strict_increase vs strict_once (ClickHouse issue 93789): 1@0 2@1 1@2 2@3 3@3.
-- Without strict_once only the latest chain (1@2, 2@3) is kept, and 3@3 is not
-- strictly later than its 2@3 -> 2; strict_once keeps the chain (1@0, 2@1) too,
-- which 3@3 extends -> 3.  Without strict_increase both give 3.
SELECT window_funnel('1 day', ts, s, 'strict_increase') AS increase,
	   window_funnel('1 day', ts, s, 'strict_increase, strict_once') AS increase_once,
	   window_funnel('1 day', ts, s, 'strict_once') AS once,
	   window_funnel_times('1 day', ts, s, 'strict_increase, strict_once') AS once_times
FROM (VALUES (timestamptz 'epoch', 1), (timestamptz 'epoch' + interval '1 s', 2),
			 (timestamptz 'epoch' + interval '2 s', 1), (timestamptz 'epoch' + interval '3 s', 2),
			 (timestamptz 'epoch' + interval '3 s', 3)) v(ts, s);
-- modes: blanks and order do not matter, '' is the default, names repeat freely
SELECT window_funnel('86400 s', ts, step, '  strict_order ,strict_deduplication  ') AS spaced,
	   window_funnel('86400 s', ts, step, '') AS empty_mode,
	   window_funnel('86400 s', ts, step, 'strict_order,strict_order') AS repeated
FROM fv WHERE u = 3;
-- a window longer than int64 microseconds (292,000 years) means no limit, even
-- across the whole timestamp range
SELECT window_funnel('178000000 years', ts, s) AS unlimited
FROM (VALUES ('4713-01-01 00:00 BC'::timestamptz, 1), ('294276-12-31 23:59:59', 2)) v(ts, s);
SELECT window_funnel('100000 years', ts, s) AS limited
FROM (VALUES ('4713-01-01 00:00 BC'::timestamptz, 1), ('294276-12-31 23:59:59', 2)) v(ts, s);
-- months count 30 days: 1@Jan 1, 2@Jan 31 is within '1 month', 2@Feb 1 is not
SELECT window_funnel('1 month', ts, s) AS month30
FROM (VALUES ('2024-01-01'::timestamptz, 1), ('2024-01-31', 2), ('2024-02-01', 3)) v(ts, s);

------------------------------------------------------------------------------
-- NULL rules
------------------------------------------------------------------------------
SELECT window_funnel('1 day', ts, s) IS NULL AS no_rows FROM (VALUES (now(), 1)) v(ts, s) WHERE false;
SELECT window_funnel('1 day', ts, s) IS NULL AS null_ts_only FROM (VALUES (NULL::timestamptz, 1)) v(ts, s);
SELECT window_funnel('1 day', ts, s) AS only_other_events,
	   window_funnel('1 day', ts, s, 'strict_order') AS only_other_events_order,
	   window_funnel_times('1 day', ts, s) AS other_times
FROM (VALUES ('2024-01-01'::timestamptz, NULL::int)) v(ts, s);
SELECT window_funnel('1 day', ts, s) AS no_step_1 FROM (VALUES ('2024-01-01'::timestamptz, 2)) v(ts, s);
SELECT window_funnel(NULL, ts, s) IS NULL AS null_window,
	   window_funnel('1 day', ts, s, NULL) IS NULL AS null_mode,
	   window_funnel_times(NULL, ts, s) IS NULL AS null_window_times
FROM (VALUES ('2024-01-01'::timestamptz, 1)) v(ts, s);
-- a NULL ts ignores the row (here the step 2 that would complete the chain)
SELECT window_funnel('1 day', ts, s) AS null_ts_row
FROM (VALUES ('2024-01-01'::timestamptz, 1), (NULL, 2)) v(ts, s);

------------------------------------------------------------------------------
-- window_funnel_times
------------------------------------------------------------------------------
-- MQL 1 Jan, SAL 3 Jan 06:00, SQL 10 Jan, won 1 Mar (outside a 30-day window)
SELECT window_funnel('30 days', ts, s) AS depth, window_funnel_times('30 days', ts, s) AS times,
	   window_funnel_times('90 days', ts, s) AS times_90
FROM (VALUES ('2024-01-01'::timestamptz, 1), ('2024-01-03 06:00', 2), ('2024-01-10', 3), ('2024-03-01', 4)) v(ts, s);
-- depth 1 -> empty; the chain is the first that reached the depth: 1@0h 2@1h
-- (depth 2), later 1@5h 2@7h do not replace it -> {01:00:00}
SELECT window_funnel_times('1 day', ts, s) AS depth1 FROM (VALUES ('2024-01-01'::timestamptz, 1)) v(ts, s);
SELECT window_funnel_times('1 day', ts, s) AS first_chain
FROM (VALUES ('2024-01-01 00:00'::timestamptz, 1), ('2024-01-01 01:00', 2), ('2024-01-01 05:00', 1),
			 ('2024-01-01 07:00', 2)) v(ts, s);
-- the issue's sequences: times on the reported chain (user 3: 1@2 2@4 3@5)
SELECT u, window_funnel_times('86400 s', ts, step) AS times,
	   window_funnel_times('86400 s', ts, step, 'strict_order') AS times_order
FROM fv WHERE u <= 7 GROUP BY u ORDER BY u;
-- length is always depth - 1
SELECT bool_and(coalesce(array_length(tm, 1), 0) = greatest(d - 1, 0)) AS times_length_ok
FROM (SELECT window_funnel('86400 s', ts, step) d, window_funnel_times('86400 s', ts, step) tm FROM fv GROUP BY u) x;

------------------------------------------------------------------------------
-- Cross-check with plain SQL on seeded random entities: default mode is
-- "the longest chain 1..k in (ts, step) order with ts(k) - ts(1) <= window";
-- for a fixed step 1 the earliest possible next step is always best, so a
-- recursive walk of earliest next steps from every step 1 finds it.
------------------------------------------------------------------------------
SELECT setseed(0.14);
CREATE TEMP TABLE rnd AS
SELECT (i / 8) AS u, timestamptz '2024-01-01' + (random() * 40)::int * interval '1 hour' AS ts,
	   CASE WHEN random() < 0.1 THEN NULL ELSE 1 + (random() * 4)::int % 5 END AS step
FROM generate_series(0, 8 * 400 - 1) i;
CREATE TEMP TABLE rnd_sql AS
WITH RECURSIVE chain(u, first_ts, k, last_ts) AS (
	SELECT u, ts, 1, ts FROM rnd WHERE step = 1
	UNION ALL
	SELECT c.u, c.first_ts, c.k + 1, n.ts
	FROM chain c CROSS JOIN LATERAL (
		SELECT min(r.ts) AS ts FROM rnd r
		WHERE r.u = c.u AND r.step = c.k + 1 AND r.ts >= c.last_ts AND r.ts <= c.first_ts + interval '12 hours') n
	WHERE n.ts IS NOT NULL)
SELECT e.u, coalesce(max(c.k), 0) AS depth
FROM (SELECT DISTINCT u FROM rnd WHERE ts IS NOT NULL) e LEFT JOIN chain c USING (u) GROUP BY e.u;
SELECT count(*) AS entities, count(*) FILTER (WHERE f.depth IS DISTINCT FROM s.depth) AS mismatches,
	   count(DISTINCT s.depth) AS distinct_depths
FROM rnd_sql s FULL JOIN (SELECT u, window_funnel('12 hours', ts, step) AS depth FROM rnd GROUP BY u) f USING (u);
-- times: the chain's timestamps are in order and within the window
SELECT bool_and(tm[i] >= coalesce(tm[i - 1], '0') AND tm[i] <= '12 hours') AS times_in_window
FROM (SELECT window_funnel_times('12 hours', ts, step) tm FROM rnd GROUP BY u) x,
	 LATERAL generate_subscripts(tm, 1) i;

------------------------------------------------------------------------------
-- funnel_counts
------------------------------------------------------------------------------
SELECT funnel_counts(d, 4) FROM (VALUES (0), (1), (2), (2), (4), (NULL)) v(d);  -- {4,3,1,1}
SELECT funnel_counts(d, 3) IS NULL AS no_rows FROM (VALUES (1)) v(d) WHERE false;
SELECT funnel_counts(d, 3) IS NULL AS null_depths FROM (VALUES (NULL::int)) v(d);
SELECT funnel_counts(d, NULL) IS NULL AS null_steps FROM (VALUES (1)) v(d);
SELECT funnel_counts(d, 2) AS zeros FROM (VALUES (0), (0)) v(d);
-- equal to plain SQL count(*) FILTER (WHERE depth >= k), and monotone
CREATE TEMP TABLE depths AS SELECT u, window_funnel('12 hours', ts, step) AS depth FROM rnd GROUP BY u;
SELECT funnel_counts(depth, 5) = ARRAY[count(*) FILTER (WHERE depth >= 1), count(*) FILTER (WHERE depth >= 2),
		count(*) FILTER (WHERE depth >= 3), count(*) FILTER (WHERE depth >= 4),
		count(*) FILTER (WHERE depth >= 5)] AS counts_equal_sql,
	   funnel_counts(depth, 5) AS counts
FROM depths;
-- stage-to-stage conversion in one query
SELECT k, c[k] AS reached, round(100.0 * c[k] / c[1], 1) AS pct_of_first,
	   round(100.0 * c[k] / nullif(c[k - 1], 0), 1) AS pct_of_previous
FROM (SELECT funnel_counts(depth, 5) c FROM depths) x, generate_subscripts(c, 1) k ORDER BY k;
-- the reference's MQL -> SAL -> SQL -> won funnel by channel (ads: 4 leads; SAL after
-- 2, 2, 3 days -> median 2 days; SQL after 5 and 10 days -> 7.5 days; won after 30 days;
-- seo: 2 leads, one won after 100 days, outside the 90-day window -> depth 3)
CREATE TEMP TABLE leads (lead_id int, channel text);
INSERT INTO leads VALUES (1, 'ads'), (2, 'ads'), (3, 'ads'), (4, 'ads'), (5, 'seo'), (6, 'seo');
CREATE TEMP TABLE lead_events (lead_id int, at timestamptz, step int);
INSERT INTO lead_events VALUES
	(1, '2024-01-01', 1), (1, '2024-01-03', 2), (1, '2024-01-06', 3), (1, '2024-01-31', 4),
	(2, '2024-02-01', 1), (2, '2024-02-03', 2), (2, '2024-02-11', 3),
	(3, '2024-03-01', 1), (3, '2024-03-04', 2),
	(4, '2024-03-01', 1), (4, '2024-03-02', NULL),
	(5, '2024-01-01', 1), (5, '2024-01-02', 2), (5, '2024-01-05', 3), (5, '2024-04-10', 4),
	(6, '2024-01-01', 1);
WITH per_lead AS (
    SELECT l.channel,
           window_funnel('90 days', e.at, e.step) AS depth,
           window_funnel_times('90 days', e.at, e.step) AS times
    FROM lead_events e JOIN leads l USING (lead_id)
    GROUP BY l.channel, e.lead_id)
SELECT f.channel, k AS step, f.c[k] AS leads,
       round(100.0 * f.c[k] / nullif(f.c[k - 1], 0), 1) AS pct_of_previous,
       round(100.0 * f.c[k] / nullif(f.c[1], 0), 1) AS pct_of_first,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY p.times[k - 1])
        FROM per_lead p WHERE p.channel = f.channel AND p.depth >= k) AS median_time_from_mql
FROM (SELECT channel, funnel_counts(depth, 4) AS c FROM per_lead GROUP BY channel) f,
     generate_subscripts(f.c, 1) k
ORDER BY f.channel, k;
-- moving window (MINVFUNC) against a recompute per frame
SELECT bool_and(m IS NOT DISTINCT FROM r) AS moving_equals_recompute, count(*) AS frames
FROM (SELECT u, funnel_counts(depth, 5) OVER (ORDER BY u ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING) AS m
	  FROM depths) w
CROSS JOIN LATERAL (SELECT funnel_counts(d.depth, 5) AS r FROM depths d
					WHERE d.u BETWEEN w.u - 3 AND w.u + 1) x;
-- a frame that empties: NULL
SELECT array_agg(coalesce(m::text, 'NULL') ORDER BY i) AS frames FROM (
	SELECT i, funnel_counts(d, 2) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS m
	FROM (VALUES (1, 1), (2, NULL), (3, NULL), (4, 2)) v(i, d)) x;

------------------------------------------------------------------------------
-- window_funnel as a window function: a growing frame per entity ends at the
-- group's value, and every row sees the depth so far
------------------------------------------------------------------------------
SELECT u, array_agg(d ORDER BY ts, step) AS running
FROM (SELECT u, ts, step, window_funnel('86400 s', ts, step) OVER (PARTITION BY u ORDER BY ts, step) AS d
	  FROM fv WHERE u IN (2, 3, 6)) x GROUP BY u ORDER BY u;
SELECT bool_and(w.d = g.depth) AS window_last_equals_group, count(*) AS entities
FROM (SELECT DISTINCT ON (u) u, window_funnel('12 hours', ts, step) OVER (PARTITION BY u ORDER BY ts, step
		ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS d FROM rnd WHERE ts IS NOT NULL) w
JOIN depths g USING (u);

-- a moving frame (no inverse: PostgreSQL re-aggregates the frame) against a recompute
SELECT bool_and(m.d IS NOT DISTINCT FROM r.d) AS moving_frame_equals_recompute, count(*) AS frames
FROM (SELECT u, ts, step, row_number() OVER (ORDER BY u, ts, step) AS i,
			 window_funnel('12 hours', ts, step, 'strict_order')
				OVER (ORDER BY u, ts, step ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS d
	  FROM rnd WHERE u < 40 AND ts IS NOT NULL) m
CROSS JOIN LATERAL (
	SELECT window_funnel('12 hours', x.ts, x.step, 'strict_order') AS d
	FROM (SELECT ts, step, row_number() OVER (ORDER BY u, ts, step) AS i FROM rnd WHERE u < 40 AND ts IS NOT NULL) x
	WHERE x.i BETWEEN m.i - 5 AND m.i) r;

------------------------------------------------------------------------------
-- Forced parallel plans equal serial ones
------------------------------------------------------------------------------
-- plain tables: temporary ones are never scanned in parallel
CREATE TABLE of_par AS SELECT u % 7 AS g, ts, step FROM rnd;
CREATE TABLE of_depths AS SELECT u + 1000 * r AS u, depth FROM depths, generate_series(0, 19) r;
ANALYZE of_par, of_depths;
SELECT smarkpi_serial();
SELECT string_agg(format('%s:%s:%s:%s', g, d, tm, so), ' ' ORDER BY g) AS serial_result
FROM (SELECT g, window_funnel('3 days', ts, step) d, window_funnel_times('3 days', ts, step) tm,
			 window_funnel('3 days', ts, step, 'strict_order, strict_once') so FROM of_par GROUP BY g) x \gset
SELECT funnel_counts(depth, 5)::text AS serial_counts FROM of_depths \gset
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT g, window_funnel(''3 days'', ts, step) FROM of_par GROUP BY g') ~ 'Partial \w*Aggregate' AS partial_plan;
SELECT string_agg(format('%s:%s:%s:%s', g, d, tm, so), ' ' ORDER BY g) = :'serial_result' AS parallel_equals_serial
FROM (SELECT g, window_funnel('3 days', ts, step) d, window_funnel_times('3 days', ts, step) tm,
			 window_funnel('3 days', ts, step, 'strict_order, strict_once') so FROM of_par GROUP BY g) x;
SELECT smarkpi_plan('SELECT funnel_counts(depth, 5) FROM of_depths') ~ 'Partial Aggregate' AS partial_counts_plan;
SELECT funnel_counts(depth, 5)::text = :'serial_counts' AS parallel_counts_equal_serial FROM of_depths;
-- workers with no rows, and a single row
SELECT window_funnel('3 days', ts, step) IS NULL AS parallel_no_rows FROM of_par WHERE g + 0 = 99;
SELECT window_funnel('3 days', ts, step) AS parallel_one_row FROM of_par WHERE g + 0 = 1 AND step = 1 AND ts = (SELECT min(ts) FROM of_par WHERE g = 1 AND step = 1);
SELECT funnel_counts(depth, 5) IS NULL AS parallel_counts_no_rows FROM of_depths WHERE u + 0 < 0;
SELECT smarkpi_serial();
DROP TABLE of_par, of_depths;

------------------------------------------------------------------------------
-- Errors
------------------------------------------------------------------------------
SELECT smarkpi_err($$SELECT window_funnel('-1 s', now(), 1)$$);
-- infinite intervals exist from PostgreSQL 17 on (before, 'infinity' is no interval)
SELECT current_setting('server_version_num')::int < 170000
	   OR smarkpi_err($$SELECT window_funnel('infinity'::interval, now(), 1)$$) = '22023: within must be finite' AS infinite_window_rejected;
SELECT smarkpi_err($$SELECT window_funnel('1 day', now(), 1, 'strict')$$);
SELECT smarkpi_err($$SELECT window_funnel('1 day', now(), 1, 'strict_order,')$$);
SELECT smarkpi_err($$SELECT window_funnel('1 day', now(), 1, 'allow_reentry')$$);
SELECT smarkpi_err($$SELECT window_funnel(w, now(), 1) FROM (VALUES (interval '1 day'), ('2 days')) v(w)$$);
SELECT smarkpi_err($$SELECT window_funnel(w, now(), 1) FROM (VALUES (interval '1 day'), (NULL)) v(w)$$);
SELECT smarkpi_err($$SELECT window_funnel('1 day', now(), 1, m) FROM (VALUES ('strict_order'), ('')) v(m)$$);
SELECT smarkpi_err($$SELECT funnel_counts(1, 0)$$);
SELECT smarkpi_err($$SELECT funnel_counts(1, 65)$$);
SELECT smarkpi_err($$SELECT funnel_counts(1, s) FROM (VALUES (3), (4)) v(s)$$);
-- row errors: under 'error' (default) raised, under 'skip' the row is left out
SELECT smarkpi_err($$SELECT window_funnel('1 day', 'infinity', 1)$$);
SELECT smarkpi_err($$SELECT window_funnel('1 day', now(), 0)$$);
SELECT smarkpi_err($$SELECT window_funnel('1 day', now(), 65)$$);
SELECT smarkpi_err($$SELECT funnel_counts(-1, 3)$$);
SELECT smarkpi_err($$SELECT funnel_counts(4, 3)$$);
SET smarkpi.invalid_rows = 'skip';
SELECT window_funnel('1 day', ts, s) AS skipped_rows
FROM (VALUES ('2024-01-01'::timestamptz, 1), ('infinity', 2), ('2024-01-02', 0), ('2024-01-02', 65),
			 ('2024-01-02', 2)) v(ts, s);
SELECT window_funnel('1 day', ts, s) IS NULL AS all_skipped FROM (VALUES ('infinity'::timestamptz, 1)) v(ts, s);
SELECT funnel_counts(d, 3) AS skipped_depths FROM (VALUES (-1), (1), (4), (3)) v(d);
-- a group past 1 MB of events (65,536) grows in place in a box: steps 1..4
-- a minute apart, over and over: depth 4, serial and forced parallel
CREATE TABLE many_events AS
SELECT i, timestamptz '2024-01-01' + i * interval '1 minute' AS ts, 1 + i % 4 AS step
FROM generate_series(0, 199999) i;
ANALYZE many_events;
SELECT smarkpi_serial();
SELECT window_funnel('1 hour', ts, step) AS serial_depth, window_funnel_times('1 hour', ts, step) AS serial_times
FROM many_events;
SELECT smarkpi_force_parallel();
SELECT window_funnel('1 hour', ts, step) AS parallel_depth FROM many_events;
SELECT smarkpi_serial();
DROP TABLE many_events;
-- parameters stay errors
SELECT smarkpi_err($$SELECT window_funnel('-1 s', now(), 1)$$);
SELECT smarkpi_err($$SELECT funnel_counts(1, 0)$$);
RESET smarkpi.invalid_rows;
