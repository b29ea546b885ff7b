-- Bad-input matrix: every smarkpi function, every argument, every kind of bad
-- value.  Each case must give the documented NULL, a value, or a clear error
-- with its SQLSTATE -- never XX000 and never a crash.  A new function is one
-- more row in smarkpi_matrix_functions.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- kind: a = aggregate (run over two identical rows, so sums can overflow),
-- w = window function, f = plain function
CREATE TABLE smarkpi_matrix_functions (name text, kind char, argtypes text[], good text[]);
INSERT INTO smarkpi_matrix_functions VALUES
	('conversion_rate', 'a', '{boolean}', '{true}'),
	('conversion_rate', 'a', '{timestamptz,timestamptz}', '{''2024-01-01'',''2024-01-02''}'),
	('conversion_rate', 'a', '{timestamptz,timestamptz,interval}', '{''2024-01-01'',''2024-01-02'',''2 days''}'),
	('mql_sal_rate', 'a', '{timestamptz,timestamptz}', '{''2024-01-01'',''2024-01-02''}'),
	('mql_sal_rate', 'a', '{timestamptz,timestamptz,interval}', '{''2024-01-01'',''2024-01-02'',''2 days''}'),
	('win_rate', 'a', '{boolean}', '{true}'),
	('cac', 'a', '{numeric,bigint}', '{100,4}'),
	('cac_ratio', 'a', '{numeric,numeric}', '{300,100}'),
	('sales_cycle_length', 'a', '{timestamptz,timestamptz}', '{''2024-01-01'',''2024-01-11''}'),
	('funnel_velocity', 'a', '{timestamptz,timestamptz,numeric,boolean}', '{''2024-01-01'',''2024-01-11'',1000,true}'),
	('nps', 'a', '{integer}', '{9}'),
	('csat', 'a', '{integer}', '{4}'),
	('csat', 'a', '{integer,integer}', '{4,5}'),
	('open_rate', 'a', '{bigint,bigint}', '{10,100}'),
	('click_through_rate', 'a', '{bigint,bigint}', '{3,1000}'),
	('engagement_rate', 'a', '{bigint,bigint}', '{30,200}'),
	('cpl', 'a', '{numeric,bigint}', '{100,4}'),
	('roi', 'a', '{numeric,numeric}', '{150,100}'),
	('roas', 'a', '{numeric,numeric}', '{300,100}'),
	('avg_deal_size', 'a', '{numeric,boolean}', '{1000,true}'),
	('pipeline_value', 'a', '{numeric,"double precision"}', '{1000,0.5}'),
	('quota_attainment', 'a', '{numeric,numeric}', '{80,100}'),
	('marketing_contribution', 'a', '{numeric,boolean}', '{100,true}'),
	('lead_response_time', 'a', '{timestamptz,timestamptz}', '{''2024-01-01'',''2024-01-01 02:00''}'),
	('duration_percentile', 'a', '{timestamptz,timestamptz,"double precision"}', '{''2024-01-01'',''2024-01-11'',0.5}'),
	('duration_sketch', 'a', '{timestamptz,timestamptz}', '{''2024-01-01'',''2024-01-11''}'),
	('duration_sketch', 'a', '{timestamptz,timestamptz,"double precision"}', '{''2024-01-01'',''2024-01-11'',0.01}'),
	('rollup', 'a', '{smarkpi_duration_sketch}', '{"''(0.01,2,0,1300,{1,1})''"}'),
	('duration_percentile', 'f', '{smarkpi_duration_sketch,"double precision"}', '{"''(0.01,2,0,1300,{1,1})''",0.5}'),
	('retention_rate', 'a', '{boolean,boolean}', '{true,true}'),
	('growth_rate', 'w', '{numeric}', '{100}'),
	('growth_rate', 'w', '{numeric,integer}', '{100,1}'),
	('growth_rate', 'w', '{"double precision"}', '{100}'),
	('growth_rate', 'w', '{"double precision",integer}', '{100,1}'),
	('magic_number', 'w', '{numeric,numeric}', '{120,50}'),
	('retention_rate', 'f', '{bigint,bigint,bigint}', '{100,110,20}'),
	('cagr', 'f', '{numeric,numeric,"double precision"}', '{100,121,2}'),
	('cac_payback_months', 'f', '{numeric,numeric,"double precision"}', '{1200,100,0.8}'),
	('rfm', 'a', '{timestamptz,numeric,timestamptz}', '{''2024-01-01'',100,''2024-03-01''}'),
	('clv_fit', 'a', '{smarkpi_rfm}', '{"ROW(2, 30, 60, 31)"}'),
	('clv', 'a', '{smarkpi_rfm}', '{"ROW(2, 30, 60, 31)"}'),
	('clv', 'a', '{smarkpi_rfm,integer,"double precision"}', '{"ROW(2, 30, 60, 31)",12,0.01}'),
	('p_alive', 'f', '{smarkpi_clv_model,smarkpi_rfm}', '{"ROW(0.5, 10, 0.8, 2.5, 6, 4, 15, 100, 50, -1, -1, true, true)","ROW(2, 30, 60, 31)"}'),
	('expected_purchases', 'f', '{smarkpi_clv_model,smarkpi_rfm,"double precision"}', '{"ROW(0.5, 10, 0.8, 2.5, 6, 4, 15, 100, 50, -1, -1, true, true)","ROW(2, 30, 60, 31)",30}'),
	('expected_spend', 'f', '{smarkpi_clv_model,smarkpi_rfm}', '{"ROW(0.5, 10, 0.8, 2.5, 6, 4, 15, 100, 50, -1, -1, true, true)","ROW(2, 30, 60, 31)"}'),
	('clv', 'f', '{smarkpi_clv_model,smarkpi_rfm}', '{"ROW(0.5, 10, 0.8, 2.5, 6, 4, 15, 100, 50, -1, -1, true, true)","ROW(2, 30, 60, 31)"}'),
	('clv', 'f', '{smarkpi_clv_model,smarkpi_rfm,integer,"double precision"}', '{"ROW(0.5, 10, 0.8, 2.5, 6, 4, 15, 100, 50, -1, -1, true, true)","ROW(2, 30, 60, 31)",12,0.01}'),
	('attribution_credit', 'w', '{text}', '{''linear''}'),
	('attribution_credit', 'w', '{text,"double precision","double precision"}', '{''position_based'',0.4,0.4}'),
	('attribution_credit', 'w', '{text,timestamptz,timestamptz}', '{''time_decay'',''2024-01-01'',''2024-01-02''}'),
	('attribution_credit', 'w', '{text,timestamptz,timestamptz,interval}', '{''time_decay'',''2024-01-01'',''2024-01-02'',''7 days''}'),
	('markov_attribution', 'a', '{text[],boolean}', '{"''{A,B}''",true}'),
	('markov_attribution', 'a', '{text[],boolean,numeric}', '{"''{A,B}''",true,100}'),
	('rollup', 'a', '{smarkpi_markov_summary}', '{"''(1,1,0,0,0,{(start)>\"A\"=1,\"A\">(conversion)=1})''"}'),
	('attribution_shares', 'f', '{smarkpi_markov_summary}', '{"''(1,1,0,0,0,{(start)>\"A\"=1,\"A\">(conversion)=1})''"}'),
	('markov_conversion_probability', 'f', '{smarkpi_markov_summary}', '{"''(1,1,0,0,0,{(start)>\"A\"=1,\"A\">(conversion)=1})''"}'),
	('window_funnel', 'a', '{interval,timestamptz,integer}', '{''1 day'',''2024-01-01'',1}'),
	('window_funnel', 'a', '{interval,timestamptz,integer,text}', '{''1 day'',''2024-01-01'',1,''strict_order''}'),
	('window_funnel_times', 'a', '{interval,timestamptz,integer}', '{''1 day'',''2024-01-01'',1}'),
	('window_funnel_times', 'a', '{interval,timestamptz,integer,text}', '{''1 day'',''2024-01-01'',1,''strict_order''}'),
	('funnel_counts', 'a', '{integer,integer}', '{2,4}'),
	('stage_history', 'a', '{timestamptz,text,text[]}', '{''2024-01-01'',''a'',"''{a,b}''"}'),
	('stage_history', 'a', '{timestamptz,text,text[],timestamptz}', '{''2024-01-01'',''a'',"''{a,b}''",''2024-02-01''}'),
	('stage_durations', 'f', '{smarkpi_stage_history}', '{"''\\x010000000000000000000000000001000000016100000000000000010000000000000001000000000000000000000000''"}'),
	('current_stage', 'f', '{smarkpi_stage_history}', '{"''\\x010000000000000000000000000001000000016100000000000000010000000000000001000000000000000000000000''"}'),
	('backward_moves', 'f', '{smarkpi_stage_history}', '{"''\\x010000000000000000000000000001000000016100000000000000010000000000000001000000000000000000000000''"}'),
	('pipeline_waterfall', 'a', '{bigint,timestamptz,numeric,date,text,timestamptz,timestamptz,daterange}',
	 '{1,''2024-01-15'',100,''2024-02-01'',''open'',''2024-01-01'',''2024-03-31'',"''[2024-01-01,2024-04-01)''"}'),
	('waterfall_buckets', 'f', '{smarkpi_pipeline_waterfall}', '{"''\\x010c0000000000000000000000000000000000000000000000000000000000000001000000000000000100000000000000010000000000000000000000000000000500000000000000''"}'),
	('pipeline_coverage', 'f', '{numeric,numeric,numeric}', '{300,1000,400}'),
	('rfm_holdout', 'a', '{timestamptz,numeric,timestamptz,timestamptz}', '{''2024-01-05'',12.5,''2024-02-01'',''2024-03-01''}'),
	('clv_backtest', 'a', '{smarkpi_clv_model,smarkpi_rfm_holdout}',
	 '{"ROW(0.5, 10, 0.8, 2.5, 6, 4, 15, 100, 50, -1, -1, true, true)","ROW(ROW(2, 30, 60, 31), 1, 10, 30)"}'),
	('p_no_purchase', 'f', '{smarkpi_clv_model,smarkpi_rfm,"double precision"}',
	 '{"ROW(0.5, 10, 0.8, 2.5, 6, 4, 15, 100, 50, -1, -1, true, true)","ROW(2, 30, 60, 31)",30}'),
	('distinct_sketch', 'a', '{text}', '{''lead-1''}'),
	('distinct_sketch', 'a', '{bigint,integer}', '{42,12}'),
	('rollup', 'a', '{smarkpi_distinct_sketch}', '{"''\\x010e000000000303304440cec5c13b0776d436c6f35554a6c0bbbdb3f52c68''"}'),
	('distinct_count', 'f', '{smarkpi_distinct_sketch}', '{"''\\x010e000000000303304440cec5c13b0776d436c6f35554a6c0bbbdb3f52c68''"}'),
	('cohort_retention', 'a', '{bigint,timestamptz,text,timestamptz}', '{7,''2024-01-05'',''month'',''2024-06-01''}'),
	('cohort_retention', 'a', '{bigint,timestamptz,text,timestamptz,text}', '{7,''2024-01-05'',''week'',''2024-06-01'',''Europe/Berlin''}'),
	('rollup', 'a', '{smarkpi_cohort_retention}', '{"''\\x0103000000035554430002bcc78cca400000000000000000040000000000000001000001200000000000000001000000000000000100000122000000000000000100000000000000020000012100000000000000010000000000000003000001240000000000000001''"}'),
	('retention_matrix', 'f', '{smarkpi_cohort_retention}', '{"''\\x0103000000035554430002bcc78cca400000000000000000040000000000000001000001200000000000000001000000000000000100000122000000000000000100000000000000020000012100000000000000010000000000000003000001240000000000000001''"}'),
	('retention_matrix', 'f', '{smarkpi_cohort_retention,text}', '{"''\\x0103000000035554430002bcc78cca400000000000000000040000000000000001000001200000000000000001000000000000000100000122000000000000000100000000000000020000012100000000000000010000000000000003000001240000000000000001''",''on_or_after''}');

