-- Predictive customer lifetime value: rfm(), clv_fit(), p_alive(),
-- expected_purchases(), expected_spend(), clv().
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- rfm: worked by hand.  Customer 1: purchase days Jan 1 (two orders, 10 + 5),
-- Jan 11 (20), Jan 31 (40 + 2); an order after observed_until is ignored.
-- frequency 2, recency 30, t = Mar 1 - Jan 1 = 60 days, monetary (20 + 42) / 2 = 31.
-- Customer 2: one purchase day: frequency 0, recency 0, t = Mar 1 - Jan 31 = 30 (2024 is a leap year), monetary 0.
CREATE TABLE orders (customer int, ordered_at timestamptz, amount numeric);
INSERT INTO orders VALUES
	(1, '2024-01-01 09:00', 10), (1, '2024-01-01 17:00', 5), (1, '2024-01-11 12:00', 20),
	(1, '2024-01-31 08:00', 40), (1, '2024-01-31 23:59', 2), (1, '2024-03-05', 1000),
	(2, '2024-01-31 10:00', 99), (2, NULL, 5), (2, '2024-01-31 11:00', NULL);
SELECT customer, rfm(ordered_at, amount, '2024-03-01 00:00') FROM orders GROUP BY customer ORDER BY customer;
SELECT (rfm(ordered_at, amount, '2024-03-01')).* FROM orders WHERE customer = 1;
SELECT rfm(ordered_at, amount, '2024-03-01') FROM orders WHERE false;
SELECT ROW(2, 30, 60, 31)::smarkpi_rfm;

-- closed forms for fixed parameters (the published CDNOW fit, times in weeks),
-- worked out independently in plain SQL
CREATE TABLE m AS SELECT ROW(0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44, 2357, 946, -9582.4, -4000,
							 true, true)::smarkpi_clv_model AS model;
-- p_alive for x = 2, t_x = 30.43, T = 38.86:
-- 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x))
SELECT round(p_alive(model, ROW(2, 30.43, 38.86, 22.35)::smarkpi_rfm)::numeric, 10) AS p_alive,
	   round((1 / (1 + 0.793 / (2.426 + 2 - 1) * ((4.414 + 38.86) / (4.414 + 30.43)) ^ (0.243 + 2)))::numeric, 10) AS by_hand,
	   p_alive(model, ROW(0, 0, 38.86, 0)::smarkpi_rfm) AS no_repeat_is_alive
FROM m;
-- expected purchases in the next 39 weeks, against the formula with 2F1 summed in SQL
WITH p AS (SELECT 0.243::float8 AS r, 4.414::float8 AS alpha, 0.793::float8 AS a, 2.426::float8 AS b,
				  2::float8 AS x, 30.43::float8 AS tx, 38.86::float8 AS bigt, 39::float8 AS t),
series AS (
	WITH RECURSIVE s(k, term, total) AS (
		SELECT 0, 1::float8, 1::float8
		UNION ALL
		SELECT k + 1, term * (r + x + k) * (b + x + k) / ((a + b + x - 1 + k) * (k + 1)) * (t / (alpha + bigt + t)),
			   total + term * (r + x + k) * (b + x + k) / ((a + b + x - 1 + k) * (k + 1)) * (t / (alpha + bigt + t))
		FROM s, p WHERE k < 400)
	SELECT total FROM s ORDER BY k DESC LIMIT 1)
SELECT round(expected_purchases(model, ROW(2, 30.43, 38.86, 22.35)::smarkpi_rfm, 39)::numeric, 9) AS expected,
	   round(((a + b + x - 1) / (a - 1) * (1 - ((alpha + bigt) / (alpha + bigt + t)) ^ (r + x) * total)
			  / (1 + a / (b + x - 1) * ((alpha + bigt) / (alpha + tx)) ^ (r + x)))::numeric, 9) AS by_hand
FROM m, p, series;
SELECT expected_purchases(model, ROW(2, 30.43, 38.86, 22.35)::smarkpi_rfm, 0) AS zero_horizon FROM m;
-- Gamma-Gamma expected spend: p (gamma + x m) / (p x + q - 1)
SELECT round(expected_spend(model, ROW(2, 30.43, 38.86, 22.35)::smarkpi_rfm)::numeric, 9) AS spend,
	   round((6.25 * (15.44 + 2 * 22.35) / (6.25 * 2 + 3.74 - 1))::numeric, 9) AS by_hand,
	   round(expected_spend(model, ROW(0, 0, 38.86, 0)::smarkpi_rfm)::numeric, 9) AS population_mean
