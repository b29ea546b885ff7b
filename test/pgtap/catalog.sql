-- Catalog facts for every smarkpi function: signature, kind, comment,
-- parallel safety, no SECURITY DEFINER, volatility and strictness.
BEGIN;
SELECT plan(1291);

CREATE TEMP TABLE expected_aggs (name text, args text[]);
INSERT INTO expected_aggs VALUES
	('conversion_rate', '{boolean}'),
	('conversion_rate', '{"timestamp with time zone","timestamp with time zone"}'),
	('conversion_rate', '{"timestamp with time zone","timestamp with time zone",interval}'),
	('mql_sal_rate', '{"timestamp with time zone","timestamp with time zone"}'),
	('mql_sal_rate', '{"timestamp with time zone","timestamp with time zone",interval}'),
	('win_rate', '{boolean}'),
	('cac', '{numeric,bigint}'),
	('cac_ratio', '{numeric,numeric}'),
	('sales_cycle_length', '{"timestamp with time zone","timestamp with time zone"}'),
	('funnel_velocity', '{"timestamp with time zone","timestamp with time zone",numeric,boolean}'),
	('nps', '{integer}'),
	('csat', '{integer}'),
	('csat', '{integer,integer}'),
	('open_rate', '{bigint,bigint}'),
	('click_through_rate', '{bigint,bigint}'),
	('engagement_rate', '{bigint,bigint}'),
	('cpl', '{numeric,bigint}'),
	('roi', '{numeric,numeric}'),
	('roas', '{numeric,numeric}'),
	('avg_deal_size', '{numeric,boolean}'),
	('pipeline_value', '{numeric,"double precision"}'),
	('open_pipeline_value', '{numeric,boolean}'),
	('quota_attainment', '{numeric,numeric}'),
	('marketing_contribution', '{numeric,boolean}'),
	('lead_response_time', '{"timestamp with time zone","timestamp with time zone"}'),
	('duration_percentile', '{"timestamp with time zone","timestamp with time zone","double precision"}'),
	('retention_rate', '{boolean,boolean}');

-- 27 aggregates x 4 tests = 108
SELECT has_function(name, args, name || '(' || array_to_string(args, ', ') || ') exists') FROM expected_aggs;
SELECT is_aggregate(name, args, name || '(' || array_to_string(args, ', ') || ') is an aggregate') FROM expected_aggs;
SELECT ok(a.aggcombinefn <> 0 AND a.aggminvtransfn <> 0,
		  name || '(' || array_to_string(args, ', ') || ') has a combine function and a moving-window inverse')
FROM expected_aggs e
JOIN pg_proc p ON p.oid = (e.name || '(' || array_to_string(e.args, ',') || ')')::regprocedure
JOIN pg_aggregate a ON a.aggfnoid = p.oid;
SELECT is(p.prorettype::regtype::text,
		  CASE WHEN name IN ('cac', 'funnel_velocity', 'cpl', 'avg_deal_size', 'pipeline_value', 'open_pipeline_value') THEN 'numeric'
			   WHEN name IN ('sales_cycle_length', 'lead_response_time', 'duration_percentile') THEN 'interval'
			   ELSE 'double precision' END,
		  name || '(' || array_to_string(args, ', ') || ') returns the documented type')
FROM expected_aggs e
JOIN pg_proc p ON p.oid = (e.name || '(' || array_to_string(e.args, ',') || ')')::regprocedure;

-- every function of the extension, found through its pg_depend entries
CREATE TEMP VIEW ext_functions AS
SELECT p.oid, p.oid::regprocedure::text AS sig, p.proname::text AS name,
	   ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, n) ORDER BY n) AS args,
	   p.prokind, p.provolatile, p.proparallel,
	   p.prosecdef, p.proisstrict
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'smarkpi';

SELECT is((SELECT count(*)::int FROM ext_functions), 376,
		  'smarkpi has 376 functions (99 aggregates, 9 window functions, 45 plain functions, 223 support functions)');
SELECT is((SELECT count(*)::int FROM ext_functions WHERE prokind = 'a'), 99,
		  '99 of them are aggregates (31 KPIs, 29 summaries, 11 rollups, 14 sketches, 2 Markov attributions, 5 ordered funnels, 3 pipeline histories, 2 CLV backtests, 2 cohort retentions)');
