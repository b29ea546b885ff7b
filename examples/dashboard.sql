-- The joint sales-and-marketing dashboard: one row per month and channel,
-- every KPI computed by smarkpi.
SET timezone = 'UTC';
\pset footer off

\echo
\echo 'Joint KPI dashboard by month and channel'
\echo '(leads and deals by month created; CAC and LTV:CAC by month of spend; LTV = won deal value, moving 3 months)'
WITH funnel AS (
	SELECT date_trunc('month', created_at)::date AS month, channel,
		   count(*) AS leads,
		   count(mql_at) AS mqls,
		   mql_sal_rate(mql_at, sal_at) AS mql_to_sal,
		   mql_sal_rate(mql_at, sal_at, interval '2 days') AS mql_to_sal_2d,
		   conversion_rate(sal_at, sql_at) AS sal_to_sql
	FROM leads GROUP BY 1, 2),
deals AS (
	SELECT date_trunc('month', created_at)::date AS month, channel,
		   win_rate(won) AS win_rate,
		   sales_cycle_length(created_at, closed_at) AS cycle,
		   funnel_velocity(created_at, closed_at, amount, won) AS velocity,
		   sum(amount) FILTER (WHERE won) AS won_revenue
	FROM opportunities GROUP BY 1, 2),
acquisition AS (
	SELECT month, channel, cac(spend, new_customers) AS cac, sum(spend) AS spend
	FROM ad_spend GROUP BY 1, 2)
SELECT to_char(month, 'YYYY-MM') AS month, channel, leads, mqls,
	   round(mql_to_sal::numeric * 100, 1) AS "MQL>SAL %",
	   round(mql_to_sal_2d::numeric * 100, 1) AS "in 2d %",
	   round(sal_to_sql::numeric * 100, 1) AS "SAL>SQL %",
	   round(win_rate::numeric * 100, 1) AS "win %",
	   round((extract(epoch FROM cycle) / 86400)::numeric, 1) AS "cycle d",
	   round(velocity, 0) AS "velocity/d",
	   round(cac, 0) AS cac,
	   round(cac_ratio(won_revenue, spend) OVER w::numeric, 2) AS "LTV:CAC 3m"
FROM funnel LEFT JOIN deals USING (month, channel) LEFT JOIN acquisition USING (month, channel)
WINDOW w AS (PARTITION BY channel ORDER BY month ROWS 2 PRECEDING)
ORDER BY month, channel;

\echo
\echo 'Channel totals, January to June 2024'
SELECT c.channel,
	   round(mql_sal_rate(l.mql_at, l.sal_at)::numeric * 100, 1) AS "MQL>SAL %",
	   round(win_rate(o.won)::numeric * 100, 1) AS "win %",
	   sales_cycle_length(o.created_at, o.closed_at) AS "sales cycle",
	   round(funnel_velocity(o.created_at, o.closed_at, o.amount, o.won), 2) AS "velocity/day",
	   (SELECT round(cac(spend, new_customers), 2) FROM ad_spend a WHERE a.channel = c.channel) AS cac,
	   (SELECT round(cac_ratio(coalesce(rev, 0), spend)::numeric, 2)
		FROM ad_spend a
		LEFT JOIN (SELECT channel, date_trunc('month', closed_at)::date AS month, sum(amount) AS rev
				   FROM opportunities WHERE won GROUP BY 1, 2) r USING (channel, month)
		WHERE a.channel = c.channel) AS "LTV:CAC"
FROM channels c
LEFT JOIN leads l ON l.channel = c.channel
LEFT JOIN opportunities o ON o.lead_id = l.lead_id
GROUP BY c.channel ORDER BY c.channel;
