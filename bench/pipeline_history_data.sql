-- Deal history for bench/pipeline_history.sh: about :rows rows, the
-- snapshots of :rows / 7 deals (1 to 13 rows each, 7 on average) in 8
-- channels, as a CRM's opportunity-history table holds them: each row is
-- the deal's stage, amount, close date and outcome from valid_from until
-- the deal's next row.  Deterministic (setseed, one process).
--
-- A deal starts between 2023-07-01 and 2024-12-22 (whole minutes) and
-- writes a row every 1 to 21 days (a fixed step per deal plus a jitter
-- that depends only on the deal and the row's position); 2 % of the rows
-- repeat the previous row's valid_from (two changes logged at one instant).
-- Stages prospect -> qualify -> propose -> negotiate -> commit, spread over
-- the deal's rows, 5 % of the rows one stage back; the last row is won
-- (25 %), lost (30 %) or still open.  The amount (1,000.00 to 100,000.00)
-- moves by 10 % steps up or down over the deal's life; the close date (30
-- to 120 days after the start) is pushed by 30 days now and then, 4 % of
-- the rows pull it in by 40 days; won and lost rows close on their own day.
-- The table is stored in valid_from order, as an append-only history is.
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
SELECT setseed(0.2525);
DROP TABLE IF EXISTS deal_history;
CREATE TABLE deal_history AS
SELECT deal_id, channel, valid_from, stage,
	   CASE stage WHEN 'won' THEN 'won' WHEN 'lost' THEN 'lost' ELSE 'open' END AS outcome,
	   amount::numeric(12, 2) AS amount,
	   CASE WHEN stage IN ('won', 'lost') THEN valid_from::date ELSE close_date END AS close_date
FROM (
	SELECT d.deal_id, d.channel,
		   d.started + (y.p * d.step + ((d.deal_id * 7919 + y.p * 104729) % 1000) * d.step * 4 / 5000)
					   * interval '1 minute' AS valid_from,
		   CASE WHEN k = d.n AND d.fate < 0.25 THEN 'won'
				WHEN k = d.n AND d.fate < 0.55 THEN 'lost'
				ELSE (ARRAY['prospect', 'qualify', 'propose', 'negotiate', 'commit'])[
					1 + greatest(0, least(4, (k - 1) * 5 / d.n) - (x.r1 < 0.05)::int)]
		   END AS stage,
		   round(d.a0 * (1 + d.sgn * 0.1 * floor((k - 1) * d.amount_rate)::int), 2) AS amount,
		   d.c0 + 30 * floor((k - 1) * d.push_rate)::int - CASE WHEN x.r2 < 0.04 THEN 40 ELSE 0 END AS close_date
	FROM (
		SELECT g::bigint AS deal_id,
			   (ARRAY['paid_search', 'organic', 'events', 'partners', 'outbound', 'referral', 'webinar', 'direct'])[1 + g % 8] AS channel,
			   timestamptz '2023-07-01' + (random() * 540 * 1440)::int * interval '1 minute' AS started,
			   1 + (random() * 12)::int AS n,
			   1440 + (random() * 20 * 1440)::int AS step,
			   random() AS fate,
			   round((1000 + random() * 99000)::numeric, 2) AS a0,
			   CASE WHEN random() < 0.5 THEN -1 ELSE 1 END AS sgn,
			   random() * 0.5 AS amount_rate,
			   random() * 0.4 AS push_rate,
			   random() AS r0
		FROM generate_series(1, greatest(1, :rows / 7)) g) d0
	CROSS JOIN LATERAL (SELECT d0.*, (d0.started + (30 + (d0.r0 * 90)::int) * interval '1 day')::date AS c0) d
	CROSS JOIN LATERAL generate_series(1, d.n) k
	CROSS JOIN LATERAL (SELECT random() + k * 0 AS r1, random() + k * 0 AS r2, random() + k * 0 AS r3) x
	CROSS JOIN LATERAL (SELECT k - 1 - (k > 1 AND x.r3 < 0.02)::int AS p) y
) h
ORDER BY valid_from, deal_id;
VACUUM ANALYZE deal_history;
