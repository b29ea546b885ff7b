-- The joint sales-and-marketing dashboard, every KPI computed by smarkpi.
-- Conventions: rates are percentages with one decimal; durations are days
-- with one decimal (days()); ROAS and LTV:CAC are multiples (x).
SET timezone = 'UTC';
\pset footer off

\echo
\echo 'Funnel by month the lead was created'
SELECT to_char(date_trunc('month', created_at), 'YYYY-MM') AS month, channel,
	   count(*) AS leads, count(mql_at) AS mqls,
	   round(mql_sal_rate(mql_at, sal_at)::numeric * 100, 1) AS "MQL>SAL %",
	   round(mql_sal_rate(mql_at, sal_at, interval '2 days')::numeric * 100, 1) AS "in 2d %",
	   round(conversion_rate(sal_at, sql_at)::numeric * 100, 1) AS "SAL>SQL %"
FROM leads GROUP BY 1, 2 ORDER BY 1, 2;

\echo
\echo 'Deals by month they closed (open deals are not in a win rate yet), spend by month'
WITH deals AS (
	SELECT date_trunc('month', closed_at)::date AS month, channel,
		   count(*) AS closed, count(*) FILTER (WHERE won) AS won,
		   win_rate(won) AS win_rate,
		   days(sales_cycle_length(created_at, closed_at)) AS cycle_days,
		   funnel_velocity(created_at, closed_at, amount, won) AS velocity,
		   sum(amount) FILTER (WHERE won) AS won_revenue
	FROM opportunities WHERE closed_at IS NOT NULL GROUP BY 1, 2),
acquisition AS (
	SELECT month, channel, cac(spend, new_customers) AS cac, sum(spend) AS spend
	FROM ad_spend GROUP BY 1, 2)
SELECT to_char(month, 'YYYY-MM') AS month, channel, closed, won,
	   round(win_rate::numeric * 100, 1) AS "win %",
	   round(cycle_days, 1) AS "cycle d",
	   round(velocity, 0) AS "velocity/d",
	   round(cac, 0) AS cac,
	   round(roas(coalesce(won_revenue, 0), spend) OVER w::numeric, 2) AS "ROAS 3m x"
FROM acquisition LEFT JOIN deals USING (month, channel)
WINDOW w AS (PARTITION BY channel ORDER BY month ROWS 2 PRECEDING)
ORDER BY month, channel;

\echo
\echo 'Channel totals, January to June 2024'
\echo '(win % = won of closed deals; won of all % = won of all opportunities, open ones included)'
SELECT c.channel,
	   round(mql_sal_rate(l.mql_at, l.sal_at)::numeric * 100, 1) AS "MQL>SAL %",
	   count(o.closed_at) AS closed,
	   round(win_rate(o.won)::numeric * 100, 1) AS "win %",
	   round(conversion_rate(o.won IS TRUE) FILTER (WHERE o.opp_id IS NOT NULL)::numeric * 100, 1) AS "won of all %",
	   round(days(sales_cycle_length(o.created_at, o.closed_at)), 1) AS "cycle d",
	   round(funnel_velocity(o.created_at, o.closed_at, o.amount, o.won), 0) AS "velocity/d",
	   (SELECT round(cac(spend, new_customers), 0) FROM ad_spend a WHERE a.channel = c.channel) AS cac,
	   (SELECT round(roas(coalesce(rev, 0), spend)::numeric, 2)
		FROM ad_spend a
		LEFT JOIN (SELECT channel, date_trunc('month', closed_at)::date AS month, sum(amount) AS rev
				   FROM opportunities WHERE won GROUP BY 1, 2) r USING (channel, month)
		WHERE a.channel = c.channel) AS "ROAS x"
FROM channels c
LEFT JOIN leads l ON l.channel = c.channel
LEFT JOIN opportunities o ON o.lead_id = l.lead_id
GROUP BY c.channel ORDER BY c.channel;

