-- Lumen Metrics' 2024 business review: the questions a revenue leader walks
-- through in a QBR, in order (pipeline, funnel, deals, customers, efficiency,
-- attribution), then the weekly pipeline review over the deals' stage changes
-- and snapshots, every KPI computed by smarkpi over the sample company
-- (examples/sample_crm.sql).  Money in US$ without cents, rates in %, times
-- in days or hours; the checks that these numbers equal the raw rows live in
-- test/sample_company/.
\set QUIET on
SET timezone = 'UTC';
\set gross_margin 0.78
\pset footer off
\pset numericlocale on

\echo
\echo '================================================================================'
\echo ' Lumen Metrics - 2024 business review'
\echo ' CRM data 1 Jan 2022 to 31 Dec 2024; money in US$; gross margin 78 %'
\echo '================================================================================'

\echo
\echo '1. PIPELINE - What do we carry into 2025?'
\echo '   Open deals on 31 Dec 2024 by stage. Weighted = amount x the stage''s win probability'
\echo '   (pipeline_value); open = unweighted (open_pipeline_value). Amounts are annual contract value.'
SELECT coalesce(s.stage, 'all open deals') AS stage,
	   CASE WHEN GROUPING(s.stage) = 0 THEN round(100 * max(s.probability)::numeric) END AS "win prob %",
	   count(*) AS deals,
	   round(open_pipeline_value(o.amount, o.won)) AS "open pipeline $",
	   round(pipeline_value(o.amount, o.probability)) AS "weighted $",
	   round(avg(extract(epoch FROM data_end() - o.created_at) / 86400)::numeric) AS "avg age d"
FROM opportunities o JOIN stages s USING (stage)
WHERE o.closed_at IS NULL
GROUP BY ROLLUP (s.stage) ORDER BY GROUPING(s.stage), max(s.stage_order);

\echo
\echo '   ... by lead channel, against Q4''s bookings (pipeline of one quarter''s deals, not a forecast)'
WITH q4 AS (
	SELECT channel, sum(amount) AS bookings FROM opportunities
	WHERE won AND closed_at >= '2024-10-01' GROUP BY ROLLUP (channel)),
open AS (
	SELECT channel, count(*) AS deals, open_pipeline_value(amount, won) AS open,
		   pipeline_value(amount, probability) AS weighted
	FROM opportunities WHERE closed_at IS NULL GROUP BY ROLLUP (channel))
SELECT coalesce(o.channel, 'all channels') AS channel, deals AS "open deals", round(open) AS "open pipeline $",
	   round(weighted) AS "weighted $", round(bookings) AS "Q4 bookings $",
	   round(weighted / bookings, 2) AS "weighted / Q4 bookings x"
FROM open o JOIN q4 q ON q.channel IS NOT DISTINCT FROM o.channel
ORDER BY o.channel IS NULL, o.channel;

\echo
\echo '2. FUNNEL - How well do 2024''s leads turn into pipeline?'
\echo '   Leads created in 2024 by channel. MQL>SAL and SAL>SQL: share of the stage that reached the'
\echo '   next (mql_sal_rate, conversion_rate); lead>SQL: of all leads. Leads from December are still'
\echo '   young, so the year''s rates run a little low. First response: sales'' first reply.'
SELECT coalesce(channel, 'all channels') AS channel, count(*) AS leads, count(mql_at) AS mqls,
	   round(100 * mql_sal_rate(mql_at, sal_at)::numeric, 1) AS "MQL>SAL %",
	   count(sql_at) AS sqls,
	   round(100 * conversion_rate(sal_at, sql_at)::numeric, 1) AS "SAL>SQL %",
	   round(100 * conversion_rate(created_at, sql_at)::numeric, 1) AS "lead>SQL %",
	   round((days(duration_percentile(created_at, responded_at, 0.5)) * 24)::numeric, 1) AS "median response h",
	   round(100 * conversion_rate(created_at, responded_at, interval '1 hour')::numeric, 1) AS "answered in 1 h %"
FROM leads WHERE created_at >= '2024-01-01'
GROUP BY ROLLUP (channel) ORDER BY GROUPING(channel), channel;

