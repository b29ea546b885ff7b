-- Every aggregate under GROUP BY (hash and sort), moving windows (checked
-- against a LATERAL recompute of each frame) and forced parallel plans
-- (checked against the serial result).
SET timezone = 'UTC';
SET extra_float_digits = 0;

CREATE TABLE crm (
	id int PRIMARY KEY, grp int, created_at timestamptz, closed_at timestamptz,
	amount numeric, won boolean, new_customers bigint);
INSERT INTO crm
SELECT i, i % 7,
	   '2024-01-01'::timestamptz + i * interval '37 minutes',
	   CASE WHEN i % 5 = 0 THEN NULL
			ELSE '2024-01-01'::timestamptz + i * interval '37 minutes' + (i % 97) * interval '3 hours' END,
	   CASE WHEN i % 11 = 0 THEN NULL ELSE round((i % 1000) * 1.37 + 10, i % 3) END,	-- scales 0..2
	   CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 = 0 END,
	   i % 13
FROM generate_series(1, 20000) i;
ANALYZE crm;

\set kpis 'conversion_rate(won) AS c1, conversion_rate(created_at, closed_at) AS c2, conversion_rate(created_at, closed_at, interval ''5 days'') AS c3, mql_sal_rate(created_at, closed_at) AS m2, mql_sal_rate(created_at, closed_at, interval ''2 days'') AS m3, win_rate(won) AS w, cac(amount, new_customers) AS cac, cac_ratio(amount, new_customers::numeric) AS ratio, sales_cycle_length(created_at, closed_at) AS cycle, funnel_velocity(created_at, closed_at, amount, won) AS velocity'
\set kpi_row 'row(conversion_rate(won), conversion_rate(created_at, closed_at), conversion_rate(created_at, closed_at, interval ''5 days''), mql_sal_rate(created_at, closed_at), mql_sal_rate(created_at, closed_at, interval ''2 days''), win_rate(won), cac(amount, new_customers), cac_ratio(amount, new_customers::numeric), sales_cycle_length(created_at, closed_at), funnel_velocity(created_at, closed_at, amount, won))::text'

-- the values themselves (serial)
SELECT smarkpi_serial();
SELECT :kpis FROM crm;
SELECT :kpi_row AS serial_all FROM crm \gset
SELECT string_agg(r, ' | ' ORDER BY grp) AS serial_grouped
FROM (SELECT grp, :kpi_row AS r FROM crm GROUP BY grp) s \gset
SELECT :kpi_row AS serial_one FROM crm WHERE id = 1 \gset

-- GROUP BY under hash and under sort aggregation
SET enable_hashagg = on;
EXPLAIN (COSTS OFF) SELECT grp, :kpis FROM crm GROUP BY grp;
SELECT string_agg(r, ' | ' ORDER BY grp) = :'serial_grouped' AS hash_equals
FROM (SELECT grp, :kpi_row AS r FROM crm GROUP BY grp) s;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT grp, :kpis FROM crm GROUP BY grp;
SELECT string_agg(r, ' | ' ORDER BY grp) = :'serial_grouped' AS sort_equals
FROM (SELECT grp, :kpi_row AS r FROM crm GROUP BY grp) s;
RESET enable_hashagg;

-- forced parallel plans equal the serial results
SELECT smarkpi_force_parallel();
EXPLAIN (COSTS OFF) SELECT :kpis FROM crm;
SELECT :kpi_row = :'serial_all' AS parallel_equals_serial FROM crm;
EXPLAIN (COSTS OFF) SELECT grp, :kpis FROM crm GROUP BY grp;
SELECT string_agg(r, ' | ' ORDER BY grp) = :'serial_grouped' AS parallel_grouped_equals_serial
FROM (SELECT grp, :kpi_row AS r FROM crm GROUP BY grp) s;
-- workers that see no rows: one matching row, and none
EXPLAIN (COSTS OFF) SELECT :kpis FROM crm WHERE id + 0 = 1;
SELECT :kpi_row = :'serial_one' AS one_row_equals_serial FROM crm WHERE id + 0 = 1;
SELECT :kpis FROM crm WHERE id + 0 < 0;
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
	'funnel_velocity(created_at, closed_at, amount, won)']) kpi;

-- a running total per partition, and a frame that empties out
SELECT grp, id, win_rate(won) OVER (PARTITION BY grp ORDER BY id) AS running_win_rate,
	   cac(amount, new_customers) OVER (PARTITION BY grp ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS cac2
FROM crm WHERE id <= 24 AND grp IN (0, 3) ORDER BY grp, id;
SELECT id, sales_cycle_length(created_at, closed_at) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM crm WHERE id BETWEEN 4 AND 11 ORDER BY id;
