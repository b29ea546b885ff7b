-- Two-step summaries: k_summary() per day and channel, rollup() to any period,
-- k(summary) to read the KPI.  Every KPI from summaries must equal the KPI
-- over the raw rows digit for digit (compared as text), in every plan.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 3;

-- Seeded CRM rows over 120 days and 4 channels; amounts with 0 to 4 decimals
-- so that the display scale of exact results depends on which rows a period has.
SELECT setseed(0.13);
CREATE TABLE crm AS
SELECT g AS id,
	   date '2024-01-01' + (random() * 119)::int AS day,
	   (ARRAY['ads', 'email', 'events', 'seo'])[1 + (random() * 3)::int] AS channel,
	   random() AS r1, random() AS r2, random() AS r3, (random() * 5)::int AS sc
FROM generate_series(1, 6000) g;
ALTER TABLE crm
	ADD created timestamptz, ADD closed timestamptz, ADD won boolean, ADD amount numeric,
	ADD probability double precision, ADD spend numeric, ADD cnt bigint, ADD revenue numeric,
	ADD score int, ADD stars int, ADD opened bigint, ADD delivered bigint,
	ADD active_before boolean, ADD active_after boolean, ADD mkt boolean;
UPDATE crm SET
	created = day + r1 * interval '20 hours',
	closed = CASE WHEN r2 < 0.8 THEN day + r1 * interval '20 hours' + (r2 * 90) * interval '1 day' END,
	won = CASE WHEN r2 < 0.8 THEN r3 < 0.35 END,
	amount = CASE WHEN id % 17 <> 0 THEN round((r3 * 50000)::numeric, sc % 5) END,
	probability = CASE WHEN id % 13 <> 0 THEN round(r2::numeric, 2)::float8 END,
	spend = round((r1 * 900)::numeric, sc % 4),
	cnt = (r2 * 6)::int,
	revenue = round((r3 * 3000 - 300)::numeric, 2 + sc % 3),
	score = CASE WHEN id % 9 <> 0 THEN (r1 * 10)::int END,
	stars = 1 + (r2 * 4)::int,
	opened = (r1 * 40)::int, delivered = 40 + (r3 * 60)::int,
	active_before = r1 < 0.9, active_after = CASE WHEN r2 < 0.95 THEN r3 < 0.8 END,
	mkt = CASE WHEN id % 7 <> 0 THEN r1 < 0.6 END;
ANALYZE crm;