\echo
\echo '   The MQL > SAL > SQL > won path of the leads that became MQLs in the first half of 2024, each'
\echo '   step within 180 days of the MQL (window_funnel): leads reaching a step, and the median days'
\echo '   from the MQL to it. "won" here is of SQLs, within the window; the deals table''s win % below'
\echo '   is of the deals that closed in 2024, whenever they started.'
WITH per_lead AS (
	SELECT window_funnel(interval '180 days', e.event_at, e.step) AS depth,
		   window_funnel_times(interval '180 days', e.event_at, e.step) AS times
	FROM leads l LEFT JOIN opportunities o USING (lead_id)
	CROSS JOIN LATERAL (VALUES (l.mql_at, 1), (l.sal_at, 2), (l.sql_at, 3),
							   (CASE WHEN o.won THEN o.closed_at END, 4)) AS e(event_at, step)
	WHERE l.mql_at >= '2024-01-01' AND l.mql_at < '2024-07-01'
	GROUP BY l.lead_id),
reached AS (SELECT funnel_counts(depth, 4) AS n FROM per_lead),
medians AS (
	SELECT k + 1 AS step, percentile_cont(0.5) WITHIN GROUP (ORDER BY days(times[k])) AS median
	FROM per_lead, generate_series(1, 3) k WHERE k <= depth - 1 GROUP BY k)
SELECT s.name AS step, r.n[s.step] AS leads,
	   round(100.0 * r.n[s.step] / nullif(r.n[s.step - 1], 0), 1) AS "% of previous",
	   round(100.0 * r.n[s.step] / r.n[1], 1) AS "% of MQLs",
	   round(m.median::numeric, 1) AS "median d from MQL"
FROM reached r CROSS JOIN (VALUES (1, 'MQL'), (2, 'SAL'), (3, 'SQL'), (4, 'won')) AS s(step, name)
LEFT JOIN medians m USING (step)
ORDER BY s.step;

\echo
\echo '3. DEALS - Are we winning, and how fast?'
\echo '   Deals closed in 2024 by lead channel. Win % = won / closed (win_rate; open deals are not in it);'
\echo '   lost includes "no decision". Cycle: opportunity created to closed. Bookings: won annual'
\echo '   contract value.'
SELECT coalesce(channel, 'all channels') AS channel, count(*) AS closed,
	   count(*) FILTER (WHERE won) AS won, count(*) FILTER (WHERE NOT won) AS lost,
	   count(*) FILTER (WHERE loss_reason = 'no decision') AS "no decision",
	   round(100 * win_rate(won)::numeric, 1) AS "win %",
	   round(avg_deal_size(amount, won)) AS "avg won deal $",
	   round(days(duration_percentile(created_at, closed_at, 0.5))::numeric) AS "median cycle d",
	   round(days(duration_percentile(created_at, closed_at, 0.9))::numeric) AS "p90 cycle d",
	   round(sum(amount) FILTER (WHERE won)) AS "bookings $"
FROM opportunities WHERE closed_at >= '2024-01-01'
GROUP BY ROLLUP (channel) ORDER BY GROUPING(channel), channel;

\echo
\echo '   Bookings against plan by quarter. Velocity = closed deals x win rate x avg won deal / avg'
\echo '   cycle days (funnel_velocity): what a period''s deal flow earns per day a deal spends in the'
\echo '   pipeline. It is not bookings per calendar day, and a year''s is about the sum of its quarters''.'
WITH q AS (
	SELECT date_trunc('quarter', closed_at)::date AS quarter,
		   sum(amount) FILTER (WHERE won) AS bookings, count(*) FILTER (WHERE won) AS won, count(*) AS closed,
		   win_rate(won) AS win_rate, days(sales_cycle_length(created_at, closed_at)) AS cycle,
		   funnel_velocity(created_at, closed_at, amount, won) AS velocity
	FROM opportunities WHERE closed_at >= '2023-01-01' GROUP BY 1),
plan AS (SELECT date_trunc('quarter', month)::date AS quarter, sum(quota) AS quota FROM quotas GROUP BY 1),
rows AS (
	SELECT quarter, bookings, quota, won, closed, win_rate, cycle, velocity,
		   growth_rate(bookings) OVER (ORDER BY quarter) AS qoq,
		   growth_rate(bookings, 4) OVER (ORDER BY quarter) AS yoy,
		   quota_attainment(bookings, quota) OVER (ORDER BY quarter ROWS CURRENT ROW) AS attainment
	FROM q JOIN plan USING (quarter))