SELECT is((SELECT count(*)::int FROM ext_functions WHERE prosecdef), 0, 'no function is SECURITY DEFINER');
SELECT is((SELECT count(*)::int FROM ext_functions WHERE proparallel <> 's'), 0, 'every function is PARALLEL SAFE');
-- The result of a function that checks a row's values depends on the
-- smarkpi.invalid_rows setting, so it is STABLE; every other is IMMUTABLE.
CREATE TEMP VIEW reads_invalid_rows AS
SELECT oid FROM ext_functions
WHERE sig ~ '^smarkpi_((conversion_rate|mql_sal_rate|sales_cycle_length|lead_response_time|cac|cac_ratio|cpl|roi|roas|quota_attainment|avg_deal_size|pipeline_value|open_pipeline_value|marketing_contribution|funnel_velocity|csat|nps|open_rate|click_through_rate|engagement_rate)_(trans|inv)|duration_percentile_(trans|moving_trans|inv)|duration_sketch_(trans|inv)|rfm_trans|clv_trans|markov_(trans|inv)|window_funnel_trans|funnel_counts_(trans|inv)|stage_history_trans|pipeline_waterfall_trans|rfm_holdout_trans|clv_backtest_(trans|inv)|cohort_retention_(trans|inv))\('
   OR (prokind = 'w' AND sig !~ '^attribution_credit\(text(,double precision,double precision)?\)$')
   OR sig ~ '^(retention_rate\(bigint|cagr|cac_payback_months|pipeline_coverage|p_alive|expected_purchases|p_no_purchase|expected_spend|clv\(smarkpi_clv_model)';
SELECT is((SELECT count(*)::int FROM ext_functions WHERE provolatile <> 'i' AND oid NOT IN (SELECT oid FROM reads_invalid_rows)), 0,
		  'every function that does not read smarkpi.invalid_rows is IMMUTABLE');
SELECT is((SELECT count(*)::int FROM ext_functions WHERE provolatile <> 's' AND oid IN (SELECT oid FROM reads_invalid_rows)), 0,
		  'every function that reads smarkpi.invalid_rows is STABLE');
SELECT is((SELECT count(*)::int FROM ext_functions WHERE obj_description(oid, 'pg_proc') IS NULL), 0,
		  'every function has a comment');

-- per-function facts for each support function
SELECT isnt_definer(name, args, sig || ' is not SECURITY DEFINER')
FROM ext_functions f WHERE prokind = 'f' ORDER BY sig;
SELECT volatility_is(name, args, CASE WHEN oid IN (SELECT oid FROM reads_invalid_rows) THEN 'stable' ELSE 'immutable' END,
					 sig || CASE WHEN oid IN (SELECT oid FROM reads_invalid_rows) THEN ' is STABLE' ELSE ' is IMMUTABLE' END)
FROM ext_functions f WHERE prokind = 'f' ORDER BY sig;

-- strictness: transition functions that give NULL a meaning are not strict
SELECT is(proisstrict,
		  sig !~ '^smarkpi_((conversion_rate|mql_sal_rate|funnel_velocity|open_pipeline_value)_(trans|inv)|duration_percentile_(trans|moving_trans|inv|combine|final)|duration_sketch_(trans|inv)|rfm_(trans|combine|final)|clv_(trans|combine|fit_final|mean_final|summary_final|rollup|rollup_inv|rollup_final)|markov_(trans|inv|combine|final|rollup|rollup_inv)|window_funnel_(trans|combine|final|times_final)|funnel_counts_(trans|inv|combine|final)|stage_history_(trans|combine|final)|pipeline_waterfall_(trans|combine|final)|rfm_holdout_(trans|combine|final)|clv_backtest_(trans|inv|combine|final)|cohort_retention_(trans|inv|combine|rollup_inv|final)|distinct_sketch_(trans|combine|final))\(',
		  sig || CASE WHEN sig ~ '^smarkpi_((conversion_rate|mql_sal_rate|funnel_velocity|open_pipeline_value)_(trans|inv)|duration_percentile_(trans|moving_trans|inv|combine|final)|duration_sketch_(trans|inv)|rfm_(trans|combine|final)|clv_(trans|combine|fit_final|mean_final|summary_final|rollup|rollup_inv|rollup_final)|markov_(trans|inv|combine|final|rollup|rollup_inv)|window_funnel_(trans|combine|final|times_final)|funnel_counts_(trans|inv|combine|final)|stage_history_(trans|combine|final)|pipeline_waterfall_(trans|combine|final)|rfm_holdout_(trans|combine|final)|clv_backtest_(trans|inv|combine|final)|cohort_retention_(trans|inv|combine|rollup_inv|final)|distinct_sketch_(trans|combine|final))\('
				 THEN ' is not strict (NULL carries meaning)' ELSE ' is strict' END)
