-- Generated CRM rows for the benchmark: one wide table with every column the
-- KPIs read.  Deterministic (arithmetic on the row number).  psql variable :rows.
SET timezone = 'UTC';
DROP TABLE IF EXISTS crm;
CREATE TABLE crm AS
SELECT i AS id,
	   i % 1000000 AS grp,
	   created_at,
	   CASE WHEN i % 4 = 0 THEN NULL ELSE created_at + (i % 977) * interval '1 hour' END AS closed_at,
	   CASE WHEN i % 5 = 0 THEN NULL ELSE created_at + (i % 311) * interval '1 minute' END AS responded_at,
	   round((i % 10007) * 1.37, 2) AS amount,
	   CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS won,
	   (i % 7)::bigint AS n,
	   round((i % 5003) * 0.91, 2) AS cost,
	   ((i % 101) / 100.0)::float8 AS probability,
	   CASE WHEN i % 9 = 0 THEN NULL ELSE i % 4 = 0 END AS sourced,
	   (i % 11) AS score,
	   1 + (i % 5) AS sat,
	   (i % 40)::bigint AS opened,
	   (40 + i % 60)::bigint AS delivered,
	   i % 6 <> 0 AS active_before,
	   CASE WHEN i % 8 = 0 THEN NULL ELSE i % 3 <> 0 END AS active_after
FROM (SELECT i, '2023-01-01'::timestamptz + (i % 700000) * interval '1 minute' AS created_at
	  FROM generate_series(1, :rows) i) s;
VACUUM ANALYZE crm;
CREATE TABLE crm_small AS SELECT * FROM crm WHERE id <= greatest(:rows / 10, 1000);
VACUUM ANALYZE crm_small;
CREATE TABLE monthly AS
SELECT i AS month, (1000 + i * 3 + (i % 7) * 11)::numeric AS revenue, (200 + i % 13)::numeric AS spend
FROM generate_series(1, :rows / 10) i;
VACUUM ANALYZE monthly;