\echo
\echo 'Funnel speed: from lead created to deal won (the KPI sources'' "funnel velocity")'
SELECT l.channel, count(*) AS leads,
	   round(conversion_rate(o.won IS TRUE)::numeric * 100, 1) AS "won %",
	   round(days(duration_percentile(l.created_at, o.closed_at, 0.5) FILTER (WHERE o.won)), 1) AS "median d to won",
	   round(days(duration_percentile(l.created_at, o.closed_at, 0.9) FILTER (WHERE o.won)), 1) AS "p90 d to won"
FROM leads l LEFT JOIN opportunities o USING (lead_id)
GROUP BY l.channel ORDER BY l.channel;

\echo
\echo 'Marketing, sales and customer KPIs by channel, January to June 2024'
SELECT channel,
	   (SELECT round(nps(nps_score)::numeric, 1) FROM surveys s WHERE s.channel = cp.channel) AS nps,
	   (SELECT round(csat(csat_score)::numeric * 100, 1) FROM surveys s WHERE s.channel = cp.channel) AS "CSAT %",
	   round(open_rate(opened, delivered)::numeric * 100, 1) AS "open %",
	   round(click_through_rate(clicks, impressions)::numeric * 100, 1) AS "CTR %",
	   round(engagement_rate(engagements, reach)::numeric * 100, 1) AS "engaged %",
	   (SELECT round(cpl(a.spend, l.leads), 2)
		FROM ad_spend a
		JOIN (SELECT channel, date_trunc('month', created_at)::date AS month, count(*) AS leads
			  FROM leads GROUP BY 1, 2) l USING (channel, month)
		WHERE a.channel = cp.channel) AS cpl,
	   (SELECT round(days(lead_response_time(created_at, responded_at)), 1) FROM leads l
		WHERE l.channel = cp.channel) AS "response d",
	   (SELECT round(retention_rate(active_q1, active_q2)::numeric * 100, 1)
		FROM customer_activity ca WHERE ca.channel = cp.channel) AS "Q2 retention %"
FROM campaigns cp GROUP BY channel ORDER BY channel;

\echo
\echo 'Deals by channel: size, pipeline, cycle distribution, return on spend'
SELECT o.channel,
	   round(avg_deal_size(amount, won), 0) AS "avg deal",
	   round(open_pipeline_value(amount, won), 0) AS "open pipeline",
	   round(pipeline_value(amount, probability) FILTER (WHERE won IS NULL), 0) AS "weighted pipeline",
	   round(days(duration_percentile(created_at, closed_at, 0.5)), 1) AS "median cycle d",
	   round(days(duration_percentile(created_at, closed_at, 0.9)), 1) AS "p90 cycle d",
	   round(roas(coalesce(rev, 0), spend)::numeric, 2) AS "ROAS x",
	   round(roi(coalesce(rev, 0), spend)::numeric * 100, 1) AS "ROI %"
FROM opportunities o
JOIN (SELECT a.channel, sum(spend) AS spend, sum(r.rev) AS rev
	  FROM ad_spend a LEFT JOIN (SELECT channel, date_trunc('month', closed_at)::date AS month, sum(amount) AS rev
								 FROM opportunities WHERE won GROUP BY 1, 2) r USING (channel, month)
	  GROUP BY a.channel) x ON x.channel = o.channel
GROUP BY o.channel, x.spend, x.rev ORDER BY o.channel;

\echo
\echo 'Company view by month: bookings, growth, quota attainment, marketing contribution'
\echo '(every month of the year so far is listed, so growth compares consecutive months)'
WITH months AS (SELECT m::date AS month FROM generate_series('2024-01-01'::date, '2024-06-01', interval '1 month') m),
won AS (
	SELECT date_trunc('month', closed_at)::date AS month,
		   sum(amount) AS bookings,
		   marketing_contribution(amount, marketing_sourced) AS marketing_share
	FROM opportunities WHERE won GROUP BY 1),
