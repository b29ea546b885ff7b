-- Growth and unit economics: cagr, cac_payback_months, growth_rate, magic_number.
-- Hand-worked values (in the comments), NULL rules and errors.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
SET timezone = 'UTC';

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
-- the last row's spend is no row's previous spend, yet it is checked (1.1)
SELECT smarkpi_err($$SELECT magic_number(v, s) OVER (ORDER BY v) FROM (VALUES (1::numeric, 1::numeric), (2, -1)) t(v, s)$$);
SELECT smarkpi_err($$SELECT magic_number(v, s) OVER (ORDER BY v) FROM (VALUES (1::numeric, 1::numeric)) t(v, s)$$);
SELECT magic_number(v, s) OVER (ORDER BY v) FROM (VALUES (1::numeric, 2::numeric), (2, NULL)) t(v, s);
