-- The rest of the KPI catalogue: hand-worked values, NULL rules and errors.
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- nps: promoters 10, 9; passives 8, 7; detractors 6, 0; NULL ignored:
-- 100 x (2 - 2) / 6 = 0
SELECT nps(s) FROM (VALUES (10), (9), (8), (7), (6), (0), (NULL)) v(s);
-- 3 promoters, 1 detractor of 5: 100 x 2 / 5 = 40
SELECT nps(s) FROM (VALUES (10), (10), (9), (7), (3)) v(s);
SELECT nps(10), nps(0), nps(s) FROM (VALUES (1)) v(s) WHERE false;

-- csat: top two boxes of 1-5 (4, 5): 2 of 4 = 0.5; of 1-10 (9, 10): 0 of 4
SELECT csat(s), csat(s, 10) FROM (VALUES (5), (4), (3), (1)) v(s);
SELECT csat(s, 3) FROM (VALUES (2), (3), (1), (1)) v(s);	-- 2 of 4 on a 1-3 scale
SELECT csat(s) FROM (VALUES (NULL::int)) v(s);

-- email and social rates: sums over rows
-- opens 10 + 5 of 100 + 50 delivered = 0.1; clicks 3 of 1000 + 0 impressions = 0.003
SELECT open_rate(o, d) FROM (VALUES (10, 100), (5, 50), (NULL, 10)) v(o, d);
SELECT click_through_rate(c, i) FROM (VALUES (3, 1000), (0, 0)) v(c, i);
SELECT engagement_rate(e, r) FROM (VALUES (120, 100), (30, 200)) v(e, r);	-- 150 / 300 = 0.5
SELECT open_rate(0, 0), click_through_rate(c, i) FROM (VALUES (1, 1)) v(c, i) WHERE false;

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

-- retention: aggregate over customers, and the period formula (E - N) / S
SELECT retention_rate(b, a) FROM (VALUES (true, true), (true, false), (false, true), (true, NULL), (NULL, true)) v(b, a);	-- 1 / 2
SELECT retention_rate(100, 110, 20), retention_rate(0, 5, 5), retention_rate(10, 10, 0), retention_rate(NULL, 1, 1);

-- growth: cagr (121 / 100) ^ (1/2) - 1 = 0.1; payback 1200 / (100 x 0.8) = 15 months
SELECT round(cagr(100, 121, 2)::numeric, 12), cagr(100, 100, 5), cagr(100, 0, 1), cac_payback_months(1200, 100, 0.8),
	   cac_payback_months(1200, 0, 0.5), cac_payback_months(0, 100, 1);

-- window functions: growth_rate against lag(), magic_number against its formula
SELECT m, v,
	   growth_rate(v) OVER w AS g1, ((v - lag(v) OVER w) / nullif(abs(lag(v) OVER w), 0))::float8 AS g1_lag,
	   growth_rate(v, 2) OVER w AS g2, growth_rate(v::float8, 2) OVER w AS g2_float,
	   magic_number(v, s) OVER w AS magic, ((v - lag(v) OVER w) * 4 / nullif(lag(s) OVER w, 0))::float8 AS magic_lag
FROM (VALUES (1, 100::numeric, 50::numeric), (2, 120, 60), (3, 90, 0), (4, 135, 10), (5, NULL, 10), (6, 0, 10), (7, 5, 10)) t(m, v, s)
WINDOW w AS (ORDER BY m) ORDER BY m;
-- per partition, year over year on monthly rows (periods = 12)
-- k = 1: month 13 is 113 against 101 -> 12/101; k = 2: 126 against 102 -> 24/102
SELECT * FROM (
	SELECT k, m, growth_rate(v, 12) OVER (PARTITION BY k ORDER BY m) AS yoy
	FROM (SELECT k, m, (100 + m * k)::numeric AS v FROM generate_series(1, 2) k, generate_series(1, 14) m) s) g
WHERE m > 11 ORDER BY k, m;
SELECT growth_rate(v, NULL) OVER (ORDER BY v) FROM (VALUES (1::numeric), (2)) t(v);

-- errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT nps(11)$$);
SELECT smarkpi_err($$SELECT nps(-1)$$);
SELECT smarkpi_err($$SELECT csat(6)$$);
SELECT smarkpi_err($$SELECT csat(0)$$);
SELECT smarkpi_err($$SELECT csat(3, 1)$$);
SELECT smarkpi_err($$SELECT open_rate(11, 10)$$);
SELECT smarkpi_err($$SELECT open_rate(-1, 10)$$);
SELECT smarkpi_err($$SELECT click_through_rate(5, -1)$$);
SELECT smarkpi_err($$SELECT engagement_rate(-5, 1)$$);
SELECT smarkpi_err($$SELECT open_rate(9223372036854775807, 9223372036854775807) FROM generate_series(1, 2)$$);
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
SELECT smarkpi_err($$SELECT lead_response_time('2024-01-02', '2024-01-01')$$);
SELECT smarkpi_err($$SELECT lead_response_time('2024-01-02', 'infinity')$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-01', '2024-01-02', 1.5)$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-01', '2024-01-02', 'NaN')$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-01', '2024-01-02', f) FROM (VALUES (0.5), (0.9)) v(f)$$);
SELECT smarkpi_err($$SELECT duration_percentile('2024-01-03', '2024-01-02', 0.5)$$);
SELECT smarkpi_err($$SELECT duration_percentile('-infinity', '2024-01-02', 0.5)$$);
SELECT smarkpi_err($$SELECT retention_rate(-1, 5, 1)$$);
SELECT smarkpi_err($$SELECT retention_rate(10, 5, 6)$$);
SELECT smarkpi_err($$SELECT retention_rate(10, 25, 5)$$);
SELECT smarkpi_err($$SELECT cagr(0, 100, 1)$$);
SELECT smarkpi_err($$SELECT cagr(100, -1, 1)$$);
SELECT smarkpi_err($$SELECT cagr(100, 110, 0)$$);
SELECT smarkpi_err($$SELECT cagr(100, 110, 'NaN')$$);
SELECT smarkpi_err($$SELECT cagr('NaN', 110, 1)$$);
SELECT smarkpi_err($$SELECT cac_payback_months(100, 10, 0)$$);
SELECT smarkpi_err($$SELECT cac_payback_months(100, 10, 1.01)$$);
SELECT smarkpi_err($$SELECT cac_payback_months(-100, 10, 0.5)$$);
SELECT smarkpi_err($$SELECT growth_rate(v, 0) OVER () FROM (VALUES (1::numeric)) t(v)$$);
SELECT smarkpi_err($$SELECT growth_rate(v) OVER (ORDER BY v) FROM (VALUES (1::float8), ('NaN')) t(v)$$);
SELECT smarkpi_err($$SELECT magic_number(v, s) OVER (ORDER BY v) FROM (VALUES (1::numeric, -1::numeric), (2, 1)) t(v, s)$$);
