-- Randomized cross-check (seeded): every KPI equals its plain-SQL formula
-- on 300,000 generated rows in 50 groups.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET timezone = 'UTC';
SELECT setseed(0.42);
CREATE TABLE rnd AS
SELECT i AS id, (random() * 49)::int AS grp, created_at,
	   CASE WHEN random() < 0.3 THEN NULL ELSE created_at + random() * interval '90 days' END AS closed_at,
	   CASE WHEN random() < 0.05 THEN NULL ELSE round((random() * 100000)::numeric, (random() * 4)::int) END AS amount,
	   CASE WHEN random() < 0.2 THEN NULL ELSE random() < 0.35 END AS won,
	   CASE WHEN random() < 0.05 THEN NULL ELSE (random() * 20)::bigint END AS n,
	   round((random() * 5000)::numeric, 2) AS cost,
	   CASE WHEN random() < 0.03 THEN NULL ELSE (random() * 10)::int END AS score,
	   (1 + random() * 4)::int AS sat,
	   (random() * 40)::bigint AS opened, (40 + random() * 60)::bigint AS delivered,
	   CASE WHEN random() < 0.05 THEN NULL ELSE random() END AS probability,
	   CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.4 END AS sourced,
	   random() < 0.8 AS active_before, CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.7 END AS active_after
FROM (SELECT i, CASE WHEN random() < 0.02 THEN NULL
					 ELSE '2023-01-01'::timestamptz + random() * interval '700 days' END AS created_at
	  FROM generate_series(1, 300000) i) s;

SELECT count(*) AS groups,
	count(*) FILTER (WHERE c1 IS DISTINCT FROM p1) AS conversion_bool,
	count(*) FILTER (WHERE c2 IS DISTINCT FROM p2) AS conversion_span,
	count(*) FILTER (WHERE c3 IS DISTINCT FROM p3) AS conversion_within,
	count(*) FILTER (WHERE m3 IS DISTINCT FROM p3) AS mql_sal_within,
	count(*) FILTER (WHERE w IS DISTINCT FROM p1) AS win,
	count(*) FILTER (WHERE cac IS DISTINCT FROM pcac) AS cac,
	count(*) FILTER (WHERE ratio IS DISTINCT FROM pratio) AS cac_ratio,
	count(*) FILTER (WHERE abs(extract(epoch FROM cycle - pcycle)) > 0.000001 OR (cycle IS NULL) <> (pcycle IS NULL)) AS cycle,
	count(*) FILTER (WHERE abs(velocity - pvelocity) > 1e-9 * abs(pvelocity) OR (velocity IS NULL) <> (pvelocity IS NULL)) AS velocity
FROM (
	SELECT grp,
		conversion_rate(won) AS c1,
		count(*) FILTER (WHERE won)::float8 / nullif(count(won), 0) AS p1,
		win_rate(won) AS w,
		conversion_rate(created_at, closed_at) AS c2,
		count(closed_at) FILTER (WHERE created_at IS NOT NULL)::float8 / nullif(count(created_at), 0) AS p2,
		conversion_rate(created_at, closed_at, interval '30 days') AS c3,
		mql_sal_rate(created_at, closed_at, interval '30 days') AS m3,
		count(*) FILTER (WHERE closed_at - created_at <= interval '30 days')::float8 / nullif(count(created_at), 0) AS p3,
		cac(amount, n)::text AS cac,
		(sum(amount) FILTER (WHERE n IS NOT NULL) / nullif(sum(n) FILTER (WHERE amount IS NOT NULL), 0))::text AS pcac,
		cac_ratio(amount, cost) AS ratio,
		(sum(amount) / nullif(sum(cost) FILTER (WHERE amount IS NOT NULL), 0))::float8 AS pratio,
		sales_cycle_length(created_at, closed_at) AS cycle,
		avg(closed_at - created_at) AS pcycle,
		funnel_velocity(created_at, closed_at, amount, won) AS velocity,
		count(created_at)
			* count(*) FILTER (WHERE won AND created_at IS NOT NULL AND closed_at IS NOT NULL)::numeric
			/ nullif(count(*) FILTER (WHERE won IS NOT NULL AND created_at IS NOT NULL AND closed_at IS NOT NULL), 0)
			* avg(amount) FILTER (WHERE won AND created_at IS NOT NULL AND closed_at IS NOT NULL)
			/ nullif(extract(epoch FROM avg(closed_at - created_at) FILTER (WHERE won IS NOT NULL)) / 86400, 0) AS pvelocity
	FROM rnd GROUP BY grp) g;

-- the rest of the catalogue against plain SQL
SELECT count(*) AS groups,
	count(*) FILTER (WHERE nps IS DISTINCT FROM pnps) AS nps,
	count(*) FILTER (WHERE csat IS DISTINCT FROM pcsat) AS csat,
	count(*) FILTER (WHERE open IS DISTINCT FROM popen) AS open_rate,
	count(*) FILTER (WHERE cpl IS DISTINCT FROM pcpl) AS cpl,
	count(*) FILTER (WHERE roi IS DISTINCT FROM proi) AS roi,
	count(*) FILTER (WHERE roas IS DISTINCT FROM proas) AS roas,
	count(*) FILTER (WHERE ads IS DISTINCT FROM pads) AS avg_deal_size,
	count(*) FILTER (WHERE pv IS DISTINCT FROM ppv) AS pipeline_value,
	count(*) FILTER (WHERE opv IS DISTINCT FROM popv) AS open_pipeline_value,
	count(*) FILTER (WHERE mc IS DISTINCT FROM pmc) AS marketing_contribution,
	count(*) FILTER (WHERE abs(extract(epoch FROM lrt - plrt)) > 0.000001) AS lead_response_time,
	count(*) FILTER (WHERE rr IS DISTINCT FROM prr) AS retention_rate,
	count(*) FILTER (WHERE abs(extract(epoch FROM med - pmed)) > 0.000001) AS median_duration