SELECT to_char(quarter, 'YYYY-"Q"Q') AS quarter, round(bookings) AS "bookings $", round(quota) AS "quota $",
	   round(100 * attainment::numeric, 1) AS "of quota %",
	   round(100 * qoq::numeric, 1) AS "QoQ %", round(100 * yoy::numeric, 1) AS "YoY %",
	   won, closed, round(100 * win_rate::numeric, 1) AS "win %", round(cycle::numeric) AS "avg cycle d",
	   round(velocity) AS "velocity $ per cycle day"
FROM rows ORDER BY quarter;

\echo
\echo '4. CUSTOMERS - Are customers staying and growing?'
\echo '   2024''s ARR bridge (ARR = monthly recurring revenue x 12) by the channel that won the'
\echo '   customer: 1 Jan + new + expansion - contraction - churn = 31 Dec. NRR = what 1 Jan''s customers'
\echo '   pay on 31 Dec / what they paid on 1 Jan; GRR leaves expansion out; logo retention counts'
\echo '   customers (retention_rate). New = the December ARR of customers won in 2024 and still'
\echo '   customers; churn = the 1 Jan ARR of customers gone by 31 Dec.'
WITH moves AS (
	SELECT c.channel, coalesce(a.arr, 0) AS arr_start, coalesce(b.arr, 0) AS arr_end,
		   a.mrr IS NOT NULL AS active_start, b.mrr IS NOT NULL AS active_end
	FROM customers c
	LEFT JOIN mrr a ON a.customer_id = c.customer_id AND a.month = '2023-12-01'
	LEFT JOIN mrr b ON b.customer_id = c.customer_id AND b.month = '2024-12-01'
	WHERE a.mrr IS NOT NULL OR b.mrr IS NOT NULL)
SELECT coalesce(channel, 'all channels') AS channel,
	   count(*) FILTER (WHERE active_start) AS "customers 1 Jan",
	   round(sum(arr_start)) AS "ARR 1 Jan $",
	   round(sum(arr_end) FILTER (WHERE NOT active_start)) AS "new $",
	   round(sum(arr_end - arr_start) FILTER (WHERE active_start AND arr_end > arr_start)) AS "expansion $",
	   round(sum(arr_start - arr_end) FILTER (WHERE active_end AND arr_end < arr_start)) AS "contraction $",
	   round(sum(arr_start) FILTER (WHERE active_start AND NOT active_end)) AS "churn $",
	   round(sum(arr_end)) AS "ARR 31 Dec $",
	   round(100 * sum(arr_end) FILTER (WHERE active_start) / sum(arr_start), 1) AS "NRR %",
	   round(100 * sum(least(arr_start, arr_end)) FILTER (WHERE active_start) / sum(arr_start), 1) AS "GRR %",
	   round(100 * retention_rate(active_start, active_end) FILTER (WHERE active_start)::numeric, 1)
		   AS "logo retention %"
FROM moves GROUP BY ROLLUP (channel) ORDER BY GROUPING(channel), channel;

\echo
\echo '   Cohorts: of each month''s new customers (second half of 2023), the % still paying 1, 3, 6, 9'
\echo '   and 12 months later, by lead channel (cohort_retention over monthly MRR, retention_matrix): a'
\echo '   customer is retained in a month they pay for. Each channel''s last line pools its six cohorts.'
WITH m AS (
	SELECT c.channel, retention_matrix(cohort_retention(r.customer_id, r.month, 'month', data_end())) AS x
	FROM mrr r JOIN customers c USING (customer_id) WHERE r.mrr > 0 GROUP BY c.channel),
cells AS (SELECT channel, (x).* FROM m WHERE (x).cohort >= '2023-07-01' AND (x).cohort < '2024-01-01'),
rows AS (
	SELECT channel, cohort, period_offset, cohort_size, sum(retained) AS retained, sum(eligible) AS eligible
	FROM cells GROUP BY GROUPING SETS ((channel, cohort, period_offset, cohort_size), (channel, period_offset)))
SELECT channel, coalesce(to_char(cohort, 'Mon YYYY'), 'H2 2023') AS acquired,
	   coalesce(max(cohort_size), sum(eligible) FILTER (WHERE period_offset = 0)) AS customers,
	   round(100.0 * sum(retained) FILTER (WHERE period_offset = 1) / sum(eligible) FILTER (WHERE period_offset = 1)) AS "M1 %",
	   round(100.0 * sum(retained) FILTER (WHERE period_offset = 3) / sum(eligible) FILTER (WHERE period_offset = 3)) AS "M3 %",
	   round(100.0 * sum(retained) FILTER (WHERE period_offset = 6) / sum(eligible) FILTER (WHERE period_offset = 6)) AS "M6 %",
	   round(100.0 * sum(retained) FILTER (WHERE period_offset = 9) / sum(eligible) FILTER (WHERE period_offset = 9)) AS "M9 %",
	   round(100.0 * sum(retained) FILTER (WHERE period_offset = 12) / sum(eligible) FILTER (WHERE period_offset = 12)) AS "M12 %"
