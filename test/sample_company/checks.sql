-- The sample company is consistent, and the dashboard's way of computing is
-- right: one "ok - " or "not ok - " line per check.  The engineering checks
-- that used to sit in the dashboard (summaries equal the raw rows) live here.
\set ON_ERROR_STOP 1
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET timezone = 'UTC';
CREATE TEMP TABLE result (check_name text, passed boolean, detail text);

-- every date of the data inside 2022-01-01 .. 2024-12-31
INSERT INTO result
SELECT 'every ' || what || ' inside the data''s period', bool_and(t >= data_start() AND t < data_end()),
	   min(t) || ' .. ' || max(t)
FROM (SELECT 'lead date' AS what, unnest(ARRAY[created_at, mql_at, sal_at, sql_at, responded_at]) AS t FROM leads
	  UNION ALL SELECT 'opportunity date', unnest(ARRAY[created_at, closed_at]) FROM opportunities
	  UNION ALL SELECT 'touch', touched_at FROM touches
	  UNION ALL SELECT 'invoice', invoiced_on::timestamptz FROM invoices
	  UNION ALL SELECT 'survey answer', answered_at FROM surveys
	  UNION ALL SELECT 'mrr month', month::timestamptz FROM mrr
	  UNION ALL SELECT 'customer date', unnest(ARRAY[won_on, churned_on])::timestamptz FROM customers) d
WHERE t IS NOT NULL GROUP BY what;

INSERT INTO result
SELECT 'the funnel''s steps are in order', bool_and(mql_at >= created_at AND coalesce(sal_at >= mql_at, true)
											 AND coalesce(sql_at >= sal_at, true)), count(*) || ' MQLs'
FROM leads WHERE mql_at IS NOT NULL;
INSERT INTO result
SELECT 'no lead skips a stage', count(*) = 0, count(*) || ' skipping'
FROM leads WHERE (sal_at IS NOT NULL AND mql_at IS NULL) OR (sql_at IS NOT NULL AND sal_at IS NULL);
INSERT INTO result
SELECT 'one opportunity per SQL, created at the SQL', count(*) = (SELECT count(*) FROM leads WHERE sql_at IS NOT NULL)
	   AND bool_and(o.created_at = l.sql_at), count(*) || ' opportunities'
FROM opportunities o JOIN leads l USING (lead_id);
INSERT INTO result
SELECT 'open deals are recent (under a year old)', max(data_end() - created_at) < interval '365 days',
	   'oldest ' || max(data_end() - created_at)
FROM opportunities WHERE closed_at IS NULL;
INSERT INTO result
SELECT 'stage probabilities follow the stage', bool_and(o.probability = s.probability), count(DISTINCT o.stage) || ' stages'
FROM opportunities o JOIN stages s USING (stage);
INSERT INTO result
SELECT 'some deals are lost to no decision', count(*) FILTER (WHERE loss_reason = 'no decision') > 0,
	   count(*) FILTER (WHERE loss_reason = 'no decision') || ' of ' || count(*) || ' lost'
FROM opportunities WHERE NOT won;
INSERT INTO result
SELECT 'a customer for every won deal', count(*) = (SELECT count(*) FROM opportunities WHERE won)
	   AND bool_and(c.won_on = o.closed_at::date), count(*) || ' customers'
FROM customers c JOIN opportunities o USING (opp_id);
INSERT INTO result
SELECT 'the first term''s acv is the deal''s amount', bool_and(t.acv = o.amount), count(*) || ' first terms'
FROM subscription_terms t JOIN customers c USING (customer_id) JOIN opportunities o USING (opp_id) WHERE t.term = 0;
INSERT INTO result
SELECT 'ad_spend counts every new customer once', sum(new_customers) = (SELECT count(*) FROM customers),
	   sum(new_customers) || ' new customers'
FROM ad_spend;
INSERT INTO result
SELECT 'S&M spend for every month, channel and cost type', count(*) = 36 * 4 * 3 AND bool_and(amount >= 0),
	   count(*) || ' rows'
FROM sm_spend;

-- 2024's ARR bridge adds up exactly
WITH moves AS (
	SELECT coalesce(a.arr, 0) AS s, coalesce(b.arr, 0) AS e, a.arr IS NOT NULL AS was, b.arr IS NOT NULL AS is_now
	FROM customers c
	LEFT JOIN mrr a ON a.customer_id = c.customer_id AND a.month = '2023-12-01'
	LEFT JOIN mrr b ON b.customer_id = c.customer_id AND b.month = '2024-12-01')
