-- smarkpi.invalid_rows: 'error' (default) raises a row's impossible values
-- with a HINT naming the setting; 'skip' leaves such rows out, as if absent:
-- serially, in parallel plans and in moving windows.  The reference for
-- every KPI is the same KPI over the rows that are valid for it (on which no
-- check can fire, whatever the setting).
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET timezone = 'UTC';
SET extra_float_digits = 0;

-- the setting: default, values, scopes.  It is defined when the library is
-- loaded, by the session's first smarkpi call (or LOAD); a SET before that is
-- kept as a placeholder and checked when the library loads.
SELECT win_rate(true);
SHOW smarkpi.invalid_rows;
SELECT smarkpi_err($$SET smarkpi.invalid_rows = 'ignore'$$);
SET smarkpi.invalid_rows = skip;
SHOW smarkpi.invalid_rows;
RESET smarkpi.invalid_rows;
CREATE ROLE smarkpi_skipper;
ALTER ROLE smarkpi_skipper SET smarkpi.invalid_rows = 'skip';
SELECT setconfig FROM pg_db_role_setting WHERE setrole = 'smarkpi_skipper'::regrole;
DROP ROLE smarkpi_skipper;

-- Dirty CRM rows: every tenth row breaks one rule or another.
CREATE TABLE dirty AS
SELECT i AS id, 'c' || (i % 3) AS grp,
	   CASE WHEN i % 41 = 7 THEN 'infinity' ELSE t END AS a,
	   CASE WHEN i % 10 = 3 THEN t - interval '2 days'			-- closed before created
			WHEN i % 43 = 5 THEN '-infinity'
			WHEN i % 5 = 0 THEN NULL
			ELSE t + (i % 17) * interval '1 day' + (i % 7) * interval '1 hour' END AS b,
	   CASE WHEN i % 10 = 4 THEN 'NaN' WHEN i % 29 = 11 THEN '-Infinity'
			ELSE round((i % 50) * 13.7 - 40, 2) END::numeric AS amount,
	   CASE WHEN i % 10 = 6 THEN -5 WHEN i % 31 = 2 THEN 'Infinity' ELSE i % 9 * 10.5 END::numeric AS spend,
	   CASE WHEN i % 10 = 8 THEN -1 ELSE i % 4 END::bigint AS n,
	   CASE WHEN i % 10 = 9 THEN 11 ELSE i % 11 END AS score,
	   CASE WHEN i % 10 = 1 THEN 6 ELSE 1 + i % 5 END AS csat,
	   CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS won,
	   CASE WHEN i % 10 = 2 THEN 1.5 WHEN i % 37 = 1 THEN 'NaN' ELSE (i % 11) / 10.0 END::float8 AS p,
	   CASE WHEN i % 10 = 5 THEN 'NaN' WHEN i % 47 = 3 THEN '-Infinity' ELSE i * 1.5 END::float8 AS f
FROM (SELECT i, '2024-01-01'::timestamptz + i * interval '7 hours' AS t FROM generate_series(1, 240) i) s;

