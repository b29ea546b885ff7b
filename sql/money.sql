-- Exact money ratios: cac, cac_ratio.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;

CREATE TABLE spend (channel text, month date, spend numeric, new_customers bigint,
					ltv numeric, cost numeric);
INSERT INTO spend VALUES
	('ads', '2024-01-01', 1000.00, 4, 900, 300),
	('ads', '2024-02-01',  500.50, 1, 600, 100.5),
	('seo', '2024-01-01',    0,    0, NULL, 50),
	('seo', '2024-02-01',  300.125, 3, 150.25, 0);

-- ads: 1500.50 / 5 = 300.1; seo: 300.125 / 3 = 100.041666...; all: 1800.625 / 8 = 225.078125
SELECT channel, cac(spend, new_customers), sum(spend) / sum(new_customers) AS plain_sql
FROM spend GROUP BY channel ORDER BY channel;
SELECT cac(spend, new_customers), sum(spend) / sum(new_customers) AS plain_sql FROM spend;
-- same digits and display scale as PostgreSQL's own numeric division
SELECT cac(spend, new_customers)::text = (sum(spend) / sum(new_customers))::text AS same_text FROM spend;

-- cac_ratio: ads (900 + 600) / (300 + 100.5) = 3.7453183520599...; seo: row with NULL ltv
-- ignored, 150.25 / 0 -> NULL
SELECT channel, cac_ratio(ltv, cost) FROM spend GROUP BY channel ORDER BY channel;
SELECT cac_ratio(ltv, cost) = (sum(ltv) / sum(cost))::float8 AS same
FROM spend WHERE ltv IS NOT NULL AND cost IS NOT NULL;
SELECT cac_ratio(900, 300);

-- empty input, zero denominators, NULL rows: NULL
SELECT cac(spend, new_customers), cac_ratio(ltv, cost) FROM spend WHERE false;
SELECT cac(0, 0), cac(10, 0), cac_ratio(5, 0), cac(NULL, 1), cac_ratio(1, NULL);
-- huge and very precise amounts stay exact
SELECT cac(s, n)::text = (sum(s) / sum(n))::text AS exact
FROM (VALUES (123456789012345678901234567890.123456789::numeric, 7::bigint),
			 (0.000000000000000000000001, 9223372036854775807),
			 (99999999999999999999999999999.99, 9223372036854775807)) v(s, n);

-- errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT cac(100, -1)$$);
SELECT smarkpi_err($$SELECT cac(-100, 1)$$);
SELECT smarkpi_err($$SELECT cac('NaN', 1)$$);
SELECT smarkpi_err($$SELECT cac('Infinity', 1)$$);
SELECT smarkpi_err($$SELECT cac_ratio('NaN', 1)$$);
SELECT smarkpi_err($$SELECT cac_ratio(1, '-Infinity')$$);
SELECT smarkpi_err($$SELECT cac_ratio(1, -5)$$);
SELECT cac_ratio(-300, 100);	-- a loss-making customer base is allowed: -3

-- sums that outgrow 128 bits switch to numeric arithmetic: moving windows and
-- parallel combines stay exact across the switch
CREATE TABLE huge AS
SELECT i, CASE WHEN i % 3 = 0 THEN 1e36 * i ELSE i * 0.001 END AS s, (i % 4)::bigint AS n
FROM generate_series(1, 60) i;
SELECT count(*) AS frames, count(*) FILTER (WHERE w IS DISTINCT FROM r) AS mismatches
FROM (SELECT i, (cac(s, n) OVER (ORDER BY i ROWS 3 PRECEDING))::text AS w FROM huge) a
CROSS JOIN LATERAL (SELECT (sum(s) / nullif(sum(n), 0))::text AS r FROM huge b WHERE b.i BETWEEN a.i - 3 AND a.i) l;
SELECT cac(s, n)::text = (sum(s) / sum(n))::text AS exact, cac_ratio(s, s + 1) = (sum(s) / sum(s + 1))::float8 AS ratio_exact
FROM huge;
SELECT smarkpi_force_parallel();
SELECT cac(s, n)::text = (sum(s) / sum(n))::text AS parallel_exact FROM huge;
SELECT smarkpi_serial();