FROM rows GROUP BY channel, cohort ORDER BY channel, cohort IS NULL, cohort;

\echo
\echo '   What customers say: 2024''s survey answers. NPS = % promoters (9-10) - % detractors (0-6);'
\echo '   CSAT = % of answers 4 or 5 of 5.'
SELECT coalesce(channel, 'all channels') AS channel, count(*) AS answers,
	   round(nps(nps_score)::numeric) AS nps, round(100 * csat(csat_score)::numeric, 1) AS "CSAT %"
FROM surveys WHERE answered_at >= '2024-01-01'
GROUP BY ROLLUP (channel) ORDER BY GROUPING(channel), channel;

\echo
\echo '5. EFFICIENCY - Is growth paying for itself?'
\echo '   By quarter. S&M = all sales and marketing cost: media, programs (events, referral fees) and'
\echo '   people. CAC = S&M / new customers (cac). Payback = CAC / (new MRR per new customer x 78 %'
\echo '   margin) (cac_payback_months). Magic number = revenue growth on the previous quarter x 4 /'
\echo '   the previous quarter''s S&M (magic_number). Revenue: subscriptions and usage recognised.'
WITH spend AS (
	SELECT date_trunc('quarter', month)::date AS quarter, sum(amount) AS sm,
		   sum(amount) FILTER (WHERE cost_type = 'people') AS people
	FROM sm_spend GROUP BY 1),
won AS (
	SELECT date_trunc('quarter', c.won_on)::date AS quarter, count(*) AS new_customers, sum(t.acv) / 12 AS new_mrr
	FROM customers c JOIN subscription_terms t ON t.customer_id = c.customer_id AND t.term = 0 GROUP BY 1),
revenue AS (
	SELECT quarter, sum(amount) AS revenue
	FROM (SELECT date_trunc('quarter', month)::date AS quarter, mrr AS amount FROM mrr
		  UNION ALL
		  SELECT date_trunc('quarter', invoiced_on)::date, amount FROM invoices WHERE kind = 'overage') r
	GROUP BY 1),
rows AS (
	SELECT quarter, sm, people, new_customers, revenue,
		   cac(sm, new_customers) OVER (ORDER BY quarter ROWS CURRENT ROW) AS cac,
		   new_mrr / new_customers AS new_mrr_each,
		   magic_number(revenue, sm) OVER (ORDER BY quarter) AS magic
	FROM spend JOIN won USING (quarter) JOIN revenue USING (quarter))
SELECT to_char(quarter, 'YYYY-"Q"Q') AS quarter, round(sm) AS "S&M $",
	   round(100 * people / sm, 1) AS "people %", new_customers AS "new customers",
	   round(cac) AS "CAC $",
	   round(cac_payback_months(cac, new_mrr_each, :gross_margin)::numeric, 1) AS "payback months",
	   round(revenue) AS "revenue $", round(magic::numeric, 2) AS "magic number"
FROM rows WHERE quarter >= '2023-10-01' ORDER BY quarter;

\echo
\echo '   By lead channel. 2024: CAC and payback as above, cost per lead = S&M / leads (cpl).'
\echo '   Lifetime value of the customers won in 2023 = what they were invoiced to 31 Dec 2024 + what'
\echo '   clv() predicts for the next 24 months (BG/NBD + Gamma-Gamma, fitted per billing plan), x 78 %'
\echo '   margin; LTV:CAC divides it by 2023''s CAC (cac_ratio).'
CREATE TEMP TABLE customer_rfm AS
SELECT c.customer_id, c.channel, c.billing, c.won_on, sum(i.amount) AS invoiced,
	   rfm(i.invoiced_on, i.amount, data_end()) AS r
