-- The Citus checks' data (test/citus.sh), on the coordinator: deterministic
-- rows of opportunities, touches, funnel events and customers, each as a
-- local table <name>_local and as a distributed table <name> with the same
-- rows (32 shards on account_id, all co-located).  Pseudo-random columns come
-- from hashint4 of the row number, so every run and every node sees the same
-- values; channel is the grouping column that is not the distribution column.
SET client_min_messages = error;

-- u(i, k): the k-th uniform in [0, 1) of row i
CREATE FUNCTION pg_temp.u(i int, k int) RETURNS double precision LANGUAGE sql IMMUTABLE AS
	$$ SELECT (hashint4(i * 64 + k)::bigint + 2147483648) / 4294967296.0 $$;
CREATE FUNCTION pg_temp.channel(i int, k int) RETURNS text LANGUAGE sql IMMUTABLE AS
	$$ SELECT (ARRAY['ads', 'email', 'events', 'partners', 'seo'])[1 + floor(pg_temp.u(i, k) * 5)::int] $$;

-- 20,000 opportunities of 400 accounts over 2024: rates, money, durations,
-- velocity, customer voice, retention, and the journey (path) that led to each.
CREATE TABLE opps_local AS
SELECT 1 + i % 400 AS account_id, i AS opp_id, channel, created_at::date AS day,
	   date_trunc('month', created_at)::date AS month, created_at,
	   mql_at, CASE WHEN pg_temp.u(i, 5) < 0.7 THEN mql_at + pg_temp.u(i, 5) * interval '12 days' END AS sal_at,
	   created_at + pg_temp.u(i, 6) * interval '48 hours' AS responded_at,
	   closed_at,
	   CASE WHEN closed_at IS NOT NULL THEN pg_temp.u(i, 8) < 0.35 END AS won,
	   CASE WHEN i % 17 <> 0 THEN round((pg_temp.u(i, 9) * 50000)::numeric, i % 5) END AS amount,
	   CASE WHEN i % 13 <> 0 THEN round(pg_temp.u(i, 10)::numeric, 2)::float8 END AS probability,
	   round((pg_temp.u(i, 11) * 900)::numeric, i % 4) AS spend,
	   floor(pg_temp.u(i, 12) * 6)::bigint AS leads,
	   round((pg_temp.u(i, 13) * 3000 - 300)::numeric, 2 + i % 3) AS revenue,
	   round((1000 + pg_temp.u(i, 14) * 20000)::numeric) AS quota,
	   CASE WHEN i % 7 <> 0 THEN pg_temp.u(i, 15) < 0.6 END AS marketing_sourced,
	   CASE WHEN i % 9 <> 0 THEN floor(pg_temp.u(i, 16) * 11)::int END AS score,
	   1 + floor(pg_temp.u(i, 17) * 5)::int AS stars,
	   pg_temp.u(i, 18) < 0.9 AS active_before,
	   CASE WHEN pg_temp.u(i, 19) < 0.95 THEN pg_temp.u(i, 20) < 0.8 END AS active_after,
	   ARRAY(SELECT pg_temp.channel(i, 32 + j) FROM generate_series(1, i % 5) j) AS path
FROM (SELECT i, pg_temp.channel(i, 1) AS channel,
			 timestamptz '2024-01-01' + floor(pg_temp.u(i, 2) * 366) * interval '1 day'
				 + pg_temp.u(i, 3) * interval '20 hours' AS created_at
	  FROM generate_series(1, 20000) i) o
CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.u(i, 7) < 0.8
							   THEN created_at + pg_temp.u(i, 7) * interval '90 days' END AS closed_at,
							  created_at + pg_temp.u(i, 4) * interval '5 days' AS mql_at) c;

