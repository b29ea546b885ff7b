-- Data for bench/attribution.sh.  psql variable :conversions (default run:
-- 200,000).  Deterministic: arithmetic on the conversion and touch numbers.
-- Each conversion has 1 to 14 touches (7.5 on average) spread over the 60
-- days before it, 4 % of them after the conversion (they get no credit), and
-- the rows are stored in an order unrelated to the conversion, as in a real
-- event table.
SET timezone = 'UTC';
DROP TABLE IF EXISTS touches;
CREATE TABLE touches AS
SELECT c AS conversion_id, c * 16 + i AS touch_id,
	   (ARRAY['direct', 'email', 'paid_search', 'paid_social', 'organic', 'referral'])[1 + (c * 7 + i * 13) % 6] AS channel,
	   conv_at - CASE WHEN (c * 31 + i * 17) % 100 < 4 THEN -interval '1 hour'
					  ELSE ((c * 104729 + i * 7919) % (60 * 86400)) * interval '1 second' END AS touched_at,
	   conv_at AS converted_at,
	   (100 + (c * 48271) % 9900)::numeric(12,2) AS amount
FROM (SELECT c, '2024-03-01'::timestamptz + (c % 365) * interval '1 day' + (c % 86400) * interval '1 second' AS conv_at
	  FROM generate_series(1::bigint, :conversions) c) cv,
	 generate_series(1, 1 + (c * 7919) % 14) i
ORDER BY (c * 2654435761) % 1000003, i;
VACUUM ANALYZE touches;