FROM ext_functions f WHERE prokind = 'f' ORDER BY sig;

-- window functions and plain functions: 9 x 2 + 6
CREATE TEMP TABLE expected_windows (name text, args text[]);
INSERT INTO expected_windows VALUES ('growth_rate', '{numeric}'), ('growth_rate', '{numeric,integer}'),
	('growth_rate', '{"double precision"}'), ('growth_rate', '{"double precision",integer}'),
	('magic_number', '{numeric,numeric}'),
	('attribution_credit', '{text}'), ('attribution_credit', '{text,"double precision","double precision"}'),
	('attribution_credit', '{text,"timestamp with time zone","timestamp with time zone"}'),
	('attribution_credit', '{text,"timestamp with time zone","timestamp with time zone",interval}');
SELECT has_function(name, args, name || '(' || array_to_string(args, ', ') || ') exists') FROM expected_windows;
SELECT is_window(name, args, name || '(' || array_to_string(args, ', ') || ') is a window function') FROM expected_windows;
SELECT has_function(name, args, name || '(' || array_to_string(args, ', ') || ') exists')
FROM (VALUES ('retention_rate', '{bigint,bigint,bigint}'::text[]),
			 ('cagr', '{numeric,numeric,"double precision"}'),
			 ('cac_payback_months', '{numeric,numeric,"double precision"}'),
			 ('days', '{interval}'),
			 ('attribution_shares', '{smarkpi_markov_summary}'),
			 ('markov_conversion_probability', '{smarkpi_markov_summary}'),
			 ('stage_durations', '{smarkpi_stage_history}'), ('current_stage', '{smarkpi_stage_history}'),
			 ('backward_moves', '{smarkpi_stage_history}'), ('waterfall_buckets', '{smarkpi_pipeline_waterfall}'),
			 ('pipeline_coverage', '{numeric,numeric,numeric}'),
			 ('retention_matrix', '{smarkpi_cohort_retention}'),
			 ('retention_matrix', '{smarkpi_cohort_retention,text}'),
			 ('distinct_count', '{smarkpi_distinct_sketch}')) f(name, args);

-- customer lifetime value: 6 aggregates, 6 functions, 4 composite types
CREATE TEMP TABLE expected_clv (name text, args text[], agg boolean);
INSERT INTO expected_clv VALUES
	('rfm', '{"timestamp with time zone",numeric,"timestamp with time zone"}', true),
	('clv_fit', '{smarkpi_rfm}', true), ('clv', '{smarkpi_rfm}', true), ('clv', '{smarkpi_rfm,integer,"double precision"}', true),
	('p_alive', '{smarkpi_clv_model,smarkpi_rfm}', false), ('expected_purchases', '{smarkpi_clv_model,smarkpi_rfm,"double precision"}', false),
	('expected_spend', '{smarkpi_clv_model,smarkpi_rfm}', false), ('clv', '{smarkpi_clv_model,smarkpi_rfm}', false),
	('clv', '{smarkpi_clv_model,smarkpi_rfm,integer,"double precision"}', false),
	('rfm_holdout', '{"timestamp with time zone",numeric,"timestamp with time zone","timestamp with time zone"}', true),
	('clv_backtest', '{smarkpi_clv_model,smarkpi_rfm_holdout}', true),
	('p_no_purchase', '{smarkpi_clv_model,smarkpi_rfm,"double precision"}', false);
