-- Channel rates: open_rate, click_through_rate, engagement_rate (a rate may exceed 1).
-- Hand-worked values (in the comments), NULL rules and errors.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- email and social rates: sums over rows
-- opens 10 + 5 of 100 + 50 delivered = 0.1; clicks 3 of 1000 + 0 impressions = 0.003
SELECT open_rate(o, d) FROM (VALUES (10, 100), (5, 50), (NULL, 10)) v(o, d);
SELECT click_through_rate(c, i) FROM (VALUES (3, 1000), (0, 0)) v(c, i);
SELECT engagement_rate(e, r) FROM (VALUES (120, 100), (30, 200)) v(e, r);	-- 150 / 300 = 0.5
SELECT open_rate(0, 0), click_through_rate(c, i) FROM (VALUES (1, 1)) v(c, i) WHERE false;

-- errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT open_rate(11, 10)$$);
SELECT smarkpi_err($$SELECT open_rate(-1, 10)$$);
SELECT smarkpi_err($$SELECT click_through_rate(5, -1)$$);
SELECT smarkpi_err($$SELECT engagement_rate(-5, 1)$$);
SELECT smarkpi_err($$SELECT open_rate(9223372036854775807, 9223372036854775807) FROM generate_series(1, 2)$$);