INSERT INTO result
SELECT 'ARR 1 Jan + new + expansion - contraction - churn = ARR 31 Dec',
	   sum(s) + coalesce(sum(e) FILTER (WHERE NOT was), 0) + coalesce(sum(e - s) FILTER (WHERE was AND e > s), 0)
	   - coalesce(sum(s - e) FILTER (WHERE is_now AND e < s), 0) - coalesce(sum(s) FILTER (WHERE was AND NOT is_now), 0)
	   = sum(e), sum(s) || ' -> ' || sum(e)
FROM moves;

-- each attribution model gives out every won deal exactly once
WITH credits AS (
	SELECT model, o.opp_id, o.amount,
		   attribution_credit(model, t.touched_at, o.closed_at) OVER (PARTITION BY model, o.opp_id
																	   ORDER BY t.touched_at, t.touch_id) AS credit
	FROM opportunities o JOIN touches t USING (lead_id)
	CROSS JOIN unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay']) AS model
	WHERE o.won)
INSERT INTO result
SELECT 'attribution_credit gives out every won deal once, ' || model,
	   count(DISTINCT opp_id) = (SELECT count(*) FROM opportunities WHERE won)
	   AND bool_and(abs(total - 1) < 1e-9), count(DISTINCT opp_id) || ' deals'
FROM (SELECT model, opp_id, sum(credit) AS total FROM credits GROUP BY 1, 2) c GROUP BY model;

-- the dashboard's two-step summaries: one row per close day and channel, rolled
-- up to months and quarters, equal the KPIs over the raw deals digit for digit
CREATE TEMP TABLE kpi_daily AS
SELECT closed_at::date AS day, channel, win_rate_summary(won) AS win,
	   avg_deal_size_summary(amount, won) AS deal_size,
	   sales_cycle_length_summary(created_at, closed_at) AS cycle,
	   funnel_velocity_summary(created_at, closed_at, amount, won) AS velocity
FROM opportunities WHERE closed_at IS NOT NULL GROUP BY 1, 2;
WITH summaries AS (
	SELECT CASE WHEN GROUPING(month) = 0 THEN to_char(month, 'YYYY-MM') ELSE to_char(quarter, 'YYYY-"Q"Q') END AS period,
		   channel, win_rate(rollup(win)) AS win_rate, avg_deal_size(rollup(deal_size)) AS avg_deal_size,
		   sales_cycle_length(rollup(cycle)) AS cycle, funnel_velocity(rollup(velocity)) AS velocity
	FROM (SELECT date_trunc('month', day) AS month, date_trunc('quarter', day) AS quarter, * FROM kpi_daily) d
	GROUP BY GROUPING SETS ((month, channel), (quarter, channel))),
raw AS (
	SELECT CASE WHEN GROUPING(month) = 0 THEN to_char(month, 'YYYY-MM') ELSE to_char(quarter, 'YYYY-"Q"Q') END AS period,
		   channel, win_rate(won), avg_deal_size(amount, won), sales_cycle_length(created_at, closed_at) AS cycle,
		   funnel_velocity(created_at, closed_at, amount, won) AS velocity
	FROM (SELECT date_trunc('month', closed_at) AS month, date_trunc('quarter', closed_at) AS quarter, *
		  FROM opportunities WHERE closed_at IS NOT NULL) o
	GROUP BY GROUPING SETS ((month, channel), (quarter, channel)))
INSERT INTO result
SELECT 'daily summaries rolled up equal the raw deals (months and quarters x channels)',
	   count(*) = (SELECT count(*) FROM raw) AND count(*) FILTER (
		   WHERE (s.win_rate, s.avg_deal_size, s.cycle, s.velocity) IS DISTINCT FROM
				 (r.win_rate, r.avg_deal_size, r.cycle, r.velocity)) = 0,
	   count(*) || ' periods x channels'
FROM summaries s JOIN raw r USING (period, channel);

-- the deal histories: inside each deal's life, ending where the deal is
INSERT INTO result
SELECT 'every ' || what || ' between the deal''s creation and its close, before data_end',
	   bool_and(t >= o.created_at AND t <= coalesce(o.closed_at, data_end()) AND t < data_end())
	   AND bool_and(t = o.created_at) FILTER (WHERE first), count(*) || ' rows'