plan AS (SELECT month, sum(quota) AS quota FROM quotas GROUP BY month),
spend AS (SELECT month, sum(spend) AS spend, sum(new_customers) AS new_customers FROM ad_spend GROUP BY month)
SELECT to_char(month, 'YYYY-MM') AS month, coalesce(bookings, 0) AS bookings,
	   round((growth_rate(coalesce(bookings, 0)) OVER w)::numeric * 100, 1) AS "MoM growth %",
	   round(quota_attainment(coalesce(bookings, 0), quota) OVER (ORDER BY month ROWS CURRENT ROW)::numeric * 100, 1) AS "quota %",
	   round(marketing_share::numeric * 100, 1) AS "marketing-sourced %",
	   round(cac_payback_months(spend / nullif(new_customers, 0), bookings / 12 / nullif(new_customers, 0),
								0.75)::numeric, 1) AS "CAC payback months"
FROM months LEFT JOIN won USING (month) JOIN plan USING (month) JOIN spend USING (month)
WINDOW w AS (ORDER BY month) ORDER BY month;

\echo
\echo 'Quarters: SaaS magic number and compound growth (the first quarter has no growth yet)'
WITH q AS (
	SELECT date_trunc('quarter', closed_at)::date AS quarter, sum(amount) AS revenue
	FROM opportunities WHERE won GROUP BY 1),
s AS (SELECT date_trunc('quarter', month)::date AS quarter, sum(spend) AS spend FROM ad_spend GROUP BY 1)
SELECT to_char(quarter, 'YYYY-"Q"Q') AS quarter, revenue, spend,
	   round((magic_number(revenue, spend) OVER (ORDER BY quarter))::numeric, 2) AS "magic number",
	   round(CASE WHEN row_number() OVER (ORDER BY quarter) > 1
				  THEN cagr(first_value(revenue) OVER (ORDER BY quarter), revenue,
							row_number() OVER (ORDER BY quarter) - 1) END::numeric * 100, 1) AS "CAGR per quarter %"
FROM q JOIN s USING (quarter) ORDER BY quarter;

\echo
\echo 'Predicted customer lifetime value (BG/NBD + Gamma-Gamma, next 12 months) and LTV:CAC by channel'
\echo '(CLV profit = predicted revenue x 75 % gross margin; LTV:CAC = CLV profit / CAC; empty where a channel'
\echo ' has fewer than 10 repeat buyers with spend: its data cannot identify the model)'
WITH customers AS (
	SELECT channel, customer_id, rfm(ordered_at, amount, '2024-07-01') AS c
	FROM orders GROUP BY channel, customer_id),
value AS (
	SELECT channel, count(*) AS customers, count(*) FILTER (WHERE (c).frequency > 0) AS repeat_buyers,
		   clv(c) AS clv_12m
	FROM customers GROUP BY channel),
acquisition AS (SELECT channel, cac(spend, new_customers) AS cac FROM ad_spend GROUP BY channel)
SELECT channel, customers, repeat_buyers, round(clv_12m::numeric, 2) AS "CLV revenue",
	   round(clv_12m::numeric * 0.75, 2) AS "CLV profit",
	   round(cac, 2) AS cac,
	   round((SELECT cac_ratio(v, k) FROM (VALUES (clv_12m::numeric * 0.75, cac)) t(v, k))::numeric, 2) AS "LTV:CAC x"
FROM value JOIN acquisition USING (channel) ORDER BY channel;

\echo
\echo 'The fitted model (all customers) and the five customers most likely to have lapsed'
CREATE TEMP TABLE model AS
SELECT clv_fit(c) AS m FROM (SELECT rfm(ordered_at, amount, '2024-07-01') AS c FROM orders GROUP BY customer_id) s;
SELECT round((m).r::numeric, 3) AS r, round((m).alpha::numeric, 2) AS "alpha (days)", round((m).a::numeric, 3) AS a,
	   round((m).b::numeric, 3) AS b, round((m).p::numeric, 2) AS p, round((m).q::numeric, 2) AS q,
	   round((m).gamma::numeric, 2) AS gamma, (m).customers, (m).repeat_customers
FROM model;
SELECT customer_id, channel, (c).frequency, (c).recency, (c).t, round(p_alive(m, c)::numeric * 100, 1) AS "P(alive) %",
	   round(expected_purchases(m, c, 90)::numeric, 2) AS "orders next 90d",
	   round(clv(m, c)::numeric * 0.75, 2) AS "CLV profit 12m"