-- values stored out of line (TOAST) are read like any other
CREATE TABLE toasted (v numeric);
ALTER TABLE toasted ALTER v SET STORAGE EXTERNAL;
INSERT INTO toasted VALUES (('1.' || repeat('3', 4000))::numeric), (('-2.' || repeat('7', 3000))::numeric), (1.5);
SELECT pg_column_size(v) > 1000 AS stored_out_of_line, count(*) FROM toasted GROUP BY 1 ORDER BY 1;
SELECT avg_deal_size(v, true)::text = avg(v)::text AS deal_size_exact,
	   pipeline_value(v, 1)::text = sum(v)::text AS pipeline_exact,
	   cac_ratio(v, 1) = (sum(v) / count(v))::float8 AS ratio_exact
FROM toasted;
-- a sum of exactly -2^127 (the most negative 128-bit value) prints and divides
SELECT pipeline_value(r, 1), pipeline_value(r, 1) = sum(r) AS exact
FROM (VALUES (-85070591730234615865843651857942052864::numeric), (-85070591730234615865843651857942052864)) t(r);
SELECT cac(-r, 2)::text = (sum(-r) / 4)::text AS positive_side
FROM (VALUES (-85070591730234615865843651857942052864::numeric), (-85070591730234615865843651857942052864)) t(r);

-- more of the family: hand-worked values, NULL rules
-- money: exact numeric, equal to the plain formulas
SELECT cpl(s, l), sum(s) / sum(l) AS plain FROM (VALUES (100.50, 3), (200, 7)) v(s, l);	-- 300.50 / 10
SELECT roi(r, c), (sum(r) - sum(c)) / sum(c) AS plain FROM (VALUES (150, 100), (50, 100)) v(r, c);	-- 0
SELECT roi(150, 100), roas(300, 100), quota_attainment(80, 100);	-- 0.5, 3, 0.8
SELECT roas(r, s) FROM (VALUES (1000.10, 333.33), (-0.10, 0)) v(r, s);	-- 1000 / 333.33
SELECT quota_attainment(b, q) FROM (VALUES (120000, 100000), (60000, 100000)) v(b, q);	-- 0.9
SELECT avg_deal_size(a, w), avg(a) FILTER (WHERE w) AS plain
FROM (VALUES (100.5, true), (200, true), (999, false), (NULL, true), (5, NULL)) v(a, w);	-- 150.25
SELECT pipeline_value(a, p), sum(a * p::numeric) AS plain
FROM (VALUES (1000, 0.3), (333.33, 0.77), (50, 0), (10, 1)) v(a, p);	-- 300 + 256.6641 + 0 + 10
SELECT marketing_contribution(r, m)
FROM (VALUES (100, true), (300, false), (50, NULL), (NULL, true)) v(r, m);	-- 100 / 400
SELECT roi(r, c), roas(r, c), avg_deal_size(r, true), pipeline_value(r, 0.5), cpl(r, 0)
FROM (VALUES (1::numeric, 0::numeric)) v(r, c) WHERE false;
SELECT roi(1, 0), roas(1, 0), quota_attainment(1, 0), marketing_contribution(0, true), cpl(1, 0);

-- more errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT cpl(-1, 1)$$);
SELECT smarkpi_err($$SELECT cpl(1, -1)$$);
SELECT smarkpi_err($$SELECT roi('NaN', 1)$$);
SELECT smarkpi_err($$SELECT roi(1, -1)$$);
SELECT smarkpi_err($$SELECT roas(1, 'Infinity')$$);
SELECT smarkpi_err($$SELECT quota_attainment(1, -100)$$);
SELECT smarkpi_err($$SELECT avg_deal_size('NaN', false)$$);
SELECT smarkpi_err($$SELECT pipeline_value(100, 1.5)$$);
SELECT smarkpi_err($$SELECT pipeline_value(100, -0.1)$$);
SELECT smarkpi_err($$SELECT pipeline_value(100, 'NaN')$$);
SELECT smarkpi_err($$SELECT marketing_contribution('-Infinity', true)$$);