FROM (SELECT 'stage change' AS what, opp_id, changed_at AS t,
			 changed_at = min(changed_at) OVER (PARTITION BY opp_id) AS first FROM opportunity_stage_history
	  UNION ALL
	  SELECT 'deal snapshot', opp_id, valid_from, valid_from = min(valid_from) OVER (PARTITION BY opp_id)
	  FROM opportunity_history) h
JOIN opportunities o USING (opp_id) GROUP BY what;
INSERT INTO result
SELECT 'each deal''s last stage change is its stage', count(*) = (SELECT count(*) FROM opportunities)
	   AND bool_and(l.stage = o.stage), count(*) || ' deals'
FROM (SELECT DISTINCT ON (opp_id) opp_id, stage FROM opportunity_stage_history ORDER BY opp_id, changed_at DESC) l
JOIN opportunities o USING (opp_id);
INSERT INTO result
SELECT 'each deal''s last snapshot has its amount and outcome', count(*) = (SELECT count(*) FROM opportunities)
	   AND bool_and(l.amount = o.amount AND l.outcome = CASE WHEN o.won THEN 'won' WHEN NOT o.won THEN 'lost' ELSE 'open' END
					AND (o.closed_at IS NULL OR (l.valid_from = o.closed_at AND l.close_date = o.closed_at::date))),
	   count(*) || ' deals'
FROM (SELECT DISTINCT ON (opp_id) * FROM opportunity_history ORDER BY opp_id, valid_from DESC) l
JOIN opportunities o USING (opp_id);

-- 2024-Q4's pipeline waterfall by channel, for the deals closing in Q4 and in
-- 2025-Q1: the buckets add up, and start and end are the open snapshots in
-- effect on 1 Oct and 31 Dec with a close date in the period
WITH waterfalls AS (
	SELECT o.channel, p.period,
		   pipeline_waterfall(h.opp_id, h.valid_from, h.amount, h.close_date, h.outcome,
							  '2024-10-01', '2024-12-31 23:59:59', p.period) AS w
	FROM opportunity_history h JOIN opportunities o USING (opp_id)
	CROSS JOIN (VALUES (daterange('2024-10-01', '2025-01-01')), (daterange('2025-01-01', '2025-04-01'))) AS p(period)
	GROUP BY o.channel, p.period),
buckets AS (
	SELECT w.channel, w.period, b.* FROM waterfalls w CROSS JOIN LATERAL waterfall_buckets(w.w) b),
sums AS (
	SELECT channel, period,
		   sum(amount) FILTER (WHERE bucket IN ('start', 'created', 'pulled_in', 'increased'))
		   - sum(amount) FILTER (WHERE bucket IN ('decreased', 'pushed_out', 'lost', 'won')) AS moved,
		   max(amount) FILTER (WHERE bucket = 'start') AS start_amount, max(deals) FILTER (WHERE bucket = 'start') AS start_deals,
		   max(amount) FILTER (WHERE bucket = 'end') AS end_amount, max(deals) FILTER (WHERE bucket = 'end') AS end_deals,
		   count(*) AS buckets
	FROM buckets GROUP BY 1, 2),
snapshots AS (	-- the plain SQL: each deal's row in effect at t
	SELECT o.channel, p.period, t.at, coalesce(sum(s.amount), 0) AS amount, count(s.opp_id) AS deals
	FROM (SELECT DISTINCT channel FROM opportunities) o
	CROSS JOIN (VALUES (daterange('2024-10-01', '2025-01-01')), (daterange('2025-01-01', '2025-04-01'))) AS p(period)
	CROSS JOIN (VALUES (timestamptz '2024-10-01'), (timestamptz '2024-12-31 23:59:59')) AS t(at)
	LEFT JOIN LATERAL (
		SELECT DISTINCT ON (h.opp_id) h.opp_id, h.amount, h.close_date, h.outcome
		FROM opportunity_history h JOIN opportunities x USING (opp_id)
		WHERE x.channel = o.channel AND h.valid_from <= t.at
		ORDER BY h.opp_id, h.valid_from DESC) s ON s.outcome = 'open' AND s.close_date <@ p.period
	GROUP BY 1, 2, 3)
INSERT INTO result
SELECT 'pipeline waterfall: start + in - out = end, start and end equal the snapshots (2024-Q4 by channel)',
	   count(*) = 8 AND bool_and(coalesce(buckets = 9 AND moved = end_amount AND (start_amount, start_deals) = (a.amount, a.deals)
										  AND (end_amount, end_deals) = (b.amount, b.deals), false)),
	   count(*) || ' channels x periods'