FROM customers c JOIN invoices i USING (customer_id) GROUP BY 1, 2, 3, 4;
CREATE TEMP TABLE plan_model AS SELECT billing, clv_fit(r) AS m FROM customer_rfm GROUP BY billing;
CREATE TEMP TABLE channel_months AS
SELECT s.month, s.channel, sum(s.amount) AS sm,
	   (SELECT count(*) FROM customers c WHERE c.channel = s.channel AND date_trunc('month', c.won_on) = s.month)
		   AS new_customers,
	   (SELECT count(*) FROM leads l WHERE l.channel = s.channel AND date_trunc('month', l.created_at) = s.month)
		   AS leads
FROM sm_spend s GROUP BY 1, 2;
WITH y2024 AS (
	SELECT channel, sum(sm) AS sm, sum(new_customers) AS n, cac(sm, new_customers) AS cac, cpl(sm, leads) AS cpl
	FROM channel_months WHERE month >= '2024-01-01' GROUP BY ROLLUP (channel)),
y2023 AS (
	SELECT channel, cac(sm, new_customers) AS cac
	FROM channel_months WHERE month >= '2023-01-01' AND month < '2024-01-01' GROUP BY ROLLUP (channel)),
new_mrr AS (
	SELECT c.channel, avg(t.acv) / 12 AS each
	FROM customers c JOIN subscription_terms t ON t.customer_id = c.customer_id AND t.term = 0
	WHERE c.won_on >= '2024-01-01' GROUP BY ROLLUP (c.channel)),
value AS (
	SELECT channel, count(*) AS customers,
		   (avg(invoiced) + avg(clv(m, r, 24, 0.01))::numeric) * :gross_margin AS ltv
	FROM customer_rfm JOIN plan_model USING (billing)
	WHERE won_on >= '2023-01-01' AND won_on < '2024-01-01' GROUP BY ROLLUP (channel))
SELECT coalesce(y.channel, 'all channels') AS channel, round(y.sm) AS "2024 S&M $", y.n AS "new customers",
	   round(y.cac) AS "CAC $", round(y.cpl) AS "cost per lead $",
	   round(cac_payback_months(y.cac, m.each, :gross_margin)::numeric, 1) AS "payback months",
	   v.customers AS "2023 customers", round(v.ltv) AS "LTV $", round(p.cac) AS "2023 CAC $",
	   round((SELECT cac_ratio(l, k) FROM (VALUES (v.ltv, p.cac)) x(l, k))::numeric, 2) AS "LTV:CAC x"
FROM y2024 y
JOIN y2023 p ON p.channel IS NOT DISTINCT FROM y.channel
JOIN new_mrr m ON m.channel IS NOT DISTINCT FROM y.channel
JOIN value v ON v.channel IS NOT DISTINCT FROM y.channel
ORDER BY y.channel IS NULL, y.channel;

\echo
\echo '   Can finance trust that LTV? A backtest of the same model: fitted per billing plan on the'
\echo '   invoices to 30 Sep 2024 only (rfm_holdout, clv_fit), it predicted Q4 2024; Q4''s invoices are'
\echo '   what happened (clv_backtest). Purchases = invoice days. MAE = mean |predicted - actual| per'
\echo '   customer; bias = mean (predicted - actual): below 0 the model under-forecast, so the LTV above'
\echo '   leans conservative. Customers with at least a day of history by 30 Sep.'
CREATE TEMP TABLE customer_holdout AS
SELECT * FROM (
	SELECT c.customer_id, c.billing, rfm_holdout(i.invoiced_on, i.amount, '2024-09-30', '2024-12-31') AS h
	FROM customers c JOIN invoices i USING (customer_id) GROUP BY 1, 2) x
WHERE ((h).calibration).t > 0;
CREATE TEMP TABLE holdout_model AS
SELECT billing, clv_fit((h).calibration) AS m FROM customer_holdout GROUP BY billing;
WITH plan AS (
	SELECT billing, (clv_backtest(m, h)).* FROM customer_holdout JOIN holdout_model USING (billing) GROUP BY billing),
rows AS (
	SELECT billing, customers, predicted_purchases, actual_purchases, mae, bias, predicted_spend, actual_spend, 0 AS pos
	FROM plan
	UNION ALL
	SELECT 'all plans', sum(customers), sum(predicted_purchases), sum(actual_purchases),
		   sum(mae * customers) / sum(customers), sum(bias * customers) / sum(customers),
		   sum(predicted_spend), sum(actual_spend), 1
	FROM plan)