FROM (SELECT customer_id, channel, rfm(ordered_at, amount, '2024-07-01') AS c FROM orders GROUP BY customer_id, channel) s, model
WHERE (c).frequency > 0
ORDER BY p_alive(m, c), customer_id LIMIT 5;

\echo
\echo 'Two-step summaries: one row of KPI summaries per close day and channel (materialized view'
\echo 'kpi_daily, refreshed without blocking readers), rolled up to months and quarters; equal to'
\echo 'the KPIs over the raw deals, digit for digit (median cycle: sketch, within 1 %)'
CREATE MATERIALIZED VIEW kpi_daily AS
SELECT closed_at::date AS day, channel,
	   count(*) AS closed,
	   win_rate_summary(won) AS win,
	   avg_deal_size_summary(amount, won) AS deal_size,
	   sales_cycle_length_summary(created_at, closed_at) AS cycle,
	   duration_sketch(created_at, closed_at) AS cycle_sketch,
	   funnel_velocity_summary(created_at, closed_at, amount, won) AS velocity
FROM opportunities WHERE closed_at IS NOT NULL GROUP BY 1, 2;
CREATE UNIQUE INDEX ON kpi_daily (day, channel);	-- REFRESH ... CONCURRENTLY needs one
REFRESH MATERIALIZED VIEW CONCURRENTLY kpi_daily;
CREATE TEMP VIEW kpi_dashboard AS
SELECT CASE WHEN GROUPING(month) = 0 THEN to_char(month, 'YYYY-MM') ELSE to_char(quarter, 'YYYY-"Q"Q') END AS period,
	   channel, sum(closed) AS closed,
	   win_rate(rollup(win)) AS win_rate,
	   avg_deal_size(rollup(deal_size)) AS avg_deal_size,
	   days(sales_cycle_length(rollup(cycle))) AS cycle_days,
	   days(duration_percentile(rollup(cycle_sketch), 0.5)) AS median_cycle_days,
	   funnel_velocity(rollup(velocity)) AS velocity
FROM (SELECT date_trunc('month', day) AS month, date_trunc('quarter', day) AS quarter, * FROM kpi_daily) d
GROUP BY GROUPING SETS ((month, channel), (quarter, channel));
SELECT period, channel, closed, round(win_rate::numeric * 100, 1) AS "win %",
	   round(avg_deal_size, 0) AS "avg deal", round(cycle_days, 1) AS "cycle d",
	   round(median_cycle_days, 1) AS "median cycle d", round(velocity, 0) AS "velocity/d"
FROM kpi_dashboard WHERE channel = 'events' ORDER BY period;
SELECT count(*) AS "months x channels checked",
	   count(*) FILTER (WHERE (s.win_rate, s.avg_deal_size, s.cycle_days, s.velocity)
							  IS DISTINCT FROM (r.win_rate, r.avg_deal_size, r.cycle_days, r.velocity))
		   AS "differing from raw rows"
FROM kpi_dashboard s
JOIN (SELECT to_char(closed_at, 'YYYY-MM') AS period, channel, win_rate(won), avg_deal_size(amount, won),
			 days(sales_cycle_length(created_at, closed_at)) AS cycle_days,
			 funnel_velocity(created_at, closed_at, amount, won) AS velocity
	  FROM opportunities WHERE closed_at IS NOT NULL GROUP BY 1, 2) r USING (period, channel);

\echo
\echo 'Which channel earned the revenue: won revenue by touch channel, January to June 2024,'
\echo 'by first touch, position-based (40/20/40) and time decay (7-day half-life); touches after'
\echo 'the close earn nothing, so each model gives out every won deal exactly once'
CREATE TEMP VIEW won_touches AS
SELECT o.opp_id, o.amount, o.closed_at, t.channel, t.touched_at, t.touch_id
FROM opportunities o JOIN touches t USING (lead_id) WHERE o.won;
CREATE TEMP TABLE touch_credits AS
SELECT model, channel, amount,
	   attribution_credit(model, touched_at, closed_at)
		   OVER (PARTITION BY model, opp_id ORDER BY touched_at, touch_id)::numeric AS credit