SELECT has_function(name, args, name || '(' || array_to_string(args, ', ') || ') exists') FROM expected_clv;
SELECT is_aggregate(name, args, name || '(' || array_to_string(args, ', ') || ') is an aggregate')
FROM expected_clv WHERE agg;
SELECT has_composite(t) FROM unnest(ARRAY['smarkpi_rfm', 'smarkpi_clv_model', 'smarkpi_rfm_holdout', 'smarkpi_clv_backtest']) t;

-- the state types exist and have binary I/O: 19 x 2
SELECT has_type(t) FROM unnest(ARRAY['smarkpi_rate_summary', 'smarkpi_duration_summary', 'smarkpi_money_summary',
									 'smarkpi_velocity_summary', 'smarkpi_count_ratio_summary', 'smarkpi_score_summary',
									 'smarkpi_duration_sketch', 'smarkpi_clv_summary', 'smarkpi_markov_summary',
									 'smarkpi_funnel_counts_summary', 'smarkpi_window_funnel_summary',
									 'smarkpi_duration_percentile_summary', 'smarkpi_rfm_summary',
									 'smarkpi_stage_history', 'smarkpi_pipeline_waterfall',
									 'smarkpi_rfm_holdout_summary', 'smarkpi_clv_backtest_summary',
									 'smarkpi_cohort_retention', 'smarkpi_distinct_sketch']) t;
SELECT ok(typsend <> 0 AND typreceive <> 0, typname || ' has binary send and receive')
FROM pg_type WHERE typname IN ('smarkpi_rate_summary', 'smarkpi_duration_summary', 'smarkpi_money_summary',
							   'smarkpi_velocity_summary', 'smarkpi_count_ratio_summary', 'smarkpi_score_summary',
							   'smarkpi_duration_sketch', 'smarkpi_clv_summary', 'smarkpi_markov_summary',
							   'smarkpi_funnel_counts_summary', 'smarkpi_window_funnel_summary',
							   'smarkpi_duration_percentile_summary', 'smarkpi_rfm_summary',
							   'smarkpi_stage_history', 'smarkpi_pipeline_waterfall',
							   'smarkpi_rfm_holdout_summary', 'smarkpi_clv_backtest_summary',
							   'smarkpi_cohort_retention', 'smarkpi_distinct_sketch')
ORDER BY typname;

-- two-step summaries: a k_summary for every KPI aggregate with a SQL state
-- type, returning that state; rollup per state type; an accessor per KPI
CREATE TEMP TABLE expected_summaries AS
SELECT e.name || '_summary' AS name, e.args, a.aggtranstype::regtype::text AS state
FROM expected_aggs e
JOIN pg_aggregate a ON a.aggfnoid = (e.name || '(' || array_to_string(e.args, ',') || ')')::regprocedure
WHERE a.aggtranstype <> 'internal'::regtype
  AND e.name <> 'duration_percentile';  -- its summary is duration_sketch
SELECT is((SELECT count(*)::int FROM expected_summaries), 26, '26 KPI aggregates have SQL state types');
-- 26 summaries x 3 tests
SELECT is_aggregate(name, args, name || '(' || array_to_string(args, ', ') || ') is an aggregate') FROM expected_summaries;
SELECT ok(a.aggcombinefn <> 0 AND a.aggminvtransfn <> 0 AND a.aggfinalfn = 0,
		  s.name || '(' || array_to_string(s.args, ', ') || ') has a combine function and an inverse, and no final function')
FROM expected_summaries s
JOIN pg_aggregate a ON a.aggfnoid = (s.name || '(' || array_to_string(s.args, ',') || ')')::regprocedure;
SELECT is(p.prorettype::regtype::text, s.state, s.name || '(' || array_to_string(s.args, ', ') || ') returns ' || s.state)
FROM expected_summaries s
JOIN pg_proc p ON p.oid = (s.name || '(' || array_to_string(s.args, ',') || ')')::regprocedure;
-- each summary runs its KPI's own transition, inverse and combine functions,
-- so it applies the same row rules (NULLs, errors, smarkpi.invalid_rows)
SELECT ok(sa.aggtransfn = ka.aggtransfn AND sa.aggmtransfn = ka.aggmtransfn
		  AND sa.aggminvtransfn = ka.aggminvtransfn AND sa.aggcombinefn = ka.aggcombinefn,
		  s.name || '(' || array_to_string(s.args, ', ') || ') shares its KPI''s transition functions')