SELECT billing AS "billing plan", customers, round(predicted_purchases::numeric) AS "predicted invoice days",
	   actual_purchases AS "actual", round(mae::numeric, 2) AS "MAE / customer",
	   round(bias::numeric, 2) AS "bias / customer", round(predicted_spend::numeric) AS "predicted $",
	   round(actual_spend) AS "invoiced $",
	   round((100 * (predicted_spend / actual_spend::float8 - 1))::numeric, 1) AS "spend error %"
FROM rows ORDER BY pos, billing;

\echo
\echo '6. ATTRIBUTION - Which channels earned 2024''s bookings?'
\echo '   Every deal won in 2024, its amount shared among the touches of its lead''s journey up to the'
\echo '   close (attribution_credit): first touch, position-based (40/20/40), time decay (7-day'
\echo '   half-life); Markov = data-driven removal effects over the journeys whose outcome is known'
\echo '   (deals closed in 2024, and 2024 leads that did not reach SQL within 90 days; open deals left'
\echo '   out). Sourced = the lead''s channel field. Each column gives out all of 2024''s bookings.'
CREATE TEMP TABLE credits AS
SELECT model, t.channel, o.amount * attribution_credit(model, t.touched_at, o.closed_at)
		   OVER (PARTITION BY model, o.opp_id ORDER BY t.touched_at, t.touch_id)::numeric AS credit
FROM opportunities o JOIN touches t USING (lead_id)
CROSS JOIN unnest(ARRAY['first_touch', 'position_based', 'time_decay']) AS model
WHERE o.won AND o.closed_at >= '2024-01-01';
CREATE TEMP TABLE markov AS
SELECT a.channel, a.value, a.removal_effect
FROM (SELECT markov_attribution(path, converted, amount) AS journeys
	  FROM (SELECT coalesce(o.won, false) AS converted, CASE WHEN o.won THEN o.amount END AS amount,
				   array_agg(t.channel ORDER BY t.touched_at, t.touch_id) AS path
			FROM leads l JOIN touches t USING (lead_id) LEFT JOIN opportunities o USING (lead_id)
			WHERE o.closed_at >= '2024-01-01'
			   OR (o.opp_id IS NULL AND l.sql_at IS NULL AND l.created_at >= '2024-01-01'
				   AND l.created_at < data_end() - interval '90 days')
			GROUP BY l.lead_id, o.won, o.amount) j) m,
	 attribution_shares(journeys) a;
WITH sourced AS (
	SELECT channel, sum(amount) AS amount FROM opportunities WHERE won AND closed_at >= '2024-01-01' GROUP BY 1),
touch_channels AS (SELECT channel FROM credits UNION SELECT channel FROM markov UNION SELECT channel FROM sourced)
SELECT coalesce(tc.channel, 'all channels') AS "touch channel",
	   round(sum(s.amount)) AS "sourced $",
	   round(sum((SELECT sum(credit) FROM credits c WHERE c.channel = tc.channel AND model = 'first_touch'))) AS "first touch $",
	   round(sum((SELECT sum(credit) FROM credits c WHERE c.channel = tc.channel AND model = 'position_based')))
		   AS "position-based $",
	   round(sum((SELECT sum(credit) FROM credits c WHERE c.channel = tc.channel AND model = 'time_decay'))) AS "time decay $",
	   round(sum(m.value)) AS "Markov $",
	   CASE WHEN GROUPING(tc.channel) = 0 THEN round(max(m.removal_effect)::numeric, 3) END AS "removal effect"
FROM touch_channels tc LEFT JOIN sourced s USING (channel) LEFT JOIN markov m USING (channel)
GROUP BY ROLLUP (tc.channel) ORDER BY GROUPING(tc.channel), sum(s.amount) DESC NULLS LAST, tc.channel;

\echo
\echo '   Marketing-sourced share of 2024''s bookings: by the lead''s channel field (marketing_contribution;'
\echo '   referral leads come from customers and partners), and by the marketing touches'' credit'
SELECT round(100 * marketing_contribution(amount, marketing_sourced)::numeric, 1) AS "by channel field %",
	   (SELECT round(100 * sum(credit) FILTER (WHERE channel <> 'referral') / sum(credit), 1)
		FROM credits WHERE model = 'position_based') AS "by position-based credit %"
FROM opportunities WHERE won AND closed_at >= '2024-01-01';