FROM sums s
JOIN snapshots a ON a.channel = s.channel AND a.period = s.period AND a.at = '2024-10-01'
JOIN snapshots b ON b.channel = s.channel AND b.period = s.period AND b.at = '2024-12-31 23:59:59';

-- the funnel's aggregate equals its plain SQL
INSERT INTO result
SELECT 'mql_sal_rate equals count(sal) / count(mql)',
	   mql_sal_rate(mql_at, sal_at) = count(sal_at)::float8 / count(mql_at), count(mql_at) || ' MQLs'
FROM leads;

-- the CLV backtest's actuals are Q4 2024's invoices: purchase days and amounts
WITH h AS (
	SELECT c.customer_id, rfm_holdout(i.invoiced_on, i.amount, '2024-09-30', '2024-12-31') AS h
	FROM customers c JOIN invoices i USING (customer_id) GROUP BY 1),
q4 AS (
	SELECT customer_id, count(DISTINCT invoiced_on) AS days, sum(amount) AS spend
	FROM invoices WHERE invoiced_on >= '2024-10-01' AND invoiced_on < '2025-01-01' GROUP BY 1)
INSERT INTO result
SELECT 'CLV backtest: holdout purchase days and spend equal Q4 2024''s invoices of the customers invoiced before',
	   count(*) > 0 AND count(*) FILTER (WHERE ((h).holdout_purchases, (h).holdout_spend, (h).holdout_days)
											  IS DISTINCT FROM (coalesce(q4.days, 0)::int, coalesce(q4.spend, 0), 92::float8)) = 0,
	   count(*) || ' customers, ' || sum((h).holdout_purchases) || ' invoice days'
FROM h LEFT JOIN q4 USING (customer_id) WHERE h IS NOT NULL;

-- the cohort matrix equals the plain SQL over the paying months
WITH paying AS (SELECT c.channel, r.customer_id, r.month FROM mrr r JOIN customers c USING (customer_id) WHERE r.mrr > 0),
first AS (SELECT channel, customer_id, min(month) AS cohort FROM paying GROUP BY 1, 2),
plain AS (
	SELECT f.channel, f.cohort, ((extract(year FROM p.month) - extract(year FROM f.cohort)) * 12
								 + extract(month FROM p.month) - extract(month FROM f.cohort))::int AS k,
		   count(*) AS retained
	FROM first f JOIN paying p USING (channel, customer_id) WHERE p.month < '2025-01-01' GROUP BY 1, 2, 3),
matrix AS (
	SELECT channel, (x).* FROM (
		SELECT channel, retention_matrix(cohort_retention(customer_id, month, 'month', data_end())) AS x
		FROM paying GROUP BY channel) m)
INSERT INTO result
SELECT 'cohort matrix: every cell''s retained customers equal the plain SQL over the paying months',
	   count(*) > 0 AND count(*) FILTER (WHERE m.retained IS DISTINCT FROM coalesce(p.retained, 0)) = 0,
	   count(*) || ' cells'
FROM matrix m LEFT JOIN plain p ON p.channel = m.channel AND p.cohort = m.cohort AND p.k = m.period_offset;

-- unique leads reached per month, rolled up from daily sketches, equal count(DISTINCT)
WITH daily AS (
	SELECT touched_at::date AS day, channel, distinct_sketch(lead_id) AS leads
	FROM touches WHERE touched_at >= '2024-01-01' GROUP BY 1, 2),
months AS (SELECT date_trunc('month', day) AS month, distinct_count(rollup(leads)) AS n FROM daily GROUP BY 1)
INSERT INTO result
SELECT 'distinct sketches: 2024''s unique leads reached per month, rolled up from daily sketches, equal count(DISTINCT)',
	   count(*) = 12 AND bool_and(n = (SELECT count(DISTINCT lead_id) FROM touches t
									  WHERE t.touched_at >= m.month AND t.touched_at < m.month + interval '1 month')),
	   count(*) || ' months, ' || sum(n) || ' leads'
FROM months m;

SELECT CASE WHEN passed THEN 'ok - ' ELSE 'not ok - ' END || check_name || ' (' || coalesce(detail, '') || ')'
FROM result ORDER BY check_name;
