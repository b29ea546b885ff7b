-- The Citus benchmark's deals (bench/citus.sh), on the coordinator: :rows
-- deterministic rows (arithmetic on the row number) of 5,000 accounts over
-- 2024, as a local table deals_local and as a distributed table deals with
-- the same rows (32 shards on account_id).  channel, the dashboard's other
-- grouping column, is not the distribution column.
SET client_min_messages = warning;
SET timezone = 'UTC';
CREATE TABLE deals_local AS
SELECT 1 + i % 5000 AS account_id, i AS deal_id,
	   (ARRAY['ads', 'email', 'events', 'partners', 'seo'])[1 + (i / 7) % 5] AS channel,
	   date_trunc('month', created_at)::date AS month,
	   created_at,
	   CASE WHEN i % 5 = 0 THEN NULL ELSE created_at + (i % 311) * interval '1 minute' END AS responded_at,
	   created_at - (i % 97) * interval '1 hour' AS mql_at,
	   CASE WHEN i % 3 = 0 THEN NULL ELSE created_at - (i % 97) * interval '1 hour' + (i % 53) * interval '1 hour' END
		   AS sal_at,
	   CASE WHEN i % 4 = 0 THEN NULL ELSE created_at + (i % 977) * interval '1 hour' END AS closed_at,
	   CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS won,
	   round((i % 10007) * 1.37, 2) AS amount,
	   ((i % 101) / 100.0)::float8 AS probability,
	   round((i % 5003) * 0.91, 2) AS cost,
	   (i % 7)::bigint AS new_customers,
	   i % 11 AS score
FROM (SELECT i, timestamptz '2024-01-01' + (i % 527040) * interval '1 minute' AS created_at
	  FROM generate_series(1, :rows) i) s;
CREATE TABLE deals (LIKE deals_local);
SELECT create_distributed_table('deals', 'account_id', shard_count => 32);
INSERT INTO deals SELECT * FROM deals_local;
VACUUM ANALYZE deals_local;
VACUUM ANALYZE deals;
