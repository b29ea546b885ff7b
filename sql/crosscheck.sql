-- Randomized cross-check (seeded): every KPI equals its plain-SQL formula
-- on 300,000 generated rows in 50 groups.
SET timezone = 'UTC';
SELECT setseed(0.42);
CREATE TABLE rnd AS
SELECT i AS id, (random() * 49)::int AS grp, created_at,
	   CASE WHEN random() < 0.3 THEN NULL ELSE created_at + random() * interval '90 days' END AS closed_at,
	   CASE WHEN random() < 0.05 THEN NULL ELSE round((random() * 100000)::numeric, (random() * 4)::int) END AS amount,
	   CASE WHEN random() < 0.2 THEN NULL ELSE random() < 0.35 END AS won,
	   CASE WHEN random() < 0.05 THEN NULL ELSE (random() * 20)::bigint END AS n,
	   round((random() * 5000)::numeric, 2) AS cost
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