FROM m;
-- clv: the sum over months of spend x purchases in the month, discounted
SELECT round(clv(model, c)::numeric, 6) = round(clv(model, c, 12, 0.01)::numeric, 6) AS defaults_are_12_months_1pct,
	   round(clv(model, c, 6, 0.02)::numeric, 6) AS clv_6m_2pct,
	   round((SELECT sum(expected_spend(model, c) * (expected_purchases(model, c, 30 * i) - expected_purchases(model, c, 30 * (i - 1)))
					 / 1.02 ^ i) FROM generate_series(1, 6) i)::numeric, 6) AS by_formula,
	   clv(model, c, 0, 0.01) AS zero_months
FROM m, (SELECT ROW(2, 30.43, 38.86, 22.35)::smarkpi_rfm AS c) c;

-- Simulated customers from known parameters (seeded): the fit recovers them.
SELECT setseed(0.5);
\i examples/simulate.sql
CREATE TABLE sim AS SELECT i AS id, sim_customer(365) AS c FROM generate_series(1, 4000) i;
SELECT count(*) AS customers, count(*) FILTER (WHERE (c).frequency > 0) AS repeat_buyers FROM sim;
CREATE TABLE fit AS SELECT clv_fit(c) AS model FROM sim;
-- within 25 % of the true parameters
SELECT (model).bgnbd_converged, (model).gg_converged,
	   abs((model).r / 0.5 - 1) < 0.25 AS r_ok, abs((model).alpha / 10 - 1) < 0.25 AS alpha_ok,
	   abs((model).a / 0.8 - 1) < 0.25 AS a_ok, abs((model).b / 2.5 - 1) < 0.25 AS b_ok,
	   abs((model).p / 6 - 1) < 0.25 AS p_ok, abs((model).q / 4 - 1) < 0.25 AS q_ok,
	   abs((model).gamma / 15 - 1) < 0.25 AS gamma_ok,
	   (model).customers, (model).repeat_customers
FROM fit;
-- the optimizer is deterministic: the same data gives the same model
SELECT (SELECT clv_fit(c) FROM sim) = model AS deterministic FROM fit;
-- clv aggregate = mean of clv(model, customer) over the group
SELECT round(clv(c)::numeric, 6) = (SELECT round(avg(clv(model, c))::numeric, 6) FROM sim, fit) AS mean_of_predictions,
	   round(clv(c, 6, 0.02)::numeric, 6) = (SELECT round(avg(clv(model, c, 6, 0.02))::numeric, 6) FROM sim, fit) AS with_terms
FROM sim;
-- parallel query (state serialized to workers) gives the same fit
SELECT smarkpi_force_parallel();
EXPLAIN (COSTS OFF) SELECT clv_fit(c) FROM sim;
SELECT clv_fit(c) = (SELECT model FROM fit) AS parallel_equals_serial FROM sim;
SELECT smarkpi_serial();
-- by group, e.g. CLV by acquisition channel
SELECT id % 2 AS channel, round(clv(c)::numeric, 2) > 0 AS positive FROM sim GROUP BY id % 2 ORDER BY 1;

-- data that cannot identify a model: not converged, NULL parameters, NULL predictions
CREATE TABLE tiny AS SELECT clv_fit(c) AS model FROM (SELECT c FROM sim LIMIT 5) s;
SELECT (model).* FROM tiny;
SELECT p_alive(model, ROW(1, 2, 10, 5)::smarkpi_rfm), expected_purchases(model, ROW(1, 2, 10, 5)::smarkpi_rfm, 30),
	   expected_spend(model, ROW(1, 2, 10, 5)::smarkpi_rfm), clv(model, ROW(1, 2, 10, 5)::smarkpi_rfm) FROM tiny;
SELECT clv_fit(c) IS NULL AS no_rows FROM sim WHERE false;
SELECT (clv_fit(ROW(0, 0, 10 + i, 0)::smarkpi_rfm)).bgnbd_converged AS no_repeat_buyers FROM generate_series(1, 50) i;
SELECT clv(c) FROM (SELECT c FROM sim LIMIT 5) s;
-- 200 identical customers (10 repeat purchases each, the last 0-4 days
-- before the end): no heterogeneity to fit, so the BG/NBD likelihood runs off
-- towards r, alpha -> infinity, a boundary solution: not converged (1.1), and
-- clv() of such a group is NULL
SELECT m.bgnbd_converged, m.r IS NULL AS r_null, m.alpha IS NULL AS alpha_null, m.customers
FROM (SELECT (clv_fit(ROW(10, 100 - i % 5, 100, 20 + i % 7)::smarkpi_rfm)).* FROM generate_series(1, 200) i) m;
SELECT clv(ROW(10, 100 - i % 5, 100, 20 + i % 7)::smarkpi_rfm) IS NULL AS clv_null FROM generate_series(1, 200) i;

-- errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT clv_fit(ROW(-1, 0, 10, 0)::smarkpi_rfm)$$);
SELECT smarkpi_err($$SELECT clv_fit(ROW(1, 11, 10, 5)::smarkpi_rfm)$$);
SELECT smarkpi_err($$SELECT clv_fit(ROW(1, 1, 0, 5)::smarkpi_rfm)$$);
SELECT smarkpi_err($$SELECT clv_fit(ROW(1, 1, 10, -5)::smarkpi_rfm)$$);
SELECT smarkpi_err($$SELECT clv_fit(ROW(1, 'NaN', 10, 5)::smarkpi_rfm)$$);
SELECT smarkpi_err($$SELECT expected_purchases(model, ROW(1, 1, 10, 5)::smarkpi_rfm, -1) FROM m$$);
SELECT smarkpi_err($$SELECT clv(model, ROW(1, 1, 10, 5)::smarkpi_rfm, -1, 0.01) FROM m$$);
SELECT smarkpi_err($$SELECT clv(model, ROW(1, 1, 10, 5)::smarkpi_rfm, 12, -1) FROM m$$);
SELECT smarkpi_err($$SELECT clv(c, 12, -1.5) FROM sim$$);
SELECT smarkpi_err($$SELECT clv(c, (id % 2)::int + 1, 0.01) FROM sim$$);
SELECT smarkpi_err($$SELECT p_alive(ROW(-1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, true, true)::smarkpi_clv_model, ROW(1, 1, 10, 5)::smarkpi_rfm)$$);
SELECT smarkpi_err($$SELECT rfm(t, 1, o) FROM (VALUES ('2024-01-01'::timestamptz, '2024-02-01'::timestamptz), ('2024-01-02', '2024-03-01')) v(t, o)$$);
SELECT smarkpi_err($$SELECT rfm('2024-01-01', 'NaN', '2024-02-01')$$);
SELECT smarkpi_err($$SELECT rfm('2024-01-01', -5, '2024-02-01')$$);
SELECT smarkpi_err($$SELECT rfm('infinity', 5, '2024-02-01')$$);

-- rfm's monetary_value is summed exactly and divided once: the same orders in
-- any order, serial or parallel, give the same digits (a float8 running sum
-- gives 0.6000000000000001 in one order and 0.6 in another)
CREATE TABLE rfm_orders AS
SELECT c, '2024-01-01'::timestamptz + d * interval '1 day' AS ordered_at, amt
FROM generate_series(1, 300) c, (VALUES (0, 5.00), (1, 0.10), (2, 0.20), (3, 0.30), (3, 0.05)) o(d, amt);
SELECT (SELECT rfm(ordered_at, amt, '2024-02-01' ORDER BY amt) FROM rfm_orders WHERE c = 1)
	 = (SELECT rfm(ordered_at, amt, '2024-02-01' ORDER BY amt DESC) FROM rfm_orders WHERE c = 1) AS order_independent,
	   (SELECT ((rfm(ordered_at, amt, '2024-02-01' ORDER BY amt DESC)).monetary_value)::text FROM rfm_orders WHERE c = 1) AS monetary_value,
	   ((0.10 + 0.20 + 0.30 + 0.05) / 3)::float8::text AS by_hand;
SELECT smarkpi_force_parallel();
SELECT md5(string_agg(r::text, '|' ORDER BY c)) AS parallel FROM (SELECT c, rfm(ordered_at, amt, '2024-02-01') r FROM rfm_orders GROUP BY c) s \gset
SELECT smarkpi_serial();
SELECT md5(string_agg(r::text, '|' ORDER BY c)) = :'parallel' AS serial_equals_parallel
FROM (SELECT c, rfm(ordered_at, amt, '2024-02-01') r FROM rfm_orders GROUP BY c) s;
DROP TABLE rfm_orders;

-- Summaries of customers: per segment (here id % 5), rolled up to all; the
-- fit and the CLV from the rollup equal those over all the customers, to
-- every digit (the summaries hold the same distinct customer summaries and
-- counts, sorted, so the fit sees the same input).
CREATE TABLE segments AS
SELECT id % 5 AS seg, clv_fit_summary(c) AS fit_s, clv_summary(c) AS clv_s, clv_summary(c, 24, 0.02) AS terms_s
FROM sim GROUP BY 1;
SELECT (SELECT clv_fit(c)::text FROM sim) = (SELECT clv_fit(rollup(fit_s))::text FROM segments) AS fit_equal,
	   (SELECT clv(c)::text FROM sim) = (SELECT clv(rollup(clv_s))::text FROM segments) AS clv_equal,
	   (SELECT clv(c, 24, 0.02)::text FROM sim) = (SELECT clv(rollup(terms_s))::text FROM segments) AS clv_terms_equal,
	   (SELECT clv(rollup(fit_s))::text FROM segments) = (SELECT clv(c)::text FROM sim) AS fit_summary_gives_clv_too;