FROM won_touches CROSS JOIN unnest(ARRAY['first_touch', 'position_based', 'time_decay']) AS model;
SELECT coalesce(channel, 'all channels') AS channel,
	   round(sum(amount * credit) FILTER (WHERE model = 'first_touch'), 0) AS "first touch",
	   round(sum(amount * credit) FILTER (WHERE model = 'position_based'), 0) AS "position-based",
	   round(sum(amount * credit) FILTER (WHERE model = 'time_decay'), 0) AS "time decay"
FROM touch_credits GROUP BY ROLLUP (channel) ORDER BY GROUPING(channel), channel;
\echo 'Marketing-sourced revenue: the share credited to marketing touches (every channel but referral,'
\echo 'which sales sources) -- the one-field answer is marketing_contribution() over the deals'' channel'
SELECT model, round(100 * sum(amount * credit) FILTER (WHERE channel <> 'referral') / sum(amount * credit), 1)
		   AS "marketing-sourced %"
FROM touch_credits GROUP BY model
UNION ALL
SELECT 'deal channel (one field)', round(marketing_contribution(amount, channel <> 'referral')::numeric * 100, 1)
FROM opportunities WHERE won
ORDER BY 1;

\echo
\echo 'Data-driven attribution: exact Markov removal effects of the journeys (every lead''s touches'
\echo 'up to its close), with won deals and won revenue shared out by removal effect'
SELECT channel, round(removal_effect::numeric, 3) AS "removal effect",
	   round(share::numeric * 100, 1) AS "share %", round(conversions::numeric, 1) AS "won deals",
	   round(value, 0) AS "won revenue"
FROM (SELECT markov_attribution(path, converted, amount) AS journeys
	  FROM (SELECT l.lead_id, coalesce(o.won, false) AS converted, CASE WHEN o.won THEN o.amount END AS amount,
				   array_agg(t.channel ORDER BY t.touched_at, t.touch_id)
					   FILTER (WHERE o.closed_at IS NULL OR t.touched_at <= o.closed_at) AS path
			FROM leads l JOIN touches t USING (lead_id) LEFT JOIN opportunities o USING (lead_id)
			GROUP BY l.lead_id, o.won, o.amount) j) m,
	 attribution_shares(journeys)
ORDER BY share DESC, channel;

\echo
\echo 'The MQL -> SAL -> SQL -> won funnel by lead channel, each step within 90 days of the MQL:'
\echo 'leads reaching each step, % of the previous step, % of the first, and the median days from'
\echo 'the MQL on the chain window_funnel reports'
WITH per_lead AS (
	SELECT l.channel,
		   window_funnel(interval '90 days', e.ts, e.step) AS depth,
		   window_funnel_times(interval '90 days', e.ts, e.step) AS times
	FROM leads l LEFT JOIN opportunities o USING (lead_id)
	CROSS JOIN LATERAL (VALUES (l.mql_at, 1), (l.sal_at, 2), (l.sql_at, 3),
							   (CASE WHEN o.won THEN o.closed_at END, 4)) AS e(ts, step)
	GROUP BY l.lead_id, l.channel),
counts AS (
	SELECT channel, funnel_counts(depth, 4) AS reached FROM per_lead GROUP BY channel),
medians AS (
	SELECT channel, k + 1 AS step, percentile_cont(0.5) WITHIN GROUP (ORDER BY times[k]) AS median
	FROM per_lead, generate_series(1, 3) k WHERE k <= depth - 1 GROUP BY channel, k)
SELECT c.channel, s.name AS step, c.reached[s.step] AS leads,
	   round(100.0 * c.reached[s.step] / nullif(c.reached[s.step - 1], 0), 1) AS "% of previous",
	   round(100.0 * c.reached[s.step] / nullif(c.reached[1], 0), 1) AS "% of MQL",
	   round(days(m.median), 1) AS "median d from MQL"
FROM counts c
CROSS JOIN (VALUES (1, 'MQL'), (2, 'SAL'), (3, 'SQL'), (4, 'won')) AS s(step, name)
LEFT JOIN medians m ON m.channel = c.channel AND m.step = s.step
ORDER BY c.channel, s.step;
