-- State types: exact text round trip, validated text and binary input.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all

-- text round trips
SELECT '(3,4)'::smarkpi_rate_summary, ' ( 0 , 0 ) '::smarkpi_rate_summary;
SELECT '(86400000000,1)'::smarkpi_duration_summary,
	   '(170141183460469231731687303715884105727,9223372036854775807)'::smarkpi_duration_summary;
SELECT '(2,1,2,12.50,5)'::smarkpi_money_summary;
SELECT '(4,3,2,2,2,4000,1728000000000)'::smarkpi_velocity_summary;
-- the state an aggregate builds reads back to itself
CREATE TABLE states AS
SELECT '(1,2)'::smarkpi_rate_summary AS r, '(5,2)'::smarkpi_duration_summary AS d,
	   '(3,2,3,1.25,6)'::smarkpi_money_summary AS m,
	   '(3,2,1,1,1,99.99,86400000000)'::smarkpi_velocity_summary AS v;
SELECT r::text::smarkpi_rate_summary::text = r::text AND d::text::smarkpi_duration_summary::text = d::text
	   AND m::text::smarkpi_money_summary::text = m::text AND v::text::smarkpi_velocity_summary::text = v::text
	   AS text_round_trip
FROM states;

-- binary round trip through COPY ... (FORMAT binary), via a file in the
-- cluster's own data directory (never a shared /tmp name)
SELECT current_setting('data_directory') || '/smarkpi_regress_states.bin' AS states_bin \gset
COPY states TO :'states_bin' (FORMAT binary);
CREATE TABLE states_copy (LIKE states);
COPY states_copy FROM :'states_bin' (FORMAT binary);
SELECT (SELECT row(r, d, m, v)::text FROM states) = (SELECT row(r, d, m, v)::text FROM states_copy) AS binary_round_trip;
SELECT smarkpi_rate_summary_send('(1,2)'), smarkpi_duration_summary_send('(5,2)');

-- malformed, inconsistent and out-of-range text input: 22P02
SELECT smarkpi_err($$SELECT ''::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT '(1)'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT '(1,2,3)'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT '(a,2)'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT '(3,2)'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT '(-1,2)'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT '(1,9223372036854775808)'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT '(1,2'::smarkpi_rate_summary$$);
SELECT smarkpi_err($$SELECT '(-5,2)'::smarkpi_duration_summary$$);
SELECT smarkpi_err($$SELECT '(5,0)'::smarkpi_duration_summary$$);
SELECT smarkpi_err($$SELECT '(170141183460469231731687303715884105728,1)'::smarkpi_duration_summary$$);
SELECT smarkpi_err($$SELECT '(1,1,1,NaN,1)'::smarkpi_money_summary$$);
SELECT smarkpi_err($$SELECT '(1,1,1,Infinity,1)'::smarkpi_money_summary$$);
SELECT smarkpi_err($$SELECT '(0,0,0,5,0)'::smarkpi_money_summary$$);
SELECT smarkpi_err($$SELECT '(1,2,1,5,0)'::smarkpi_money_summary$$);
SELECT smarkpi_err($$SELECT '(1,1,1,abc,0)'::smarkpi_money_summary$$);
SELECT smarkpi_err($$SELECT '(1,2,3,0,0,0,0)'::smarkpi_velocity_summary$$);
SELECT smarkpi_err($$SELECT '(3,2,1,1,1,5,1.5)'::smarkpi_velocity_summary$$);
SELECT smarkpi_err($$SELECT '(0,1,-9223372036854775808)'::smarkpi_score_summary$$);

-- binary input (COPY ... FORMAT binary of crafted bytes): valid, then
-- truncated, oversized, wrong version and inconsistent values: 22P03
SELECT smarkpi_copy_binary('smarkpi_rate_summary', '\x01'::bytea || int4send(0) || int8send(1) || int8send(2));
SELECT smarkpi_copy_binary('smarkpi_rate_summary', '\x01'::bytea || int4send(0) || int8send(1));
SELECT smarkpi_copy_binary('smarkpi_rate_summary', '\x01'::bytea || int4send(0) || int8send(1) || int8send(2) || '\x00'::bytea);
SELECT smarkpi_copy_binary('smarkpi_rate_summary', '\x02'::bytea || int4send(0) || int8send(1) || int8send(2));
SELECT smarkpi_copy_binary('smarkpi_rate_summary', '\x01'::bytea || int4send(0) || int8send(3) || int8send(2));
SELECT smarkpi_copy_binary('smarkpi_duration_summary', smarkpi_duration_summary_send('(5,2)'));
SELECT smarkpi_copy_binary('smarkpi_duration_summary', '\x01'::bytea || int4send(0) || int8send(-1) || int8send(0) || int8send(1));
SELECT smarkpi_copy_binary('smarkpi_duration_summary', '\x01'::bytea);
SELECT smarkpi_copy_binary('smarkpi_money_summary', smarkpi_money_summary_send('(3,2,3,1.25,6)'));
SELECT smarkpi_copy_binary('smarkpi_money_summary', substr(smarkpi_money_summary_send('(3,2,3,1.25,6)'), 1, 30));
SELECT smarkpi_copy_binary('smarkpi_money_summary', smarkpi_money_summary_send('(3,2,3,1.25,6)') || '\x00'::bytea);
SELECT smarkpi_copy_binary('smarkpi_money_summary', '\x07'::bytea || substr(smarkpi_money_summary_send('(3,2,3,1.25,6)'), 2));
SELECT smarkpi_copy_binary('smarkpi_money_summary', '\x01'::bytea || int4send(0) || int8send(0) || int8send(0) || int8send(0)
	|| '\x0001000000000000ffff'::bytea || '\x0000000000000000'::bytea);
SELECT smarkpi_copy_binary('smarkpi_money_summary', '\x01'::bytea || int4send(0) || int8send(0) || int8send(0) || int8send(0)
	|| '\x7fff0000'::bytea);
SELECT smarkpi_copy_binary('smarkpi_velocity_summary', smarkpi_velocity_summary_send('(3,2,1,1,1,99.99,86400000000)'));
SELECT smarkpi_copy_binary('smarkpi_velocity_summary', '\x01'::bytea || int8send(1) || int8send(2) || int8send(0)
	|| int8send(0) || int8send(0) || numeric_send(0) || numeric_send(0));