-- rollup order and grouping do not matter (same bytes), serial or parallel
SELECT (SELECT rollup(fit_s ORDER BY seg)::text FROM segments) = (SELECT rollup(fit_s ORDER BY seg DESC)::text FROM segments)
	   AND (SELECT rollup(fit_s ORDER BY seg)::text FROM segments) = (SELECT clv_fit_summary(c)::text FROM sim) AS order_independent;
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT clv_fit_summary(c) FROM sim') ~ 'Partial Aggregate' AS partial_plan;
SELECT clv_fit_summary(c)::text AS parallel_summary FROM sim \gset
SELECT smarkpi_serial();
SELECT clv_fit_summary(c)::text = :'parallel_summary' AS serial_equals_parallel FROM sim;
-- a moving window of segments: the rollup of two segments equals their customers' CLV
SELECT count(*) AS windows,
	   count(*) FILTER (WHERE w.v IS DISTINCT FROM (SELECT clv(c)::text FROM sim WHERE id % 5 BETWEEN w.seg - 1 AND w.seg)) AS mismatches
FROM (SELECT seg, clv(rollup(clv_s) OVER (ORDER BY seg ROWS 1 PRECEDING))::text AS v FROM segments) w;
-- empty input, NULLs, text and binary forms
SELECT clv_fit_summary(c), clv_summary(c, 6, 0.01) FROM sim WHERE false;
SELECT rollup(s) IS NULL AS rollup_of_nulls FROM (SELECT NULL::smarkpi_clv_summary AS s FROM generate_series(1, 2)) x;
SELECT clv_fit(NULL::smarkpi_clv_summary) IS NULL AS fit_of_null, clv(NULL::smarkpi_clv_summary) IS NULL AS clv_of_null;
SELECT clv_fit(clv_fit_summary(c)) FROM sim WHERE id <= 4;
SELECT clv_summary(c, 6, 0.01) FROM (VALUES (ROW(0, 0, 30, 0)::smarkpi_rfm), (ROW(2, 20.5, 30, 12.25)::smarkpi_rfm), (ROW(0, 0, 30, 0)::smarkpi_rfm)) v(c);
SELECT s::text::smarkpi_clv_summary::text = s::text AS text_round_trip,
	   smarkpi_copy_binary('smarkpi_clv_summary', smarkpi_clv_summary_send(s)) = 'accepted ' || s::text AS binary_round_trip
FROM segments, LATERAL (SELECT terms_s AS s) x WHERE seg = 0;
SELECT smarkpi_err($$SELECT '(3,,,{1 5 10 20.5 1,0 0 10 0 2})'::smarkpi_clv_summary$$);
SELECT smarkpi_err($$SELECT '(4,,,{0 0 10 0 2,1 5 10 20.5 1})'::smarkpi_clv_summary$$);
SELECT smarkpi_err($$SELECT '(1,,,{1 11 10 20.5 1})'::smarkpi_clv_summary$$);
SELECT smarkpi_err($$SELECT '(1,,,{0 0 10 5 1})'::smarkpi_clv_summary$$);
SELECT smarkpi_err($$SELECT '(0,,,{1 5 10 20.5 0})'::smarkpi_clv_summary$$);
SELECT smarkpi_err($$SELECT '(1,2000,0.01,{1 5 10 20.5 1})'::smarkpi_clv_summary$$);
SELECT smarkpi_err($$SELECT '(1,12,nan,{1 5 10 20.5 1})'::smarkpi_clv_summary$$);
SELECT smarkpi_err($$SELECT '(1,,,{1 5 10 20.5 1}'::smarkpi_clv_summary$$);
SELECT smarkpi_err($$SELECT '(1,,,{1 5 10 20.5 1}) x'::smarkpi_clv_summary$$);
SELECT smarkpi_err($$SELECT '(1,,,{-1 5 10 20.5 1})'::smarkpi_clv_summary$$);
SELECT smarkpi_copy_binary('smarkpi_clv_summary', '\x01'::bytea || '\x00'::bytea || int4send(0) || float8send(0)
	|| int8send(1) || int4send(2) || int4send(0) || float8send(0) || float8send(10) || float8send(0) || int8send(1));
