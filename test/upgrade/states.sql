-- What users keep across ALTER EXTENSION smarkpi UPDATE: a table of daily
-- summaries, a materialized view of KPIs, a view over the summaries, a
-- Markov journey summary and customer summaries.  Made by the old version.
SET timezone = 'UTC';
CREATE TABLE up_deals AS
SELECT i, i % 4 AS segment, (i % 3 = 0) AS won, round((i * 37 % 1000)::numeric / 7, 2) AS amount,
	   (i % 5)::bigint AS new_customers,
	   '2024-01-01'::timestamptz + i * interval '7 hours' AS created_at,
	   '2024-01-01'::timestamptz + i * interval '7 hours' + (i % 40) * interval '1 day 3 hours' AS closed_at,
	   (i % 11)::integer AS score
FROM generate_series(1, 400) i;

CREATE TABLE up_summaries AS
SELECT segment, closed_at::date AS day,
	   win_rate_summary(won) AS win, cac_summary(amount, new_customers) AS cac,
	   sales_cycle_length_summary(created_at, closed_at) AS cycle,
	   duration_sketch(created_at, closed_at) AS sketch,
	   funnel_velocity_summary(created_at, closed_at, amount, won) AS velocity,
	   nps_summary(score) AS nps
FROM up_deals GROUP BY 1, 2;

CREATE MATERIALIZED VIEW up_kpis AS
SELECT segment, win_rate(won) AS win_rate, cac(amount, new_customers) AS cac,
	   days(sales_cycle_length(created_at, closed_at)) AS cycle_days,
	   funnel_velocity(created_at, closed_at, amount, won) AS velocity, nps(score) AS nps
FROM up_deals GROUP BY 1;

CREATE VIEW up_rollup AS
SELECT segment, win_rate(rollup(win)) AS win_rate, cac(rollup(cac)) AS cac,
	   days(sales_cycle_length(rollup(cycle))) AS cycle_days,
	   days(duration_percentile(rollup(sketch), 0.5)) AS median_days,
	   funnel_velocity(rollup(velocity)) AS velocity, nps(rollup(nps)) AS nps
FROM up_summaries GROUP BY 1;

CREATE TABLE up_journeys AS
SELECT markov_attribution(path, converted, value) AS journeys
FROM (VALUES (ARRAY['search', 'email'], true, 120.00), (ARRAY['social'], false, NULL),
			 (ARRAY['search', 'social', 'email'], true, 80.50), (ARRAY['email'], false, NULL),
			 (ARRAY['social', 'search'], true, 42.00)) j(path, converted, value);

CREATE TABLE up_customers AS
SELECT i % 3 AS segment, rfm(ordered_at, amount, '2024-12-31') AS customer
FROM (SELECT i, '2024-01-01'::timestamptz + (i * 13 % 300) * interval '1 day' AS ordered_at,
			 (10 + i % 50)::numeric AS amount
	  FROM generate_series(1, 300) i) o
GROUP BY i % 3, i % 60;