-- 20,000 marketing touches of 5,000 journeys (4 touches each, one account a
-- journey): channel rates and rule-based attribution.
CREATE TABLE touches_local AS
SELECT 1 + journey % 400 AS account_id, i AS touch_id, journey, pg_temp.channel(i, 1) AS channel,
	   touched_at::date AS day, touched_at,
	   CASE WHEN pg_temp.u(journey, 3) < 0.4
			THEN timestamptz '2024-01-01' + pg_temp.u(journey, 4) * interval '380 days' END AS converted_at,
	   floor(pg_temp.u(i, 5) * 40)::bigint AS opened, 40 + floor(pg_temp.u(i, 6) * 60)::bigint AS delivered,
	   floor(pg_temp.u(i, 7) * 12)::bigint AS clicks, 100 + floor(pg_temp.u(i, 8) * 900)::bigint AS impressions,
	   floor(pg_temp.u(i, 9) * 50)::bigint AS engagements, 50 + floor(pg_temp.u(i, 10) * 500)::bigint AS reach
FROM (SELECT i, i / 4 AS journey,
			 timestamptz '2024-01-01' + pg_temp.u(i, 2) * interval '366 days' AS touched_at
	  FROM generate_series(0, 19999) i) t;

-- 20,000 events of 2,500 users (8 each, one account a user): ordered funnels
-- (step 1..4 or no step, depth 0..4) and orders (rfm).
CREATE TABLE events_local AS
SELECT 1 + usr % 400 AS account_id, i AS event_id, usr AS user_id, pg_temp.channel(usr, 1) AS channel,
	   ts::date AS day, ts,
	   CASE WHEN pg_temp.u(i, 3) >= 0.15 THEN 1 + floor(pg_temp.u(i, 4) * 4)::int END AS step,
	   floor(pg_temp.u(i, 5) * 5)::int AS depth,
	   round((5 + pg_temp.u(i, 6) * 200)::numeric, 2) AS amount
FROM (SELECT i, i / 8 AS usr,
			 timestamptz '2024-01-01' + floor(pg_temp.u(i / 8, 2) * 300) * interval '1 day'
				 + (i % 8) * pg_temp.u(i, 2) * interval '30 hours' AS ts
	  FROM generate_series(0, 19999) i) e;

-- 5,000 customers as rfm summaries in days (a repeat-purchase count that is
-- geometric-like, recency within the observation period t): CLV fits.
CREATE TABLE customers_local AS
SELECT 1 + i % 400 AS account_id, i AS customer_id, pg_temp.channel(i, 1) AS channel,
	   date '2024-01-01' + floor(pg_temp.u(i, 2) * 366)::int AS day,
	   ROW(x, CASE WHEN x > 0 THEN floor(t * pg_temp.u(i, 4) ^ (1.0 / (x + 1))) ELSE 0 END, t,
		   CASE WHEN x > 0 THEN round((10 + 90 * pg_temp.u(i, 5))::numeric, 2) ELSE 0 END)::smarkpi_rfm AS customer
FROM (SELECT i, least(floor(ln(1 - pg_temp.u(i, 3)) / ln(0.55))::int, 30) AS x,
			 30 + floor(pg_temp.u(i, 6) * 335) AS t
	  FROM generate_series(1, 5000) i) c;

-- the distributed copies
CREATE TABLE opps (LIKE opps_local);
CREATE TABLE touches (LIKE touches_local);
CREATE TABLE events (LIKE events_local);
CREATE TABLE customers (LIKE customers_local);
SELECT create_distributed_table('opps', 'account_id', shard_count => 32);
SELECT create_distributed_table('touches', 'account_id', colocate_with => 'opps');
SELECT create_distributed_table('events', 'account_id', colocate_with => 'opps');
SELECT create_distributed_table('customers', 'account_id', colocate_with => 'opps');
INSERT INTO opps SELECT * FROM opps_local;
INSERT INTO touches SELECT * FROM touches_local;
INSERT INTO events SELECT * FROM events_local;
INSERT INTO customers SELECT * FROM customers_local;
ANALYZE;