\echo
\echo '   Leads marketing reached per month of 2024 (a touch in the month), from one sketch per day and'
\echo '   channel as a warehouse stores them (distinct_sketch), rolled up to the month (rollup,'
\echo '   distinct_count): adding the days'' unique leads counts a lead once per day it was touched.'
CREATE TEMP TABLE daily_reach AS
SELECT touched_at::date AS day, channel, distinct_sketch(lead_id) AS leads
FROM touches WHERE touched_at >= '2024-01-01' GROUP BY 1, 2;
WITH days AS (SELECT day, distinct_count(rollup(leads)) AS uniques FROM daily_reach GROUP BY day),
months AS (
	SELECT date_trunc('month', day) AS month, distinct_count(rollup(leads)) AS unique_leads
	FROM daily_reach GROUP BY 1)
SELECT to_char(m.month, 'Mon YYYY') AS month, m.unique_leads AS "unique leads",
	   sum(d.uniques) AS "sum of daily uniques", round(100.0 * sum(d.uniques) / m.unique_leads - 100) AS "overcount %"
FROM months m JOIN days d ON date_trunc('month', d.day) = m.month
GROUP BY m.month, m.unique_leads ORDER BY m.month;

\echo
\echo '7. PIPELINE REVIEW - Where do deals stall, and why did the pipeline move?'
\echo '   Deals created in 2024 through the stages, from their stage changes (stage_history, read as of'
\echo '   31 Dec 2024 by stage_durations): entered = deals that reached the stage, now = open deals in it,'
\echo '   lost at = lost deals that got no further. Days in stage over all visits; a deal still in the'
\echo '   stage counts to 31 Dec, so recent deals pull the days down. Skipped = went past the stage'
\echo '   without entering it (% of the deals that entered or went past it; a deal lost earlier did not'
\echo '   skip it). Re-entered = came back to it after a backward move (backward_moves counts those moves).'
WITH deals AS (
	SELECT o.opp_id, o.won,
		   stage_history(h.changed_at, h.stage,
						 ARRAY['discovery', 'demo', 'proposal', 'negotiation', 'closed_won', 'closed_lost'], data_end()) AS h
	FROM opportunities o JOIN opportunity_stage_history h USING (opp_id)
	WHERE o.created_at >= '2024-01-01' GROUP BY o.opp_id, o.won),
per_stage AS (
	SELECT d.opp_id, d.won, s.*, backward_moves(d.h) AS moves,
		   -- the furthest stage reached; closed_lost is an exit, not a stage past negotiation
		   max(s.stage_order) FILTER (WHERE s.visits > 0 AND s.stage <> 'closed_lost') OVER (PARTITION BY d.opp_id) AS furthest
	FROM deals d CROSS JOIN LATERAL stage_durations(d.h) s),
rows AS (
	SELECT stage, stage_order, count(*) FILTER (WHERE visits > 0) AS entered,
		   count(*) FILTER (WHERE visits > 0 AND exited_at IS NULL) AS now,
		   count(*) FILTER (WHERE stage_order = furthest AND NOT won) AS lost_at,
		   percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
		   percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90,
		   count(*) FILTER (WHERE skipped AND stage_order < furthest) AS skipped,
		   count(*) FILTER (WHERE visits > 1) AS reentered, NULL::bigint AS moves
	FROM per_stage WHERE stage_order <= 4 GROUP BY stage, stage_order
	UNION ALL
	SELECT 'all 2024 deals', 99, count(*), count(*) FILTER (WHERE won IS NULL), count(*) FILTER (WHERE NOT won),
		   NULL, NULL, count(*) FILTER (WHERE skips), count(*) FILTER (WHERE moves > 0), sum(moves)
	FROM (SELECT opp_id, won, max(moves) AS moves,
				 bool_or(skipped AND stage_order < furthest AND stage_order <= 4) AS skips
		  FROM per_stage GROUP BY opp_id, won) d)
SELECT stage, entered AS "deals entered", now AS "in it now", lost_at AS "lost at it",
	   round(median::numeric, 1) AS "median d", round(p90::numeric, 1) AS "p90 d",
	   skipped, round(100.0 * skipped / nullif(entered + CASE WHEN stage_order <= 4 THEN skipped ELSE 0 END, 0), 1)
		   AS "skip %",
	   reentered AS "re-entered", moves AS "backward moves"
FROM rows ORDER BY stage_order;

