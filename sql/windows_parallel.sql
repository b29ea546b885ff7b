-- Every aggregate under GROUP BY (hash and sort), moving windows (checked
-- against a LATERAL recompute of each frame) and forced parallel plans
-- (checked against the serial result).
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET timezone = 'UTC';
SET extra_float_digits = 0;

CREATE TABLE crm (
	id int PRIMARY KEY, grp int, created_at timestamptz, closed_at timestamptz,
	amount numeric, won boolean, new_customers bigint,
	score int, sat int, opened bigint, delivered bigint, cost numeric, probability float8,
	sourced boolean, active_before boolean, active_after boolean);
INSERT INTO crm
SELECT i, i % 7,
	   '2024-01-01'::timestamptz + i * interval '37 minutes',
	   CASE WHEN i % 5 = 0 THEN NULL
			ELSE '2024-01-01'::timestamptz + i * interval '37 minutes' + (i % 97) * interval '3 hours' END,
	   CASE WHEN i % 11 = 0 THEN NULL ELSE round((i % 1000) * 1.37 + 10, i % 3) END,	-- scales 0..2
	   CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 = 0 END,
	   i % 13,
	   CASE WHEN i % 17 = 0 THEN NULL ELSE i % 11 END,
	   1 + i % 5,
	   i % 50, 50 + i % 31,
	   round((i % 400) * 2.5, i % 2),
	   (i % 101) / 100.0,
	   CASE WHEN i % 9 = 0 THEN NULL ELSE i % 4 = 0 END,
	   i % 6 <> 0, CASE WHEN i % 8 = 0 THEN NULL ELSE i % 3 <> 0 END
FROM generate_series(1, 20000) i;
ANALYZE crm;

\set kpis 'conversion_rate(won) AS c1, conversion_rate(created_at, closed_at) AS c2, conversion_rate(created_at, closed_at, interval ''5 days'') AS c3, mql_sal_rate(created_at, closed_at) AS m2, mql_sal_rate(created_at, closed_at, interval ''2 days'') AS m3, win_rate(won) AS w, cac(amount, new_customers) AS cac, cac_ratio(amount, new_customers::numeric) AS ratio, sales_cycle_length(created_at, closed_at) AS cycle, funnel_velocity(created_at, closed_at, amount, won) AS velocity'
\set kpi_row 'row(conversion_rate(won), conversion_rate(created_at, closed_at), conversion_rate(created_at, closed_at, interval ''5 days''), mql_sal_rate(created_at, closed_at), mql_sal_rate(created_at, closed_at, interval ''2 days''), win_rate(won), cac(amount, new_customers), cac_ratio(amount, new_customers::numeric), sales_cycle_length(created_at, closed_at), funnel_velocity(created_at, closed_at, amount, won))::text'
\set kpis2 'nps(score) AS n, csat(sat) AS cs, csat(sat, 6) AS cs6, open_rate(opened, delivered) AS o, click_through_rate(opened, delivered) AS ctr, engagement_rate(opened, delivered) AS er, cpl(cost, new_customers) AS cpl, roi(amount, cost) AS roi, roas(amount, cost) AS roas, quota_attainment(amount, cost) AS qa, avg_deal_size(amount, won) AS ads, pipeline_value(amount, probability) AS pv, marketing_contribution(amount, sourced) AS mc, lead_response_time(created_at, closed_at) AS lrt, retention_rate(active_before, active_after) AS rr, duration_percentile(created_at, closed_at, 0.5) AS median_cycle, duration_percentile(created_at, closed_at, 0.9) AS p90_cycle'
\set kpi_row2 'row(nps(score), csat(sat), csat(sat, 6), open_rate(opened, delivered), click_through_rate(opened, delivered), engagement_rate(opened, delivered), cpl(cost, new_customers), roi(amount, cost), roas(amount, cost), quota_attainment(amount, cost), avg_deal_size(amount, won), pipeline_value(amount, probability), marketing_contribution(amount, sourced), lead_response_time(created_at, closed_at), retention_rate(active_before, active_after), duration_percentile(created_at, closed_at, 0.5), duration_percentile(created_at, closed_at, 0.9))::text'

