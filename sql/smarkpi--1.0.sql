/* smarkpi 1.0 -- joint sales-and-marketing KPIs */

\echo Use "CREATE EXTENSION smarkpi" to load this file. \quit

-- One block per KPI family, in the order of doc/reference.md: its state type,
-- support functions, aggregates and functions, then what each means (COMMENT ON,
-- for \da+, \df+ and BI data references).  State types are real SQL types
-- (not internal) so partial aggregates can be shipped as text or binary (Citus
-- pushes them down this way) and stored.

------------------------------------------------------------------------------
-- Funnel rates: conversion_rate, mql_sal_rate, win_rate (src/funnel_rates.c); their
-- state, smarkpi_rate_summary, is shared with csat and retention_rate (src/rate_summary.c)
------------------------------------------------------------------------------
CREATE TYPE smarkpi_rate_summary;
CREATE FUNCTION smarkpi_rate_summary_in(cstring) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_summary_out(smarkpi_rate_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_summary_recv(internal) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_summary_send(smarkpi_rate_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_rate_summary (
	INPUT = smarkpi_rate_summary_in,
	OUTPUT = smarkpi_rate_summary_out,
	RECEIVE = smarkpi_rate_summary_recv,
	SEND = smarkpi_rate_summary_send,
	INTERNALLENGTH = 24,
	ALIGNMENT = double,
	STORAGE = plain
);

CREATE FUNCTION smarkpi_rate_bool_trans(smarkpi_rate_summary, boolean) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_bool_inv(smarkpi_rate_summary, boolean) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_conversion_rate_trans(smarkpi_rate_summary, timestamptz, timestamptz) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_conversion_rate_inv(smarkpi_rate_summary, timestamptz, timestamptz) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_conversion_rate_trans(smarkpi_rate_summary, timestamptz, timestamptz, interval) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_conversion_rate_inv(smarkpi_rate_summary, timestamptz, timestamptz, interval) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_mql_sal_rate_trans(smarkpi_rate_summary, timestamptz, timestamptz) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_mql_sal_rate_inv(smarkpi_rate_summary, timestamptz, timestamptz) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_mql_sal_rate_trans(smarkpi_rate_summary, timestamptz, timestamptz, interval) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_mql_sal_rate_inv(smarkpi_rate_summary, timestamptz, timestamptz, interval) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_combine(smarkpi_rate_summary, smarkpi_rate_summary) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_final(smarkpi_rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE conversion_rate(converted boolean) (
	SFUNC = smarkpi_rate_bool_trans, STYPE = smarkpi_rate_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_rate_bool_trans, MINVFUNC = smarkpi_rate_bool_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE conversion_rate(entered_at timestamptz, converted_at timestamptz) (
	SFUNC = smarkpi_conversion_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_conversion_rate_trans, MINVFUNC = smarkpi_conversion_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE conversion_rate(entered_at timestamptz, converted_at timestamptz, within interval) (
	SFUNC = smarkpi_conversion_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_conversion_rate_trans, MINVFUNC = smarkpi_conversion_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE mql_sal_rate(mql_at timestamptz, sal_at timestamptz) (
	SFUNC = smarkpi_mql_sal_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_mql_sal_rate_trans, MINVFUNC = smarkpi_mql_sal_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE mql_sal_rate(mql_at timestamptz, sal_at timestamptz, within interval) (
	SFUNC = smarkpi_mql_sal_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_mql_sal_rate_trans, MINVFUNC = smarkpi_mql_sal_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE win_rate(won boolean) (
	SFUNC = smarkpi_rate_bool_trans, STYPE = smarkpi_rate_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_rate_bool_trans, MINVFUNC = smarkpi_rate_bool_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

COMMENT ON TYPE smarkpi_rate_summary IS
	'smarkpi running state of a rate: (hits,total), a summary''s prefixed by the KPI that made it, e.g. win_rate(3,5)';
COMMENT ON AGGREGATE conversion_rate(boolean) IS
	'Conversion rate = rows where converted is true / rows where converted is not null; double precision in [0,1]. NULL rows ignored; NULL for no rows.';
COMMENT ON AGGREGATE conversion_rate(timestamptz, timestamptz) IS
	'Conversion rate = rows with converted_at not null / rows with entered_at not null; double precision in [0,1]. Rows with NULL entered_at ignored; NULL for no rows. Errors: infinite timestamps (22008), converted_at before entered_at (22023).';
COMMENT ON AGGREGATE conversion_rate(timestamptz, timestamptz, interval) IS
	'Conversion rate within an SLA = rows with converted_at - entered_at <= within / rows with entered_at not null; double precision in [0,1]; NULL within means no limit. Rows with NULL entered_at ignored; NULL for no rows. Errors: infinite timestamps (22008), converted_at before entered_at or negative within (22023).';
COMMENT ON AGGREGATE mql_sal_rate(timestamptz, timestamptz) IS
	'MQL-to-SAL rate = leads with sal_at not null / leads with mql_at not null; double precision in [0,1]. NULL sal_at = not accepted; rows with NULL mql_at ignored; NULL for no MQLs. Errors: infinite timestamps (22008), sal_at before mql_at (22023).';
COMMENT ON AGGREGATE mql_sal_rate(timestamptz, timestamptz, interval) IS
	'MQL-to-SAL rate within the SLA = leads with sal_at - mql_at <= within / leads with mql_at not null; double precision in [0,1]; NULL within means no limit. NULL for no MQLs. Errors: infinite timestamps (22008), sal_at before mql_at or negative within (22023).';
COMMENT ON AGGREGATE win_rate(boolean) IS
	'Win rate = won / (won + lost); double precision in [0,1]. NULL won = open deal, ignored; NULL when no deal is closed.';
COMMENT ON FUNCTION smarkpi_rate_summary_in(cstring) IS 'smarkpi_rate_summary text input';
COMMENT ON FUNCTION smarkpi_rate_summary_out(smarkpi_rate_summary) IS 'smarkpi_rate_summary text output';
COMMENT ON FUNCTION smarkpi_rate_summary_recv(internal) IS 'smarkpi_rate_summary binary input';
COMMENT ON FUNCTION smarkpi_rate_summary_send(smarkpi_rate_summary) IS 'smarkpi_rate_summary binary output';
COMMENT ON FUNCTION smarkpi_rate_bool_trans(smarkpi_rate_summary, boolean) IS 'transition function of conversion_rate(boolean) and win_rate';
COMMENT ON FUNCTION smarkpi_rate_bool_inv(smarkpi_rate_summary, boolean) IS 'moving-window inverse of conversion_rate(boolean) and win_rate';
COMMENT ON FUNCTION smarkpi_conversion_rate_trans(smarkpi_rate_summary, timestamptz, timestamptz) IS 'transition function of conversion_rate(timestamptz, timestamptz)';
COMMENT ON FUNCTION smarkpi_conversion_rate_inv(smarkpi_rate_summary, timestamptz, timestamptz) IS 'moving-window inverse of conversion_rate(timestamptz, timestamptz)';
COMMENT ON FUNCTION smarkpi_conversion_rate_trans(smarkpi_rate_summary, timestamptz, timestamptz, interval) IS 'transition function of conversion_rate(timestamptz, timestamptz, interval)';
COMMENT ON FUNCTION smarkpi_conversion_rate_inv(smarkpi_rate_summary, timestamptz, timestamptz, interval) IS 'moving-window inverse of conversion_rate(timestamptz, timestamptz, interval)';
COMMENT ON FUNCTION smarkpi_mql_sal_rate_trans(smarkpi_rate_summary, timestamptz, timestamptz) IS 'transition function of mql_sal_rate(timestamptz, timestamptz)';
COMMENT ON FUNCTION smarkpi_mql_sal_rate_inv(smarkpi_rate_summary, timestamptz, timestamptz) IS 'moving-window inverse of mql_sal_rate(timestamptz, timestamptz)';
COMMENT ON FUNCTION smarkpi_mql_sal_rate_trans(smarkpi_rate_summary, timestamptz, timestamptz, interval) IS 'transition function of mql_sal_rate(timestamptz, timestamptz, interval)';
COMMENT ON FUNCTION smarkpi_mql_sal_rate_inv(smarkpi_rate_summary, timestamptz, timestamptz, interval) IS 'moving-window inverse of mql_sal_rate(timestamptz, timestamptz, interval)';
COMMENT ON FUNCTION smarkpi_rate_combine(smarkpi_rate_summary, smarkpi_rate_summary) IS 'combines two partial rate states (parallel and distributed aggregation)';
COMMENT ON FUNCTION smarkpi_rate_final(smarkpi_rate_summary) IS 'hits / total of a rate state, NULL when total is 0';


-- Two-step summaries (see "Summaries" in doc/reference.md): k_summary(args)
-- returns k's state tagged with k, rollup() merges summaries, k(summary) reads k.

CREATE AGGREGATE conversion_rate_summary(converted boolean) (
	SFUNC = smarkpi_rate_bool_trans, STYPE = smarkpi_rate_summary, INITCOND = 'conversion_rate(0,0)',
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_rate_bool_trans, MINVFUNC = smarkpi_rate_bool_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = 'conversion_rate(0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE conversion_rate_summary(entered_at timestamptz, converted_at timestamptz) (
	SFUNC = smarkpi_conversion_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = 'conversion_rate(0,0)',
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_conversion_rate_trans, MINVFUNC = smarkpi_conversion_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = 'conversion_rate(0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE conversion_rate_summary(entered_at timestamptz, converted_at timestamptz, within interval) (
	SFUNC = smarkpi_conversion_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = 'conversion_rate_within(0,0)',
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_conversion_rate_trans, MINVFUNC = smarkpi_conversion_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = 'conversion_rate_within(0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE mql_sal_rate_summary(mql_at timestamptz, sal_at timestamptz) (
	SFUNC = smarkpi_mql_sal_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = 'mql_sal_rate(0,0)',
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_mql_sal_rate_trans, MINVFUNC = smarkpi_mql_sal_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = 'mql_sal_rate(0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE mql_sal_rate_summary(mql_at timestamptz, sal_at timestamptz, within interval) (
	SFUNC = smarkpi_mql_sal_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = 'mql_sal_rate_within(0,0)',
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_mql_sal_rate_trans, MINVFUNC = smarkpi_mql_sal_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = 'mql_sal_rate_within(0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE win_rate_summary(won boolean) (
	SFUNC = smarkpi_rate_bool_trans, STYPE = smarkpi_rate_summary, INITCOND = 'win_rate(0,0)',
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_rate_bool_trans, MINVFUNC = smarkpi_rate_bool_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = 'win_rate(0,0)',
	PARALLEL = SAFE
);

CREATE FUNCTION smarkpi_rate_rollup_inv(smarkpi_rate_summary, smarkpi_rate_summary) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE rollup(summary smarkpi_rate_summary) (
	SFUNC = smarkpi_rate_combine, STYPE = smarkpi_rate_summary,
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_rate_combine, MINVFUNC = smarkpi_rate_rollup_inv, MSTYPE = smarkpi_rate_summary,
	PARALLEL = SAFE
);

CREATE FUNCTION conversion_rate(summary smarkpi_rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_conversion_rate_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION mql_sal_rate(summary smarkpi_rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_mql_sal_rate_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION win_rate(summary smarkpi_rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_win_rate_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE conversion_rate_summary(boolean) IS
	'conversion_rate summary = the state of conversion_rate(boolean) over the rows, tagged conversion_rate (smarkpi_rate_summary); roll up with rollup(), read with conversion_rate(smarkpi_rate_summary). An empty summary for no rows; rows as in conversion_rate.';
COMMENT ON AGGREGATE conversion_rate_summary(timestamptz, timestamptz) IS
	'conversion_rate summary = the state of conversion_rate(timestamptz, timestamptz) over the rows, tagged conversion_rate (smarkpi_rate_summary); roll up with rollup(), read with conversion_rate(smarkpi_rate_summary). An empty summary for no rows; rows as in conversion_rate.';
COMMENT ON AGGREGATE conversion_rate_summary(timestamptz, timestamptz, interval) IS
	'conversion_rate summary = the state of conversion_rate(timestamptz, timestamptz, interval) over the rows, tagged conversion_rate_within (smarkpi_rate_summary); roll up with rollup(), read with conversion_rate(smarkpi_rate_summary). An empty summary for no rows; rows as in conversion_rate.';
COMMENT ON AGGREGATE mql_sal_rate_summary(timestamptz, timestamptz) IS
	'mql_sal_rate summary = the state of mql_sal_rate(timestamptz, timestamptz) over the rows, tagged mql_sal_rate (smarkpi_rate_summary); roll up with rollup(), read with mql_sal_rate(smarkpi_rate_summary). An empty summary for no rows; rows as in mql_sal_rate.';
COMMENT ON AGGREGATE mql_sal_rate_summary(timestamptz, timestamptz, interval) IS
	'mql_sal_rate summary = the state of mql_sal_rate(timestamptz, timestamptz, interval) over the rows, tagged mql_sal_rate_within (smarkpi_rate_summary); roll up with rollup(), read with mql_sal_rate(smarkpi_rate_summary). An empty summary for no rows; rows as in mql_sal_rate.';
COMMENT ON AGGREGATE win_rate_summary(boolean) IS
	'win_rate summary = the state of win_rate(boolean) over the rows, tagged win_rate (smarkpi_rate_summary); roll up with rollup(), read with win_rate(smarkpi_rate_summary). An empty summary for no rows; rows as in win_rate.';
COMMENT ON AGGREGATE rollup(smarkpi_rate_summary) IS
	'rollup of smarkpi_rate_summary = merges summaries of one KPI exactly (counts and sums added), so the rollup of daily summaries equals the summary of all their rows; as a moving window each summary leaving the frame is subtracted exactly. NULL for no rows or only NULLs. Error: summaries of different KPIs (42804).';
COMMENT ON FUNCTION smarkpi_rate_rollup_inv(smarkpi_rate_summary, smarkpi_rate_summary) IS 'moving-window inverse of rollup(smarkpi_rate_summary)';
COMMENT ON FUNCTION conversion_rate(smarkpi_rate_summary) IS
	'conversion_rate of a summary = conversion_rate over the summarized rows, from conversion_rate_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION mql_sal_rate(smarkpi_rate_summary) IS
	'mql_sal_rate of a summary = mql_sal_rate over the summarized rows, from mql_sal_rate_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION win_rate(smarkpi_rate_summary) IS
	'win_rate of a summary = win_rate over the summarized rows, from win_rate_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';

------------------------------------------------------------------------------
-- Money: cac, cpl, cac_ratio, roi, roas, quota_attainment, avg_deal_size,
-- pipeline_value, open_pipeline_value, marketing_contribution (src/money.c)
------------------------------------------------------------------------------
CREATE TYPE smarkpi_money_summary;
CREATE FUNCTION smarkpi_money_summary_in(cstring) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_summary_out(smarkpi_money_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_summary_recv(internal) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_summary_send(smarkpi_money_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_money_summary (
	INPUT = smarkpi_money_summary_in,
	OUTPUT = smarkpi_money_summary_out,
	RECEIVE = smarkpi_money_summary_recv,
	SEND = smarkpi_money_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

CREATE FUNCTION smarkpi_cac_trans(smarkpi_money_summary, numeric, bigint) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cac_inv(smarkpi_money_summary, numeric, bigint) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cac_ratio_trans(smarkpi_money_summary, numeric, numeric) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cac_ratio_inv(smarkpi_money_summary, numeric, numeric) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_combine(smarkpi_money_summary, smarkpi_money_summary) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_numeric_final(smarkpi_money_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_float8_final(smarkpi_money_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cpl_trans(smarkpi_money_summary, numeric, bigint) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cpl_inv(smarkpi_money_summary, numeric, bigint) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_roi_trans(smarkpi_money_summary, numeric, numeric) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_roi_inv(smarkpi_money_summary, numeric, numeric) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_roas_trans(smarkpi_money_summary, numeric, numeric) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_roas_inv(smarkpi_money_summary, numeric, numeric) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_quota_attainment_trans(smarkpi_money_summary, numeric, numeric) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_quota_attainment_inv(smarkpi_money_summary, numeric, numeric) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_avg_deal_size_trans(smarkpi_money_summary, numeric, boolean) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_avg_deal_size_inv(smarkpi_money_summary, numeric, boolean) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_pipeline_value_trans(smarkpi_money_summary, numeric, double precision) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_pipeline_value_inv(smarkpi_money_summary, numeric, double precision) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_open_pipeline_value_trans(smarkpi_money_summary, numeric, boolean) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_open_pipeline_value_inv(smarkpi_money_summary, numeric, boolean) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_marketing_contribution_trans(smarkpi_money_summary, numeric, boolean) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_marketing_contribution_inv(smarkpi_money_summary, numeric, boolean) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_roi_final(smarkpi_money_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_sum_final(smarkpi_money_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE cac(spend numeric, new_customers bigint) (
	SFUNC = smarkpi_cac_trans, STYPE = smarkpi_money_summary, SSPACE = 96,
	INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_numeric_final,
	MSFUNC = smarkpi_cac_trans, MINVFUNC = smarkpi_cac_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)',
	MFINALFUNC = smarkpi_money_numeric_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE cac_ratio(lifetime_value numeric, acquisition_cost numeric) (
	SFUNC = smarkpi_cac_ratio_trans, STYPE = smarkpi_money_summary, SSPACE = 96,
	INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_float8_final,
	MSFUNC = smarkpi_cac_ratio_trans, MINVFUNC = smarkpi_cac_ratio_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)',
	MFINALFUNC = smarkpi_money_float8_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE cpl(spend numeric, leads bigint) (
	SFUNC = smarkpi_cpl_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_numeric_final,
	MSFUNC = smarkpi_cpl_trans, MINVFUNC = smarkpi_cpl_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)', MFINALFUNC = smarkpi_money_numeric_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE roi(revenue numeric, cost numeric) (
	SFUNC = smarkpi_roi_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_roi_final,
	MSFUNC = smarkpi_roi_trans, MINVFUNC = smarkpi_roi_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)', MFINALFUNC = smarkpi_roi_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE roas(revenue numeric, spend numeric) (
	SFUNC = smarkpi_roas_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_float8_final,
	MSFUNC = smarkpi_roas_trans, MINVFUNC = smarkpi_roas_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)', MFINALFUNC = smarkpi_money_float8_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE avg_deal_size(amount numeric, won boolean) (
	SFUNC = smarkpi_avg_deal_size_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_numeric_final,
	MSFUNC = smarkpi_avg_deal_size_trans, MINVFUNC = smarkpi_avg_deal_size_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)', MFINALFUNC = smarkpi_money_numeric_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE pipeline_value(amount numeric, probability double precision) (
	SFUNC = smarkpi_pipeline_value_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_sum_final,
	MSFUNC = smarkpi_pipeline_value_trans, MINVFUNC = smarkpi_pipeline_value_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)', MFINALFUNC = smarkpi_money_sum_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE open_pipeline_value(amount numeric, won boolean) (
	SFUNC = smarkpi_open_pipeline_value_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_sum_final,
	MSFUNC = smarkpi_open_pipeline_value_trans, MINVFUNC = smarkpi_open_pipeline_value_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)', MFINALFUNC = smarkpi_money_sum_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE quota_attainment(bookings numeric, quota numeric) (
	SFUNC = smarkpi_quota_attainment_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_float8_final,
	MSFUNC = smarkpi_quota_attainment_trans, MINVFUNC = smarkpi_quota_attainment_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)', MFINALFUNC = smarkpi_money_float8_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE marketing_contribution(revenue numeric, marketing_sourced boolean) (
	SFUNC = smarkpi_marketing_contribution_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_float8_final,
	MSFUNC = smarkpi_marketing_contribution_trans, MINVFUNC = smarkpi_marketing_contribution_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)', MFINALFUNC = smarkpi_money_float8_final,
	PARALLEL = SAFE
);

COMMENT ON TYPE smarkpi_money_summary IS
	'smarkpi running state of an exact money ratio: (rows,numerator max-scale count,denominator max-scale count,numerator sum,denominator sum)';
COMMENT ON AGGREGATE cac(numeric, bigint) IS
	'Customer acquisition cost = sum(spend) / sum(new_customers), exact numeric (currency per customer). Rows with a NULL argument ignored; NULL for no rows or zero customers. Errors: NaN or infinite or negative spend, negative new_customers (22023).';
COMMENT ON AGGREGATE cac_ratio(numeric, numeric) IS
	'LTV:CAC ratio = sum(lifetime_value) / sum(acquisition_cost), double precision (3 is the usual target). Rows with a NULL argument ignored; NULL for no rows or zero cost. Errors: NaN or infinite amounts, negative acquisition_cost (22023).';
COMMENT ON FUNCTION smarkpi_money_summary_in(cstring) IS 'smarkpi_money_summary text input';
COMMENT ON FUNCTION smarkpi_money_summary_out(smarkpi_money_summary) IS 'smarkpi_money_summary text output';
COMMENT ON FUNCTION smarkpi_money_summary_recv(internal) IS 'smarkpi_money_summary binary input';
COMMENT ON FUNCTION smarkpi_money_summary_send(smarkpi_money_summary) IS 'smarkpi_money_summary binary output';
COMMENT ON FUNCTION smarkpi_cac_trans(smarkpi_money_summary, numeric, bigint) IS 'transition function of cac';
COMMENT ON FUNCTION smarkpi_cac_inv(smarkpi_money_summary, numeric, bigint) IS 'moving-window inverse of cac (NULL forces a frame restart when the display scale could change)';
COMMENT ON FUNCTION smarkpi_cac_ratio_trans(smarkpi_money_summary, numeric, numeric) IS 'transition function of cac_ratio';
COMMENT ON FUNCTION smarkpi_cac_ratio_inv(smarkpi_money_summary, numeric, numeric) IS 'moving-window inverse of cac_ratio (NULL forces a frame restart when the display scale could change)';
COMMENT ON FUNCTION smarkpi_money_combine(smarkpi_money_summary, smarkpi_money_summary) IS 'combines two partial money states';
COMMENT ON FUNCTION smarkpi_money_numeric_final(smarkpi_money_summary) IS 'numerator sum / denominator sum as numeric, NULL when empty or the denominator is 0';
COMMENT ON FUNCTION smarkpi_money_float8_final(smarkpi_money_summary) IS 'numerator sum / denominator sum as double precision, NULL when empty or the denominator is 0';
COMMENT ON AGGREGATE cpl(numeric, bigint) IS
	'Cost per lead = sum(spend) / sum(leads), exact numeric (currency per lead). Rows with a NULL argument ignored; NULL for no rows or zero leads. Errors: NaN, infinite or negative spend, negative leads (22023).';
COMMENT ON AGGREGATE roi(numeric, numeric) IS
	'Return on investment = (sum(revenue) - sum(cost)) / sum(cost), double precision (0.5 = 50 %). Rows with a NULL argument ignored; NULL for no rows or zero cost. Errors: NaN or infinite amounts, negative cost (22023).';
COMMENT ON AGGREGATE roas(numeric, numeric) IS
	'Return on ad spend = sum(revenue) / sum(spend), double precision. Rows with a NULL argument ignored; NULL for no rows or zero spend. Errors: NaN or infinite amounts, negative spend (22023).';
COMMENT ON AGGREGATE avg_deal_size(numeric, boolean) IS
	'Average deal size = mean amount over won deals, exact numeric (equals avg(amount) FILTER (WHERE won)). Rows with a NULL argument and lost deals ignored; NULL without won deals. Error: NaN or infinite amount (22023).';
COMMENT ON AGGREGATE pipeline_value(numeric, double precision) IS
	'Weighted pipeline value = sum(amount * probability::numeric), exact numeric (currency). Rows with a NULL argument ignored; NULL for no rows. Errors: NaN or infinite amount, probability outside [0,1] or NaN (22023).';
COMMENT ON AGGREGATE quota_attainment(numeric, numeric) IS
	'Quota attainment = sum(bookings) / sum(quota), double precision (1 = 100 %). Rows with a NULL argument ignored; NULL for no rows or zero quota. Errors: NaN or infinite amounts, negative quota (22023).';
COMMENT ON AGGREGATE marketing_contribution(numeric, boolean) IS
	'Marketing contribution to revenue = sum(revenue) where marketing_sourced / sum(revenue) where marketing_sourced is not null, double precision. Rows with a NULL argument ignored; NULL for no rows or zero revenue. Error: NaN or infinite revenue (22023).';
COMMENT ON FUNCTION smarkpi_cpl_trans(smarkpi_money_summary, numeric, bigint) IS 'transition function of cpl';
COMMENT ON FUNCTION smarkpi_cpl_inv(smarkpi_money_summary, numeric, bigint) IS 'moving-window inverse of cpl';
COMMENT ON FUNCTION smarkpi_roi_trans(smarkpi_money_summary, numeric, numeric) IS 'transition function of roi';
COMMENT ON FUNCTION smarkpi_roi_inv(smarkpi_money_summary, numeric, numeric) IS 'moving-window inverse of roi';
COMMENT ON FUNCTION smarkpi_roas_trans(smarkpi_money_summary, numeric, numeric) IS 'transition function of roas';
COMMENT ON FUNCTION smarkpi_roas_inv(smarkpi_money_summary, numeric, numeric) IS 'moving-window inverse of roas';
COMMENT ON FUNCTION smarkpi_quota_attainment_trans(smarkpi_money_summary, numeric, numeric) IS 'transition function of quota_attainment';
COMMENT ON FUNCTION smarkpi_quota_attainment_inv(smarkpi_money_summary, numeric, numeric) IS 'moving-window inverse of quota_attainment';
COMMENT ON FUNCTION smarkpi_avg_deal_size_trans(smarkpi_money_summary, numeric, boolean) IS 'transition function of avg_deal_size';
COMMENT ON FUNCTION smarkpi_avg_deal_size_inv(smarkpi_money_summary, numeric, boolean) IS 'moving-window inverse of avg_deal_size';
COMMENT ON AGGREGATE open_pipeline_value(numeric, boolean) IS
	'Open pipeline value = sum(amount) over open deals (won IS NULL), unweighted: the sales pipeline value of the KPI sources; exact numeric (currency). Rows with a NULL amount ignored; NULL for no rows, 0 when no deal is open. Errors: NaN or infinite amount (22023; skipped under smarkpi.invalid_rows = skip).';
COMMENT ON FUNCTION smarkpi_open_pipeline_value_trans(smarkpi_money_summary, numeric, boolean) IS 'transition function of open_pipeline_value';
COMMENT ON FUNCTION smarkpi_open_pipeline_value_inv(smarkpi_money_summary, numeric, boolean) IS 'moving-window inverse of open_pipeline_value';
COMMENT ON FUNCTION smarkpi_pipeline_value_trans(smarkpi_money_summary, numeric, double precision) IS 'transition function of pipeline_value';
COMMENT ON FUNCTION smarkpi_pipeline_value_inv(smarkpi_money_summary, numeric, double precision) IS 'moving-window inverse of pipeline_value';
COMMENT ON FUNCTION smarkpi_marketing_contribution_trans(smarkpi_money_summary, numeric, boolean) IS 'transition function of marketing_contribution';
COMMENT ON FUNCTION smarkpi_marketing_contribution_inv(smarkpi_money_summary, numeric, boolean) IS 'moving-window inverse of marketing_contribution';
COMMENT ON FUNCTION smarkpi_roi_final(smarkpi_money_summary) IS '(sum(revenue) - sum(cost)) / sum(cost) of a money state, as double precision';
COMMENT ON FUNCTION smarkpi_money_sum_final(smarkpi_money_summary) IS 'the numerator sum of a money state, NULL when empty (pipeline_value)';


-- Two-step summaries (see "Summaries" in doc/reference.md): k_summary(args)
-- returns k's state tagged with k, rollup() merges summaries, k(summary) reads k.

CREATE AGGREGATE cac_summary(spend numeric, new_customers bigint) (
	SFUNC = smarkpi_cac_trans, STYPE = smarkpi_money_summary, SSPACE = 96,
	INITCOND = 'cac(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_cac_trans, MINVFUNC = smarkpi_cac_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'cac(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE cac_ratio_summary(lifetime_value numeric, acquisition_cost numeric) (
	SFUNC = smarkpi_cac_ratio_trans, STYPE = smarkpi_money_summary, SSPACE = 96,
	INITCOND = 'cac_ratio(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_cac_ratio_trans, MINVFUNC = smarkpi_cac_ratio_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'cac_ratio(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE cpl_summary(spend numeric, leads bigint) (
	SFUNC = smarkpi_cpl_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = 'cpl(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_cpl_trans, MINVFUNC = smarkpi_cpl_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'cpl(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE roi_summary(revenue numeric, cost numeric) (
	SFUNC = smarkpi_roi_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = 'roi(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_roi_trans, MINVFUNC = smarkpi_roi_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'roi(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE roas_summary(revenue numeric, spend numeric) (
	SFUNC = smarkpi_roas_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = 'roas(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_roas_trans, MINVFUNC = smarkpi_roas_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'roas(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE avg_deal_size_summary(amount numeric, won boolean) (
	SFUNC = smarkpi_avg_deal_size_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = 'avg_deal_size(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_avg_deal_size_trans, MINVFUNC = smarkpi_avg_deal_size_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'avg_deal_size(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE pipeline_value_summary(amount numeric, probability double precision) (
	SFUNC = smarkpi_pipeline_value_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = 'pipeline_value(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_pipeline_value_trans, MINVFUNC = smarkpi_pipeline_value_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'pipeline_value(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE open_pipeline_value_summary(amount numeric, won boolean) (
	SFUNC = smarkpi_open_pipeline_value_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = 'open_pipeline_value(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_open_pipeline_value_trans, MINVFUNC = smarkpi_open_pipeline_value_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'open_pipeline_value(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE quota_attainment_summary(bookings numeric, quota numeric) (
	SFUNC = smarkpi_quota_attainment_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = 'quota_attainment(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_quota_attainment_trans, MINVFUNC = smarkpi_quota_attainment_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'quota_attainment(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE marketing_contribution_summary(revenue numeric, marketing_sourced boolean) (
	SFUNC = smarkpi_marketing_contribution_trans, STYPE = smarkpi_money_summary, SSPACE = 96, INITCOND = 'marketing_contribution(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_marketing_contribution_trans, MINVFUNC = smarkpi_marketing_contribution_inv,
	MSTYPE = smarkpi_money_summary, MSSPACE = 96, MINITCOND = 'marketing_contribution(0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE FUNCTION smarkpi_money_rollup_inv(smarkpi_money_summary, smarkpi_money_summary) RETURNS smarkpi_money_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE rollup(summary smarkpi_money_summary) (
	SFUNC = smarkpi_money_combine, STYPE = smarkpi_money_summary,
	COMBINEFUNC = smarkpi_money_combine,
	MSFUNC = smarkpi_money_combine, MINVFUNC = smarkpi_money_rollup_inv, MSTYPE = smarkpi_money_summary,
	PARALLEL = SAFE
);

CREATE FUNCTION cac(summary smarkpi_money_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'smarkpi_cac_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION cac_ratio(summary smarkpi_money_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_cac_ratio_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION cpl(summary smarkpi_money_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'smarkpi_cpl_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION roi(summary smarkpi_money_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_roi_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION roas(summary smarkpi_money_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_roas_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION avg_deal_size(summary smarkpi_money_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'smarkpi_avg_deal_size_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pipeline_value(summary smarkpi_money_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'smarkpi_pipeline_value_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION open_pipeline_value(summary smarkpi_money_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'smarkpi_open_pipeline_value_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION quota_attainment(summary smarkpi_money_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_quota_attainment_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION marketing_contribution(summary smarkpi_money_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_marketing_contribution_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE cac_summary(numeric, bigint) IS
	'cac summary = the state of cac(numeric, bigint) over the rows, tagged cac (smarkpi_money_summary); roll up with rollup(), read with cac(smarkpi_money_summary). An empty summary for no rows; rows as in cac.';
COMMENT ON AGGREGATE cac_ratio_summary(numeric, numeric) IS
	'cac_ratio summary = the state of cac_ratio(numeric, numeric) over the rows, tagged cac_ratio (smarkpi_money_summary); roll up with rollup(), read with cac_ratio(smarkpi_money_summary). An empty summary for no rows; rows as in cac_ratio.';
COMMENT ON AGGREGATE cpl_summary(numeric, bigint) IS
	'cpl summary = the state of cpl(numeric, bigint) over the rows, tagged cpl (smarkpi_money_summary); roll up with rollup(), read with cpl(smarkpi_money_summary). An empty summary for no rows; rows as in cpl.';
COMMENT ON AGGREGATE roi_summary(numeric, numeric) IS
	'roi summary = the state of roi(numeric, numeric) over the rows, tagged roi (smarkpi_money_summary); roll up with rollup(), read with roi(smarkpi_money_summary). An empty summary for no rows; rows as in roi.';
COMMENT ON AGGREGATE roas_summary(numeric, numeric) IS
	'roas summary = the state of roas(numeric, numeric) over the rows, tagged roas (smarkpi_money_summary); roll up with rollup(), read with roas(smarkpi_money_summary). An empty summary for no rows; rows as in roas.';
COMMENT ON AGGREGATE avg_deal_size_summary(numeric, boolean) IS
	'avg_deal_size summary = the state of avg_deal_size(numeric, boolean) over the rows, tagged avg_deal_size (smarkpi_money_summary); roll up with rollup(), read with avg_deal_size(smarkpi_money_summary). An empty summary for no rows; rows as in avg_deal_size.';
COMMENT ON AGGREGATE pipeline_value_summary(numeric, double precision) IS
	'pipeline_value summary = the state of pipeline_value(numeric, double precision) over the rows, tagged pipeline_value (smarkpi_money_summary); roll up with rollup(), read with pipeline_value(smarkpi_money_summary). An empty summary for no rows; rows as in pipeline_value.';
COMMENT ON AGGREGATE open_pipeline_value_summary(numeric, boolean) IS
	'open_pipeline_value summary = the state of open_pipeline_value(numeric, boolean) over the rows, tagged open_pipeline_value (smarkpi_money_summary); roll up with rollup(), read with open_pipeline_value(smarkpi_money_summary). An empty summary for no rows; rows as in open_pipeline_value.';
COMMENT ON AGGREGATE quota_attainment_summary(numeric, numeric) IS
	'quota_attainment summary = the state of quota_attainment(numeric, numeric) over the rows, tagged quota_attainment (smarkpi_money_summary); roll up with rollup(), read with quota_attainment(smarkpi_money_summary). An empty summary for no rows; rows as in quota_attainment.';
COMMENT ON AGGREGATE marketing_contribution_summary(numeric, boolean) IS
	'marketing_contribution summary = the state of marketing_contribution(numeric, boolean) over the rows, tagged marketing_contribution (smarkpi_money_summary); roll up with rollup(), read with marketing_contribution(smarkpi_money_summary). An empty summary for no rows; rows as in marketing_contribution.';
COMMENT ON AGGREGATE rollup(smarkpi_money_summary) IS
	'rollup of smarkpi_money_summary = merges summaries of one KPI exactly (counts and sums added), so the rollup of daily summaries equals the summary of all their rows; as a moving window each summary leaving the frame is subtracted exactly. NULL for no rows or only NULLs. Error: summaries of different KPIs (42804).';
COMMENT ON FUNCTION smarkpi_money_rollup_inv(smarkpi_money_summary, smarkpi_money_summary) IS 'moving-window inverse of rollup(smarkpi_money_summary)';
COMMENT ON FUNCTION cac(smarkpi_money_summary) IS
	'cac of a summary = cac over the summarized rows, from cac_summary() or a rollup() of such summaries; numeric as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION cac_ratio(smarkpi_money_summary) IS
	'cac_ratio of a summary = cac_ratio over the summarized rows, from cac_ratio_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION cpl(smarkpi_money_summary) IS
	'cpl of a summary = cpl over the summarized rows, from cpl_summary() or a rollup() of such summaries; numeric as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION roi(smarkpi_money_summary) IS
	'roi of a summary = roi over the summarized rows, from roi_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION roas(smarkpi_money_summary) IS
	'roas of a summary = roas over the summarized rows, from roas_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION avg_deal_size(smarkpi_money_summary) IS
	'avg_deal_size of a summary = avg_deal_size over the summarized rows, from avg_deal_size_summary() or a rollup() of such summaries; numeric as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION pipeline_value(smarkpi_money_summary) IS
	'pipeline_value of a summary = pipeline_value over the summarized rows, from pipeline_value_summary() or a rollup() of such summaries; numeric as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION open_pipeline_value(smarkpi_money_summary) IS
	'open_pipeline_value of a summary = open_pipeline_value over the summarized rows, from open_pipeline_value_summary() or a rollup() of such summaries; numeric as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION quota_attainment(smarkpi_money_summary) IS
	'quota_attainment of a summary = quota_attainment over the summarized rows, from quota_attainment_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION marketing_contribution(smarkpi_money_summary) IS
	'marketing_contribution of a summary = marketing_contribution over the summarized rows, from marketing_contribution_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';

------------------------------------------------------------------------------
-- Durations and percentiles: sales_cycle_length, lead_response_time,
-- duration_percentile, days (src/durations/)
------------------------------------------------------------------------------
CREATE TYPE smarkpi_duration_summary;
CREATE FUNCTION smarkpi_duration_summary_in(cstring) RETURNS smarkpi_duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_summary_out(smarkpi_duration_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_summary_recv(internal) RETURNS smarkpi_duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_summary_send(smarkpi_duration_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_duration_summary (
	INPUT = smarkpi_duration_summary_in,
	OUTPUT = smarkpi_duration_summary_out,
	RECEIVE = smarkpi_duration_summary_recv,
	SEND = smarkpi_duration_summary_send,
	INTERNALLENGTH = 32,
	ALIGNMENT = double,
	STORAGE = plain
);

CREATE FUNCTION smarkpi_sales_cycle_length_trans(smarkpi_duration_summary, timestamptz, timestamptz) RETURNS smarkpi_duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_sales_cycle_length_inv(smarkpi_duration_summary, timestamptz, timestamptz) RETURNS smarkpi_duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_combine(smarkpi_duration_summary, smarkpi_duration_summary) RETURNS smarkpi_duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_final(smarkpi_duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_lead_response_time_trans(smarkpi_duration_summary, timestamptz, timestamptz) RETURNS smarkpi_duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_lead_response_time_inv(smarkpi_duration_summary, timestamptz, timestamptz) RETURNS smarkpi_duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE TYPE smarkpi_duration_percentile_summary;
CREATE FUNCTION smarkpi_duration_percentile_summary_in(cstring) RETURNS smarkpi_duration_percentile_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_percentile_summary_out(smarkpi_duration_percentile_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_percentile_summary_recv(internal) RETURNS smarkpi_duration_percentile_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_percentile_summary_send(smarkpi_duration_percentile_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STORAGE plain: never packed or compressed, so a state read back from a
-- tuple can still be updated in place
CREATE TYPE smarkpi_duration_percentile_summary (
	INPUT = smarkpi_duration_percentile_summary_in,
	OUTPUT = smarkpi_duration_percentile_summary_out,
	RECEIVE = smarkpi_duration_percentile_summary_recv,
	SEND = smarkpi_duration_percentile_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE smarkpi_duration_percentile_summary IS 'State of duration_percentile: the fraction and every duration of the group; text form \x and the hex digits of its binary form (version byte, fraction float8, count int8, then the durations sorted: the first int8 microseconds, each next one its gap to the one before as a varint, 7 bits a byte).';
COMMENT ON FUNCTION smarkpi_duration_percentile_summary_in(cstring) IS 'smarkpi_duration_percentile_summary text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_duration_percentile_summary_out(smarkpi_duration_percentile_summary) IS 'smarkpi_duration_percentile_summary text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_duration_percentile_summary_recv(internal) IS 'smarkpi_duration_percentile_summary binary input';
COMMENT ON FUNCTION smarkpi_duration_percentile_summary_send(smarkpi_duration_percentile_summary) IS 'smarkpi_duration_percentile_summary binary output';

-- duration_percentile keeps every value: its state is a flat value grown in place
-- (see src/durations/percentile.c and src/core/xstate.h)
CREATE FUNCTION smarkpi_duration_percentile_trans(smarkpi_duration_percentile_summary, timestamptz, timestamptz, double precision) RETURNS smarkpi_duration_percentile_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_percentile_moving_trans(smarkpi_duration_percentile_summary, timestamptz, timestamptz, double precision) RETURNS smarkpi_duration_percentile_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_percentile_inv(smarkpi_duration_percentile_summary, timestamptz, timestamptz, double precision) RETURNS smarkpi_duration_percentile_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_percentile_combine(smarkpi_duration_percentile_summary, smarkpi_duration_percentile_summary) RETURNS smarkpi_duration_percentile_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_percentile_final(smarkpi_duration_percentile_summary) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sales_cycle_length(created_at timestamptz, closed_at timestamptz) (
	SFUNC = smarkpi_sales_cycle_length_trans, STYPE = smarkpi_duration_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_duration_combine, FINALFUNC = smarkpi_duration_final,
	MSFUNC = smarkpi_sales_cycle_length_trans, MINVFUNC = smarkpi_sales_cycle_length_inv,
	MSTYPE = smarkpi_duration_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_duration_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE lead_response_time(created_at timestamptz, responded_at timestamptz) (
	SFUNC = smarkpi_lead_response_time_trans, STYPE = smarkpi_duration_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_duration_combine, FINALFUNC = smarkpi_duration_final,
	MSFUNC = smarkpi_lead_response_time_trans, MINVFUNC = smarkpi_lead_response_time_inv,
	MSTYPE = smarkpi_duration_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_duration_final,
	PARALLEL = SAFE
);

	-- the final function reads the state without changing it (window use needs that)
CREATE AGGREGATE duration_percentile(started_at timestamptz, ended_at timestamptz, fraction double precision) (
	SFUNC = smarkpi_duration_percentile_trans, STYPE = smarkpi_duration_percentile_summary, SSPACE = 1024,
	COMBINEFUNC = smarkpi_duration_percentile_combine,
	FINALFUNC = smarkpi_duration_percentile_final, FINALFUNC_MODIFY = READ_ONLY,
	MSFUNC = smarkpi_duration_percentile_moving_trans, MINVFUNC = smarkpi_duration_percentile_inv,
	MSTYPE = smarkpi_duration_percentile_summary, MSSPACE = 1024, MFINALFUNC = smarkpi_duration_percentile_final, MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

-- duration_sketch: a mergeable log-bucket sketch of durations, a real type so
-- that daily sketches can be stored and rolled up (see src/durations/sketch.c)
CREATE TYPE smarkpi_duration_sketch;
CREATE FUNCTION smarkpi_duration_sketch_in(cstring) RETURNS smarkpi_duration_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_sketch_out(smarkpi_duration_sketch) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_sketch_recv(internal) RETURNS smarkpi_duration_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_sketch_send(smarkpi_duration_sketch) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_duration_sketch (
	INPUT = smarkpi_duration_sketch_in,
	OUTPUT = smarkpi_duration_sketch_out,
	RECEIVE = smarkpi_duration_sketch_recv,
	SEND = smarkpi_duration_sketch_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

CREATE FUNCTION smarkpi_duration_sketch_trans(smarkpi_duration_sketch, timestamptz, timestamptz) RETURNS smarkpi_duration_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_sketch_inv(smarkpi_duration_sketch, timestamptz, timestamptz) RETURNS smarkpi_duration_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_sketch_trans(smarkpi_duration_sketch, timestamptz, timestamptz, double precision) RETURNS smarkpi_duration_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_sketch_inv(smarkpi_duration_sketch, timestamptz, timestamptz, double precision) RETURNS smarkpi_duration_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_sketch_combine(smarkpi_duration_sketch, smarkpi_duration_sketch) RETURNS smarkpi_duration_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_sketch_rollup_inv(smarkpi_duration_sketch, smarkpi_duration_sketch) RETURNS smarkpi_duration_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_sketch_final(smarkpi_duration_sketch) RETURNS smarkpi_duration_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- SSPACE: a 1 % sketch of durations from a minute to a year holds 660 buckets (5.3 kB), plus slack
CREATE AGGREGATE duration_sketch(started_at timestamptz, ended_at timestamptz) (
	SFUNC = smarkpi_duration_sketch_trans, STYPE = smarkpi_duration_sketch, SSPACE = 8192,
	COMBINEFUNC = smarkpi_duration_sketch_combine, FINALFUNC = smarkpi_duration_sketch_final,
	MSFUNC = smarkpi_duration_sketch_trans, MINVFUNC = smarkpi_duration_sketch_inv,
	MSTYPE = smarkpi_duration_sketch, MSSPACE = 8192, MFINALFUNC = smarkpi_duration_sketch_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE duration_sketch(started_at timestamptz, ended_at timestamptz, relative_error double precision) (
	SFUNC = smarkpi_duration_sketch_trans, STYPE = smarkpi_duration_sketch, SSPACE = 8192,
	COMBINEFUNC = smarkpi_duration_sketch_combine, FINALFUNC = smarkpi_duration_sketch_final,
	MSFUNC = smarkpi_duration_sketch_trans, MINVFUNC = smarkpi_duration_sketch_inv,
	MSTYPE = smarkpi_duration_sketch, MSSPACE = 8192, MFINALFUNC = smarkpi_duration_sketch_final,
	PARALLEL = SAFE
);

-- strict, no initial value: rollup of no rows or only NULLs is NULL
CREATE AGGREGATE rollup(summary smarkpi_duration_sketch) (
	SFUNC = smarkpi_duration_sketch_combine, STYPE = smarkpi_duration_sketch, SSPACE = 8192,
	COMBINEFUNC = smarkpi_duration_sketch_combine, FINALFUNC = smarkpi_duration_sketch_final,
	MSFUNC = smarkpi_duration_sketch_combine, MINVFUNC = smarkpi_duration_sketch_rollup_inv,
	MSTYPE = smarkpi_duration_sketch, MSSPACE = 8192, MFINALFUNC = smarkpi_duration_sketch_final,
	PARALLEL = SAFE
);

CREATE FUNCTION duration_percentile(summary smarkpi_duration_sketch, fraction double precision) RETURNS interval
	AS 'MODULE_PATHNAME', 'smarkpi_duration_sketch_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Durations in days, for tools that cannot chart an interval (pgJDBC hands
-- intervals to Metabase as PGInterval)
CREATE FUNCTION days(duration interval) RETURNS numeric
	AS 'MODULE_PATHNAME', 'smarkpi_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE smarkpi_duration_summary IS
	'smarkpi running state of a mean duration: (sum of microseconds,count), a summary''s prefixed by the KPI that made it';
COMMENT ON AGGREGATE sales_cycle_length(timestamptz, timestamptz) IS
	'Sales cycle length = mean of closed_at - created_at as an interval (days + time, rounded to the microsecond). Rows with a NULL argument ignored; NULL for no rows. Errors: infinite timestamps (22008), closed_at before created_at (22023).';
COMMENT ON FUNCTION smarkpi_duration_summary_in(cstring) IS 'smarkpi_duration_summary text input';
COMMENT ON FUNCTION smarkpi_duration_summary_out(smarkpi_duration_summary) IS 'smarkpi_duration_summary text output';
COMMENT ON FUNCTION smarkpi_duration_summary_recv(internal) IS 'smarkpi_duration_summary binary input';
COMMENT ON FUNCTION smarkpi_duration_summary_send(smarkpi_duration_summary) IS 'smarkpi_duration_summary binary output';
COMMENT ON FUNCTION smarkpi_sales_cycle_length_trans(smarkpi_duration_summary, timestamptz, timestamptz) IS 'transition function of sales_cycle_length';
COMMENT ON FUNCTION smarkpi_sales_cycle_length_inv(smarkpi_duration_summary, timestamptz, timestamptz) IS 'moving-window inverse of sales_cycle_length';
COMMENT ON FUNCTION smarkpi_duration_combine(smarkpi_duration_summary, smarkpi_duration_summary) IS 'combines two partial duration states';
COMMENT ON FUNCTION smarkpi_duration_final(smarkpi_duration_summary) IS 'mean duration of a duration state as an interval, NULL when empty';
COMMENT ON AGGREGATE lead_response_time(timestamptz, timestamptz) IS
	'Lead response time = mean of responded_at - created_at as an interval (days + time, rounded to the microsecond). Rows with a NULL argument (unanswered leads) ignored; NULL for no rows. Errors: infinite timestamps (22008), responded_at before created_at (22023).';
COMMENT ON AGGREGATE duration_percentile(timestamptz, timestamptz, double precision) IS
	'Continuous percentile (percentile_cont interpolation) of ended_at - started_at as an interval, e.g. fraction 0.5 = median sales cycle; as a moving window O(log n) search + O(n) memmove per row. Rows with a NULL argument ignored; NULL for no rows. Errors: fraction outside [0,1] (22003); fraction differing between rows, ended_at before started_at (22023); infinite timestamps (22008).';
COMMENT ON FUNCTION smarkpi_lead_response_time_trans(smarkpi_duration_summary, timestamptz, timestamptz) IS 'transition function of lead_response_time';
COMMENT ON FUNCTION smarkpi_lead_response_time_inv(smarkpi_duration_summary, timestamptz, timestamptz) IS 'moving-window inverse of lead_response_time';
COMMENT ON FUNCTION days(interval) IS
	'The interval in days as numeric: (months x 30 + days + microseconds / 86,400,000,000), months counted as 30 days like interval comparison; for charting duration KPIs (e.g. round(days(sales_cycle_length(created_at, closed_at)), 1)). NULL for NULL; an infinite interval gives numeric Infinity.';
COMMENT ON FUNCTION smarkpi_duration_percentile_trans(smarkpi_duration_percentile_summary, timestamptz, timestamptz, double precision) IS 'transition function of duration_percentile';
COMMENT ON FUNCTION smarkpi_duration_percentile_moving_trans(smarkpi_duration_percentile_summary, timestamptz, timestamptz, double precision) IS 'moving-window transition function of duration_percentile (keeps values sorted)';
COMMENT ON FUNCTION smarkpi_duration_percentile_inv(smarkpi_duration_percentile_summary, timestamptz, timestamptz, double precision) IS 'moving-window inverse of duration_percentile';
COMMENT ON FUNCTION smarkpi_duration_percentile_combine(smarkpi_duration_percentile_summary, smarkpi_duration_percentile_summary) IS 'combines two partial states of duration_percentile';
COMMENT ON FUNCTION smarkpi_duration_percentile_final(smarkpi_duration_percentile_summary) IS 'final function of duration_percentile';
COMMENT ON TYPE smarkpi_duration_sketch IS
	'smarkpi mergeable log-bucket sketch of durations: (relative error,count,zeros,first bucket,{bucket counts})';
COMMENT ON FUNCTION smarkpi_duration_sketch_in(cstring) IS 'smarkpi_duration_sketch text input';
COMMENT ON FUNCTION smarkpi_duration_sketch_out(smarkpi_duration_sketch) IS 'smarkpi_duration_sketch text output';
COMMENT ON FUNCTION smarkpi_duration_sketch_recv(internal) IS 'smarkpi_duration_sketch binary input';
COMMENT ON FUNCTION smarkpi_duration_sketch_send(smarkpi_duration_sketch) IS 'smarkpi_duration_sketch binary output';
COMMENT ON FUNCTION smarkpi_duration_sketch_trans(smarkpi_duration_sketch, timestamptz, timestamptz) IS 'transition function of duration_sketch';
COMMENT ON FUNCTION smarkpi_duration_sketch_inv(smarkpi_duration_sketch, timestamptz, timestamptz) IS 'moving-window inverse of duration_sketch';
COMMENT ON FUNCTION smarkpi_duration_sketch_trans(smarkpi_duration_sketch, timestamptz, timestamptz, double precision) IS 'transition function of duration_sketch with a relative error';
COMMENT ON FUNCTION smarkpi_duration_sketch_inv(smarkpi_duration_sketch, timestamptz, timestamptz, double precision) IS 'moving-window inverse of duration_sketch with a relative error';
COMMENT ON FUNCTION smarkpi_duration_sketch_combine(smarkpi_duration_sketch, smarkpi_duration_sketch) IS 'adds two duration sketches bucket by bucket (rollup transition, combine function)';
COMMENT ON FUNCTION smarkpi_duration_sketch_rollup_inv(smarkpi_duration_sketch, smarkpi_duration_sketch) IS 'moving-window inverse of rollup: subtracts a duration sketch bucket by bucket';
COMMENT ON FUNCTION smarkpi_duration_sketch_final(smarkpi_duration_sketch) IS 'canonical form of a duration sketch (empty end buckets trimmed), NULL when empty';
COMMENT ON AGGREGATE duration_sketch(timestamptz, timestamptz) IS
	'Duration sketch = counts of ended_at - started_at in microseconds by bucket ceil(ln x / ln gamma), gamma = (1 + a) / (1 - a), zero durations apart, at relative error a = 0.01; mergeable with rollup(summary), read with duration_percentile(summary, fraction). Rows with a NULL timestamp ignored; NULL for no rows. Errors: infinite timestamps (22008), ended_at before started_at (22023).';
COMMENT ON AGGREGATE duration_sketch(timestamptz, timestamptz, double precision) IS
	'Duration sketch = counts of ended_at - started_at in microseconds by bucket ceil(ln x / ln gamma), gamma = (1 + a) / (1 - a), zero durations apart, at relative error a = relative_error; mergeable with rollup(summary), read with duration_percentile(summary, fraction). Rows with a NULL timestamp ignored; NULL for no rows. Errors: relative_error NULL, NaN, outside [0.0001, 0.5) or differing between rows (22023); infinite timestamps (22008), ended_at before started_at (22023).';
COMMENT ON AGGREGATE rollup(smarkpi_duration_sketch) IS
	'Merged duration sketch = bucket-by-bucket sum of the sketches (exact, so independent of merge order and grouping); parallel safe, and a moving window subtracts exactly. NULL sketches and empty sketches are ignored; NULL for no rows, only NULLs or only empty sketches. Errors: sketches of different relative errors (22023).';
COMMENT ON FUNCTION duration_percentile(smarkpi_duration_sketch, double precision) IS
	'Estimated percentile_disc(fraction) of a sketch''s durations = 2 gamma^i / (gamma + 1) rounded to the microsecond, i the bucket of the k-th smallest duration, k = max(1, ceil(fraction x n)), 0 for a zero duration; within a x true + 0.5 microsecond of the exact value, a the sketch''s relative error. NULL for a NULL argument or an empty sketch. Errors: fraction outside [0,1] or NaN (22003).';


-- Two-step summaries (see "Summaries" in doc/reference.md): k_summary(args)
-- returns k's state tagged with k, rollup() merges summaries, k(summary) reads k.

CREATE AGGREGATE sales_cycle_length_summary(created_at timestamptz, closed_at timestamptz) (
	SFUNC = smarkpi_sales_cycle_length_trans, STYPE = smarkpi_duration_summary, INITCOND = 'sales_cycle_length(0,0)',
	COMBINEFUNC = smarkpi_duration_combine,
	MSFUNC = smarkpi_sales_cycle_length_trans, MINVFUNC = smarkpi_sales_cycle_length_inv,
	MSTYPE = smarkpi_duration_summary, MINITCOND = 'sales_cycle_length(0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE lead_response_time_summary(created_at timestamptz, responded_at timestamptz) (
	SFUNC = smarkpi_lead_response_time_trans, STYPE = smarkpi_duration_summary, INITCOND = 'lead_response_time(0,0)',
	COMBINEFUNC = smarkpi_duration_combine,
	MSFUNC = smarkpi_lead_response_time_trans, MINVFUNC = smarkpi_lead_response_time_inv,
	MSTYPE = smarkpi_duration_summary, MINITCOND = 'lead_response_time(0,0)',
	PARALLEL = SAFE
);

CREATE FUNCTION smarkpi_duration_rollup_inv(smarkpi_duration_summary, smarkpi_duration_summary) RETURNS smarkpi_duration_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE rollup(summary smarkpi_duration_summary) (
	SFUNC = smarkpi_duration_combine, STYPE = smarkpi_duration_summary,
	COMBINEFUNC = smarkpi_duration_combine,
	MSFUNC = smarkpi_duration_combine, MINVFUNC = smarkpi_duration_rollup_inv, MSTYPE = smarkpi_duration_summary,
	PARALLEL = SAFE
);

CREATE FUNCTION sales_cycle_length(summary smarkpi_duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'smarkpi_sales_cycle_length_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION lead_response_time(summary smarkpi_duration_summary) RETURNS interval
	AS 'MODULE_PATHNAME', 'smarkpi_lead_response_time_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE sales_cycle_length_summary(timestamptz, timestamptz) IS
	'sales_cycle_length summary = the state of sales_cycle_length(timestamptz, timestamptz) over the rows, tagged sales_cycle_length (smarkpi_duration_summary); roll up with rollup(), read with sales_cycle_length(smarkpi_duration_summary). An empty summary for no rows; rows as in sales_cycle_length.';
COMMENT ON AGGREGATE lead_response_time_summary(timestamptz, timestamptz) IS
	'lead_response_time summary = the state of lead_response_time(timestamptz, timestamptz) over the rows, tagged lead_response_time (smarkpi_duration_summary); roll up with rollup(), read with lead_response_time(smarkpi_duration_summary). An empty summary for no rows; rows as in lead_response_time.';
COMMENT ON AGGREGATE rollup(smarkpi_duration_summary) IS
	'rollup of smarkpi_duration_summary = merges summaries of one KPI exactly (counts and sums added), so the rollup of daily summaries equals the summary of all their rows; as a moving window each summary leaving the frame is subtracted exactly. NULL for no rows or only NULLs. Error: summaries of different KPIs (42804).';
COMMENT ON FUNCTION smarkpi_duration_rollup_inv(smarkpi_duration_summary, smarkpi_duration_summary) IS 'moving-window inverse of rollup(smarkpi_duration_summary)';
COMMENT ON FUNCTION sales_cycle_length(smarkpi_duration_summary) IS
	'sales_cycle_length of a summary = sales_cycle_length over the summarized rows, from sales_cycle_length_summary() or a rollup() of such summaries; interval as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION lead_response_time(smarkpi_duration_summary) IS
	'lead_response_time of a summary = lead_response_time over the summarized rows, from lead_response_time_summary() or a rollup() of such summaries; interval as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';

------------------------------------------------------------------------------
-- Velocity: funnel_velocity (src/velocity.c)
------------------------------------------------------------------------------
CREATE TYPE smarkpi_velocity_summary;
CREATE FUNCTION smarkpi_velocity_summary_in(cstring) RETURNS smarkpi_velocity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_velocity_summary_out(smarkpi_velocity_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_velocity_summary_recv(internal) RETURNS smarkpi_velocity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_velocity_summary_send(smarkpi_velocity_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_velocity_summary (
	INPUT = smarkpi_velocity_summary_in,
	OUTPUT = smarkpi_velocity_summary_out,
	RECEIVE = smarkpi_velocity_summary_recv,
	SEND = smarkpi_velocity_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

CREATE FUNCTION smarkpi_funnel_velocity_trans(smarkpi_velocity_summary, timestamptz, timestamptz, numeric, boolean) RETURNS smarkpi_velocity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_funnel_velocity_inv(smarkpi_velocity_summary, timestamptz, timestamptz, numeric, boolean) RETURNS smarkpi_velocity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_funnel_velocity_combine(smarkpi_velocity_summary, smarkpi_velocity_summary) RETURNS smarkpi_velocity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_funnel_velocity_final(smarkpi_velocity_summary) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE funnel_velocity(created_at timestamptz, closed_at timestamptz, amount numeric, won boolean) (
	SFUNC = smarkpi_funnel_velocity_trans, STYPE = smarkpi_velocity_summary, SSPACE = 112,
	INITCOND = '(0,0,0,0,0,0,0)',
	COMBINEFUNC = smarkpi_funnel_velocity_combine, FINALFUNC = smarkpi_funnel_velocity_final,
	MSFUNC = smarkpi_funnel_velocity_trans, MINVFUNC = smarkpi_funnel_velocity_inv,
	MSTYPE = smarkpi_velocity_summary, MSSPACE = 112, MINITCOND = '(0,0,0,0,0,0,0)',
	MFINALFUNC = smarkpi_funnel_velocity_final,
	PARALLEL = SAFE
);

COMMENT ON TYPE smarkpi_velocity_summary IS
	'smarkpi running state of funnel velocity: (rows,closed,won,won with amount,amount max-scale count,won amount sum,cycle microseconds sum)';
COMMENT ON AGGREGATE funnel_velocity(timestamptz, timestamptz, numeric, boolean) IS
	'Sales velocity in currency per day = N x win_rate x avg_won_amount / avg_cycle_days; N = rows with created_at; win rate and cycle over closed rows (closed_at and won not null); amount mean over won rows with an amount. NULL without closed rows or with a zero mean cycle; 0 when nothing was won. Errors: infinite timestamps (22008), closed_at before created_at, NaN or infinite amount (22023).';
COMMENT ON FUNCTION smarkpi_velocity_summary_in(cstring) IS 'smarkpi_velocity_summary text input';
COMMENT ON FUNCTION smarkpi_velocity_summary_out(smarkpi_velocity_summary) IS 'smarkpi_velocity_summary text output';
COMMENT ON FUNCTION smarkpi_velocity_summary_recv(internal) IS 'smarkpi_velocity_summary binary input';
COMMENT ON FUNCTION smarkpi_velocity_summary_send(smarkpi_velocity_summary) IS 'smarkpi_velocity_summary binary output';
COMMENT ON FUNCTION smarkpi_funnel_velocity_trans(smarkpi_velocity_summary, timestamptz, timestamptz, numeric, boolean) IS 'transition function of funnel_velocity';
COMMENT ON FUNCTION smarkpi_funnel_velocity_inv(smarkpi_velocity_summary, timestamptz, timestamptz, numeric, boolean) IS 'moving-window inverse of funnel_velocity';
COMMENT ON FUNCTION smarkpi_funnel_velocity_combine(smarkpi_velocity_summary, smarkpi_velocity_summary) IS 'combines two partial velocity states';
COMMENT ON FUNCTION smarkpi_funnel_velocity_final(smarkpi_velocity_summary) IS 'funnel velocity of a velocity state in currency per day';


-- Two-step summaries (see "Summaries" in doc/reference.md): k_summary(args)
-- returns k's state tagged with k, rollup() merges summaries, k(summary) reads k.

CREATE AGGREGATE funnel_velocity_summary(created_at timestamptz, closed_at timestamptz, amount numeric, won boolean) (
	SFUNC = smarkpi_funnel_velocity_trans, STYPE = smarkpi_velocity_summary, SSPACE = 112,
	INITCOND = '(0,0,0,0,0,0,0)',
	COMBINEFUNC = smarkpi_funnel_velocity_combine,
	MSFUNC = smarkpi_funnel_velocity_trans, MINVFUNC = smarkpi_funnel_velocity_inv,
	MSTYPE = smarkpi_velocity_summary, MSSPACE = 112, MINITCOND = '(0,0,0,0,0,0,0)',
	PARALLEL = SAFE
);

CREATE FUNCTION smarkpi_funnel_velocity_rollup_inv(smarkpi_velocity_summary, smarkpi_velocity_summary) RETURNS smarkpi_velocity_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE rollup(summary smarkpi_velocity_summary) (
	SFUNC = smarkpi_funnel_velocity_combine, STYPE = smarkpi_velocity_summary,
	COMBINEFUNC = smarkpi_funnel_velocity_combine,
	MSFUNC = smarkpi_funnel_velocity_combine, MINVFUNC = smarkpi_funnel_velocity_rollup_inv, MSTYPE = smarkpi_velocity_summary,
	PARALLEL = SAFE
);

CREATE FUNCTION funnel_velocity(summary smarkpi_velocity_summary) RETURNS numeric
	AS 'MODULE_PATHNAME', 'smarkpi_funnel_velocity_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE funnel_velocity_summary(timestamptz, timestamptz, numeric, boolean) IS
	'funnel_velocity summary = the state of funnel_velocity(timestamptz, timestamptz, numeric, boolean) over the rows (smarkpi_velocity_summary, funnel_velocity''s own type); roll up with rollup(), read with funnel_velocity(smarkpi_velocity_summary). An empty summary for no rows; rows as in funnel_velocity.';
COMMENT ON AGGREGATE rollup(smarkpi_velocity_summary) IS
	'rollup of smarkpi_velocity_summary = merges summaries of one KPI exactly (counts and sums added), so the rollup of daily summaries equals the summary of all their rows; as a moving window each summary leaving the frame is subtracted exactly. NULL for no rows or only NULLs. Error: summaries of different KPIs (42804).';
COMMENT ON FUNCTION smarkpi_funnel_velocity_rollup_inv(smarkpi_velocity_summary, smarkpi_velocity_summary) IS 'moving-window inverse of rollup(smarkpi_velocity_summary)';
COMMENT ON FUNCTION funnel_velocity(smarkpi_velocity_summary) IS
	'funnel_velocity of a summary = funnel_velocity over the summarized rows, from funnel_velocity_summary() or a rollup() of such summaries; numeric as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';

------------------------------------------------------------------------------
-- Customer voice: nps, csat (src/customer_voice.c)
------------------------------------------------------------------------------
CREATE TYPE smarkpi_score_summary;
CREATE FUNCTION smarkpi_score_summary_in(cstring) RETURNS smarkpi_score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_score_summary_out(smarkpi_score_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_score_summary_recv(internal) RETURNS smarkpi_score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_score_summary_send(smarkpi_score_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_score_summary (
	INPUT = smarkpi_score_summary_in,
	OUTPUT = smarkpi_score_summary_out,
	RECEIVE = smarkpi_score_summary_recv,
	SEND = smarkpi_score_summary_send,
	INTERNALLENGTH = 24,
	ALIGNMENT = double,
	STORAGE = plain
);

CREATE FUNCTION smarkpi_csat_trans(smarkpi_rate_summary, integer) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_csat_inv(smarkpi_rate_summary, integer) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_csat_trans(smarkpi_rate_summary, integer, integer) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_csat_inv(smarkpi_rate_summary, integer, integer) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_nps_trans(smarkpi_score_summary, integer) RETURNS smarkpi_score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_nps_inv(smarkpi_score_summary, integer) RETURNS smarkpi_score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_score_combine(smarkpi_score_summary, smarkpi_score_summary) RETURNS smarkpi_score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_nps_final(smarkpi_score_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE nps(score integer) (
	SFUNC = smarkpi_nps_trans, STYPE = smarkpi_score_summary, INITCOND = '(0,0,0)',
	COMBINEFUNC = smarkpi_score_combine, FINALFUNC = smarkpi_nps_final,
	MSFUNC = smarkpi_nps_trans, MINVFUNC = smarkpi_nps_inv,
	MSTYPE = smarkpi_score_summary, MINITCOND = '(0,0,0)', MFINALFUNC = smarkpi_nps_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE csat(score integer) (
	SFUNC = smarkpi_csat_trans, STYPE = smarkpi_rate_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_csat_trans, MINVFUNC = smarkpi_csat_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE csat(score integer, scale integer) (
	SFUNC = smarkpi_csat_trans, STYPE = smarkpi_rate_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_csat_trans, MINVFUNC = smarkpi_csat_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

COMMENT ON TYPE smarkpi_score_summary IS
	'smarkpi running state of a Net Promoter Score: (promoters,detractors,responses)';
COMMENT ON AGGREGATE nps(integer) IS
	'Net Promoter Score = 100 x (promoters - detractors) / responses, double precision in [-100,100]; promoters score 9-10, detractors 0-6. NULL scores ignored; NULL without responses. Error: a score outside 0..10 (22023).';
COMMENT ON AGGREGATE csat(integer) IS
	'Customer satisfaction = share of responses scoring 4 or 5 on a 1-5 scale (top two boxes), double precision in [0,1]. NULL scores ignored; NULL without responses. Error: a score outside 1..5 (22023).';
COMMENT ON AGGREGATE csat(integer, integer) IS
	'Customer satisfaction = share of responses with score >= scale - 1 (top two boxes), double precision in [0,1]. Rows with a NULL argument ignored; NULL without responses. Errors: a score outside 1..scale, a scale below 2 (22023).';
COMMENT ON FUNCTION smarkpi_score_summary_in(cstring) IS 'smarkpi_score_summary text input';
COMMENT ON FUNCTION smarkpi_score_summary_out(smarkpi_score_summary) IS 'smarkpi_score_summary text output';
COMMENT ON FUNCTION smarkpi_score_summary_recv(internal) IS 'smarkpi_score_summary binary input';
COMMENT ON FUNCTION smarkpi_score_summary_send(smarkpi_score_summary) IS 'smarkpi_score_summary binary output';
COMMENT ON FUNCTION smarkpi_csat_trans(smarkpi_rate_summary, integer) IS 'transition function of csat';
COMMENT ON FUNCTION smarkpi_csat_inv(smarkpi_rate_summary, integer) IS 'moving-window inverse of csat';
COMMENT ON FUNCTION smarkpi_csat_trans(smarkpi_rate_summary, integer, integer) IS 'transition function of csat';
COMMENT ON FUNCTION smarkpi_csat_inv(smarkpi_rate_summary, integer, integer) IS 'moving-window inverse of csat';
COMMENT ON FUNCTION smarkpi_nps_trans(smarkpi_score_summary, integer) IS 'transition function of nps';
COMMENT ON FUNCTION smarkpi_nps_inv(smarkpi_score_summary, integer) IS 'moving-window inverse of nps';
COMMENT ON FUNCTION smarkpi_score_combine(smarkpi_score_summary, smarkpi_score_summary) IS 'combines two partial states of nps';
COMMENT ON FUNCTION smarkpi_nps_final(smarkpi_score_summary) IS '100 x (promoters - detractors) / responses, NULL without responses';


-- Two-step summaries (see "Summaries" in doc/reference.md): k_summary(args)
-- returns k's state tagged with k, rollup() merges summaries, k(summary) reads k.

CREATE AGGREGATE nps_summary(score integer) (
	SFUNC = smarkpi_nps_trans, STYPE = smarkpi_score_summary, INITCOND = '(0,0,0)',
	COMBINEFUNC = smarkpi_score_combine,
	MSFUNC = smarkpi_nps_trans, MINVFUNC = smarkpi_nps_inv,
	MSTYPE = smarkpi_score_summary, MINITCOND = '(0,0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE csat_summary(score integer) (
	SFUNC = smarkpi_csat_trans, STYPE = smarkpi_rate_summary, INITCOND = 'csat(0,0)',
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_csat_trans, MINVFUNC = smarkpi_csat_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = 'csat(0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE csat_summary(score integer, scale integer) (
	SFUNC = smarkpi_csat_trans, STYPE = smarkpi_rate_summary, INITCOND = 'csat(0,0)',
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_csat_trans, MINVFUNC = smarkpi_csat_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = 'csat(0,0)',
	PARALLEL = SAFE
);

CREATE FUNCTION smarkpi_score_rollup_inv(smarkpi_score_summary, smarkpi_score_summary) RETURNS smarkpi_score_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE rollup(summary smarkpi_score_summary) (
	SFUNC = smarkpi_score_combine, STYPE = smarkpi_score_summary,
	COMBINEFUNC = smarkpi_score_combine,
	MSFUNC = smarkpi_score_combine, MINVFUNC = smarkpi_score_rollup_inv, MSTYPE = smarkpi_score_summary,
	PARALLEL = SAFE
);

CREATE FUNCTION nps(summary smarkpi_score_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_nps_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION csat(summary smarkpi_rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_csat_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE nps_summary(integer) IS
	'nps summary = the state of nps(integer) over the rows (smarkpi_score_summary, nps''s own type); roll up with rollup(), read with nps(smarkpi_score_summary). An empty summary for no rows; rows as in nps.';
COMMENT ON AGGREGATE csat_summary(integer) IS
	'csat summary = the state of csat(integer) over the rows, tagged csat (smarkpi_rate_summary); roll up with rollup(), read with csat(smarkpi_rate_summary). An empty summary for no rows; rows as in csat.';
COMMENT ON AGGREGATE csat_summary(integer, integer) IS
	'csat summary = the state of csat(integer, integer) over the rows, tagged csat (smarkpi_rate_summary); roll up with rollup(), read with csat(smarkpi_rate_summary). An empty summary for no rows; rows as in csat.';
COMMENT ON AGGREGATE rollup(smarkpi_score_summary) IS
	'rollup of smarkpi_score_summary = merges summaries of one KPI exactly (counts and sums added), so the rollup of daily summaries equals the summary of all their rows; as a moving window each summary leaving the frame is subtracted exactly. NULL for no rows or only NULLs. Error: summaries of different KPIs (42804).';
COMMENT ON FUNCTION smarkpi_score_rollup_inv(smarkpi_score_summary, smarkpi_score_summary) IS 'moving-window inverse of rollup(smarkpi_score_summary)';
COMMENT ON FUNCTION nps(smarkpi_score_summary) IS
	'nps of a summary = nps over the summarized rows, from nps_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION csat(smarkpi_rate_summary) IS
	'csat of a summary = csat over the summarized rows, from csat_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';

------------------------------------------------------------------------------
-- Channel rates: open_rate, click_through_rate, engagement_rate (src/channel_rates.c)
------------------------------------------------------------------------------
CREATE TYPE smarkpi_count_ratio_summary;
CREATE FUNCTION smarkpi_count_ratio_summary_in(cstring) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_count_ratio_summary_out(smarkpi_count_ratio_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_count_ratio_summary_recv(internal) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_count_ratio_summary_send(smarkpi_count_ratio_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_count_ratio_summary (
	INPUT = smarkpi_count_ratio_summary_in,
	OUTPUT = smarkpi_count_ratio_summary_out,
	RECEIVE = smarkpi_count_ratio_summary_recv,
	SEND = smarkpi_count_ratio_summary_send,
	INTERNALLENGTH = 24,
	ALIGNMENT = double,
	STORAGE = plain
);

CREATE FUNCTION smarkpi_open_rate_trans(smarkpi_count_ratio_summary, bigint, bigint) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_open_rate_inv(smarkpi_count_ratio_summary, bigint, bigint) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_click_through_rate_trans(smarkpi_count_ratio_summary, bigint, bigint) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_click_through_rate_inv(smarkpi_count_ratio_summary, bigint, bigint) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_engagement_rate_trans(smarkpi_count_ratio_summary, bigint, bigint) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_engagement_rate_inv(smarkpi_count_ratio_summary, bigint, bigint) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_count_ratio_combine(smarkpi_count_ratio_summary, smarkpi_count_ratio_summary) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_count_ratio_final(smarkpi_count_ratio_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE open_rate(opened bigint, delivered bigint) (
	SFUNC = smarkpi_open_rate_trans, STYPE = smarkpi_count_ratio_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_count_ratio_combine, FINALFUNC = smarkpi_count_ratio_final,
	MSFUNC = smarkpi_open_rate_trans, MINVFUNC = smarkpi_open_rate_inv,
	MSTYPE = smarkpi_count_ratio_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_count_ratio_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE click_through_rate(clicks bigint, impressions bigint) (
	SFUNC = smarkpi_click_through_rate_trans, STYPE = smarkpi_count_ratio_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_count_ratio_combine, FINALFUNC = smarkpi_count_ratio_final,
	MSFUNC = smarkpi_click_through_rate_trans, MINVFUNC = smarkpi_click_through_rate_inv,
	MSTYPE = smarkpi_count_ratio_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_count_ratio_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE engagement_rate(engagements bigint, reach bigint) (
	SFUNC = smarkpi_engagement_rate_trans, STYPE = smarkpi_count_ratio_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_count_ratio_combine, FINALFUNC = smarkpi_count_ratio_final,
	MSFUNC = smarkpi_engagement_rate_trans, MINVFUNC = smarkpi_engagement_rate_inv,
	MSTYPE = smarkpi_count_ratio_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_count_ratio_final,
	PARALLEL = SAFE
);

COMMENT ON TYPE smarkpi_count_ratio_summary IS
	'smarkpi running state of a ratio of summed counts: (numerator sum,denominator sum), a summary''s prefixed by the KPI that made it';
COMMENT ON AGGREGATE open_rate(bigint, bigint) IS
	'Email open rate = sum(opened) / sum(delivered), double precision in [0,1]. Rows with a NULL argument ignored; NULL when nothing was delivered. Errors: negative counts, opened > delivered on a row (22023); sums past 2^63 (22003).';
COMMENT ON AGGREGATE click_through_rate(bigint, bigint) IS
	'Click-through rate = sum(clicks) / sum(impressions), double precision in [0,1]. Rows with a NULL argument ignored; NULL without impressions. Errors: negative counts, clicks > impressions on a row (22023); sums past 2^63 (22003).';
COMMENT ON AGGREGATE engagement_rate(bigint, bigint) IS
	'Social engagement rate = sum(engagements) / sum(reach), double precision (may exceed 1: one person can engage several times). Rows with a NULL argument ignored; NULL without reach. Errors: negative counts (22023); sums past 2^63 (22003).';
COMMENT ON FUNCTION smarkpi_count_ratio_summary_in(cstring) IS 'smarkpi_count_ratio_summary text input';
COMMENT ON FUNCTION smarkpi_count_ratio_summary_out(smarkpi_count_ratio_summary) IS 'smarkpi_count_ratio_summary text output';
COMMENT ON FUNCTION smarkpi_count_ratio_summary_recv(internal) IS 'smarkpi_count_ratio_summary binary input';
COMMENT ON FUNCTION smarkpi_count_ratio_summary_send(smarkpi_count_ratio_summary) IS 'smarkpi_count_ratio_summary binary output';
COMMENT ON FUNCTION smarkpi_open_rate_trans(smarkpi_count_ratio_summary, bigint, bigint) IS 'transition function of open_rate';
COMMENT ON FUNCTION smarkpi_open_rate_inv(smarkpi_count_ratio_summary, bigint, bigint) IS 'moving-window inverse of open_rate';
COMMENT ON FUNCTION smarkpi_click_through_rate_trans(smarkpi_count_ratio_summary, bigint, bigint) IS 'transition function of click_through_rate';
COMMENT ON FUNCTION smarkpi_click_through_rate_inv(smarkpi_count_ratio_summary, bigint, bigint) IS 'moving-window inverse of click_through_rate';
COMMENT ON FUNCTION smarkpi_engagement_rate_trans(smarkpi_count_ratio_summary, bigint, bigint) IS 'transition function of engagement_rate';
COMMENT ON FUNCTION smarkpi_engagement_rate_inv(smarkpi_count_ratio_summary, bigint, bigint) IS 'moving-window inverse of engagement_rate';
COMMENT ON FUNCTION smarkpi_count_ratio_combine(smarkpi_count_ratio_summary, smarkpi_count_ratio_summary) IS 'combines two partial states of open_rate, click_through_rate and engagement_rate';
COMMENT ON FUNCTION smarkpi_count_ratio_final(smarkpi_count_ratio_summary) IS 'numerator sum / denominator sum of a count ratio state, NULL when the denominator is 0';


-- Two-step summaries (see "Summaries" in doc/reference.md): k_summary(args)
-- returns k's state tagged with k, rollup() merges summaries, k(summary) reads k.

CREATE AGGREGATE open_rate_summary(opened bigint, delivered bigint) (
	SFUNC = smarkpi_open_rate_trans, STYPE = smarkpi_count_ratio_summary, INITCOND = 'open_rate(0,0)',
	COMBINEFUNC = smarkpi_count_ratio_combine,
	MSFUNC = smarkpi_open_rate_trans, MINVFUNC = smarkpi_open_rate_inv,
	MSTYPE = smarkpi_count_ratio_summary, MINITCOND = 'open_rate(0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE click_through_rate_summary(clicks bigint, impressions bigint) (
	SFUNC = smarkpi_click_through_rate_trans, STYPE = smarkpi_count_ratio_summary, INITCOND = 'click_through_rate(0,0)',
	COMBINEFUNC = smarkpi_count_ratio_combine,
	MSFUNC = smarkpi_click_through_rate_trans, MINVFUNC = smarkpi_click_through_rate_inv,
	MSTYPE = smarkpi_count_ratio_summary, MINITCOND = 'click_through_rate(0,0)',
	PARALLEL = SAFE
);

CREATE AGGREGATE engagement_rate_summary(engagements bigint, reach bigint) (
	SFUNC = smarkpi_engagement_rate_trans, STYPE = smarkpi_count_ratio_summary, INITCOND = 'engagement_rate(0,0)',
	COMBINEFUNC = smarkpi_count_ratio_combine,
	MSFUNC = smarkpi_engagement_rate_trans, MINVFUNC = smarkpi_engagement_rate_inv,
	MSTYPE = smarkpi_count_ratio_summary, MINITCOND = 'engagement_rate(0,0)',
	PARALLEL = SAFE
);

CREATE FUNCTION smarkpi_count_ratio_rollup_inv(smarkpi_count_ratio_summary, smarkpi_count_ratio_summary) RETURNS smarkpi_count_ratio_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE rollup(summary smarkpi_count_ratio_summary) (
	SFUNC = smarkpi_count_ratio_combine, STYPE = smarkpi_count_ratio_summary,
	COMBINEFUNC = smarkpi_count_ratio_combine,
	MSFUNC = smarkpi_count_ratio_combine, MINVFUNC = smarkpi_count_ratio_rollup_inv, MSTYPE = smarkpi_count_ratio_summary,
	PARALLEL = SAFE
);

CREATE FUNCTION open_rate(summary smarkpi_count_ratio_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_open_rate_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION click_through_rate(summary smarkpi_count_ratio_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_click_through_rate_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION engagement_rate(summary smarkpi_count_ratio_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_engagement_rate_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE open_rate_summary(bigint, bigint) IS
	'open_rate summary = the state of open_rate(bigint, bigint) over the rows, tagged open_rate (smarkpi_count_ratio_summary); roll up with rollup(), read with open_rate(smarkpi_count_ratio_summary). An empty summary for no rows; rows as in open_rate.';
COMMENT ON AGGREGATE click_through_rate_summary(bigint, bigint) IS
	'click_through_rate summary = the state of click_through_rate(bigint, bigint) over the rows, tagged click_through_rate (smarkpi_count_ratio_summary); roll up with rollup(), read with click_through_rate(smarkpi_count_ratio_summary). An empty summary for no rows; rows as in click_through_rate.';
COMMENT ON AGGREGATE engagement_rate_summary(bigint, bigint) IS
	'engagement_rate summary = the state of engagement_rate(bigint, bigint) over the rows, tagged engagement_rate (smarkpi_count_ratio_summary); roll up with rollup(), read with engagement_rate(smarkpi_count_ratio_summary). An empty summary for no rows; rows as in engagement_rate.';
COMMENT ON AGGREGATE rollup(smarkpi_count_ratio_summary) IS
	'rollup of smarkpi_count_ratio_summary = merges summaries of one KPI exactly (counts and sums added), so the rollup of daily summaries equals the summary of all their rows; as a moving window each summary leaving the frame is subtracted exactly. NULL for no rows or only NULLs. Error: summaries of different KPIs (42804).';
COMMENT ON FUNCTION smarkpi_count_ratio_rollup_inv(smarkpi_count_ratio_summary, smarkpi_count_ratio_summary) IS 'moving-window inverse of rollup(smarkpi_count_ratio_summary)';
COMMENT ON FUNCTION open_rate(smarkpi_count_ratio_summary) IS
	'open_rate of a summary = open_rate over the summarized rows, from open_rate_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION click_through_rate(smarkpi_count_ratio_summary) IS
	'click_through_rate of a summary = click_through_rate over the summarized rows, from click_through_rate_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';
COMMENT ON FUNCTION engagement_rate(smarkpi_count_ratio_summary) IS
	'engagement_rate of a summary = engagement_rate over the summarized rows, from engagement_rate_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';

------------------------------------------------------------------------------
-- Retention: retention_rate, aggregate and plain (src/retention.c)
------------------------------------------------------------------------------
CREATE FUNCTION smarkpi_retention_rate_trans(smarkpi_rate_summary, boolean, boolean) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_retention_rate_inv(smarkpi_rate_summary, boolean, boolean) RETURNS smarkpi_rate_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE retention_rate(active_before boolean, active_after boolean) (
	SFUNC = smarkpi_retention_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_retention_rate_trans, MINVFUNC = smarkpi_retention_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE FUNCTION retention_rate(customers_start bigint, customers_end bigint, new_customers bigint)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_retention_rate_counts' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE retention_rate(boolean, boolean) IS
	'Customer retention rate = rows with active_after true / rows with active_before true, double precision in [0,1]. Rows with a NULL argument or active_before false ignored; NULL without such rows.';
COMMENT ON FUNCTION retention_rate(bigint, bigint, bigint) IS
	'Customer retention rate = (customers_end - new_customers) / customers_start, double precision in [0,1]. NULL when customers_start is 0 or an argument is NULL. Errors: negative counts, counts giving a rate outside [0,1] (22023).';
COMMENT ON FUNCTION smarkpi_retention_rate_trans(smarkpi_rate_summary, boolean, boolean) IS 'transition function of retention_rate(boolean, boolean)';
COMMENT ON FUNCTION smarkpi_retention_rate_inv(smarkpi_rate_summary, boolean, boolean) IS 'moving-window inverse of retention_rate(boolean, boolean)';


-- Two-step summaries (see "Summaries" in doc/reference.md): k_summary(args)
-- returns k's state tagged with k, rollup() merges summaries, k(summary) reads k.

CREATE AGGREGATE retention_rate_summary(active_before boolean, active_after boolean) (
	SFUNC = smarkpi_retention_rate_trans, STYPE = smarkpi_rate_summary, INITCOND = 'retention_rate(0,0)',
	COMBINEFUNC = smarkpi_rate_combine,
	MSFUNC = smarkpi_retention_rate_trans, MINVFUNC = smarkpi_retention_rate_inv,
	MSTYPE = smarkpi_rate_summary, MINITCOND = 'retention_rate(0,0)',
	PARALLEL = SAFE
);

CREATE FUNCTION retention_rate(summary smarkpi_rate_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_retention_rate_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE retention_rate_summary(boolean, boolean) IS
	'retention_rate summary = the state of retention_rate(boolean, boolean) over the rows, tagged retention_rate (smarkpi_rate_summary); roll up with rollup(), read with retention_rate(smarkpi_rate_summary). An empty summary for no rows; rows as in retention_rate.';
COMMENT ON FUNCTION retention_rate(smarkpi_rate_summary) IS
	'retention_rate of a summary = retention_rate over the summarized rows, from retention_rate_summary() or a rollup() of such summaries; double precision as the aggregate. NULL for NULL, as the aggregate for no rows. Error: a summary of another KPI (42804).';

------------------------------------------------------------------------------
-- Growth and unit economics: growth_rate, magic_number, cagr,
-- cac_payback_months (src/growth.c)
------------------------------------------------------------------------------
CREATE FUNCTION growth_rate(value numeric) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_growth_rate_numeric' LANGUAGE C WINDOW STABLE PARALLEL SAFE;

CREATE FUNCTION growth_rate(value numeric, periods integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_growth_rate_numeric' LANGUAGE C WINDOW STABLE PARALLEL SAFE;

CREATE FUNCTION growth_rate(value double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_growth_rate_float8' LANGUAGE C WINDOW STABLE PARALLEL SAFE;

CREATE FUNCTION growth_rate(value double precision, periods integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_growth_rate_float8' LANGUAGE C WINDOW STABLE PARALLEL SAFE;

CREATE FUNCTION magic_number(revenue numeric, sales_marketing_spend numeric) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_magic_number' LANGUAGE C WINDOW STABLE PARALLEL SAFE;

CREATE FUNCTION cagr(start_value numeric, end_value numeric, periods double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_cagr' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION cac_payback_months(cac numeric, monthly_revenue_per_customer numeric, gross_margin double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_cac_payback_months' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION growth_rate(numeric) IS
	'Window function: period-over-period growth = (value - previous value) / abs(previous value) in the window order, double precision. NULL on the first row, when either value is NULL or the previous value is 0. Error: NaN or infinite value (22023).';
COMMENT ON FUNCTION growth_rate(numeric, integer) IS
	'Window function: growth over periods rows = (value - value periods rows before) / abs(that value), double precision (periods 12 on monthly rows = year over year). NULL on the first periods rows, when either value or periods is NULL, or the earlier value is 0. Errors: periods < 1, NaN or infinite value (22023).';
COMMENT ON FUNCTION growth_rate(double precision) IS
	'Window function: period-over-period growth = (value - previous value) / abs(previous value), double precision. NULL on the first row, when either value is NULL or the previous value is 0. Error: NaN or infinite value (22023).';
COMMENT ON FUNCTION growth_rate(double precision, integer) IS
	'Window function: growth over periods rows = (value - value periods rows before) / abs(that value), double precision. NULL on the first periods rows, when either value or periods is NULL, or the earlier value is 0. Errors: periods < 1, NaN or infinite value (22023).';
COMMENT ON FUNCTION magic_number(numeric, numeric) IS
	'Window function over quarterly rows: SaaS magic number = (revenue - previous revenue) x 4 / previous sales_marketing_spend, double precision. NULL on the first row, with NULL inputs, or when the previous spend is 0. Errors: NaN or infinite amounts, negative spend (22023).';
COMMENT ON FUNCTION cagr(numeric, numeric, double precision) IS
	'Compound growth rate per period = (end_value / start_value) ^ (1 / periods) - 1, double precision. NULL when an argument is NULL. Errors: start_value <= 0, end_value < 0, periods <= 0, NaN or infinite inputs (22023).';
COMMENT ON FUNCTION cac_payback_months(numeric, numeric, double precision) IS
	'CAC payback in months = cac / (monthly_revenue_per_customer x gross_margin), double precision. NULL when monthly revenue is 0 or an argument is NULL. Errors: gross_margin outside (0,1], negative or NaN money inputs (22023).';

------------------------------------------------------------------------------
-- Customer lifetime value: rfm, clv_fit, clv, p_alive, expected_purchases,
-- expected_spend (src/clv/), BG/NBD and Gamma-Gamma
------------------------------------------------------------------------------
CREATE TYPE smarkpi_rfm AS (frequency integer, recency double precision, t double precision,
					monetary_value double precision);

CREATE TYPE smarkpi_clv_model AS (r double precision, alpha double precision, a double precision,
						  b double precision, p double precision, q double precision,
						  gamma double precision, customers bigint, repeat_customers bigint,
						  bgnbd_loglik double precision, gg_loglik double precision,
						  bgnbd_converged boolean, gg_converged boolean);

-- Summaries of customers (see "Two-step summaries" in doc/reference.md): the
-- state of clv_fit() and clv() as a value, per segment, rolled up to any
-- union of segments and fitted there (src/clv/summary.c).  It is also those
-- aggregates' state type: in memory a hash table (an expanded object, see
-- src/core/xstate.h), flattened to this value when it is shipped.
CREATE TYPE smarkpi_clv_summary;
CREATE FUNCTION smarkpi_clv_summary_in(cstring) RETURNS smarkpi_clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_summary_out(smarkpi_clv_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_summary_recv(internal) RETURNS smarkpi_clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_summary_send(smarkpi_clv_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_clv_summary (
	INPUT = smarkpi_clv_summary_in,
	OUTPUT = smarkpi_clv_summary_out,
	RECEIVE = smarkpi_clv_summary_recv,
	SEND = smarkpi_clv_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

CREATE TYPE smarkpi_rfm_summary;
CREATE FUNCTION smarkpi_rfm_summary_in(cstring) RETURNS smarkpi_rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_summary_out(smarkpi_rfm_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_summary_recv(internal) RETURNS smarkpi_rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_summary_send(smarkpi_rfm_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STORAGE plain: never packed or compressed, so a state read back from a
-- tuple can still be updated in place
CREATE TYPE smarkpi_rfm_summary (
	INPUT = smarkpi_rfm_summary_in,
	OUTPUT = smarkpi_rfm_summary_out,
	RECEIVE = smarkpi_rfm_summary_recv,
	SEND = smarkpi_rfm_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE smarkpi_rfm_summary IS 'State of rfm: observed_until and every order (UTC day, amount) of the customer; text form \x and the hex digits of its binary form (version byte, observed flag, observed_until int8 microseconds, order count int4, then each order: day int4, amount length int4 and the amount in numeric binary format).';
COMMENT ON FUNCTION smarkpi_rfm_summary_in(cstring) IS 'smarkpi_rfm_summary text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_rfm_summary_out(smarkpi_rfm_summary) IS 'smarkpi_rfm_summary text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_rfm_summary_recv(internal) IS 'smarkpi_rfm_summary binary input';
COMMENT ON FUNCTION smarkpi_rfm_summary_send(smarkpi_rfm_summary) IS 'smarkpi_rfm_summary binary output';

-- rfm() keeps every order of a customer in a flat state grown in place; clv_fit()
-- and clv() keep smarkpi_clv_summary, a hash table in memory (see src/clv/rfm.c,
-- src/clv/fit.c and src/core/xstate.h)
CREATE FUNCTION smarkpi_rfm_trans(smarkpi_rfm_summary, timestamptz, numeric, timestamptz) RETURNS smarkpi_rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_combine(smarkpi_rfm_summary, smarkpi_rfm_summary) RETURNS smarkpi_rfm_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_final(smarkpi_rfm_summary) RETURNS smarkpi_rfm
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_trans(smarkpi_clv_summary, smarkpi_rfm) RETURNS smarkpi_clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_trans(smarkpi_clv_summary, smarkpi_rfm, integer, double precision) RETURNS smarkpi_clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_combine(smarkpi_clv_summary, smarkpi_clv_summary) RETURNS smarkpi_clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_fit_final(smarkpi_clv_summary) RETURNS smarkpi_clv_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_mean_final(smarkpi_clv_summary) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE rfm(ordered_at timestamptz, amount numeric, observed_until timestamptz) (
	SFUNC = smarkpi_rfm_trans, STYPE = smarkpi_rfm_summary, SSPACE = 512,
	COMBINEFUNC = smarkpi_rfm_combine,
	FINALFUNC = smarkpi_rfm_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE clv_fit(customer smarkpi_rfm) (
	SFUNC = smarkpi_clv_trans, STYPE = smarkpi_clv_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_clv_combine,
	FINALFUNC = smarkpi_clv_fit_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE clv(customer smarkpi_rfm) (
	SFUNC = smarkpi_clv_trans, STYPE = smarkpi_clv_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_clv_combine,
	FINALFUNC = smarkpi_clv_mean_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE clv(customer smarkpi_rfm, months integer, monthly_discount_rate double precision) (
	SFUNC = smarkpi_clv_trans, STYPE = smarkpi_clv_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_clv_combine,
	FINALFUNC = smarkpi_clv_mean_final,
	PARALLEL = SAFE
);

CREATE FUNCTION p_alive(model smarkpi_clv_model, customer smarkpi_rfm) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_p_alive' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION expected_purchases(model smarkpi_clv_model, customer smarkpi_rfm, horizon_days double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_expected_purchases' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION expected_spend(model smarkpi_clv_model, customer smarkpi_rfm) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_expected_spend' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION clv(model smarkpi_clv_model, customer smarkpi_rfm) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_clv_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION clv(model smarkpi_clv_model, customer smarkpi_rfm, months integer, monthly_discount_rate double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_clv_predict' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE smarkpi_rfm IS
	'Customer purchase summary in days: frequency = repeat purchase days, recency = first to last purchase day, t = first purchase day to the end of observation, monetary_value = mean spend of the repeat purchase days (0 without)';
COMMENT ON TYPE smarkpi_clv_model IS
	'Fitted BG/NBD (r, alpha per day, a, b) and Gamma-Gamma (p, q, gamma) parameters, customer counts, log-likelihoods and convergence flags; parameters are NULL where a fit did not converge';
COMMENT ON AGGREGATE rfm(timestamptz, numeric, timestamptz) IS
	'Per-customer purchase summary (rfm, times in days): orders on the same UTC day are one purchase day with amounts summed; orders after observed_until ignored. Rows with a NULL argument ignored; NULL without orders. Errors: observed_until differing between rows, NaN/infinite/negative amount (22023), infinite timestamps (22008).';
COMMENT ON AGGREGATE clv_fit(smarkpi_rfm) IS
	'Maximum-likelihood BG/NBD fit over all customers and Gamma-Gamma fit over customers with frequency > 0 and a positive monetary value; returns a smarkpi_clv_model, with NULL parameters and converged = false where the data cannot identify a model (fewer than 10 customers, no repeat buyers). Memory grows with distinct summaries, not customers. Errors: negative frequency, recency outside [0, t], t <= 0, negative monetary value (22023).';
COMMENT ON AGGREGATE clv(smarkpi_rfm) IS
	'Mean predicted customer lifetime value of the group over the next 12 months of 30 days at a monthly discount rate of 0.01, fitting BG/NBD and Gamma-Gamma on the group itself (currency). NULL when a model does not converge.';
COMMENT ON AGGREGATE clv(smarkpi_rfm, integer, double precision) IS
	'Mean predicted customer lifetime value of the group over the next months months of 30 days at monthly_discount_rate, fitting the models on the group itself (currency). NULL when a model does not converge. Errors: months < 0, discount rate <= -1, arguments differing between rows (22023).';
COMMENT ON FUNCTION p_alive(smarkpi_clv_model, smarkpi_rfm) IS
	'BG/NBD probability that the customer is still active: 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + t) / (alpha + recency))^(r + x)). NULL when the model has no BG/NBD fit.';
COMMENT ON FUNCTION expected_purchases(smarkpi_clv_model, smarkpi_rfm, double precision) IS
	'BG/NBD conditional expected number of purchases in the next horizon_days days. NULL when the model has no BG/NBD fit. Error: negative horizon (22023).';
COMMENT ON FUNCTION expected_spend(smarkpi_clv_model, smarkpi_rfm) IS
	'Gamma-Gamma conditional expected spend per purchase: p (gamma + x m) / (p x + q - 1) (currency). NULL when the model has no Gamma-Gamma fit or q <= 1.';
COMMENT ON FUNCTION clv(smarkpi_clv_model, smarkpi_rfm) IS
	'Expected value of the customer over the next 12 months of 30 days at 0.01 monthly discount: sum over months i of expected_spend x (E[purchases by 30 i days] - E[by 30 (i - 1)]) / 1.01^i (currency). NULL without both fits.';
COMMENT ON FUNCTION clv(smarkpi_clv_model, smarkpi_rfm, integer, double precision) IS
	'Expected discounted value of the customer over the next months months of 30 days: sum over months i of expected_spend x (E[purchases by 30 i days] - E[by 30 (i - 1)]) / (1 + monthly_discount_rate)^i (currency). NULL without both fits. Errors: months < 0, discount rate <= -1 (22023).';
COMMENT ON FUNCTION smarkpi_rfm_trans(smarkpi_rfm_summary, timestamptz, numeric, timestamptz) IS 'transition function of rfm';
COMMENT ON FUNCTION smarkpi_rfm_combine(smarkpi_rfm_summary, smarkpi_rfm_summary) IS 'combines two partial states of rfm';
COMMENT ON FUNCTION smarkpi_rfm_final(smarkpi_rfm_summary) IS 'final function of rfm';
COMMENT ON FUNCTION smarkpi_clv_trans(smarkpi_clv_summary, smarkpi_rfm) IS 'transition function of clv_fit(smarkpi_rfm) and clv(smarkpi_rfm)';
COMMENT ON FUNCTION smarkpi_clv_trans(smarkpi_clv_summary, smarkpi_rfm, integer, double precision) IS 'transition function of clv(smarkpi_rfm, integer, double precision)';
COMMENT ON FUNCTION smarkpi_clv_combine(smarkpi_clv_summary, smarkpi_clv_summary) IS 'combines two partial states of clv_fit and clv';
COMMENT ON FUNCTION smarkpi_clv_fit_final(smarkpi_clv_summary) IS 'final function of clv_fit';
COMMENT ON FUNCTION smarkpi_clv_mean_final(smarkpi_clv_summary) IS 'final function of the clv aggregates: mean predicted CLV of the group';

CREATE FUNCTION smarkpi_clv_summary_final(smarkpi_clv_summary) RETURNS smarkpi_clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_rollup(smarkpi_clv_summary, smarkpi_clv_summary) RETURNS smarkpi_clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_rollup_inv(smarkpi_clv_summary, smarkpi_clv_summary) RETURNS smarkpi_clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_rollup_final(smarkpi_clv_summary) RETURNS smarkpi_clv_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE clv_fit_summary(customer smarkpi_rfm) (
	SFUNC = smarkpi_clv_trans, STYPE = smarkpi_clv_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_clv_combine,
	FINALFUNC = smarkpi_clv_summary_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE clv_summary(customer smarkpi_rfm) (
	SFUNC = smarkpi_clv_trans, STYPE = smarkpi_clv_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_clv_combine,
	FINALFUNC = smarkpi_clv_summary_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE clv_summary(customer smarkpi_rfm, months integer, monthly_discount_rate double precision) (
	SFUNC = smarkpi_clv_trans, STYPE = smarkpi_clv_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_clv_combine,
	FINALFUNC = smarkpi_clv_summary_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE rollup(summary smarkpi_clv_summary) (
	SFUNC = smarkpi_clv_rollup, STYPE = smarkpi_clv_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_clv_combine,
	FINALFUNC = smarkpi_clv_rollup_final,
	MSFUNC = smarkpi_clv_rollup, MINVFUNC = smarkpi_clv_rollup_inv, MSTYPE = smarkpi_clv_summary, MSSPACE = 4096,
	MFINALFUNC = smarkpi_clv_rollup_final,
	PARALLEL = SAFE
);

CREATE FUNCTION clv_fit(summary smarkpi_clv_summary) RETURNS smarkpi_clv_model
	AS 'MODULE_PATHNAME', 'smarkpi_clv_fit_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION clv(summary smarkpi_clv_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_clv_of_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE smarkpi_clv_summary IS
	'smarkpi summary of customers for clv_fit and clv: (customers,months,monthly discount rate,{x t_x T m count,...}), one entry per distinct customer summary';
COMMENT ON AGGREGATE clv_fit_summary(smarkpi_rfm) IS
	'clv_fit summary = the state of clv_fit(smarkpi_rfm) over the rows (smarkpi_clv_summary: each distinct customer summary with its number of customers); roll up with rollup(), read with clv_fit(smarkpi_clv_summary). An empty summary for no rows; rows as in clv_fit.';
COMMENT ON AGGREGATE clv_summary(smarkpi_rfm) IS
	'clv summary = the state of clv(smarkpi_rfm) over the rows (smarkpi_clv_summary, no CLV terms: read with 12 months at 0.01); roll up with rollup(), read with clv(smarkpi_clv_summary). An empty summary for no rows; rows as in clv.';
COMMENT ON AGGREGATE clv_summary(smarkpi_rfm, integer, double precision) IS
	'clv summary = the state of clv(smarkpi_rfm, integer, double precision) over the rows (smarkpi_clv_summary with its months and monthly_discount_rate); roll up with rollup(), read with clv(smarkpi_clv_summary). An empty summary for no rows; rows and errors as in clv.';
COMMENT ON AGGREGATE rollup(smarkpi_clv_summary) IS
	'rollup of smarkpi_clv_summary = merges summaries of one KPI exactly (counts and sums added), so the rollup of daily summaries equals the summary of all their rows; here customer counts per distinct customer summary are added, so clv_fit of a rollup equals clv_fit over all the customers. NULL for no rows or only NULLs. Error: CLV terms differing between summaries (22023).';
COMMENT ON FUNCTION clv_fit(smarkpi_clv_summary) IS
	'clv_fit of a summary = clv_fit over the summarized rows, from clv_fit_summary() or clv_summary() or a rollup() of such summaries; a smarkpi_clv_model as the aggregate. NULL for NULL.';
COMMENT ON FUNCTION clv(smarkpi_clv_summary) IS
	'clv of a summary = clv over the summarized rows, from clv_summary() or clv_fit_summary() or a rollup() of such summaries, with the summary''s months and rate (12 and 0.01 when it has none); double precision as the aggregate. NULL for NULL, as the aggregate for no rows.';
COMMENT ON FUNCTION smarkpi_clv_summary_in(cstring) IS 'smarkpi_clv_summary text input';
COMMENT ON FUNCTION smarkpi_clv_summary_out(smarkpi_clv_summary) IS 'smarkpi_clv_summary text output';
COMMENT ON FUNCTION smarkpi_clv_summary_recv(internal) IS 'smarkpi_clv_summary binary input';
COMMENT ON FUNCTION smarkpi_clv_summary_send(smarkpi_clv_summary) IS 'smarkpi_clv_summary binary output';
COMMENT ON FUNCTION smarkpi_clv_summary_final(smarkpi_clv_summary) IS 'final function of clv_fit_summary and clv_summary: the state as a smarkpi_clv_summary';
COMMENT ON FUNCTION smarkpi_clv_rollup(smarkpi_clv_summary, smarkpi_clv_summary) IS 'transition function of rollup(smarkpi_clv_summary)';
COMMENT ON FUNCTION smarkpi_clv_rollup_inv(smarkpi_clv_summary, smarkpi_clv_summary) IS 'moving-window inverse of rollup(smarkpi_clv_summary)';
COMMENT ON FUNCTION smarkpi_clv_rollup_final(smarkpi_clv_summary) IS 'final function of rollup(smarkpi_clv_summary), NULL for no summaries';

------------------------------------------------------------------------------
-- Attribution: attribution_credit, rule-based multi-touch attribution as a
-- window function (src/attribution.c)
------------------------------------------------------------------------------
CREATE FUNCTION attribution_credit(model text) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_attribution_credit' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION attribution_credit(model text, first_share double precision, last_share double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_attribution_credit_shares' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION attribution_credit(model text, touched_at timestamptz, converted_at timestamptz)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_attribution_credit_timed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;

CREATE FUNCTION attribution_credit(model text, touched_at timestamptz, converted_at timestamptz, half_life interval)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_attribution_credit_timed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;

COMMENT ON FUNCTION attribution_credit(text) IS
	'Window function, one partition per conversion, touches in the window order: share of the conversion credited to this touch = 1 on the first touch for first_touch, 1 on the last touch for last_touch, 1 / n for linear, 0.4 on the first and on the last touch and 0.2 / (n - 2) on each middle touch for position_based (1 when n = 1, 0.5 each when n = 2), n = rows of the partition, double precision. The shares of a partition sum to 1 (within 1e-12); the frame clause is ignored; break ties of touched_at with a tiebreak column in ORDER BY. NULL for a NULL model. Errors: unknown model, time_decay (needs the timestamp form), model differing between rows of a partition (22023).';
COMMENT ON FUNCTION attribution_credit(text, double precision, double precision) IS
	'Window function, position-based attribution with chosen ends: share of the conversion credited to this touch = first_share on the first touch, last_share on the last touch, (1 - first_share - last_share) / (n - 2) on each middle touch (1 when n = 1, first_share / (first_share + last_share) and last_share / (first_share + last_share) when n = 2, 0.5 each when both are 0), n = rows of the partition, double precision. The shares of a partition sum to 1 (within 1e-12). NULL for a NULL model or share. Errors: a model other than position_based, a share outside [0,1] or not finite, first_share + last_share > 1, shares differing between rows of a partition (22023).';
COMMENT ON FUNCTION attribution_credit(text, timestamptz, timestamptz) IS
	'Window function over the touches of a conversion: share of the conversion credited to this touch = the model''s share among the counting touches (touched_at <= converted_at, ranked in the window order), for time_decay 2^(-(converted_at - touched_at) / half_life) / the sum of these weights over the counting touches, half_life 7 days, double precision. Every model is accepted. Touches after converted_at get 0; NULL touched_at or converted_at gives NULL and the row does not count; the counting shares sum to 1 (within 1e-12). NULL for a NULL model. Errors: unknown model, model differing between rows of a partition (22023); infinite touched_at or converted_at (22008; the row gets NULL and does not count under smarkpi.invalid_rows = skip).';
COMMENT ON FUNCTION attribution_credit(text, timestamptz, timestamptz, interval) IS
	'Window function over the touches of a conversion: share of the conversion credited to this touch = the model''s share among the counting touches (touched_at <= converted_at, ranked in the window order), for time_decay 2^(-(converted_at - touched_at) / half_life) / the sum of these weights over the counting touches, half_life as given (a month counts as 30 days), double precision. Every model is accepted. Touches after converted_at get 0; NULL touched_at or converted_at gives NULL and the row does not count; the counting shares sum to 1 (within 1e-12). NULL for a NULL model or half_life. Errors: unknown model, half_life <= 0 or infinite, model or half_life differing between rows of a partition (22023); infinite touched_at or converted_at (22008; the row gets NULL and does not count under smarkpi.invalid_rows = skip).';

------------------------------------------------------------------------------
-- Markov attribution: markov_attribution, attribution_shares, exact removal
-- effects of a first-order Markov chain of journeys (src/markov_attribution/)
------------------------------------------------------------------------------
-- The chain's transition counts as a value (src/markov_attribution/): the
-- aggregate keeps an internal state (channel names and counts in two
-- simplehash tables in the aggregate's context: a few kB per group) and hands out the canonical smarkpi_markov_summary, which rollup()
-- merges and attribution_shares() solves.
CREATE TYPE smarkpi_markov_summary;
CREATE FUNCTION smarkpi_markov_summary_in(cstring) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_summary_out(smarkpi_markov_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_summary_recv(internal) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_summary_send(smarkpi_markov_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_markov_summary (
	INPUT = smarkpi_markov_summary_in,
	OUTPUT = smarkpi_markov_summary_out,
	RECEIVE = smarkpi_markov_summary_recv,
	SEND = smarkpi_markov_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

CREATE FUNCTION smarkpi_markov_trans(smarkpi_markov_summary, text[], boolean) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_trans(smarkpi_markov_summary, text[], boolean, numeric) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_inv(smarkpi_markov_summary, text[], boolean) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_inv(smarkpi_markov_summary, text[], boolean, numeric) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_combine(smarkpi_markov_summary, smarkpi_markov_summary) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_final(smarkpi_markov_summary) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_rollup(smarkpi_markov_summary, smarkpi_markov_summary) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_markov_rollup_inv(smarkpi_markov_summary, smarkpi_markov_summary) RETURNS smarkpi_markov_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE markov_attribution(path text[], converted boolean) (
	SFUNC = smarkpi_markov_trans, STYPE = smarkpi_markov_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_markov_combine,
	FINALFUNC = smarkpi_markov_final,
	MSFUNC = smarkpi_markov_trans, MINVFUNC = smarkpi_markov_inv, MSTYPE = smarkpi_markov_summary, MSSPACE = 4096,
	MFINALFUNC = smarkpi_markov_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE markov_attribution(path text[], converted boolean, value numeric) (
	SFUNC = smarkpi_markov_trans, STYPE = smarkpi_markov_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_markov_combine,
	FINALFUNC = smarkpi_markov_final,
	MSFUNC = smarkpi_markov_trans, MINVFUNC = smarkpi_markov_inv, MSTYPE = smarkpi_markov_summary, MSSPACE = 4096,
	MFINALFUNC = smarkpi_markov_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE rollup(summary smarkpi_markov_summary) (
	SFUNC = smarkpi_markov_rollup, STYPE = smarkpi_markov_summary, SSPACE = 4096,
	COMBINEFUNC = smarkpi_markov_combine,
	FINALFUNC = smarkpi_markov_final,
	MSFUNC = smarkpi_markov_rollup, MINVFUNC = smarkpi_markov_rollup_inv, MSTYPE = smarkpi_markov_summary, MSSPACE = 4096,
	MFINALFUNC = smarkpi_markov_final,
	PARALLEL = SAFE
);

CREATE FUNCTION attribution_shares(summary smarkpi_markov_summary)
	RETURNS TABLE(channel text, removal_effect double precision, share double precision,
				  conversions double precision, value numeric)
	AS 'MODULE_PATHNAME', 'smarkpi_attribution_shares' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

CREATE FUNCTION markov_conversion_probability(summary smarkpi_markov_summary) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_markov_conversion_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE smarkpi_markov_summary IS
	'smarkpi summary of customer journeys for Markov attribution: (journeys,conversions,value,valued,value_nmax,{from>to=count,...}), the transition counts of the first-order chain between (start), the channels (quoted names, byte order), (conversion) and (null)';
COMMENT ON AGGREGATE markov_attribution(text[], boolean) IS
	'Markov attribution summary = the counts of the transitions (start) > path[1], path[i] > path[i + 1] and path[n] > (conversion) or (null) over the journeys (one row per journey) as a smarkpi_markov_summary; repeats of a channel are self-transitions, an empty path goes from (start) straight to (conversion) or (null); read with attribution_shares(), roll up with rollup(). Rows with a NULL path or converted ignored; NULL for no rows. Errors: a NULL channel (22004), an empty channel name or a multi-dimensional path (22023); count overflow (22003).';
COMMENT ON AGGREGATE markov_attribution(text[], boolean, numeric) IS
	'Markov attribution summary with value = the counts of the transitions (start) > path[1], path[i] > path[i + 1] and path[n] > (conversion) or (null) over the journeys (one row per journey), plus the exact sum of the values of the converted journeys, as a smarkpi_markov_summary; read with attribution_shares(), roll up with rollup(). Rows with a NULL path or converted ignored; a NULL value counts the journey without a value; the value of a journey that did not convert is ignored; NULL for no rows. Errors: a NULL channel (22004), an empty channel name, a multi-dimensional path, a NaN or infinite value (22023); count overflow (22003).';
COMMENT ON AGGREGATE rollup(smarkpi_markov_summary) IS
	'rollup of smarkpi_markov_summary = merges summaries exactly (transition counts and value sums added), so the rollup of daily summaries equals the summary of all their journeys; as a moving window each summary leaving the frame is subtracted exactly. NULL for no rows or only NULLs. Error: count overflow (22003).';
COMMENT ON FUNCTION attribution_shares(smarkpi_markov_summary) IS
	'Markov removal effects, one row per channel in byte order of names: removal_effect = 1 - P(conversion with the channel removed) / P(conversion), where removing a channel sends every transition into it to (null), solved exactly from the absorbing chain (I - Q) x = r with P(i > j) = n(i > j) / sum over j of n(i > j); share = removal_effect / sum of removal effects; conversions = share x total conversions; value = share x total value, rounded to its display scale. removal_effect and share NULL without conversions (conversions 0, value NULL), share, conversions and value NULL when every removal effect is 0, value NULL without values. Error: more than 2000 channels (54000).';
COMMENT ON FUNCTION markov_conversion_probability(smarkpi_markov_summary) IS
	'Markov conversion probability = P(conversion) = x_start, the probability that the first-order chain of the journeys is absorbed in (conversion), solved exactly, double precision (equals conversions / journeys: the chain is fitted to the journeys). NULL without journeys. Error: more than 2000 channels (54000).';
COMMENT ON FUNCTION smarkpi_markov_summary_in(cstring) IS 'smarkpi_markov_summary text input';
COMMENT ON FUNCTION smarkpi_markov_summary_out(smarkpi_markov_summary) IS 'smarkpi_markov_summary text output';
COMMENT ON FUNCTION smarkpi_markov_summary_recv(internal) IS 'smarkpi_markov_summary binary input';
COMMENT ON FUNCTION smarkpi_markov_summary_send(smarkpi_markov_summary) IS 'smarkpi_markov_summary binary output';
COMMENT ON FUNCTION smarkpi_markov_trans(smarkpi_markov_summary, text[], boolean) IS 'transition function of markov_attribution(text[], boolean)';
COMMENT ON FUNCTION smarkpi_markov_trans(smarkpi_markov_summary, text[], boolean, numeric) IS 'transition function of markov_attribution(text[], boolean, numeric)';
COMMENT ON FUNCTION smarkpi_markov_inv(smarkpi_markov_summary, text[], boolean) IS 'moving-window inverse of markov_attribution(text[], boolean)';
COMMENT ON FUNCTION smarkpi_markov_inv(smarkpi_markov_summary, text[], boolean, numeric) IS 'moving-window inverse of markov_attribution(text[], boolean, numeric)';
COMMENT ON FUNCTION smarkpi_markov_combine(smarkpi_markov_summary, smarkpi_markov_summary) IS 'combines two partial states of markov_attribution and rollup(smarkpi_markov_summary)';
COMMENT ON FUNCTION smarkpi_markov_final(smarkpi_markov_summary) IS 'final function of markov_attribution and rollup(smarkpi_markov_summary): the state as a smarkpi_markov_summary, NULL without journeys';
COMMENT ON FUNCTION smarkpi_markov_rollup(smarkpi_markov_summary, smarkpi_markov_summary) IS 'transition function of rollup(smarkpi_markov_summary)';
COMMENT ON FUNCTION smarkpi_markov_rollup_inv(smarkpi_markov_summary, smarkpi_markov_summary) IS 'moving-window inverse of rollup(smarkpi_markov_summary)';

------------------------------------------------------------------------------
-- Ordered funnels: window_funnel, window_funnel_times, funnel_counts
-- (src/ordered_funnels/)
------------------------------------------------------------------------------
CREATE TYPE smarkpi_window_funnel_summary;
CREATE FUNCTION smarkpi_window_funnel_summary_in(cstring) RETURNS smarkpi_window_funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_window_funnel_summary_out(smarkpi_window_funnel_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_window_funnel_summary_recv(internal) RETURNS smarkpi_window_funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_window_funnel_summary_send(smarkpi_window_funnel_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STORAGE plain: never packed or compressed, so a state read back from a
-- tuple can still be updated in place
CREATE TYPE smarkpi_window_funnel_summary (
	INPUT = smarkpi_window_funnel_summary_in,
	OUTPUT = smarkpi_window_funnel_summary_out,
	RECEIVE = smarkpi_window_funnel_summary_recv,
	SEND = smarkpi_window_funnel_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE smarkpi_window_funnel_summary IS 'State of window_funnel and window_funnel_times: the window, the mode and every event (ts, step) of the group; text form \x and the hex digits of its binary form (version byte, window int8 microseconds, mode int4, NULL-parameters flag, rows int8, event count int8, then each event: ts int8, step int4).';
COMMENT ON FUNCTION smarkpi_window_funnel_summary_in(cstring) IS 'smarkpi_window_funnel_summary text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_window_funnel_summary_out(smarkpi_window_funnel_summary) IS 'smarkpi_window_funnel_summary text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_window_funnel_summary_recv(internal) IS 'smarkpi_window_funnel_summary binary input';
COMMENT ON FUNCTION smarkpi_window_funnel_summary_send(smarkpi_window_funnel_summary) IS 'smarkpi_window_funnel_summary binary output';

-- window_funnel keeps every event of the entity (the scan needs them in time
-- order): its state is a flat value grown in place (src/core/xstate.h);
-- window_funnel_times shares it
CREATE FUNCTION smarkpi_window_funnel_trans(smarkpi_window_funnel_summary, interval, timestamptz, integer) RETURNS smarkpi_window_funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_window_funnel_trans(smarkpi_window_funnel_summary, interval, timestamptz, integer, text) RETURNS smarkpi_window_funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_window_funnel_combine(smarkpi_window_funnel_summary, smarkpi_window_funnel_summary) RETURNS smarkpi_window_funnel_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_window_funnel_final(smarkpi_window_funnel_summary) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_window_funnel_times_final(smarkpi_window_funnel_summary) RETURNS interval[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- the final functions sort the events in place, which leaves the state's
-- content unchanged (window use calls them again); no inverse: removing an
-- event can change the chain anywhere, so a moving frame is recomputed
CREATE AGGREGATE window_funnel(within interval, event_at timestamptz, step integer) (
	SFUNC = smarkpi_window_funnel_trans, STYPE = smarkpi_window_funnel_summary, SSPACE = 256,
	COMBINEFUNC = smarkpi_window_funnel_combine,
	FINALFUNC = smarkpi_window_funnel_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel(within interval, event_at timestamptz, step integer, mode text) (
	SFUNC = smarkpi_window_funnel_trans, STYPE = smarkpi_window_funnel_summary, SSPACE = 256,
	COMBINEFUNC = smarkpi_window_funnel_combine,
	FINALFUNC = smarkpi_window_funnel_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel_times(within interval, event_at timestamptz, step integer) (
	SFUNC = smarkpi_window_funnel_trans, STYPE = smarkpi_window_funnel_summary, SSPACE = 256,
	COMBINEFUNC = smarkpi_window_funnel_combine,
	FINALFUNC = smarkpi_window_funnel_times_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel_times(within interval, event_at timestamptz, step integer, mode text) (
	SFUNC = smarkpi_window_funnel_trans, STYPE = smarkpi_window_funnel_summary, SSPACE = 256,
	COMBINEFUNC = smarkpi_window_funnel_combine,
	FINALFUNC = smarkpi_window_funnel_times_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

CREATE TYPE smarkpi_funnel_counts_summary;
CREATE FUNCTION smarkpi_funnel_counts_summary_in(cstring) RETURNS smarkpi_funnel_counts_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_funnel_counts_summary_out(smarkpi_funnel_counts_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_funnel_counts_summary_recv(internal) RETURNS smarkpi_funnel_counts_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_funnel_counts_summary_send(smarkpi_funnel_counts_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STORAGE plain: never packed or compressed, so a state read back from a
-- tuple can still be updated in place
CREATE TYPE smarkpi_funnel_counts_summary (
	INPUT = smarkpi_funnel_counts_summary_in,
	OUTPUT = smarkpi_funnel_counts_summary_out,
	RECEIVE = smarkpi_funnel_counts_summary_recv,
	SEND = smarkpi_funnel_counts_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE smarkpi_funnel_counts_summary IS 'State of funnel_counts(depth, steps): steps and the rows by depth 0..steps; text form \x and the hex digits of its binary form (version byte, steps int4, steps-NULL flag, rows int8, steps + 1 counts int8).';
COMMENT ON FUNCTION smarkpi_funnel_counts_summary_in(cstring) IS 'smarkpi_funnel_counts_summary text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_funnel_counts_summary_out(smarkpi_funnel_counts_summary) IS 'smarkpi_funnel_counts_summary text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_funnel_counts_summary_recv(internal) IS 'smarkpi_funnel_counts_summary binary input';
COMMENT ON FUNCTION smarkpi_funnel_counts_summary_send(smarkpi_funnel_counts_summary) IS 'smarkpi_funnel_counts_summary binary output';

-- funnel_counts: a histogram of depths (steps + 1 counters), exact, so a
-- moving frame adds and removes rows in O(1)
CREATE FUNCTION smarkpi_funnel_counts_trans(smarkpi_funnel_counts_summary, integer, integer) RETURNS smarkpi_funnel_counts_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_funnel_counts_inv(smarkpi_funnel_counts_summary, integer, integer) RETURNS smarkpi_funnel_counts_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_funnel_counts_combine(smarkpi_funnel_counts_summary, smarkpi_funnel_counts_summary) RETURNS smarkpi_funnel_counts_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_funnel_counts_final(smarkpi_funnel_counts_summary) RETURNS bigint[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE funnel_counts(depth integer, steps integer) (
	SFUNC = smarkpi_funnel_counts_trans, STYPE = smarkpi_funnel_counts_summary, SSPACE = 552,
	COMBINEFUNC = smarkpi_funnel_counts_combine,
	FINALFUNC = smarkpi_funnel_counts_final, FINALFUNC_MODIFY = READ_ONLY,
	MSFUNC = smarkpi_funnel_counts_trans, MINVFUNC = smarkpi_funnel_counts_inv,
	MSTYPE = smarkpi_funnel_counts_summary, MSSPACE = 552, MFINALFUNC = smarkpi_funnel_counts_final, MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamptz, integer) IS
	'Window funnel depth = the deepest step k reached in order: steps 1..k at event_at(1) <= ... <= event_at(k) <= event_at(1) + within, events sorted by (event_at, step), each level keeping its chain with the latest step 1 (ClickHouse windowFunnel, one step per row). Rows with a NULL event_at ignored; a NULL step is an event that is no step of the funnel; NULL for no rows or a NULL within; 0 when no step 1. Errors: within negative, infinite or varying between rows (22023); step outside 1..64 (22023), infinite event_at (22008).';
COMMENT ON AGGREGATE window_funnel(interval, timestamptz, integer, text) IS
	'Window funnel depth = the deepest step k reached in order: steps 1..k at event_at(1) <= ... <= event_at(k) <= event_at(1) + within, events sorted by (event_at, step), each level keeping its chain with the latest step 1 (ClickHouse windowFunnel, one step per row); mode a comma list of strict_order, strict_deduplication, strict_increase, strict_once, allow_reentry. Rows with a NULL event_at ignored; a NULL step is an event that is no step of the funnel (it ends the chain under strict_order); NULL for no rows or a NULL within or mode; 0 when no step 1. Errors: within negative, infinite or varying, unknown or varying mode, allow_reentry without strict_order (22023); step outside 1..64 (22023), infinite event_at (22008).';
COMMENT ON AGGREGATE window_funnel_times(interval, timestamptz, integer) IS
	'Window funnel times = {event_at(2) - event_at(1), ..., event_at(k) - event_at(1)} on the first chain that reached the depth k window_funnel reports, as intervals (days + time); empty when k < 2. NULL rules and errors as window_funnel.';
COMMENT ON AGGREGATE window_funnel_times(interval, timestamptz, integer, text) IS
	'Window funnel times = {event_at(2) - event_at(1), ..., event_at(k) - event_at(1)} on the first chain that reached the depth k window_funnel reports, as intervals (days + time); the chain of window_funnel with the same mode; empty when k < 2. NULL rules and errors as window_funnel.';
COMMENT ON AGGREGATE funnel_counts(integer, integer) IS
	'Funnel counts = {count(depth >= 1), ..., count(depth >= steps)} as bigint[], monotone non-increasing; exact, as a moving window O(1) per row. Rows with a NULL depth ignored; NULL for no rows or a NULL steps. Errors: steps outside 1..64 or varying between rows (22023); depth outside 0..steps (22023).';
COMMENT ON FUNCTION smarkpi_window_funnel_trans(smarkpi_window_funnel_summary, interval, timestamptz, integer) IS 'transition function of window_funnel and window_funnel_times';
COMMENT ON FUNCTION smarkpi_window_funnel_trans(smarkpi_window_funnel_summary, interval, timestamptz, integer, text) IS 'transition function of window_funnel and window_funnel_times with a mode';
COMMENT ON FUNCTION smarkpi_window_funnel_combine(smarkpi_window_funnel_summary, smarkpi_window_funnel_summary) IS 'combines two partial states of window_funnel';
COMMENT ON FUNCTION smarkpi_window_funnel_final(smarkpi_window_funnel_summary) IS 'final function of window_funnel: the depth reached';
COMMENT ON FUNCTION smarkpi_window_funnel_times_final(smarkpi_window_funnel_summary) IS 'final function of window_funnel_times: the times from step 1 to each later step';
COMMENT ON FUNCTION smarkpi_funnel_counts_trans(smarkpi_funnel_counts_summary, integer, integer) IS 'transition function of funnel_counts';
COMMENT ON FUNCTION smarkpi_funnel_counts_inv(smarkpi_funnel_counts_summary, integer, integer) IS 'moving-window inverse of funnel_counts';
COMMENT ON FUNCTION smarkpi_funnel_counts_combine(smarkpi_funnel_counts_summary, smarkpi_funnel_counts_summary) IS 'combines two partial states of funnel_counts';
COMMENT ON FUNCTION smarkpi_funnel_counts_final(smarkpi_funnel_counts_summary) IS 'final function of funnel_counts: entities reaching at least each step';