CREATE TABLE smarkpi_bad_values (argtype text, value text);
INSERT INTO smarkpi_bad_values VALUES
	('boolean', 'NULL'),
	('integer', 'NULL'), ('integer', '-1'), ('integer', '0'), ('integer', '11'),
	('integer', '2147483647'), ('integer', '-2147483648'),
	('bigint', 'NULL'), ('bigint', '-1'), ('bigint', '0'),
	('bigint', '9223372036854775807'), ('bigint', '-9223372036854775808'),
	('numeric', 'NULL'), ('numeric', '''NaN'''), ('numeric', '''Infinity'''), ('numeric', '''-Infinity'''),
	('numeric', '-1'), ('numeric', '0'), ('numeric', '1e300'), ('numeric', '-1e300'), ('numeric', '1e-300'),
	('double precision', 'NULL'), ('double precision', '''NaN'''), ('double precision', '''Infinity'''),
	('double precision', '''-Infinity'''), ('double precision', '-1'), ('double precision', '0'),
	('double precision', '1.5'), ('double precision', '1e308'), ('double precision', '4.9e-324'),
	('timestamptz', 'NULL'), ('timestamptz', '''infinity'''), ('timestamptz', '''-infinity'''),
	('timestamptz', '''4713-01-01 00:00 BC'''), ('timestamptz', '''294276-12-31 23:59:59'''),
	('interval', 'NULL'), ('interval', '''-1 day'''), ('interval', '''0'''),
	('interval', '''178000000 years'''), ('interval', '''-178000000 years'''),
	('smarkpi_rfm', 'NULL'), ('smarkpi_rfm', 'ROW(NULL, 1, 10, 5)'), ('smarkpi_rfm', 'ROW(-1, 0, 10, 0)'), ('smarkpi_rfm', 'ROW(1, 11, 10, 5)'),
	('smarkpi_rfm', 'ROW(1, 1, 0, 5)'), ('smarkpi_rfm', 'ROW(1, 1, 10, -5)'), ('smarkpi_rfm', 'ROW(1, ''NaN'', 10, 5)'),
	('smarkpi_rfm', 'ROW(1, 1, ''Infinity'', 5)'), ('smarkpi_rfm', 'ROW(2147483647, 1, 1e300, 1e300)'),
	('smarkpi_clv_model', 'NULL'), ('smarkpi_clv_model', 'ROW(-1, 10, 0.8, 2.5, 6, 4, 15, 100, 50, -1, -1, true, true)'),
	('smarkpi_clv_model', 'ROW(''NaN'', 10, 0.8, 2.5, 6, 4, 15, 100, 50, -1, -1, true, true)'),
	('smarkpi_clv_model', 'ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, 5, 0, NULL, NULL, false, false)'),
	('smarkpi_clv_model', 'ROW(1e300, 1e-300, 1e300, 1e-300, 1e300, 1e-300, 1e300, 1, 1, 0, 0, true, true)'),
	('smarkpi_duration_sketch', 'NULL'), ('smarkpi_duration_sketch', '''(0.01,0,0,0,{})'''),
	('smarkpi_duration_sketch', '''(0.05,1,0,0,{1})'''), ('smarkpi_duration_sketch', '''(0.0001,3,3,0,{})'''),
	('smarkpi_duration_sketch', '''(0.01,9223372036854775807,0,2184,{9223372036854775807})'''),
	('smarkpi_duration_sketch', '''(0.01,1,0,0,{2})'''),
	('text', 'NULL'), ('text', ''''''), ('text', '''Linear'''), ('text', '''bogus'''), ('text', ''','''),
	('text', '''time_decay'''), ('text', '''allow_reentry'''),
	('text', '''strict_order, allow_reentry, strict_once, strict_increase, strict_deduplication'''),
	('text[]', 'NULL'), ('text[]', '''{}'''), ('text[]', '''{A,NULL}'''), ('text[]', '''{A,""}'''),
	('text[]', '''{{A,B},{C,D}}'''), ('text[]', '''{A,A,A}'''),
	('smarkpi_markov_summary', 'NULL'), ('smarkpi_markov_summary', '''(0,0,0,0,0,{})'''),
	('smarkpi_markov_summary', '''(1,0,0,0,0,{(start)>(null)=1})'''),
	('smarkpi_markov_summary', '''(9223372036854775807,0,0,0,0,{(start)>"A"=9223372036854775807,"A">(null)=9223372036854775807})'''),
	('date', 'NULL'), ('date', '''infinity'''), ('date', '''-infinity'''), ('date', '''4713-01-01 BC'''),
	('daterange', 'NULL'), ('daterange', '''empty'''), ('daterange', '''(,)'''), ('daterange', '''[2024-03-01,2024-03-01]'''),
	('smarkpi_stage_history', 'NULL'),
	('smarkpi_stage_history', '''\x0100000000000000000000000000010000000161000000000000000100000000000000010000000000000000000000ff'''),
	('smarkpi_rfm_holdout', 'NULL'), ('smarkpi_rfm_holdout', 'ROW(NULL, 1, 10, 30)'),
	('smarkpi_rfm_holdout', 'ROW(ROW(-1, 0, 10, 0), 1, 10, 30)'), ('smarkpi_rfm_holdout', 'ROW(ROW(2, 30, 60, 31), -1, 10, 30)'),
	('smarkpi_rfm_holdout', 'ROW(ROW(2, 30, 60, 31), 1, ''NaN'', 30)'), ('smarkpi_rfm_holdout', 'ROW(ROW(2, 30, 60, 31), 1, -5, 30)'),
	('smarkpi_rfm_holdout', 'ROW(ROW(2, 30, 60, 31), 1, 10, ''Infinity'')'),
	('smarkpi_rfm_holdout', 'ROW(ROW(2, 30, 60, 31), 2147483647, 1e300, 1e308)'),
	('smarkpi_distinct_sketch', 'NULL'), ('smarkpi_distinct_sketch', '''\x01040103020303020200030202030404020402'''),
	('smarkpi_cohort_retention', 'NULL'), ('smarkpi_cohort_retention', '''\x01020000000d4575726f70652f4265726c696e0002b58cd363c00000000000000000010000000000000001000004e40000000000000001'''),
	('smarkpi_pipeline_waterfall', 'NULL'),
	('smarkpi_pipeline_waterfall', '''\x010c0000000000000000000000000000000000000000000000000000000000000001000000000000000100000000000000010000000000000000000000000000000500000000000007''');

