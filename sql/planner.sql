-- Planner and executor paths give identical results: HashAggregate spilling
-- to disk with a million groups, sort aggregation, and partitionwise
-- aggregation over a partitioned table (serial and parallel).
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET timezone = 'UTC';
SET extra_float_digits = 0;
-- exact statistics, so plans do not depend on ANALYZE's random sample
SET default_statistics_target = 10000;

CREATE TABLE big AS
SELECT i AS id, i % 1000000 AS grp,
	   '2024-01-01'::timestamptz + (i % 5000) * interval '1 minute' AS a,
	   '2024-01-01'::timestamptz + (i % 5000) * interval '1 minute' + (i % 71) * interval '1 hour' AS b,
	   round((i % 997) * 1.1, i % 3) AS amount, i % 3 = 0 AS won, (i % 5)::bigint AS n
FROM generate_series(1, 1200000) i;
ANALYZE big;

\set kpis 'win_rate(won), cac(amount, n), sales_cycle_length(a, b), funnel_velocity(a, b, amount, won), duration_percentile(a, b, 0.5)'

-- HashAggregate batches of a query (1 = in memory, > 1 = spilled to disk)
CREATE FUNCTION smarkpi_hash_batches(q text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO plan;
	RETURN (SELECT max((n->>'HashAgg Batches')::int)
			FROM jsonb_path_query(plan::jsonb, 'strict $.**') n
			WHERE jsonb_typeof(n) = 'object' AND n ? 'HashAgg Batches');
END $$;

SELECT smarkpi_serial();
SET work_mem = '1GB';
-- (how many batches a hash table needs differs between majors: only the
-- results are compared, and the plans are checked to be the ones meant)
SELECT smarkpi_hash_batches('SELECT grp, ' || :'kpis' || ' FROM big GROUP BY grp') >= 1 AS hash_aggregated;
SELECT md5(string_agg(r, '|' ORDER BY grp)) AS reference
FROM (SELECT grp, row(:kpis)::text AS r FROM big GROUP BY grp) s \gset

SET work_mem = '64kB';
SET enable_sort = off;
SELECT smarkpi_hash_batches('SELECT grp, ' || :'kpis' || ' FROM big GROUP BY grp') > 1 AS spilled_to_disk;
SELECT md5(string_agg(r, '|' ORDER BY grp)) = :'reference' AS spilled_equals
FROM (SELECT grp, row(:kpis)::text AS r FROM big GROUP BY grp) s;
RESET enable_sort;

SET enable_hashagg = off;
SET work_mem = '64MB';
EXPLAIN (COSTS OFF) SELECT grp, :kpis FROM big GROUP BY grp;
SELECT md5(string_agg(r, '|' ORDER BY grp)) = :'reference' AS sorted_equals
FROM (SELECT grp, row(:kpis)::text AS r FROM big GROUP BY grp) s;
RESET enable_hashagg;
RESET work_mem;

-- partitionwise aggregation over a partitioned table
CREATE TABLE parted (LIKE big) PARTITION BY RANGE (grp);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (250000);
CREATE TABLE parted_2 PARTITION OF parted FOR VALUES FROM (250000) TO (500000);
CREATE TABLE parted_3 PARTITION OF parted FOR VALUES FROM (500000) TO (750000);
CREATE TABLE parted_4 PARTITION OF parted FOR VALUES FROM (750000) TO (1000000);
INSERT INTO parted SELECT * FROM big WHERE id <= 300000;
ANALYZE parted;
SELECT row(:kpis)::text AS whole FROM parted \gset
SELECT string_agg(r, '|' ORDER BY g) AS grouped
FROM (SELECT grp / 1000 AS g, row(:kpis)::text AS r FROM parted GROUP BY grp / 1000) s \gset
SET enable_partitionwise_aggregate = on;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT grp, :kpis FROM parted GROUP BY grp;
RESET enable_sort;
SELECT string_agg(r, '|' ORDER BY g) = :'grouped' AS partitionwise_equals
FROM (SELECT grp / 1000 AS g, row(:kpis)::text AS r FROM parted GROUP BY grp / 1000) s;
SELECT row(:kpis)::text = :'whole' AS partial_partitionwise_equals FROM parted;
SELECT smarkpi_force_parallel();
EXPLAIN (COSTS OFF) SELECT :kpis FROM parted;
SELECT row(:kpis)::text = :'whole' AS parallel_partitionwise_equals FROM parted;
SELECT smarkpi_serial();
RESET enable_partitionwise_aggregate;
DROP TABLE big, parted;