-- the values themselves (serial)
SELECT smarkpi_serial();
SELECT :kpis FROM crm;
\x on
SELECT :kpis2 FROM crm;
\x off
SELECT :kpi_row AS serial_all, :kpi_row2 AS serial_all2 FROM crm \gset
SELECT string_agg(r, ' | ' ORDER BY grp) AS serial_grouped2
FROM (SELECT grp, :kpi_row2 AS r FROM crm GROUP BY grp) s \gset
SELECT string_agg(r, ' | ' ORDER BY grp) AS serial_grouped
FROM (SELECT grp, :kpi_row AS r FROM crm GROUP BY grp) s \gset
SELECT :kpi_row AS serial_one, :kpi_row2 AS serial_one2 FROM crm WHERE id = 1 \gset

-- GROUP BY under hash and under sort aggregation
SET enable_hashagg = on;
EXPLAIN (COSTS OFF) SELECT grp, :kpis FROM crm GROUP BY grp;
SELECT string_agg(r, ' | ' ORDER BY grp) = :'serial_grouped' AS hash_equals
FROM (SELECT grp, :kpi_row AS r FROM crm GROUP BY grp) s;
SELECT string_agg(r, ' | ' ORDER BY grp) = :'serial_grouped2' AS hash_equals2
FROM (SELECT grp, :kpi_row2 AS r FROM crm GROUP BY grp) s;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT grp, :kpis FROM crm GROUP BY grp;
SELECT string_agg(r, ' | ' ORDER BY grp) = :'serial_grouped' AS sort_equals
FROM (SELECT grp, :kpi_row AS r FROM crm GROUP BY grp) s;
SELECT string_agg(r, ' | ' ORDER BY grp) = :'serial_grouped2' AS sort_equals2
FROM (SELECT grp, :kpi_row2 AS r FROM crm GROUP BY grp) s;
RESET enable_hashagg;

-- forced parallel plans equal the serial results
SELECT smarkpi_force_parallel();
EXPLAIN (COSTS OFF) SELECT :kpis FROM crm;
SELECT :kpi_row = :'serial_all' AS parallel_equals_serial FROM crm;
EXPLAIN (COSTS OFF) SELECT :kpis2 FROM crm;
SELECT :kpi_row2 = :'serial_all2' AS parallel_equals_serial2 FROM crm;
EXPLAIN (COSTS OFF) SELECT grp, :kpis FROM crm GROUP BY grp;
SELECT string_agg(r, ' | ' ORDER BY grp) = :'serial_grouped' AS parallel_grouped_equals_serial
FROM (SELECT grp, :kpi_row AS r FROM crm GROUP BY grp) s;
SELECT string_agg(r, ' | ' ORDER BY grp) = :'serial_grouped2' AS parallel_grouped_equals_serial2
FROM (SELECT grp, :kpi_row2 AS r FROM crm GROUP BY grp) s;
-- workers that see no rows: one matching row, and none
EXPLAIN (COSTS OFF) SELECT :kpis FROM crm WHERE id + 0 = 1;
SELECT :kpi_row = :'serial_one' AS one_row_equals_serial,
	   :kpi_row2 = :'serial_one2' AS one_row_equals_serial2 FROM crm WHERE id + 0 = 1;
SELECT :kpis FROM crm WHERE id + 0 < 0;
SELECT :kpis2 FROM crm WHERE id + 0 < 0;
SELECT smarkpi_serial();

