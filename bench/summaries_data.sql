-- Data for bench/summaries.sh.  psql variables :rows (opportunities) and
-- :drows (durations).  Deterministic: the opportunities are arithmetic on the
-- row number, the durations come from setseed()'ed random().
SET timezone = 'UTC';

-- Part A: :rows opportunities over 24 months (730 days) and 6 channels.
-- created_at: the row number times a prime modulo the seconds of 730 days (a
-- permutation, so every day gets its share); 18 % open (closed_at and won
-- NULL); cycles from one hour to 180 days, skewed short (the square of a
-- uniform); win rates 20 % to 40 % by channel; spend per opportunity, one new
-- customer per won deal.
DROP TABLE IF EXISTS opps;
CREATE TABLE opps AS
SELECT i AS id,
	   (ARRAY['organic', 'paid_search', 'paid_social', 'email', 'referral', 'events'])[ch + 1] AS channel,
	   created_at,
	   CASE WHEN is_open THEN NULL ELSE created_at + cycle_s * interval '1 second' END AS closed_at,
	   round(((i * 48271) % 4990000 + 10000) / 100.0, 2)::numeric(12,2) AS amount,
	   CASE WHEN is_open THEN NULL ELSE (i * 2654435761) % 1000 < 200 + 40 * ch END AS won,
	   round(((i * 69621) % 20000) / 100.0, 2)::numeric(10,2) AS spend,
	   CASE WHEN NOT is_open AND (i * 2654435761) % 1000 < 200 + 40 * ch THEN 1 ELSE 0 END::bigint AS new_customers
FROM (SELECT i,
			 (i * 7 + i / 11) % 6 AS ch,
			 '2023-01-01 00:00:00+00'::timestamptz + ((i * 104729) % (730 * 86400)) * interval '1 second' AS created_at,
			 (i * 40503) % 100 < 18 AS is_open,
			 3600 + ((((i * 2246822519) % 100000) / 100000.0::float8) ^ 2 * 15552000)::bigint AS cycle_s
	  FROM generate_series(1::bigint, :rows) i) s;
VACUUM ANALYZE opps;

-- Part B: :drows log-normal durations in microseconds, median one hour
-- (mu = ln 3.6e9 us), sigma 2 (heavy tail: the 99th percentile is ~4 days,
-- the largest are years), from Box-Muller normals of setseed()'ed random();
-- x is the same duration in seconds as double precision (tdigest's input).
DROP TABLE IF EXISTS durations;
SELECT setseed(0.4242);
CREATE TABLE durations AS
SELECT i AS id, started_at, started_at + d * interval '1 microsecond' AS ended_at, d / 1e6::float8 AS x
FROM (SELECT i,
			 '2024-01-01 00:00:00+00'::timestamptz + (i % 1000000) * interval '1 minute' AS started_at,
			 greatest(round(exp(ln(3.6e9::float8) + 2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))), 1)::bigint AS d
	  FROM generate_series(1, :drows) i) g;
VACUUM ANALYZE durations;