-- The KPIs checked: the aggregate over rows, and its summary aggregate.
CREATE TABLE kpis (name text, accessor text, raw text, summary text);
INSERT INTO kpis VALUES
	('conversion_rate(bool)', 'conversion_rate', 'conversion_rate(won)', 'conversion_rate_summary(won)'),
	('conversion_rate(ts,ts)', 'conversion_rate', 'conversion_rate(created, closed)', 'conversion_rate_summary(created, closed)'),
	('conversion_rate(ts,ts,within)', 'conversion_rate', 'conversion_rate(created, closed, interval ''30 days'')', 'conversion_rate_summary(created, closed, interval ''30 days'')'),
	('mql_sal_rate', 'mql_sal_rate', 'mql_sal_rate(created, closed)', 'mql_sal_rate_summary(created, closed)'),
	('mql_sal_rate(within)', 'mql_sal_rate', 'mql_sal_rate(created, closed, interval ''10 days'')', 'mql_sal_rate_summary(created, closed, interval ''10 days'')'),
	('win_rate', 'win_rate', 'win_rate(won)', 'win_rate_summary(won)'),
	('cac', 'cac', 'cac(spend, cnt)', 'cac_summary(spend, cnt)'),
	('cac_ratio', 'cac_ratio', 'cac_ratio(amount, spend)', 'cac_ratio_summary(amount, spend)'),
	('cpl', 'cpl', 'cpl(spend, cnt)', 'cpl_summary(spend, cnt)'),
	('roi', 'roi', 'roi(revenue, spend)', 'roi_summary(revenue, spend)'),
	('roas', 'roas', 'roas(revenue, spend)', 'roas_summary(revenue, spend)'),
	('avg_deal_size', 'avg_deal_size', 'avg_deal_size(amount, won)', 'avg_deal_size_summary(amount, won)'),
	('pipeline_value', 'pipeline_value', 'pipeline_value(amount, probability)', 'pipeline_value_summary(amount, probability)'),
	('open_pipeline_value', 'open_pipeline_value', 'open_pipeline_value(amount, won)', 'open_pipeline_value_summary(amount, won)'),
	('quota_attainment', 'quota_attainment', 'quota_attainment(amount, spend)', 'quota_attainment_summary(amount, spend)'),
	('marketing_contribution', 'marketing_contribution', 'marketing_contribution(revenue, mkt)', 'marketing_contribution_summary(revenue, mkt)'),
	('sales_cycle_length', 'sales_cycle_length', 'sales_cycle_length(created, closed)', 'sales_cycle_length_summary(created, closed)'),
	('lead_response_time', 'lead_response_time', 'lead_response_time(created, closed)', 'lead_response_time_summary(created, closed)'),
	('funnel_velocity', 'funnel_velocity', 'funnel_velocity(created, closed, amount, won)', 'funnel_velocity_summary(created, closed, amount, won)'),
	('nps', 'nps', 'nps(score)', 'nps_summary(score)'),
	('csat', 'csat', 'csat(stars)', 'csat_summary(stars)'),
	('csat(scale)', 'csat', 'csat(stars, 7)', 'csat_summary(stars, 7)'),
	('open_rate', 'open_rate', 'open_rate(opened, delivered)', 'open_rate_summary(opened, delivered)'),
	('click_through_rate', 'click_through_rate', 'click_through_rate(opened, delivered)', 'click_through_rate_summary(opened, delivered)'),
	('engagement_rate', 'engagement_rate', 'engagement_rate(opened, delivered)', 'engagement_rate_summary(opened, delivered)'),
	('retention_rate', 'retention_rate', 'retention_rate(active_before, active_after)', 'retention_rate_summary(active_before, active_after)');

-- Every KPI aggregate over a SQL state type has a summary listed above,
-- except those whose summary is another kind of object: clv and clv_fit
-- (clv_summary, rolled up in clv.sql), duration_percentile (duration_sketch,
-- in durations.sql), rfm and rfm_holdout (one customer's row, not a period's
-- KPI), clv_backtest (one model's test on one holdout), and the
-- ordered funnels window_funnel, window_funnel_times and funnel_counts (one
-- journey each; funnel_counts over window_funnel is their roll-up).
SELECT p.proname FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE a.aggtranstype <> 'internal'::regtype AND p.prorettype <> a.aggtranstype
  AND p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'smarkpi')
  AND NOT EXISTS (SELECT FROM kpis WHERE kpis.raw LIKE p.proname || '(%')
  AND p.proname NOT IN ('clv', 'clv_fit', 'duration_percentile', 'rfm', 'rfm_holdout', 'clv_backtest',
						'window_funnel', 'window_funnel_times', 'funnel_counts')
ORDER BY 1;