-- What each check rejects, as plain SQL
CREATE FUNCTION bad_ts(t timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS
	$$ SELECT t IS NOT NULL AND NOT isfinite(t) $$;
CREATE FUNCTION bad_span(x timestamptz, y timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS
	$$ SELECT bad_ts(x) OR (x IS NOT NULL AND (bad_ts(y) OR y < x)) $$;
CREATE FUNCTION bad_money(x numeric, nonneg boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS
	$$ SELECT x IN ('NaN', 'Infinity', '-Infinity') OR (nonneg AND x < 0) $$;
CREATE FUNCTION bad_float(x float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
	$$ SELECT x IN ('NaN', 'Infinity', '-Infinity') $$;

-- every aggregate whose rows can be invalid, with the rows it rejects
-- (attribution_credit, a window function, is checked in sql/attribution.sql)
CREATE TABLE kpis (kpi text, bad text);
INSERT INTO kpis VALUES
	('conversion_rate(a, b)', 'bad_span(a, b)'),
	('conversion_rate(a, b, interval ''3 days'')', 'bad_span(a, b)'),
	('mql_sal_rate(a, b)', 'bad_span(a, b)'),
	('mql_sal_rate(a, b, interval ''3 days'')', 'bad_span(a, b)'),
	('sales_cycle_length(a, b)', 'b IS NOT NULL AND bad_span(a, b)'),
	('lead_response_time(a, b)', 'b IS NOT NULL AND bad_span(a, b)'),
	('duration_percentile(a, b, 0.5)', 'b IS NOT NULL AND bad_span(a, b)'),
	('funnel_velocity(a, b, amount, won)', 'bad_span(a, b) OR (a IS NOT NULL AND bad_money(amount, false))'),
	('cac(spend, n)', 'bad_money(spend, true) OR n < 0'),
	('cpl(spend, n)', 'bad_money(spend, true) OR n < 0'),
	('cac_ratio(amount, spend)', 'bad_money(amount, false) OR bad_money(spend, true)'),
	('roi(amount, spend)', 'bad_money(amount, false) OR bad_money(spend, true)'),
	('roas(amount, spend)', 'bad_money(amount, false) OR bad_money(spend, true)'),
	('quota_attainment(amount, spend)', 'bad_money(amount, false) OR bad_money(spend, true)'),
	('avg_deal_size(amount, won)', 'bad_money(amount, false)'),
	('pipeline_value(amount, p)', 'bad_money(amount, false) OR NOT p BETWEEN 0 AND 1 OR p = ''NaN'''),
	('open_pipeline_value(amount, won)', 'bad_money(amount, false)'),
	('marketing_contribution(amount, won)', 'bad_money(amount, false)'),
	('nps(score)', 'NOT score BETWEEN 0 AND 10'),
	('csat(csat)', 'NOT csat BETWEEN 1 AND 5'),
	('csat(csat, 5)', 'NOT csat BETWEEN 1 AND 5'),
	('open_rate(n, score)', 'n < 0'),
	('click_through_rate(n, score)', 'n < 0'),
	('engagement_rate(n, score)', 'n < 0'),
	('rfm(a, spend, ''2025-01-01'')', 'bad_ts(a) OR bad_money(spend, true)'),
	('clv_fit(ROW(n, id % 30, 30, spend)::smarkpi_rfm)', 'n < 0 OR bad_money(spend, true)'),
	('clv(ROW(n, id % 30, 30, spend)::smarkpi_rfm)', 'n < 0 OR bad_money(spend, true)'),
	('clv(ROW(n, id % 30, 30, spend)::smarkpi_rfm, 6, 0.01)', 'n < 0 OR bad_money(spend, true)'),
	('rfm_holdout(a, spend, ''2024-02-01'', ''2024-03-01'')', 'bad_ts(a) OR bad_money(spend, true)'),
	('cohort_retention(id % 7, a, ''week'', ''2024-03-01'')', 'bad_ts(a)'),
	('clv_backtest(ROW(0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44, 2357, 946, -9582.4, -4000, true, true)::smarkpi_clv_model, ROW(ROW(n, id % 30, 30, 1)::smarkpi_rfm, 2, spend, 30)::smarkpi_rfm_holdout)',
	 'n < 0 OR bad_money(spend, true)'),
	('markov_attribution(ARRAY[grp, CASE WHEN score = 11 THEN NULL ELSE ''email'' END], won)', 'won IS NOT NULL AND score = 11'),
	('markov_attribution(ARRAY[grp, CASE WHEN score = 11 THEN NULL ELSE ''email'' END], won, amount)',
	 'won IS NOT NULL AND (score = 11 OR bad_money(amount, false))'),
	('window_funnel(interval ''3 days'', a, n::int + 1)', 'bad_ts(a) OR n < 0'),
	('window_funnel_times(interval ''3 days'', a, n::int + 1)', 'bad_ts(a) OR n < 0'),
	('funnel_counts(n::int, 3)', 'n < 0'),
	('stage_history(a, (ARRAY[''x'', ''y'', ''z''])[n::int + 1], ARRAY[''x'', ''y''])',
	 'n BETWEEN 0 AND 2 AND (bad_ts(a) OR n = 2)'),
	('pipeline_waterfall(id % 20, b, amount, a::date, CASE WHEN won THEN ''won'' WHEN NOT won THEN ''lost'' ELSE ''open'' END, ''2024-01-01'', ''2024-04-01'', ''(,)'')',
	 'b IS NOT NULL AND (bad_ts(b) OR (b <= ''2024-04-01'' AND bad_money(amount, true)))');
-- the summaries apply the same rules: each k_summary runs k's own transition
-- functions (pgTAP checks that), so one per state type is enough here (the
-- text of the summary is compared), and the sketch
INSERT INTO kpis
SELECT regexp_replace(kpi, '^(\w+)\(', '\1_summary('), bad FROM kpis
WHERE kpi = 'conversion_rate(a, b)' OR kpi ~ '^(cac|sales_cycle_length|funnel_velocity|nps|open_rate|clv_fit)\(';
INSERT INTO kpis VALUES ('duration_sketch(a, b)', 'b IS NOT NULL AND bad_span(a, b)');

-- Runs q with the setting and returns its result as text, or its SQLSTATE
-- and whether the error's HINT names the setting.
CREATE FUNCTION under(setting text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; hint text;
BEGIN
	PERFORM set_config('smarkpi.invalid_rows', setting, true);
	EXECUTE q INTO r;
	RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
	RETURN SQLSTATE || CASE WHEN hint LIKE '%smarkpi.invalid_rows%' THEN ' with the hint' ELSE ' without it' END;
END $$;

-- Per aggregate: how many rows it rejects; 'error' raises (with the hint);
-- 'skip' equals the KPI over the valid rows, grouped and whole, serially,
-- in a forced-parallel plan, and in a moving window of 4 rows (recomputed
-- frame by frame over the valid rows).
CREATE FUNCTION check_kpi(kpi text, bad text, OUT invalid int, OUT under_error text,
						  OUT serial_skip boolean, OUT parallel_skip boolean, OUT window_skip boolean)
LANGUAGE plpgsql AS $$
DECLARE whole text; grouped text; reference_whole text; reference_grouped text;
BEGIN
	EXECUTE format('SELECT count(*) FILTER (WHERE coalesce(%s, false)) FROM dirty', bad) INTO invalid;
	under_error := under('error', format('SELECT %s::text FROM dirty', kpi));
	reference_whole := under('error', format('SELECT %s::text FROM dirty WHERE NOT coalesce(%s, false)', kpi, bad));
	reference_grouped := under('error', format(
		'SELECT string_agg(v, ''|'' ORDER BY grp) FROM (SELECT grp, %s::text AS v FROM dirty WHERE NOT coalesce(%s, false) GROUP BY grp) s',
		kpi, bad));
	PERFORM smarkpi_serial();
	whole := under('skip', format('SELECT %s::text FROM dirty', kpi));
	grouped := under('skip', format('SELECT string_agg(v, ''|'' ORDER BY grp) FROM (SELECT grp, %s::text AS v FROM dirty GROUP BY grp) s', kpi));
	serial_skip := whole = reference_whole AND grouped = reference_grouped;
	PERFORM smarkpi_force_parallel();
	whole := under('skip', format('SELECT %s::text FROM dirty', kpi));
	grouped := under('skip', format('SELECT string_agg(v, ''|'' ORDER BY grp) FROM (SELECT grp, %s::text AS v FROM dirty GROUP BY grp) s', kpi));
	parallel_skip := whole = reference_whole AND grouped = reference_grouped;
	PERFORM smarkpi_serial();
	window_skip := under('skip', format(
		'SELECT bool_and(w IS NOT DISTINCT FROM r)::text
		 FROM (SELECT id, (%1$s OVER (ORDER BY id ROWS 3 PRECEDING))::text AS w FROM dirty) x,
			  LATERAL (SELECT %1$s::text AS r FROM dirty d
					   WHERE d.id BETWEEN x.id - 3 AND x.id AND NOT coalesce(%2$s, false)) y',
		kpi, bad))::boolean;
END $$;

SELECT kpi, (check_kpi(kpi, bad)).* FROM kpis ORDER BY kpi;

-- the plan really was parallel
SELECT smarkpi_force_parallel();
SET smarkpi.invalid_rows = skip;
EXPLAIN (COSTS OFF) SELECT cac(spend, n) FROM dirty;
SELECT smarkpi_serial();

-- hand-worked: four rows, one closed before it was created
CREATE TABLE four (created_at timestamptz, closed_at timestamptz, amount numeric, won boolean);
INSERT INTO four VALUES ('2024-03-01', '2024-03-11', 1000, true), ('2024-03-01', '2024-03-05', 500, false),
	('2024-03-08', '2024-03-06 19:38', 700, true), ('2024-03-02', '2024-03-04', 300, true);
-- valid rows: cycles 10, 4 and 2 days (mean 5 1/3 days); won 2 of 3
SELECT sales_cycle_length(created_at, closed_at), win_rate(won) FILTER (WHERE closed_at >= created_at),
	   funnel_velocity(created_at, closed_at, amount, won) FROM four;
-- velocity by hand: 3 deals x 2/3 won x 650 mean won amount / (16/3 days) = 243.75 per day
SELECT 3 * (2.0 / 3) * 650 / (16.0 / 3) AS velocity_by_hand;
RESET smarkpi.invalid_rows;
-- under 'error' the same row raises, and DETAIL shows both timestamps
SELECT sales_cycle_length(created_at, closed_at) FROM four;
SELECT mql_sal_rate(created_at, closed_at) FROM four;

-- errors about the query itself stay errors under 'skip'
SET smarkpi.invalid_rows = skip;
SELECT mql_sal_rate(a, b, interval '-1 day') FROM dirty;
SELECT duration_percentile(a, b, 1.5) FROM dirty;
SELECT csat(csat, 1) FROM dirty;
SELECT rfm(a, spend, ts) FROM (VALUES ('2024-01-01'::timestamptz, 1::numeric, '2024-02-01'::timestamptz),
									  ('2024-01-02', 2, '2024-03-01')) v(a, spend, ts);
SELECT clv(c, -1, 0.01) FROM (VALUES (ROW(1, 10, 20, 5)::smarkpi_rfm)) v(c);
SELECT cac_payback_months(100, 10, 0);
SELECT growth_rate(f, 0) OVER (ORDER BY id) FROM dirty LIMIT 1;

-- Window functions: a row whose value (or its earlier row's) is invalid gives NULL.
SELECT bool_and(g IS NOT DISTINCT FROM CASE WHEN bad_float(f) OR bad_float(prev) OR prev = 0 THEN NULL
											ELSE (f - prev) / abs(prev) END) AS growth_float_skip,
	   bool_and(m IS NOT DISTINCT FROM CASE WHEN bad_money(amount, false) OR bad_money(prev_amount, false)
												 OR bad_money(prev_spend, true) OR bad_money(spend, true)
												 OR prev_spend = 0 THEN NULL
											ELSE ((amount - prev_amount) * 4 / prev_spend)::float8 END) AS magic_skip,
	   bool_and(gn IS NOT DISTINCT FROM CASE WHEN bad_money(amount, false) OR bad_money(prev_amount, false)
												  OR prev_amount = 0 THEN NULL
											 ELSE ((amount - prev_amount) / abs(prev_amount))::float8 END) AS growth_numeric_skip
FROM (SELECT id, f, amount, spend, growth_rate(f) OVER w AS g, growth_rate(amount) OVER w AS gn,
			 magic_number(amount, spend) OVER w AS m,
			 lag(f) OVER w AS prev, lag(amount) OVER w AS prev_amount, lag(spend) OVER w AS prev_spend
	  FROM dirty WINDOW w AS (ORDER BY id)) s;
RESET smarkpi.invalid_rows;
SELECT under('error', 'SELECT max(g)::text FROM (SELECT growth_rate(f) OVER (ORDER BY id) g FROM dirty) s') AS growth_error,
	   under('error', 'SELECT max(g)::text FROM (SELECT magic_number(amount, spend) OVER (ORDER BY id) g FROM dirty) s') AS magic_error;

-- Plain functions of a row: NULL for an invalid row under 'skip'
SELECT under('skip', $$SELECT cagr(-5, 10, 2)::text$$) AS cagr_negative_start,
	   under('error', $$SELECT cagr(-5, 10, 2)::text$$) AS cagr_error,
	   under('skip', $$SELECT cagr(0, 10, 2)::text$$) AS cagr_zero_start,
	   under('skip', $$SELECT cagr(100, 121, 2)::text$$) AS cagr_valid,
	   under('skip', $$SELECT retention_rate(10, 5, 7)::text$$) AS retention_impossible,
	   under('error', $$SELECT retention_rate(10, 5, 7)::text$$) AS retention_error,
	   under('skip', $$SELECT cac_payback_months('NaN', 10, 0.5)::text$$) AS payback_nan,
	   under('skip', $$SELECT cac_payback_months(120, 10, 0.5)::text$$) AS payback_valid;
CREATE TABLE model AS SELECT ROW(0.24, 4.41, 0.79, 2.43, 6.25, 3.74, 15.44, 0, 0, 0, 0, true, true)::smarkpi_clv_model AS m;
CREATE TABLE customers (label text, c smarkpi_rfm);
INSERT INTO customers VALUES ('valid', ROW(2, 10, 20, 5)), ('recency after t', ROW(2, 30, 20, 5)),
	('NaN spend', ROW(2, 10, 20, 'NaN')), ('negative frequency', ROW(-1, 10, 20, 5)), ('t of 0', ROW(0, 0, 0, 0));
SELECT label,
	   under('error', format('SELECT p_alive(m, %L)::text FROM model', c)) AS p_alive_error,
	   under('skip', format('SELECT p_alive(m, %L) IS NULL FROM model', c)) AS p_alive_null,
	   under('skip', format('SELECT expected_purchases(m, %L, 30) IS NULL FROM model', c)) AS purchases_null,
	   under('skip', format('SELECT expected_spend(m, %L) IS NULL FROM model', c)) AS spend_null,
	   under('skip', format('SELECT clv(m, %L) IS NULL FROM model', c)) AS clv_null,
	   under('skip', format('SELECT clv(m, %L, 6, 0.01) IS NULL FROM model', c)) AS clv_terms_null
FROM customers ORDER BY label;

-- rfm and the CLV aggregates leave invalid rows out under 'skip'
SET smarkpi.invalid_rows = skip;
SELECT rfm(o, amt, '2024-06-01') = (SELECT rfm(o, amt, '2024-06-01') FROM (VALUES
		('2024-01-05'::timestamptz, 10.10::numeric), ('2024-02-05', 20.20), ('2024-03-05', 30.30)) v(o, amt)) AS rfm_skip
FROM (VALUES ('2024-01-05'::timestamptz, 10.10::numeric), ('2024-02-05', 20.20), ('infinity', 5),
			 ('2024-02-20', 'NaN'), ('2024-02-21', -3), ('2024-03-05', 30.30)) v(o, amt);
SELECT clv_fit(c) IS NOT DISTINCT FROM (SELECT clv_fit(c) FROM (VALUES (ROW(1, 5, 20, 3)::smarkpi_rfm)) v(c)) AS clv_fit_skip
FROM (VALUES (ROW(1, 5, 20, 3)::smarkpi_rfm), (ROW(2, 30, 20, 5)::smarkpi_rfm), (ROW(1, 'NaN', 20, 5)::smarkpi_rfm)) v(c);
RESET smarkpi.invalid_rows;

-- rates of summed counts may exceed 1: clicks above impressions, total opens above deliveries
SELECT click_through_rate(120, 100) AS ctr_one_row, open_rate(30, 20) AS open_one_row,
	   click_through_rate(clicks, impressions) AS ctr_130_of_200, open_rate(opened, delivered) AS open_35_of_40
FROM (VALUES (120::bigint, 100::bigint, 30::bigint, 20::bigint), (10, 100, 5, 20)) v(clicks, impressions, opened, delivered);

-- the setting reaches parallel workers
CREATE FUNCTION skip_in_workers() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
	PERFORM smarkpi_force_parallel();
	PERFORM set_config('smarkpi.invalid_rows', 'skip', true);
	SELECT cac(spend, n)::text INTO r FROM dirty;
	PERFORM smarkpi_serial();
	RETURN r;
END $$;
SELECT skip_in_workers() = (SELECT cac(spend, n)::text FROM dirty WHERE NOT (bad_money(spend, true) OR n < 0))
	   AS workers_skip;

-- volatility: functions that read the setting are STABLE
SELECT p.oid::regprocedure AS function, p.provolatile
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'smarkpi')
  AND p.prokind <> 'a' AND p.provolatile = 's' AND p.proname !~ '_(trans|inv)$'
ORDER BY p.oid::regprocedure::text;

DROP TABLE dirty, kpis, four, model, customers;
DROP FUNCTION bad_ts, bad_span, bad_money, bad_float, under, check_kpi, skip_in_workers;