SELECT smarkpi_copy_binary('smarkpi_clv_summary', '\x01'::bytea || '\x00'::bytea || int4send(0) || float8send(0)
	|| int8send(1) || int4send(1) || int4send(0) || float8send(0) || float8send('NaN') || float8send(0) || int8send(1));
SELECT smarkpi_copy_binary('smarkpi_clv_summary', '\x02'::bytea || substr(smarkpi_clv_summary_send('(1,,,{1 5 10 20.5 1})'), 2));
-- CLV terms must agree, and counts cannot overflow
SELECT smarkpi_err($$SELECT rollup(s) FROM (VALUES ('(1,12,0.01,{1 5 10 20.5 1})'::smarkpi_clv_summary), ('(1,6,0.01,{1 5 10 20.5 1})')) v(s)$$);
SELECT smarkpi_err($$SELECT rollup(s) FROM (VALUES ('(9223372036854775807,,,{1 5 10 20.5 9223372036854775807})'::smarkpi_clv_summary), ('(1,,,{1 5 10 20.5 1})')) v(s)$$);
DROP TABLE segments;

-- ---- 1.1: rfm_holdout, clv_backtest, p_no_purchase ----
-- rfm_holdout by hand, customer 1 of orders, calibration to Jan 20, holdout to Mar 10:
-- calibration days Jan 1 (10 + 5), Jan 11 (20): frequency 1, recency 10, t 19, monetary 20;
-- holdout days Jan 31 (40 + 2), Mar 5 (1000): 2 purchase days, spend 1042;
-- holdout_days = Mar 10 - Jan 20 = 50 (2024 is a leap year).
-- Customer 2's only order is in the holdout: no calibration summary, NULL.
SELECT customer, rfm_holdout(ordered_at, amount, '2024-01-20', '2024-03-10')
FROM orders GROUP BY customer ORDER BY customer;
-- the calibration is rfm(..., calibration_end) exactly, at any cut
SELECT c.cut, (rfm_holdout(ordered_at, amount, c.cut, '2024-04-01')).calibration IS NOT DISTINCT FROM rfm(ordered_at, amount, c.cut) AS same_as_rfm
FROM orders, (VALUES ('2024-01-01 12:00'::timestamptz), ('2024-01-11 12:00'), ('2024-01-31 08:00'), ('2024-02-01'), ('2024-03-05')) c(cut)
WHERE customer = 1 GROUP BY c.cut ORDER BY c.cut;
-- a cut inside a day: Jan 31 08:00 is calibration, 23:59 holdout (the day counts in both);
-- the holdout is measured in the calibration's days (UTC days of the two ends)
SELECT (rfm_holdout(ordered_at, amount, '2024-01-31 08:00', '2024-03-05 00:00')).*
FROM orders WHERE customer = 1;
-- calibration_end = holdout_end: an empty holdout of 0 days
SELECT (rfm_holdout(ordered_at, amount, '2024-02-01', '2024-02-01')).* FROM orders WHERE customer = 1;
SELECT rfm_holdout(ordered_at, amount, '2024-02-01', '2024-03-01') FROM orders WHERE false;
-- errors: the ends are parameters
SELECT smarkpi_err($$SELECT rfm_holdout(ordered_at, amount, '2024-03-01', '2024-02-01') FROM orders$$);
SELECT smarkpi_err($$SELECT rfm_holdout(ordered_at, amount, 'infinity', 'infinity') FROM orders$$);
SELECT smarkpi_err($$SELECT rfm_holdout(ordered_at, amount, '2024-02-01'::timestamptz + customer * interval '1 day', '2024-04-01') FROM orders$$);
SELECT smarkpi_err($$SELECT rfm_holdout(ordered_at, -amount, '2024-02-01', '2024-04-01') FROM orders$$);
-- amounts of any size and scale, as rfm takes them: a price divided by 3 (20 digits), a product
-- of two such (40 digits), 10^30 and 10^-19 are kept exactly: the calibration is rfm's, the
-- holdout spend is the plain sum, serial, in a forced parallel plan, and after the state's text
-- and binary forms
CREATE TABLE big_orders AS
SELECT c AS customer, ordered_at, amount
FROM generate_series(1, 60) c,
	 (VALUES ('2024-01-01'::timestamptz, 10000.00 / 3), ('2024-01-05', 12345678901234567890123.45),
			 ('2024-01-09', 7.125), ('2024-02-10', (10000.00 / 3) * (1 / 3.0)), ('2024-02-11', 2.25),
			 ('2024-02-12', 1e30), ('2024-02-13', 1e-19)) v(ordered_at, amount);