-- moving windows: ROWS 5 PRECEDING, every frame compared with a recompute
CREATE FUNCTION window_mismatches(kpi text, frame int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	EXECUTE format($q$
		SELECT count(*) FROM (
			SELECT id, (%1$s OVER (ORDER BY id ROWS %2$s PRECEDING))::text AS w FROM crm WHERE id <= 4000) a
		CROSS JOIN LATERAL (
			SELECT (%1$s)::text AS r FROM crm b WHERE b.id BETWEEN a.id - %2$s AND a.id) l
		WHERE a.w IS DISTINCT FROM l.r$q$, kpi, frame) INTO n;
	RETURN n;
END $$;
SELECT kpi, window_mismatches(kpi, 5) AS rows_5, window_mismatches(kpi, 40) AS rows_40
FROM unnest(ARRAY[
	'conversion_rate(won)',
	'conversion_rate(created_at, closed_at)',
	'conversion_rate(created_at, closed_at, interval ''5 days'')',
	'mql_sal_rate(created_at, closed_at)',
	'mql_sal_rate(created_at, closed_at, interval ''2 days'')',
	'win_rate(won)',
	'cac(amount, new_customers)',
	'cac_ratio(amount, new_customers::numeric)',
	'sales_cycle_length(created_at, closed_at)',
	'funnel_velocity(created_at, closed_at, amount, won)',
	'nps(score)', 'csat(sat)', 'csat(sat, 6)',
	'open_rate(opened, delivered)', 'click_through_rate(opened, delivered)', 'engagement_rate(opened, delivered)',
	'cpl(cost, new_customers)', 'roi(amount, cost)', 'roas(amount, cost)', 'quota_attainment(amount, cost)',
	'avg_deal_size(amount, won)', 'pipeline_value(amount, probability)', 'marketing_contribution(amount, sourced)',
	'lead_response_time(created_at, closed_at)', 'retention_rate(active_before, active_after)',
	'duration_percentile(created_at, closed_at, 0.5)', 'duration_percentile(created_at, closed_at, 0.25)']) kpi;

-- a running total per partition, and a frame that empties out
SELECT grp, id, win_rate(won) OVER (PARTITION BY grp ORDER BY id) AS running_win_rate,
	   cac(amount, new_customers) OVER (PARTITION BY grp ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS cac2
FROM crm WHERE id <= 24 AND grp IN (0, 3) ORDER BY grp, id;
SELECT id, sales_cycle_length(created_at, closed_at) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM crm WHERE id BETWEEN 4 AND 11 ORDER BY id;

-- duration_percentile as a moving window against the only built-in
-- alternative, a LATERAL percentile_cont over each frame
SELECT count(*) AS percentile_cont_mismatches FROM (
	SELECT id, duration_percentile(created_at, closed_at, 0.75) OVER (ORDER BY id ROWS 30 PRECEDING) AS w
	FROM crm WHERE id <= 3000) a
CROSS JOIN LATERAL (
	SELECT percentile_cont(0.75) WITHIN GROUP (ORDER BY closed_at - created_at) AS r
	FROM crm b WHERE b.id BETWEEN a.id - 30 AND a.id) l
WHERE abs(extract(epoch FROM a.w - l.r)) > 0.000001 OR (a.w IS NULL) <> (l.r IS NULL);

-- growth_rate and magic_number against lag()-based SQL, per partition
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE g1 IS DISTINCT FROM l1) AS growth_mismatches,
	   count(*) FILTER (WHERE g3 IS DISTINCT FROM l3) AS growth3_mismatches,
	   count(*) FILTER (WHERE gf IS DISTINCT FROM lf) AS growth_float_mismatches,
	   count(*) FILTER (WHERE mn IS DISTINCT FROM lm) AS magic_mismatches
FROM (
	SELECT growth_rate(amount) OVER w AS g1,
		   ((amount - lag(amount) OVER w) / nullif(abs(lag(amount) OVER w), 0))::float8 AS l1,
		   growth_rate(amount, 3) OVER w AS g3,
		   ((amount - lag(amount, 3) OVER w) / nullif(abs(lag(amount, 3) OVER w), 0))::float8 AS l3,
		   growth_rate(probability) OVER w AS gf,
		   (probability - lag(probability) OVER w) / nullif(abs(lag(probability) OVER w), 0) AS lf,
		   magic_number(amount, cost) OVER w AS mn,
		   ((amount - lag(amount) OVER w) * 4 / nullif(lag(cost) OVER w, 0))::float8 AS lm
	FROM crm WINDOW w AS (PARTITION BY grp ORDER BY id)) s;

-- growing frames (no inverse used): running percentile and rates over the first 600 rows
SELECT count(*) FILTER (WHERE a.p IS DISTINCT FROM l.p) AS running_percentile_mismatches,
	   count(*) FILTER (WHERE a.c IS DISTINCT FROM l.c) AS running_cac_mismatches
FROM (SELECT id, duration_percentile(created_at, closed_at, 0.3) OVER (ORDER BY id) AS p,
			 cac(amount, new_customers) OVER (ORDER BY id) AS c
	  FROM crm WHERE id <= 600) a
CROSS JOIN LATERAL (SELECT duration_percentile(created_at, closed_at, 0.3) AS p, cac(amount, new_customers) AS c
					FROM crm b WHERE b.id <= a.id) l;