-- Summaries: every k_summary() takes k's rows; rollup() and the accessors
-- k(summary) take summaries (good: one of their own KPI; bad: NULL, untagged,
-- another KPI's, counters at their limit).
INSERT INTO smarkpi_matrix_functions
SELECT name || '_summary', kind, argtypes, good FROM smarkpi_matrix_functions
WHERE kind = 'a' AND EXISTS (SELECT FROM pg_proc WHERE proname = name || '_summary');
CREATE TABLE smarkpi_summary_types (typ text, fields text);
INSERT INTO smarkpi_summary_types VALUES
	('smarkpi_rate_summary', '(1,2)'), ('smarkpi_money_summary', '(1,1,1,5,1)'),
	('smarkpi_duration_summary', '(5,1)'), ('smarkpi_count_ratio_summary', '(1,5)'),
	('smarkpi_score_summary', '(1,1,3)'), ('smarkpi_velocity_summary', '(4,3,2,2,2,4000,1728000000000)'),
	('smarkpi_clv_summary', '(2,12,0.01,{0 0 30 0 1,2 20.5 30 12.25 1})');
INSERT INTO smarkpi_matrix_functions
SELECT p.proname, CASE WHEN p.prokind = 'a' THEN 'a' ELSE 'f' END, ARRAY[t.typ],
	   ARRAY[quote_literal(CASE WHEN p.proname = 'rollup' OR t.typ IN ('smarkpi_score_summary', 'smarkpi_velocity_summary', 'smarkpi_clv_summary')
								THEN '' ELSE p.proname END || t.fields)]
FROM pg_proc p JOIN smarkpi_summary_types t ON p.proargtypes = ARRAY[t.typ::regtype]::oidvector
WHERE p.proname NOT LIKE 'smarkpi\_%' AND (p.proname <> 'rollup' OR t.typ IN ('smarkpi_score_summary', 'smarkpi_velocity_summary', 'smarkpi_clv_summary'));
INSERT INTO smarkpi_matrix_functions VALUES
	('rollup', 'a', '{smarkpi_rate_summary}', '{"''win_rate(1,2)''"}'),
	('rollup', 'a', '{smarkpi_money_summary}', '{"''cac(1,1,1,5,1)''"}'),
	('rollup', 'a', '{smarkpi_duration_summary}', '{"''sales_cycle_length(5,1)''"}'),
	('rollup', 'a', '{smarkpi_count_ratio_summary}', '{"''open_rate(1,5)''"}');
INSERT INTO smarkpi_bad_values VALUES
	('smarkpi_rate_summary', 'NULL'), ('smarkpi_rate_summary', '''(1,2)'''), ('smarkpi_rate_summary', '''csat(1,2)'''),
	('smarkpi_rate_summary', '''win_rate(9223372036854775807,9223372036854775807)'''),
	('smarkpi_money_summary', 'NULL'), ('smarkpi_money_summary', '''(1,1,1,5,1)'''), ('smarkpi_money_summary', '''roi(1,1,1,5,1)'''),
	('smarkpi_money_summary', '''cac(9223372036854775807,1,1,5,1)'''),
	('smarkpi_duration_summary', 'NULL'), ('smarkpi_duration_summary', '''(5,1)'''),
	('smarkpi_duration_summary', '''lead_response_time(5,1)'''),
	('smarkpi_duration_summary', '''sales_cycle_length(170141183460469231731687303715884105727,9223372036854775807)'''),
	('smarkpi_count_ratio_summary', 'NULL'), ('smarkpi_count_ratio_summary', '''(1,5)'''),
	('smarkpi_count_ratio_summary', '''engagement_rate(1,5)'''),
	('smarkpi_count_ratio_summary', '''open_rate(9223372036854775807,9223372036854775807)'''),
	('smarkpi_score_summary', 'NULL'), ('smarkpi_score_summary', '''(9223372036854775807,0,9223372036854775807)'''),
	('smarkpi_velocity_summary', 'NULL'), ('smarkpi_velocity_summary', '''(9223372036854775807,9223372036854775807,0,0,0,0,0)'''),
	('smarkpi_clv_summary', 'NULL'), ('smarkpi_clv_summary', '''(0,,,{})'''),
	('smarkpi_clv_summary', '''(9223372036854775807,,,{1 5 10 20.5 9223372036854775807})''');

-- One call per function, argument and bad value; the other arguments keep
-- their good values.
CREATE FUNCTION smarkpi_matrix_call(name text, kind char, argtypes text[], args text[]) RETURNS text
LANGUAGE sql AS $$
	SELECT CASE kind
		WHEN 'a' THEN format('SELECT %s(%s)::text FROM generate_series(1, 2)', name, list)
		WHEN 'w' THEN format('SELECT string_agg(coalesce(x::text, ''NULL''), '','') FROM (SELECT %s(%s) OVER (ORDER BY g) AS x FROM generate_series(1, 2) g) s', name, list)
		ELSE format('SELECT %s(%s)::text', name, list) END
	FROM (SELECT string_agg(format('(%s)::%s', a, t), ', ' ORDER BY i) AS list
		  FROM unnest(args, argtypes) WITH ORDINALITY u(a, t, i)) l
$$;

CREATE TABLE smarkpi_matrix AS
SELECT f.name || '(' || array_to_string(f.argtypes, ', ') || ')' AS function, i AS arg, b.value,
	   smarkpi_try(smarkpi_matrix_call(f.name, f.kind, f.argtypes,
									   f.good[1:i - 1] || b.value || f.good[i + 1:])) AS result
FROM smarkpi_matrix_functions f
CROSS JOIN generate_subscripts(f.argtypes, 1) i
JOIN smarkpi_bad_values b ON b.argtype = f.argtypes[i]
UNION ALL
SELECT f.name || '(' || array_to_string(f.argtypes, ', ') || ')', 0, 'good values',
	   smarkpi_try(smarkpi_matrix_call(f.name, f.kind, f.argtypes, f.good))
FROM smarkpi_matrix_functions f
UNION ALL
SELECT f.name || '(' || array_to_string(f.argtypes, ', ') || ')', 0, 'empty input',
	   smarkpi_try(replace(smarkpi_matrix_call(f.name, f.kind, f.argtypes, f.good),
						   'generate_series(1, 2)', 'generate_series(1, 0)'))
FROM smarkpi_matrix_functions f WHERE f.kind = 'a';

-- No case may end in an internal error.
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE result LIKE 'ERROR %') AS errors,
	   count(*) FILTER (WHERE result = 'NULL') AS nulls,
	   count(*) FILTER (WHERE result LIKE 'ERROR XX%') AS internal_errors
FROM smarkpi_matrix;
SELECT result, count(*) FROM smarkpi_matrix WHERE result LIKE 'ERROR %' GROUP BY result ORDER BY result;

-- The whole matrix: the documented behaviour of every function on bad input.
SELECT function, arg, value, left(result, 60) AS result FROM smarkpi_matrix ORDER BY function, arg, value;

-- Long aggregates honour statement_timeout and cancel requests (57014).
CREATE FUNCTION smarkpi_cancelled(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SET statement_timeout = '200ms';
SELECT smarkpi_cancelled($$SELECT cac(i, 1) FROM generate_series(1, 1000000000) i$$);
SELECT smarkpi_cancelled($$SELECT duration_percentile(now(), now() + i * interval '1 s', 0.5) FROM generate_series(1, 1000000000) i$$);
SELECT smarkpi_cancelled($$SELECT duration_sketch(now(), now() + i * interval '1 s') FROM generate_series(1, 1000000000) i$$);
SELECT smarkpi_cancelled($$SELECT count(x) FROM (SELECT funnel_velocity(now(), now(), i, true) OVER (ROWS 100 PRECEDING) AS x FROM generate_series(1, 1000000000) i) s$$);
RESET statement_timeout;