-- and a TOAST pointer: 10^3000 + 1 stored out of line (the rows' amounts arrive undetoasted)
ALTER TABLE big_orders ALTER amount SET STORAGE EXTERNAL;
INSERT INTO big_orders SELECT c, '2024-02-14', 10::numeric ^ 3000 + 1 FROM generate_series(1, 60) c;
SELECT pg_column_size(amount) > 1000 AS out_of_line FROM big_orders WHERE ordered_at = '2024-02-14' LIMIT 1;
SELECT (10000.00 / 3) * (1 / 3.0) AS forty_digits,
	   (rfm_holdout(ordered_at, amount, '2024-02-01', '2024-03-01')).holdout_spend
		   = sum(amount) FILTER (WHERE ordered_at > '2024-02-01') AS spend_is_plain_sum,
	   (rfm_holdout(ordered_at, amount, '2024-02-01', '2024-02-13 12:00')).holdout_spend AS spend_before_toasted,
	   sum(amount) FILTER (WHERE ordered_at > '2024-02-01' AND ordered_at <= '2024-02-13 12:00') AS plain_sum,
	   (rfm_holdout(ordered_at, amount, '2024-02-01', '2024-03-01')).calibration
		   = rfm(ordered_at, amount, '2024-02-01') AS calibration_is_rfm
FROM big_orders WHERE customer = 1;
ANALYZE big_orders;
SELECT smarkpi_serial();
SELECT string_agg(h::text, ' ' ORDER BY x) AS serial_big
FROM (SELECT customer % 3 AS x, rfm_holdout(ordered_at, amount, '2024-02-01', '2024-03-01') AS h
	  FROM big_orders GROUP BY 1) g \gset
SELECT smarkpi_force_parallel();
SELECT string_agg(h::text, ' ' ORDER BY x) = :'serial_big' AS parallel_equals_serial
FROM (SELECT customer % 3 AS x, rfm_holdout(ordered_at, amount, '2024-02-01', '2024-03-01') AS h
	  FROM big_orders GROUP BY 1) g;
SELECT smarkpi_serial();
DROP TABLE big_orders;

-- p_no_purchase: 1 - p_alive + p_alive ((alpha + T) / (alpha + T + t))^(r + x)
SELECT round(p_no_purchase(model, ROW(2, 30.43, 38.86, 22.35)::smarkpi_rfm, 39)::numeric, 10) AS p_none,
	   round((1 - pa + pa * ((4.414 + 38.86) / (4.414 + 38.86 + 39)) ^ (0.243 + 2))::numeric, 10) AS by_hand,
	   round(p_no_purchase(model, ROW(0, 0, 38.86, 0)::smarkpi_rfm, 39)::numeric, 10) AS one_time_buyer,
	   round((((4.414 + 38.86) / (4.414 + 38.86 + 39)) ^ 0.243)::numeric, 10) AS one_time_by_hand,
	   p_no_purchase(model, ROW(2, 30.43, 38.86, 22.35)::smarkpi_rfm, 0) AS zero_horizon
FROM m, (SELECT p_alive(model, ROW(2, 30.43, 38.86, 22.35)::smarkpi_rfm) AS pa FROM m) a;
SELECT smarkpi_err($$SELECT p_no_purchase(model, ROW(0, 0, 38.86, 0)::smarkpi_rfm, -1) FROM m$$);
SELECT smarkpi_err($$SELECT p_no_purchase(model, ROW(0, 0, 38.86, 0)::smarkpi_rfm, 'NaN') FROM m$$);
SELECT p_no_purchase(ROW(NULL, NULL, NULL, NULL, 6.25, 3.74, 15.44, 10, 0, NULL, NULL, false, true)::smarkpi_clv_model,
					 ROW(0, 0, 38.86, 0)::smarkpi_rfm, 39) AS no_fit;

-- clv_backtest against the plain SQL over expected_purchases and expected_spend:
-- the simulated customers with a made-up holdout (k purchases, spend, 180 days)
CREATE TABLE bt AS
SELECT id, ROW(c, id % 4, round((id % 7) * 10.5, id % 3), 180)::smarkpi_rfm_holdout AS h FROM sim;
SELECT b.customers = p.customers AS customers,
	   round(b.predicted_purchases::numeric, 6) = round(p.predicted::numeric, 6) AS predicted,
	   b.actual_purchases = p.actual AS actual,
	   round(b.mae::numeric, 9) = round(p.mae::numeric, 9) AS mae,
	   round(b.rmse::numeric, 9) = round(p.rmse::numeric, 9) AS rmse,
	   round(b.bias::numeric, 9) = round(p.bias::numeric, 9) AS bias,
	   round(b.predicted_spend::numeric, 6) = round(p.spend::numeric, 6) AS predicted_spend,
	   b.actual_spend = p.actual_spend AS actual_spend,
	   b.actual_spend
FROM (SELECT (clv_backtest(model, h)).* FROM bt, fit) b,
	 (SELECT count(*) AS customers, sum(e) AS predicted, sum(k) AS actual, avg(abs(e - k)) AS mae,
			 sqrt(avg((e - k) ^ 2)) AS rmse, avg(e - k) AS bias, sum(e * s) AS spend, sum(spend) AS actual_spend
	  FROM (SELECT expected_purchases(model, (h).calibration, (h).holdout_days) AS e, (h).holdout_purchases AS k,
				   expected_spend(model, (h).calibration) AS s, (h).holdout_spend AS spend FROM bt, fit) x) p;
-- by calibration frequency, for the calibration-vs-holdout chart
SELECT least(((h).calibration).frequency, 3) AS x, (clv_backtest(model, h)).customers
FROM bt, fit GROUP BY 1 ORDER BY 1;
-- the same bits in a forced parallel plan, and in moving frames (exact inverse) as recomputed
ANALYZE bt;
SELECT smarkpi_serial();
SELECT clv_backtest((SELECT model FROM fit), h)::text AS serial_backtest FROM bt \gset
SELECT string_agg(v, ' ' ORDER BY x) AS serial_grouped
FROM (SELECT id % 5 AS x, clv_backtest((SELECT model FROM fit), h)::text AS v FROM bt GROUP BY 1) g \gset
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT clv_backtest((SELECT model FROM fit), h) FROM bt') ~ 'Partial Aggregate' AS partial_plan;
SELECT clv_backtest((SELECT model FROM fit), h)::text = :'serial_backtest' AS parallel_equals_serial FROM bt;
SELECT string_agg(v, ' ' ORDER BY x) = :'serial_grouped' AS parallel_groups_equal_serial
FROM (SELECT id % 5 AS x, clv_backtest((SELECT model FROM fit), h)::text AS v FROM bt GROUP BY 1) g;
SELECT smarkpi_serial();
SELECT count(*) FILTER (WHERE w.v IS DISTINCT FROM (SELECT clv_backtest(model, h)::text FROM bt b2, fit WHERE b2.id BETWEEN w.id - 50 AND w.id)) AS moving_mismatches
FROM (SELECT id, clv_backtest(model, h) OVER (ORDER BY id ROWS 50 PRECEDING)::text AS v FROM bt, fit WHERE id <= 400) w;
-- NULLs and the unpredictable: no customer counts, NULL
SELECT clv_backtest(model, NULL::smarkpi_rfm_holdout) IS NULL AS null_customers,
	   clv_backtest(NULL, h) IS NULL AS null_model,
	   clv_backtest(ROW(NULL, NULL, NULL, NULL, 6.25, 3.74, 15.44, 10, 0, NULL, NULL, false, true)::smarkpi_clv_model, h) IS NULL AS no_fit
FROM bt, fit;
SELECT (clv_backtest(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, 10, 0, NULL, NULL, true, false)::smarkpi_clv_model, h)).predicted_spend
	IS NULL AS spend_without_gamma_gamma