-- For one KPI: groups compared and mismatches between the KPI over each
-- (period, channel)'s raw rows and the accessor of rollup() of its daily
-- summaries.  period is 'month', 'week' or 'year' (date_trunc).
CREATE FUNCTION rolled_vs_raw(k kpis, period text, OUT groups bigint, OUT mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format($q$
		WITH raw AS (SELECT date_trunc(%1$L, day) AS p, channel, (%2$s)::text AS v FROM crm GROUP BY 1, 2),
			 daily AS (SELECT day, channel, %3$s AS s FROM crm GROUP BY 1, 2),
			 rolled AS (SELECT date_trunc(%1$L, day) AS p, channel, %4$I(rollup(s))::text AS v
						FROM daily GROUP BY 1, 2)
		SELECT count(*), count(*) FILTER (WHERE r.v IS DISTINCT FROM o.v)
		FROM raw r FULL JOIN rolled o USING (p, channel)$q$, period, k.raw, k.summary, k.accessor)
		INTO groups, mismatches;
END $$;

-- Serial, hash and sort plans, forced parallel.
SELECT smarkpi_serial();
SELECT name, (rolled_vs_raw(k, 'month')).* FROM kpis k ORDER BY name;
SET enable_hashagg = off;
SELECT count(*) AS kpis, sum((rolled_vs_raw(k, 'week')).mismatches) AS mismatches_sorted FROM kpis k;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) AS kpis, sum((rolled_vs_raw(k, 'week')).mismatches) AS mismatches_hashed FROM kpis k;
RESET enable_sort;
SELECT smarkpi_force_parallel();
SELECT count(*) AS kpis, sum((rolled_vs_raw(k, 'month')).mismatches) AS mismatches_parallel,
	   sum((rolled_vs_raw(k, 'year')).mismatches) AS mismatches_parallel_year FROM kpis k;
SELECT smarkpi_serial();

-- The plans claimed above really ran: GroupAggregate over a sort, a hash
-- aggregate, and partial aggregates in workers.
SET enable_hashagg = off;
SELECT smarkpi_plan('SELECT day, channel, win_rate_summary(won) FROM crm GROUP BY 1, 2') ~ 'GroupAggregate' AS sorted_plan;
RESET enable_hashagg;
SET enable_sort = off;
SELECT smarkpi_plan('SELECT day, channel, win_rate_summary(won) FROM crm GROUP BY 1, 2') ~ 'HashAggregate' AS hashed_plan;
RESET enable_sort;
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT channel, cac_summary(spend, cnt) FROM crm GROUP BY 1') ~ 'Partial \w*Aggregate' AS partial_plan;
SELECT smarkpi_serial();

-- Rollup order and grouping tree do not matter: days -> weeks -> quarter
-- equals days -> quarter, and any input order gives the same bytes.
CREATE TABLE daily AS
SELECT day, channel, win_rate_summary(won) AS win, cac_summary(spend, cnt) AS cac,
	   pipeline_value_summary(amount, probability) AS pipe, sales_cycle_length_summary(created, closed) AS cycle,
	   funnel_velocity_summary(created, closed, amount, won) AS velocity, nps_summary(score) AS nps,
	   open_rate_summary(opened, delivered) AS opens
FROM crm GROUP BY 1, 2;
SELECT count(*) AS quarters_channels,
	   count(*) FILTER (WHERE w.t IS DISTINCT FROM d.t) AS tree_mismatches
FROM (SELECT q, channel, (rollup(win), rollup(cac), rollup(pipe), rollup(cycle), rollup(velocity), rollup(nps), rollup(opens))::text AS t
	  FROM (SELECT date_trunc('quarter', day) AS q, date_trunc('week', day) AS wk, channel,
				   rollup(win) AS win, rollup(cac) AS cac, rollup(pipe) AS pipe, rollup(cycle) AS cycle,
				   rollup(velocity) AS velocity, rollup(nps) AS nps, rollup(opens) AS opens
			FROM daily GROUP BY 1, 2, 3) weeks
	  GROUP BY 1, 2) w
JOIN (SELECT date_trunc('quarter', day) AS q, channel,
			 (rollup(win ORDER BY md5(day::text)), rollup(cac ORDER BY md5(day::text || 'x')),
			  rollup(pipe ORDER BY day DESC), rollup(cycle ORDER BY md5(channel || day)),
			  rollup(velocity ORDER BY day DESC), rollup(nps ORDER BY md5(day::text)),
			  rollup(opens ORDER BY day DESC))::text AS t
	  FROM daily GROUP BY 1, 2) d USING (q, channel);

