-- one pgbench transaction: a mix of smarkpi aggregates, GROUP BY, moving
-- windows and a forced-parallel query over the sample CRM
\set ch random(0, 3)
SELECT win_rate(won), cac_ratio(amount, amount + 1), funnel_velocity(created_at, closed_at, amount, won),
	   duration_percentile(created_at, closed_at, 0.5), pipeline_value(amount, probability)
FROM opportunities;
SELECT channel, mql_sal_rate(mql_at, sal_at, interval '2 days'), conversion_rate(sal_at, sql_at),
	   lead_response_time(created_at, responded_at)
FROM leads GROUP BY channel;
SELECT count(x) FROM (SELECT cac(spend, new_customers) OVER (PARTITION BY channel ORDER BY month ROWS 2 PRECEDING) AS x
					  FROM ad_spend) s;
SELECT count(x) FROM (SELECT duration_percentile(created_at, closed_at, 0.9) OVER (ORDER BY opp_id ROWS 50 PRECEDING) AS x
					  FROM opportunities) s;
SELECT nps(nps_score), csat(csat_score) FROM surveys WHERE channel = (ARRAY['paid_search', 'social', 'events', 'referral'])[:ch + 1];
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT win_rate(won), sales_cycle_length(created_at, closed_at), avg_deal_size(amount, won) FROM opportunities;
RESET max_parallel_workers_per_gather;