FROM bt;
-- errors: the model is one per group; a customer's own bad values are row errors
SELECT smarkpi_err($$SELECT clv_backtest(CASE WHEN id % 2 = 0 THEN model ELSE (SELECT clv_fit(c) FROM sim WHERE id < 3000) END, h) FROM bt, fit$$);
SELECT smarkpi_err($$SELECT clv_backtest(model, ROW((h).calibration, -1, 0, 180)::smarkpi_rfm_holdout) FROM bt, fit$$);
SELECT smarkpi_err($$SELECT clv_backtest(model, ROW((h).calibration, 1, 0, 'NaN')::smarkpi_rfm_holdout) FROM bt, fit$$);
SELECT smarkpi_err($$SELECT clv_backtest(model, ROW((h).calibration, 1, -5, 180)::smarkpi_rfm_holdout) FROM bt, fit$$);
SELECT smarkpi_err($$SELECT clv_backtest(model, ROW(ROW(1, 50, 40, 0)::smarkpi_rfm, 1, 0, 180)::smarkpi_rfm_holdout) FROM fit$$);
-- the states' outside forms, crafted: a backtest of 2 customers (predicted 2.5 x 2^48,
-- |error| and error^2 1 x 2^48, error -0.5 x 2^48, predicted spend 100 x 2^48, actual 123.45)
-- and one holdout order of 12.50 on 2024-01-05, calibration to Feb 1, holdout to Mar 1
CREATE TABLE crafted AS
SELECT ('\x' || encode('\x0107'::bytea || float8send(0.25) || float8send(30) || float8send(0.8) || float8send(2.5)
		|| float8send(6) || float8send(4) || float8send(15) || int8send(2) || int8send(3) || int8send(0)
		|| int8send(0) || int8send(703687441776640) || int8send(0) || int8send(281474976710656)
		|| int8send(0) || int8send(281474976710656) || int8send(-1) || int8send(-140737488355328)
		|| int8send(0) || int8send(28147497671065600) || int8send(0) || int8send(12345) || int4send(2), 'hex'))::smarkpi_clv_backtest_summary AS b,
	   ('\x' || encode('\x0101'::bytea || int8send(((extract(epoch FROM timestamptz '2024-02-01') - 946684800) * 1000000)::int8)
		|| int8send(((extract(epoch FROM timestamptz '2024-03-01') - 946684800) * 1000000)::int8) || int8send(1)
		|| int4send(date '2024-01-05' - date '2000-01-01') || '\x0001'::bytea || int8send(1250), 'hex'))::smarkpi_rfm_holdout_summary AS h,
	   -- the same with a 40-digit amount on 2024-02-05: dscale byte 255, length, numeric's binary form
	   ('\x' || encode('\x0101'::bytea || int8send(((extract(epoch FROM timestamptz '2024-02-01') - 946684800) * 1000000)::int8)
		|| int8send(((extract(epoch FROM timestamptz '2024-03-01') - 946684800) * 1000000)::int8) || int8send(2)
		|| int4send(date '2024-01-05' - date '2000-01-01') || '\x0001'::bytea || int8send(1250)
		|| int4send(date '2024-02-05' - date '2000-01-01') || '\x01ff'::bytea
		|| int4send(length(numeric_send(1111.1111111111111111111111111111111111)))
		|| numeric_send(1111.1111111111111111111111111111111111), 'hex'))::smarkpi_rfm_holdout_summary AS big;
