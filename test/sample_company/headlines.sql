-- The sample company's headline numbers land where companies report theirs
-- (issue 24): one "ok - " or "not ok - " line per check, with the value.
-- Computed here in plain SQL where it can be, independently of the dashboard.
\set ON_ERROR_STOP 1
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET timezone = 'UTC';

CREATE TEMP TABLE headline (check_name text, value numeric, low numeric, high numeric);

-- win rate of the deals closed in 2024, per channel: won / closed
INSERT INTO headline
SELECT 'win rate of closed deals, ' || channel || ' (%)',
	   round(100.0 * count(*) FILTER (WHERE won) / count(*), 1), 15, 45
FROM opportunities WHERE closed_at >= '2024-01-01' GROUP BY channel;

-- SaaS magic number of each 2024 quarter: (revenue - previous) x 4 / previous S&M
WITH revenue AS (
	SELECT date_trunc('quarter', month)::date AS quarter, sum(mrr) AS revenue FROM mrr GROUP BY 1
	UNION ALL
	SELECT date_trunc('quarter', invoiced_on)::date, sum(amount) FROM invoices WHERE kind = 'overage' GROUP BY 1),
q AS (
	SELECT quarter, sum(revenue) AS revenue,
		   (SELECT sum(amount) FROM sm_spend s WHERE date_trunc('quarter', s.month) = quarter) AS spend
	FROM revenue GROUP BY quarter)
INSERT INTO headline
SELECT 'magic number ' || to_char(quarter, 'YYYY-"Q"Q'), round(magic, 2), 0.5, 1.5
FROM (SELECT quarter, (revenue - lag(revenue) OVER w) * 4 / lag(spend) OVER w AS magic
	  FROM q WINDOW w AS (ORDER BY quarter)) m
WHERE quarter >= '2024-01-01';

-- CAC payback of 2024: (S&M / new customers) / (new MRR per new customer x 78 % gross margin)
INSERT INTO headline
SELECT 'CAC payback 2024 (months)',
	   round((SELECT sum(amount) FROM sm_spend WHERE month >= '2024-01-01') / count(*)
			 / (avg(t.acv) / 12 * 0.78), 1), 6, 30
FROM customers c JOIN subscription_terms t ON t.customer_id = c.customer_id AND t.term = 0
WHERE c.won_on >= '2024-01-01';

-- LTV:CAC of the 2023 cohort: (invoiced to the end of 2024 + clv() of the next 24
-- months, BG/NBD + Gamma-Gamma fitted per billing plan) x 78 % gross margin,
-- over 2023's CAC
CREATE TEMP TABLE customer_rfm AS
SELECT customer_id, c.billing, c.won_on, sum(amount) AS invoiced, rfm(invoiced_on, amount, '2025-01-01') AS r
FROM invoices JOIN customers c USING (customer_id) GROUP BY 1, 2, 3;
CREATE TEMP TABLE plan_model AS SELECT billing, clv_fit(r) AS m FROM customer_rfm GROUP BY billing;
INSERT INTO headline
SELECT 'LTV:CAC of the 2023 cohort (x)',
	   round(((avg(invoiced) + avg(clv(m, r, 24, 0.01))::numeric) * 0.78
			  / ((SELECT sum(amount) FROM sm_spend WHERE month >= '2023-01-01' AND month < '2024-01-01') / count(*))),
			 2), 1.5, 6
FROM customer_rfm JOIN plan_model USING (billing)
WHERE won_on >= '2023-01-01' AND won_on < '2024-01-01';
INSERT INTO headline
SELECT 'the CLV model of ' || billing || ' plans converged (1 = yes)', ((m).bgnbd_converged AND (m).gg_converged)::int, 1, 1
FROM plan_model;

-- net revenue retention over 2024: December 2024 MRR of December 2023's customers / their December 2023 MRR
INSERT INTO headline
SELECT 'NRR 2024 (%)', round(100 * sum(b.mrr) / sum(a.mrr), 1), 90, 130
FROM mrr a LEFT JOIN mrr b ON b.customer_id = a.customer_id AND b.month = '2024-12-01'
WHERE a.month = '2023-12-01';

-- median first response to a 2024 lead, per channel, in hours
INSERT INTO headline
SELECT 'median lead response, ' || channel || ' (hours)',
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM responded_at - created_at)) / 3600)::numeric, 1),
	   0.1, 24
FROM leads WHERE created_at >= '2024-01-01' GROUP BY channel;

SELECT CASE WHEN value BETWEEN low AND high THEN 'ok - ' ELSE 'not ok - ' END
	   || check_name || ': ' || coalesce(value::text, 'NULL') || ' (expected ' || low || ' to ' || high || ')'
FROM headline ORDER BY check_name;