\echo
\echo '   Why the pipeline moved: the deals expected to close in 2025-Q1 (open, close date 1 Jan to 31 Mar'
\echo '   2025 in their snapshot in opportunity_history), over the last week (24-31 Dec) and over Q4 (1 Oct'
\echo '   to 31 Dec), by pipeline_waterfall. start + created + pulled in + increased - decreased - pushed'
\echo '   out - lost - won = end (outflows negative). Pulled in = an older deal whose close date moved into'
\echo '   Q1, mostly slipped from Q4; lost and won = Q1 deals that closed early, at their last amount before'
\echo '   closing. Q4''s own deals and bookings are in section 3; deals = deals with a move in the bucket.'
WITH windows AS (
	SELECT w.name, pipeline_waterfall(h.opp_id, h.valid_from, h.amount, h.close_date, h.outcome, w.t0, w.t1,
									  '[2025-01-01,2025-04-01)') AS wf
	FROM opportunity_history h
	CROSS JOIN (VALUES ('week', timestamptz '2024-12-24', timestamptz '2024-12-31 23:59:59'),
					   ('quarter', '2024-10-01', '2024-12-31 23:59:59')) AS w(name, t0, t1)
	GROUP BY w.name),
buckets AS (
	SELECT w.name, b.n, b.bucket, b.deals,
		   CASE WHEN b.bucket IN ('decreased', 'pushed_out', 'lost', 'won') THEN -b.amount ELSE b.amount END AS amount
	FROM windows w CROSS JOIN LATERAL waterfall_buckets(w.wf) WITH ORDINALITY AS b(bucket, amount, deals, n))
SELECT replace(bucket, '_', ' ') AS bucket,
	   round(sum(amount) FILTER (WHERE name = 'week')) AS "last week $",
	   sum(deals) FILTER (WHERE name = 'week') AS "last week deals",
	   round(sum(amount) FILTER (WHERE name = 'quarter')) AS "Q4 $",
	   sum(deals) FILTER (WHERE name = 'quarter') AS "Q4 deals"
FROM buckets GROUP BY n, bucket ORDER BY n;

\echo
\echo '   Coverage of 2025-Q1 on 1 Jan: the open pipeline expected to close in Q1 (the waterfall''s end) /'
\echo '   (Q1 quota - Q1 bookings so far) (pipeline_coverage). Q1 quota = Q4 2024''s x 1.05 (the plan'
\echo '   stops at 2024); nothing is booked yet. Needed = 1 / the 2024 win rate of closed deals (by count):'
\echo '   the coverage that books the quota at that rate. With cycles of 35-80 days much of a quarter''s'
\echo '   bookings comes from deals created in it, so coverage on its first day runs below what is needed.'
WITH latest AS (
	SELECT DISTINCT ON (opp_id) opp_id, amount, close_date, outcome
	FROM opportunity_history ORDER BY opp_id, valid_from DESC),
q1_open AS (
	SELECT o.channel, count(*) AS deals, sum(l.amount) AS open
	FROM latest l JOIN opportunities o USING (opp_id)
	WHERE l.outcome = 'open' AND l.close_date >= '2025-01-01' AND l.close_date < '2025-04-01'
	GROUP BY ROLLUP (o.channel)),
plan AS (
	SELECT channel, sum(quota) * 1.05 AS quota FROM quotas
	WHERE month >= '2024-10-01' AND month < '2025-01-01' GROUP BY ROLLUP (channel)),
closed AS (
	SELECT channel, count(*) AS closed, win_rate(won) AS win_rate,
		   coalesce(sum(amount) FILTER (WHERE won AND closed_at >= '2025-01-01'), 0) AS booked
	FROM opportunities WHERE closed_at >= '2024-01-01' GROUP BY ROLLUP (channel))
SELECT coalesce(p.channel, 'all channels') AS channel, q.deals AS "Q1 open deals", round(q.open) AS "Q1 pipeline $",
	   round(p.quota) AS "Q1 quota $", round(c.booked) AS "booked $",
	   round(pipeline_coverage(q.open, p.quota, c.booked)::numeric, 2) AS "coverage x",
	   c.closed AS "2024 closed", round(100 * c.win_rate::numeric, 1) AS "2024 win %",
	   round((1 / c.win_rate)::numeric, 2) AS "needed x",
	   round((p.quota - c.booked) / c.win_rate::numeric - q.open) AS "pipeline short $"
FROM plan p
JOIN q1_open q ON q.channel IS NOT DISTINCT FROM p.channel
JOIN closed c ON c.channel IS NOT DISTINCT FROM p.channel
ORDER BY p.channel IS NULL, p.channel;