FROM expected_summaries s
JOIN pg_aggregate sa ON sa.aggfnoid = (s.name || '(' || array_to_string(s.args, ',') || ')')::regprocedure
JOIN pg_aggregate ka ON ka.aggfnoid = (replace(s.name, '_summary', '') || '(' || array_to_string(s.args, ',') || ')')::regprocedure;
-- rollup: one per summary type, x 3 tests
CREATE TEMP TABLE summary_types AS
SELECT unnest(ARRAY['smarkpi_rate_summary', 'smarkpi_duration_summary', 'smarkpi_money_summary', 'smarkpi_velocity_summary',
					'smarkpi_count_ratio_summary', 'smarkpi_score_summary', 'smarkpi_duration_sketch',
					'smarkpi_clv_summary', 'smarkpi_markov_summary', 'smarkpi_cohort_retention',
					'smarkpi_distinct_sketch']) AS typ;
-- Citus ships a partial state between nodes only as a SQL type (issue 20)
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_aggregate a JOIN ext_functions p ON p.oid = a.aggfnoid
		   WHERE a.aggtranstype = 'internal'::regtype), NULL, 'no aggregate keeps an internal state');
SELECT is_aggregate('rollup', ARRAY[typ], 'rollup(' || typ || ') is an aggregate') FROM summary_types;
-- (HyperLogLog registers cannot forget a value: the distinct sketch's has no inverse)
SELECT ok(a.aggcombinefn <> 0 AND (a.aggminvtransfn <> 0) = (typ <> 'smarkpi_distinct_sketch')
		  AND p.prorettype = typ::regtype AND a.aggtranstype = typ::regtype,
		  'rollup(' || typ || ') returns its type, with a combine function'
		  || CASE WHEN typ <> 'smarkpi_distinct_sketch' THEN ' and a moving-window inverse' ELSE ' and no inverse' END)
FROM summary_types
JOIN pg_proc p ON p.oid = ('rollup(' || typ || ')')::regprocedure
JOIN pg_aggregate a ON a.aggfnoid = p.oid;
SELECT is(p.proparallel, 's', 'rollup(' || typ || ') is parallel safe')
FROM summary_types JOIN pg_proc p ON p.oid = ('rollup(' || typ || ')')::regprocedure;
-- accessors: the KPI's own name, returning what the aggregate returns; 22 x 2
CREATE TEMP TABLE expected_accessors AS
SELECT DISTINCT e.name, s.state, ka.prorettype::regtype::text AS ret
FROM expected_summaries s
JOIN expected_aggs e ON e.name || '_summary' = s.name AND e.args = s.args
JOIN pg_proc ka ON ka.oid = (e.name || '(' || array_to_string(e.args, ',') || ')')::regprocedure;
SELECT has_function(name, ARRAY[state], name || '(' || state || ') exists') FROM expected_accessors ORDER BY name;
SELECT is(p.prorettype::regtype::text, ret, name || '(' || state || ') returns ' || ret)
FROM expected_accessors JOIN pg_proc p ON p.oid = (name || '(' || state || ')')::regprocedure ORDER BY name;
-- customer summaries: clv_fit and clv, whose states are smarkpi_clv_summary, 3 + 2 x 2
SELECT is(p.prorettype::regtype::text, 'smarkpi_clv_summary', p.oid::regprocedure::text || ' returns smarkpi_clv_summary')
FROM pg_proc p WHERE p.proname IN ('clv_fit_summary', 'clv_summary') ORDER BY p.oid::regprocedure::text;
SELECT has_function('clv_fit', ARRAY['smarkpi_clv_summary'], 'clv_fit(smarkpi_clv_summary) exists');
SELECT function_returns('clv_fit', ARRAY['smarkpi_clv_summary'], 'smarkpi_clv_model', 'clv_fit(smarkpi_clv_summary) returns smarkpi_clv_model');
SELECT has_function('clv', ARRAY['smarkpi_clv_summary'], 'clv(smarkpi_clv_summary) exists');
SELECT function_returns('clv', ARRAY['smarkpi_clv_summary'], 'double precision', 'clv(smarkpi_clv_summary) returns double precision');
SELECT throws_ok($$SELECT conversion_rate(win_rate_summary(true))$$, '42804', NULL,
				 'an accessor refuses another KPI''s summary (42804)');
SELECT throws_ok($$SELECT rollup(s) FROM (VALUES ('win_rate(1,2)'::smarkpi_rate_summary), ('csat(1,2)')) v(s)$$, '42804', NULL,
				 'rollup refuses to merge summaries of different KPIs (42804)');
SELECT ok((SELECT rollup(s) FROM (SELECT NULL::smarkpi_money_summary AS s) x) IS NULL, 'rollup of only NULLs is NULL');

-- Markov attribution, ordered funnels, pipeline histories, CLV backtests, cohort retention and
-- distinct sketches:
-- aggregates with a combine function; a moving-window inverse where one
-- exists (window_funnel has none: removing one event can change the chain
-- anywhere; nor the pipeline histories, read in time order, nor rfm_holdout,
-- which reads a customer's orders whole, nor distinct_sketch, which cannot
-- forget a value); 16 x 4
CREATE TEMP TABLE expected_journey_aggs (name text, args text[], ret text, inverse boolean);
INSERT INTO expected_journey_aggs VALUES
	('markov_attribution', '{text[],boolean}', 'smarkpi_markov_summary', true),
	('markov_attribution', '{text[],boolean,numeric}', 'smarkpi_markov_summary', true),
	('window_funnel', '{interval,"timestamp with time zone",integer}', 'integer', false),
	('window_funnel', '{interval,"timestamp with time zone",integer,text}', 'integer', false),
	('window_funnel_times', '{interval,"timestamp with time zone",integer}', 'interval[]', false),
	('window_funnel_times', '{interval,"timestamp with time zone",integer,text}', 'interval[]', false),
	('funnel_counts', '{integer,integer}', 'bigint[]', true),
	('stage_history', '{"timestamp with time zone",text,text[]}', 'smarkpi_stage_history', false),
	('stage_history', '{"timestamp with time zone",text,text[],"timestamp with time zone"}', 'smarkpi_stage_history', false),
	('pipeline_waterfall', '{bigint,"timestamp with time zone",numeric,date,text,"timestamp with time zone","timestamp with time zone",daterange}',
	 'smarkpi_pipeline_waterfall', false),
	('rfm_holdout', '{"timestamp with time zone",numeric,"timestamp with time zone","timestamp with time zone"}', 'smarkpi_rfm_holdout', false),
	('clv_backtest', '{smarkpi_clv_model,smarkpi_rfm_holdout}', 'smarkpi_clv_backtest', true),
	('cohort_retention', '{bigint,"timestamp with time zone",text,"timestamp with time zone"}', 'smarkpi_cohort_retention', true),
	('cohort_retention', '{bigint,"timestamp with time zone",text,"timestamp with time zone",text}', 'smarkpi_cohort_retention', true),
	('distinct_sketch', '{anyelement}', 'smarkpi_distinct_sketch', false),
	('distinct_sketch', '{anyelement,integer}', 'smarkpi_distinct_sketch', false);
SELECT has_function(name, args, name || '(' || array_to_string(args, ', ') || ') exists') FROM expected_journey_aggs;
SELECT is_aggregate(name, args, name || '(' || array_to_string(args, ', ') || ') is an aggregate') FROM expected_journey_aggs;
SELECT ok(a.aggcombinefn <> 0 AND (a.aggminvtransfn <> 0) = e.inverse,
		  name || '(' || array_to_string(args, ', ') || ') has a combine function'
		  || CASE WHEN e.inverse THEN ' and a moving-window inverse' ELSE ' and no moving-window inverse' END)
FROM expected_journey_aggs e
JOIN pg_aggregate a ON a.aggfnoid = (e.name || '(' || array_to_string(e.args, ',') || ')')::regprocedure;
SELECT is(p.prorettype::regtype::text, e.ret, name || '(' || array_to_string(args, ', ') || ') returns ' || e.ret)
FROM expected_journey_aggs e
JOIN pg_proc p ON p.oid = (e.name || '(' || array_to_string(e.args, ',') || ')')::regprocedure;

-- documented errors, with SQLSTATEs
SELECT throws_ok($$SELECT cac(1, -1)$$, '22023', NULL, 'negative new_customers is 22023');
SELECT throws_ok($$SELECT sales_cycle_length('2024-01-02', '2024-01-01')$$, '22023', NULL, 'close before create is 22023');
SELECT throws_ok($$SELECT sales_cycle_length('infinity', '2024-01-01')$$, '22008', NULL, 'infinite timestamp is 22008');
SELECT throws_ok($$SELECT cac('NaN', 1)$$, '22023', NULL, 'NaN amount is 22023');
SELECT throws_ok($$SELECT mql_sal_rate(now(), now(), '-1 day')$$, '22023', NULL, 'negative within is 22023');
SELECT throws_ok($$SELECT '(3,2)'::smarkpi_rate_summary$$, '22P02', NULL, 'inconsistent state text is 22P02');
SELECT throws_ok($$SELECT nps(11)$$, '22023', NULL, 'an NPS score of 11 is 22023');
SELECT throws_ok($$SELECT pipeline_value(100, 1.5)$$, '22023', NULL, 'a probability of 1.5 is 22023');
SELECT is(open_rate(30, 20), 1.5::float8, 'total opens above deliveries give a rate above 1, not an error');
SELECT throws_ok($$SELECT cac(-1, 1)$$, '22023', NULL, 'negative spend is 22023 by default');
SET smarkpi.invalid_rows = skip;
SELECT is(cac(spend, n), 5::numeric, 'negative spend is left out under smarkpi.invalid_rows = skip')
FROM (VALUES (-1::numeric, 1::bigint), (10, 2)) v(spend, n);
SELECT throws_ok($$SELECT duration_percentile(now(), now(), 2)$$, '22003', NULL,
				 'a bad parameter stays an error under smarkpi.invalid_rows = skip');
RESET smarkpi.invalid_rows;
SELECT throws_ok($$SELECT engagement_rate(9223372036854775807, 1) FROM generate_series(1, 2)$$, '22003', NULL, 'a count sum past 2^63 is 22003');
SELECT throws_ok($$SELECT attribution_credit('u_shaped') OVER ()$$, '22023', NULL, 'an unknown attribution model is 22023');
SELECT throws_ok($$SELECT markov_attribution(ARRAY['email', NULL], true)$$, '22004', NULL, 'a NULL channel in a path is 22004');
SELECT throws_ok($$SELECT window_funnel('1 day', now(), 1, 'strictest')$$, '22023', NULL, 'an unknown window_funnel mode is 22023');
SELECT throws_ok($$SELECT window_funnel('-1 day', now(), 1)$$, '22023', NULL, 'a negative funnel window is 22023');

-- the install script: \echo guard first, no CREATE OR REPLACE / IF NOT
-- EXISTS (CVE-2022-2625), no SECURITY DEFINER, no quoted @extschema@
CREATE TEMP TABLE install_script AS
SELECT pg_read_file((SELECT setting FROM pg_config WHERE name = 'SHAREDIR') || '/extension/smarkpi--1.0.sql') AS body;
SELECT ok(body ~ '^[^\n]*\n*\\echo Use "CREATE EXTENSION smarkpi" to load this file\. \\quit',
		  'the install script starts with the \echo ... \quit guard') FROM install_script;
SELECT ok(body !~* 'CREATE\s+OR\s+REPLACE', 'the install script has no CREATE OR REPLACE') FROM install_script;
SELECT ok(body !~* 'IF\s+NOT\s+EXISTS', 'the install script has no IF NOT EXISTS') FROM install_script;
SELECT ok(body !~* 'SECURITY\s+DEFINER', 'the install script has no SECURITY DEFINER') FROM install_script;
SELECT ok(body !~ '[''"]@extschema@', 'the install script never quotes @extschema@') FROM install_script;
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'smarkpi'), true, 'smarkpi is relocatable');

SELECT * FROM finish();
ROLLBACK;