SELECT (smarkpi_clv_backtest_final(b)).* FROM crafted;
SELECT (smarkpi_rfm_holdout_final(h)).* FROM crafted;
SELECT (smarkpi_rfm_holdout_final(big)).* FROM crafted;
SELECT b::text::smarkpi_clv_backtest_summary::text = b::text AS text_round_trip,
	   smarkpi_copy_binary('smarkpi_clv_backtest_summary', smarkpi_clv_backtest_summary_send(b)) = 'accepted ' || b::text AS binary_round_trip,
	   h::text::smarkpi_rfm_holdout_summary::text = h::text AS holdout_text_round_trip,
	   smarkpi_copy_binary('smarkpi_rfm_holdout_summary', smarkpi_rfm_holdout_summary_send(h)) = 'accepted ' || h::text AS holdout_binary_round_trip,
	   big::text::smarkpi_rfm_holdout_summary::text = big::text AS big_text_round_trip,
	   smarkpi_copy_binary('smarkpi_rfm_holdout_summary', smarkpi_rfm_holdout_summary_send(big)) = 'accepted ' || big::text AS big_binary_round_trip
FROM crafted;
-- corrupt forms: more spend-unknown customers than customers; a calibration order after calibration_end
SELECT smarkpi_copy_binary('smarkpi_clv_backtest_summary', overlay(smarkpi_clv_backtest_summary_send(b) PLACING int8send(5) FROM 75)) FROM crafted;
SELECT smarkpi_copy_binary('smarkpi_rfm_holdout_summary', overlay(smarkpi_rfm_holdout_summary_send(h) PLACING int4send(date '2024-02-20' - date '2000-01-01') FROM 27)) FROM crafted;
-- a big amount whose length runs past the value, or past its numeric (2 bytes left over); a
-- numeric whose digits run past the value; a negative big amount
SELECT smarkpi_copy_binary('smarkpi_rfm_holdout_summary', overlay(smarkpi_rfm_holdout_summary_send(big) PLACING int4send(1000) FROM 47)) FROM crafted;
SELECT smarkpi_copy_binary('smarkpi_rfm_holdout_summary',
	overlay(smarkpi_rfm_holdout_summary_send(big) PLACING int4send(length(numeric_send(1111.1111111111111111111111111111111111)) + 2) FROM 47) || '\x0000'::bytea) FROM crafted;
SELECT smarkpi_copy_binary('smarkpi_rfm_holdout_summary', overlay(smarkpi_rfm_holdout_summary_send(big) PLACING '\x0fff'::bytea FROM 51)) FROM crafted;
SELECT smarkpi_copy_binary('smarkpi_rfm_holdout_summary', overlay(smarkpi_rfm_holdout_summary_send(big)
	PLACING numeric_send(-1111.1111111111111111111111111111111111) FROM 51)) FROM crafted;
DROP TABLE crafted;
DROP TABLE bt;
