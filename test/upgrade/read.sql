-- Reads what states.sql stored: the same text before and after an update.
SET timezone = 'UTC';
SET extra_float_digits = 3;
\pset footer off
SELECT * FROM up_kpis ORDER BY segment;
SELECT * FROM up_rollup ORDER BY segment;
SELECT win_rate(rollup(win)), cac(rollup(cac)), days(sales_cycle_length(rollup(cycle))),
	   funnel_velocity(rollup(velocity)), nps(rollup(nps))
FROM up_summaries;
SELECT md5(string_agg(win::text || cac::text || cycle::text || sketch::text || velocity::text || nps::text,
					  ',' ORDER BY segment, day)) AS stored_summaries
FROM up_summaries;
SELECT s.* FROM up_journeys, attribution_shares(journeys) s ORDER BY channel;
SELECT markov_conversion_probability(journeys) FROM up_journeys;
SELECT segment, customer FROM up_customers ORDER BY segment, customer::text LIMIT 5;
SELECT (clv_fit(customer)).customers, clv(customer) IS NOT NULL AS has_clv FROM up_customers;