-- Moving windows over the daily rows (exact inverse, or a recomputed frame
-- where a money scale drops) equal the KPIs over the raw rows of the 7 days.
SELECT count(*) AS windows,
	   count(*) FILTER (WHERE w.t IS DISTINCT FROM r.t) AS window_mismatches
FROM (SELECT day, channel,
			 (win_rate(rollup(win) OVER w), cac(rollup(cac) OVER w), pipeline_value(rollup(pipe) OVER w),
			  sales_cycle_length(rollup(cycle) OVER w), funnel_velocity(rollup(velocity) OVER w),
			  nps(rollup(nps) OVER w), open_rate(rollup(opens) OVER w))::text AS t
	  FROM daily
	  WINDOW w AS (PARTITION BY channel ORDER BY day RANGE BETWEEN interval '6 days' PRECEDING AND CURRENT ROW)) w
JOIN LATERAL (SELECT (win_rate(won), cac(spend, cnt), pipeline_value(amount, probability),
					  sales_cycle_length(created, closed), funnel_velocity(created, closed, amount, won),
					  nps(score), open_rate(opened, delivered))::text AS t
			  FROM crm WHERE crm.channel = w.channel AND crm.day BETWEEN w.day - 6 AND w.day) r ON true;

-- The same for every KPI: rollup() as a moving window over 7 days of daily
-- summaries against the KPI over those days' raw rows.
CREATE INDEX ON crm (channel, day);
CREATE FUNCTION windowed_vs_raw(k kpis, OUT windows bigint, OUT mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format($q$
		WITH daily AS (SELECT day, channel, %1$s AS s FROM crm GROUP BY 1, 2),
			 moving AS (SELECT day, channel,
							   %2$I(rollup(s) OVER (PARTITION BY channel ORDER BY day
													RANGE BETWEEN interval '6 days' PRECEDING AND CURRENT ROW))::text AS v
						FROM daily)
		SELECT count(*), count(*) FILTER (WHERE m.v IS DISTINCT FROM r.v)
		FROM moving m, LATERAL (SELECT (%3$s)::text AS v FROM crm
								WHERE crm.channel = m.channel AND crm.day BETWEEN m.day - 6 AND m.day) r$q$,
		k.summary, k.accessor, k.raw)
		INTO windows, mismatches;
END $$;
SELECT count(*) AS kpis, min(windows) AS windows_per_kpi, sum(mismatches) AS moving_window_mismatches
FROM kpis k, LATERAL windowed_vs_raw(k);

-- A table partitioned by month, with empty partitions, aggregated
-- partitionwise: partial aggregates per partition, then combined.
CREATE TABLE crm_part (LIKE crm) PARTITION BY RANGE (day);
CREATE TABLE crm_2023_12 PARTITION OF crm_part FOR VALUES FROM ('2023-12-01') TO ('2024-01-01');
CREATE TABLE crm_2024_01 PARTITION OF crm_part FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE crm_2024_02 PARTITION OF crm_part FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE crm_2024_03 PARTITION OF crm_part FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');
CREATE TABLE crm_2024_04 PARTITION OF crm_part FOR VALUES FROM ('2024-04-01') TO ('2024-05-01');
CREATE TABLE crm_2024_05 PARTITION OF crm_part FOR VALUES FROM ('2024-05-01') TO ('2024-06-01');
INSERT INTO crm_part SELECT * FROM crm;
ANALYZE crm_part;
SET enable_partitionwise_aggregate = on;
SELECT count(*) AS partial_aggregates_one_per_partition
FROM regexp_matches(smarkpi_plan('SELECT channel, win_rate_summary(won) FROM crm_part GROUP BY channel'),
					'Partial \w*Aggregate\n[^\n]*\n\s*->  Seq Scan on crm_20', 'g');
SELECT p.channel, win_rate(p.s) = r.w AS win_rate_equal, cac(p.c)::text = r.c::text AS cac_equal,
	   sales_cycle_length(p.d) = r.d AS cycle_equal
FROM (SELECT channel, win_rate_summary(won) AS s, cac_summary(spend, cnt) AS c,
			 sales_cycle_length_summary(created, closed) AS d FROM crm_part GROUP BY channel) p
JOIN (SELECT channel, win_rate(won) AS w, cac(spend, cnt) AS c, sales_cycle_length(created, closed) AS d
	  FROM crm GROUP BY channel) r USING (channel)
ORDER BY 1;
-- partitionwise in parallel workers too, and a FILTER clause under parallel aggregation
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT channel, cac_summary(spend, cnt) FILTER (WHERE won) FROM crm_part GROUP BY channel')
	~ 'Gather' AS parallel_partitionwise;
SELECT count(*) AS channels,
	   count(*) FILTER (WHERE p.t IS DISTINCT FROM r.t) AS filter_mismatches
FROM (SELECT channel, (cac(cac_summary(spend, cnt) FILTER (WHERE won)),
					   win_rate(win_rate_summary(won) FILTER (WHERE amount > 1000)))::text AS t
	  FROM crm_part GROUP BY channel) p
JOIN (SELECT channel, (cac(spend, cnt) FILTER (WHERE won), win_rate(won) FILTER (WHERE amount > 1000))::text AS t
	  FROM crm GROUP BY channel) r USING (channel);
-- empty parallel workers: three matching rows (the planner expects a third of the table) for four workers, leader not participating
SELECT smarkpi_plan('SELECT win_rate_summary(won) FROM crm WHERE id + 0 <= 3') ~ 'Partial Aggregate' AS tiny_partial_plan;
SELECT win_rate_summary(won), cac_summary(spend, cnt)::text, sales_cycle_length_summary(created, closed)
FROM crm WHERE id + 0 <= 3;
SELECT smarkpi_serial();
SELECT win_rate_summary(won), cac_summary(spend, cnt)::text, sales_cycle_length_summary(created, closed)
FROM crm WHERE id + 0 <= 3;
RESET enable_partitionwise_aggregate;

-- NULLs and empty input: rollup of no rows or only NULLs is NULL, accessors of
-- NULL are NULL, a summary of no rows is an empty summary.
SELECT rollup(s) FROM (SELECT NULL::smarkpi_rate_summary AS s FROM generate_series(1, 3)) x;
SELECT rollup(s) FROM daily d, LATERAL (SELECT d.cac AS s) x WHERE false;
SELECT win_rate(NULL::smarkpi_rate_summary), cac(NULL::smarkpi_money_summary), nps(NULL::smarkpi_score_summary),
	   sales_cycle_length(NULL::smarkpi_duration_summary), funnel_velocity(NULL::smarkpi_velocity_summary);
SELECT win_rate_summary(won), cac_summary(spend, cnt), win_rate(win_rate_summary(won)), cac(cac_summary(spend, cnt))
FROM crm WHERE false;
SELECT rollup(s) AS skipping_nulls FROM (VALUES ('win_rate(1,2)'::smarkpi_rate_summary), (NULL), ('win_rate(3,4)')) v(s);

-- A summary is read only by its own KPI, and KPIs are not mixed in a rollup.
SELECT smarkpi_err('SELECT conversion_rate(win_rate_summary(won)) FROM crm');
SELECT smarkpi_err('SELECT roi(cac_summary(spend, cnt)) FROM crm');
SELECT smarkpi_err($$SELECT win_rate('(3,5)'::smarkpi_rate_summary)$$);
SELECT smarkpi_err($$SELECT rollup(s) FROM (VALUES ('win_rate(1,2)'::smarkpi_rate_summary), ('csat(1,2)')) v(s)$$);
SELECT smarkpi_err($$SELECT rollup(s) FROM (VALUES ('cac(1,1,1,5,1)'::smarkpi_money_summary), ('cpl(1,1,1,5,1)')) v(s)$$);
SELECT smarkpi_err($$SELECT rollup(s) FROM (VALUES ('sales_cycle_length(5,1)'::smarkpi_duration_summary), ('lead_response_time(5,1)')) v(s)$$);
SELECT smarkpi_err($$SELECT rollup(s) FROM (VALUES ('open_rate(1,5)'::smarkpi_count_ratio_summary), ('engagement_rate(1,5)')) v(s)$$);
SELECT smarkpi_err($$SELECT conversion_rate(rollup(s)) FROM (VALUES ('conversion_rate(1,2)'::smarkpi_rate_summary), ('conversion_rate_within(1,2)')) v(s)$$);
SELECT conversion_rate(s) FROM (SELECT win_rate_summary(true) AS s) x;
-- the within variants read with the KPI's own accessor
SELECT conversion_rate('conversion_rate_within(1,4)'::smarkpi_rate_summary), mql_sal_rate('mql_sal_rate_within(3,4)'::smarkpi_rate_summary);

-- Text and binary forms carry the tag, round-trip, and are validated.
SELECT s::text, s::text::smarkpi_money_summary::text = s::text AS text_round_trip,
	   smarkpi_copy_binary('smarkpi_money_summary', smarkpi_money_summary_send(s)) AS binary_round_trip
FROM (SELECT cac_summary(spend, cnt) AS s FROM crm WHERE channel = 'seo' AND day < '2024-01-05') x;
SELECT smarkpi_copy_binary('smarkpi_rate_summary', smarkpi_rate_summary_send('win_rate(3,5)'));
SELECT smarkpi_copy_binary('smarkpi_duration_summary', smarkpi_duration_summary_send('lead_response_time(5,1)'));
SELECT smarkpi_copy_binary('smarkpi_count_ratio_summary', smarkpi_count_ratio_summary_send('click_through_rate(7,5)'));
SELECT smarkpi_copy_binary('smarkpi_rate_summary', '\x01'::bytea || int4send(99) || int8send(1) || int8send(2));
SELECT smarkpi_copy_binary('smarkpi_rate_summary', '\x01'::bytea || int4send(8) || int8send(1) || int8send(2));
SELECT smarkpi_copy_binary('smarkpi_money_summary', '\x01'::bytea || int4send(-1) || substr(smarkpi_money_summary_send('(1,1,1,5,1)'), 6));
SELECT smarkpi_copy_binary('smarkpi_duration_summary', '\x01'::bytea || int4send(5) || substr(smarkpi_duration_summary_send('(5,1)'), 6));
SELECT smarkpi_err($$SELECT 'cac(3,5)'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT 'Win_Rate(3,5)'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT 'win_rate (3,5)'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT 'win_rate'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT 'nps(1,1,2)'::smarkpi_score_summary$$);
SELECT ' win_rate(3,5) '::smarkpi_rate_summary AS surrounding_spaces;

-- smarkpi.invalid_rows applies to summaries as to the KPIs.
SET smarkpi.invalid_rows = 'skip';
SELECT win_rate_summary(won) FILTER (WHERE true), sales_cycle_length(sales_cycle_length_summary(c, o))
FROM (VALUES (true, timestamptz '2024-01-02', timestamptz '2024-01-01'),
			 (false, '2024-01-01', '2024-01-03')) v(won, c, o);
RESET smarkpi.invalid_rows;
SELECT smarkpi_err($$SELECT sales_cycle_length_summary(timestamptz '2024-01-02', timestamptz '2024-01-01')$$);

-- leave nothing behind for the tests that follow in the same database
SET client_min_messages = warning;
DROP TABLE crm, crm_part, daily, kpis CASCADE;
RESET client_min_messages;
