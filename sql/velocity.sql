-- Sales velocity: funnel_velocity.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET timezone = 'UTC';

\i sql/opps.inc

-- Rows 1-4 (without row 5): N = 4, closed = 3, won = 2, win rate 2/3,
-- average won amount 2000, average cycle 20 days:
-- 4 x 2/3 x 2000 / 20 = 266.666...
SELECT round(funnel_velocity(created_at, closed_at, amount, won), 6) FROM opps WHERE id <= 4;
-- all rows: N = 5, closed 4, won 2, avg won 2000, avg cycle 15.0625 days:
-- 5 x 0.5 x 2000 / 15.0625 = 331.950207...
SELECT round(funnel_velocity(created_at, closed_at, amount, won), 6) FROM opps;
-- the plain-SQL formula gives the same
SELECT round(count(created_at)
		* (count(*) FILTER (WHERE won))::numeric / count(*) FILTER (WHERE closed_at IS NOT NULL AND won IS NOT NULL)
		* avg(amount) FILTER (WHERE won)
		/ (extract(epoch FROM avg(closed_at - created_at) FILTER (WHERE won IS NOT NULL)) / 86400), 6) AS plain_sql
FROM opps;
-- per owner: ann: 2 x 1 x 2000 / 20 = 200; bob: 3 closed-or-open, nothing won -> 0
SELECT owner, round(funnel_velocity(created_at, closed_at, amount, won), 6) FROM opps GROUP BY owner ORDER BY owner;

-- NULL rules: no rows, only open deals, a zero mean cycle, won deals without amounts
SELECT funnel_velocity(created_at, closed_at, amount, won) FROM opps WHERE false;
SELECT funnel_velocity(created_at, closed_at, amount, won) FROM opps WHERE id = 4;
SELECT funnel_velocity('2024-01-01', '2024-01-01', 100, true);
SELECT funnel_velocity('2024-01-01', '2024-01-02', NULL, true);
-- rows without created_at are ignored; an open deal may have no amount
SELECT funnel_velocity(NULL, '2024-01-02', 100, true);
SELECT round(funnel_velocity(c, d, a, w), 6)
FROM (VALUES ('2024-01-01'::timestamptz, '2024-01-03'::timestamptz, 10::numeric, true),
			 ('2024-01-01', NULL, NULL, NULL)) v(c, d, a, w);	-- 2 x 1 x 10 / 2 = 10

-- errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT funnel_velocity('2024-01-05', '2024-01-01', 100, true)$$);
SELECT smarkpi_err($$SELECT funnel_velocity('infinity', NULL, 100, NULL)$$);
SELECT smarkpi_err($$SELECT funnel_velocity('2024-01-01', 'infinity', 100, true)$$);
SELECT smarkpi_err($$SELECT funnel_velocity('2024-01-01', '2024-01-02', 'NaN', true)$$);
SELECT smarkpi_err($$SELECT funnel_velocity('2024-01-01', NULL, '-Infinity', NULL)$$);
DROP TABLE opps;