FROM (
	SELECT grp,
		nps(score) AS nps,
		100 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8 / nullif(count(score), 0) AS pnps,
		csat(sat) AS csat, count(*) FILTER (WHERE sat >= 4)::float8 / nullif(count(sat), 0) AS pcsat,
		open_rate(opened, delivered) AS open, sum(opened)::float8 / nullif(sum(delivered), 0)::float8 AS popen,
		cpl(cost, n)::text AS cpl, (sum(cost) FILTER (WHERE n IS NOT NULL) / nullif(sum(n), 0))::text AS pcpl,
		roi(amount, cost) AS roi,
		((sum(amount) - sum(cost) FILTER (WHERE amount IS NOT NULL)) / nullif(sum(cost) FILTER (WHERE amount IS NOT NULL), 0))::float8 AS proi,
		roas(amount, cost) AS roas, (sum(amount) / nullif(sum(cost) FILTER (WHERE amount IS NOT NULL), 0))::float8 AS proas,
		avg_deal_size(amount, won)::text AS ads, (avg(amount) FILTER (WHERE won))::text AS pads,
		pipeline_value(amount, probability)::text AS pv, sum(amount * probability::numeric)::text AS ppv,
		open_pipeline_value(amount, won)::text AS opv,
		(CASE WHEN count(amount) > 0 THEN coalesce(sum(amount) FILTER (WHERE won IS NULL), 0) END)::text AS popv,
		marketing_contribution(amount, sourced) AS mc,
		(sum(amount) FILTER (WHERE sourced) / nullif(sum(amount) FILTER (WHERE sourced IS NOT NULL), 0))::float8 AS pmc,
		lead_response_time(created_at, closed_at) AS lrt, avg(closed_at - created_at) AS plrt,
		retention_rate(active_before, active_after) AS rr,
		count(*) FILTER (WHERE active_before AND active_after)::float8
			/ nullif(count(*) FILTER (WHERE active_before AND active_after IS NOT NULL), 0) AS prr,
		duration_percentile(created_at, closed_at, 0.5) AS med,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_at - created_at) AS pmed
	FROM rnd GROUP BY grp) g;

-- near-zero ROI: (sum(revenue) - sum(cost)) / sum(cost) keeps every digit
-- (sum/sum - 1 would round the quotient first: 2.999990160032e-08)
SELECT roi(r, c) AS roi, ((sum(r) - sum(c)) / sum(c))::float8 AS formula,
	   roi(r, c) = ((sum(r) - sum(c)) / sum(c))::float8 AS same
FROM (VALUES (1000000.01, 999999.99), (3.3, 3.29)) v(r, c);
SELECT count(*) AS groups, count(*) FILTER (WHERE roi IS DISTINCT FROM proi) AS roi_differs
FROM (SELECT g, roi(c + (g % 7 - 3) * 0.01, c) AS roi,
			 ((sum(c + (g % 7 - 3) * 0.01) - sum(c)) / nullif(sum(c), 0))::float8 AS proi
	  FROM (SELECT i % 500 AS g, round(1000000 + i * 1.37, 2) AS c FROM generate_series(1, 20000) i) s
	  GROUP BY g) t;

-- pipeline_value keeps probability::numeric per distinct probability (a
-- table of 1024 slots that starts over past 768): the same digits as
-- sum(amount * probability::numeric) with few, with about as many as the
-- table holds, with more, and with a distinct probability per row; amounts
-- whose product passes 128 bits and probabilities of more than 38 decimals
-- (1e-300) take numeric_mul itself
SELECT setseed(0.21);
CREATE TABLE pv_rnd AS
SELECT i, g, CASE WHEN i % 997 = 0 THEN round((random() * 1e30)::numeric, 3)
				  ELSE round((random() * 200000 - 1000)::numeric, (random() * 4)::int) END AS amount,
	   CASE g WHEN 0 THEN (ARRAY[0.1, 0.25, 0.5, 0.75, 0.9])[1 + j % 5]::float8
			  WHEN 1 THEN (j % 700) / 700.0::float8
			  WHEN 2 THEN (j % 2000) / 1999.0::float8
			  WHEN 3 THEN random()
			  ELSE (ARRAY[1e-300, 0, '-0', 1, 1e-20, 0.3333333333333333]::float8[])[1 + j % 6] END AS p
FROM (SELECT i, i % 5 AS g, i / 5 AS j FROM generate_series(1, 100000) i) s;
SELECT g, count(*) AS rows, count(DISTINCT p) AS probabilities,
	   pipeline_value(amount, p)::text = sum(amount * p::numeric)::text AS same_text
FROM pv_rnd GROUP BY g ORDER BY g;
-- one call site across all kinds, and moving frames (the inverse shares the cache)
SELECT pipeline_value(amount, p)::text = sum(amount * p::numeric)::text AS same_text FROM pv_rnd;
SELECT count(*) AS frames, count(*) FILTER (WHERE a IS DISTINCT FROM b) AS differ
FROM (SELECT pipeline_value(amount, p) OVER w::text AS a, sum(amount * p::numeric) OVER w::text AS b
	  FROM pv_rnd WINDOW w AS (ORDER BY i ROWS 50 PRECEDING)) x;
