/* smarkpi 1.0 -- joint sales-and-marketing KPIs */

\echo Use "CREATE EXTENSION smarkpi" to load this file. \quit

------------------------------------------------------------------------------
-- State types.  Real SQL types (not internal) so partial aggregates can be
-- shipped as text or binary (Citus pushes them down this way) and stored.
------------------------------------------------------------------------------

CREATE TYPE smarkpi_rate_state;

CREATE FUNCTION smarkpi_rate_state_in(cstring) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_state_out(smarkpi_rate_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_state_recv(internal) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_state_send(smarkpi_rate_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_rate_state (
	INPUT = smarkpi_rate_state_in,
	OUTPUT = smarkpi_rate_state_out,
	RECEIVE = smarkpi_rate_state_recv,
	SEND = smarkpi_rate_state_send,
	INTERNALLENGTH = 16,
	ALIGNMENT = double,
	STORAGE = plain
);

CREATE TYPE smarkpi_duration_state;

CREATE FUNCTION smarkpi_duration_state_in(cstring) RETURNS smarkpi_duration_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_state_out(smarkpi_duration_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_state_recv(internal) RETURNS smarkpi_duration_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_state_send(smarkpi_duration_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_duration_state (
	INPUT = smarkpi_duration_state_in,
	OUTPUT = smarkpi_duration_state_out,
	RECEIVE = smarkpi_duration_state_recv,
	SEND = smarkpi_duration_state_send,
	INTERNALLENGTH = 24,
	ALIGNMENT = double,
	STORAGE = plain
);

CREATE TYPE smarkpi_money_state;

CREATE FUNCTION smarkpi_money_state_in(cstring) RETURNS smarkpi_money_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_state_out(smarkpi_money_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_state_recv(internal) RETURNS smarkpi_money_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_state_send(smarkpi_money_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_money_state (
	INPUT = smarkpi_money_state_in,
	OUTPUT = smarkpi_money_state_out,
	RECEIVE = smarkpi_money_state_recv,
	SEND = smarkpi_money_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

CREATE TYPE smarkpi_velocity_state;

CREATE FUNCTION smarkpi_velocity_state_in(cstring) RETURNS smarkpi_velocity_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_velocity_state_out(smarkpi_velocity_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_velocity_state_recv(internal) RETURNS smarkpi_velocity_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_velocity_state_send(smarkpi_velocity_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE smarkpi_velocity_state (
	INPUT = smarkpi_velocity_state_in,
	OUTPUT = smarkpi_velocity_state_out,
	RECEIVE = smarkpi_velocity_state_recv,
	SEND = smarkpi_velocity_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE smarkpi_rate_state IS
	'smarkpi running state of a rate: (hits,total)';
COMMENT ON TYPE smarkpi_duration_state IS
	'smarkpi running state of a mean duration: (sum of microseconds,count)';
COMMENT ON TYPE smarkpi_money_state IS
	'smarkpi running state of an exact money ratio: (rows,numerator max-scale count,denominator max-scale count,numerator sum,denominator sum)';
COMMENT ON TYPE smarkpi_velocity_state IS
	'smarkpi running state of funnel velocity: (rows,closed,won,won with amount,amount max-scale count,won amount sum,cycle microseconds sum)';

------------------------------------------------------------------------------
-- Support functions (transition, inverse, combine, final)
------------------------------------------------------------------------------

CREATE FUNCTION smarkpi_rate_bool_trans(smarkpi_rate_state, boolean) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_bool_inv(smarkpi_rate_state, boolean) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_conversion_span_trans(smarkpi_rate_state, timestamptz, timestamptz) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_conversion_span_inv(smarkpi_rate_state, timestamptz, timestamptz) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_conversion_span_trans(smarkpi_rate_state, timestamptz, timestamptz, interval) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_conversion_span_inv(smarkpi_rate_state, timestamptz, timestamptz, interval) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_mql_sal_trans(smarkpi_rate_state, timestamptz, timestamptz) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_mql_sal_inv(smarkpi_rate_state, timestamptz, timestamptz) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_mql_sal_trans(smarkpi_rate_state, timestamptz, timestamptz, interval) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_mql_sal_inv(smarkpi_rate_state, timestamptz, timestamptz, interval) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_combine(smarkpi_rate_state, smarkpi_rate_state) RETURNS smarkpi_rate_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rate_final(smarkpi_rate_state) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION smarkpi_cycle_trans(smarkpi_duration_state, timestamptz, timestamptz) RETURNS smarkpi_duration_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cycle_inv(smarkpi_duration_state, timestamptz, timestamptz) RETURNS smarkpi_duration_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_combine(smarkpi_duration_state, smarkpi_duration_state) RETURNS smarkpi_duration_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_duration_final(smarkpi_duration_state) RETURNS interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION smarkpi_cac_trans(smarkpi_money_state, numeric, bigint) RETURNS smarkpi_money_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cac_inv(smarkpi_money_state, numeric, bigint) RETURNS smarkpi_money_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cac_ratio_trans(smarkpi_money_state, numeric, numeric) RETURNS smarkpi_money_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cac_ratio_inv(smarkpi_money_state, numeric, numeric) RETURNS smarkpi_money_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_combine(smarkpi_money_state, smarkpi_money_state) RETURNS smarkpi_money_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_final_numeric(smarkpi_money_state) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_money_final_float8(smarkpi_money_state) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION smarkpi_velocity_trans(smarkpi_velocity_state, timestamptz, timestamptz, numeric, boolean) RETURNS smarkpi_velocity_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_velocity_inv(smarkpi_velocity_state, timestamptz, timestamptz, numeric, boolean) RETURNS smarkpi_velocity_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_velocity_combine(smarkpi_velocity_state, smarkpi_velocity_state) RETURNS smarkpi_velocity_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_velocity_final(smarkpi_velocity_state) RETURNS numeric
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

------------------------------------------------------------------------------
-- Aggregates
------------------------------------------------------------------------------

CREATE AGGREGATE conversion_rate(converted boolean) (
	SFUNC = smarkpi_rate_bool_trans, STYPE = smarkpi_rate_state, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_rate_bool_trans, MINVFUNC = smarkpi_rate_bool_inv,
	MSTYPE = smarkpi_rate_state, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE conversion_rate(entered_at timestamptz, converted_at timestamptz) (
	SFUNC = smarkpi_conversion_span_trans, STYPE = smarkpi_rate_state, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_conversion_span_trans, MINVFUNC = smarkpi_conversion_span_inv,
	MSTYPE = smarkpi_rate_state, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE conversion_rate(entered_at timestamptz, converted_at timestamptz, within interval) (
	SFUNC = smarkpi_conversion_span_trans, STYPE = smarkpi_rate_state, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_conversion_span_trans, MINVFUNC = smarkpi_conversion_span_inv,
	MSTYPE = smarkpi_rate_state, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE mql_sal_rate(mql_at timestamptz, sal_at timestamptz) (
	SFUNC = smarkpi_mql_sal_trans, STYPE = smarkpi_rate_state, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_mql_sal_trans, MINVFUNC = smarkpi_mql_sal_inv,
	MSTYPE = smarkpi_rate_state, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE mql_sal_rate(mql_at timestamptz, sal_at timestamptz, within interval) (
	SFUNC = smarkpi_mql_sal_trans, STYPE = smarkpi_rate_state, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_mql_sal_trans, MINVFUNC = smarkpi_mql_sal_inv,
	MSTYPE = smarkpi_rate_state, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE win_rate(won boolean) (
	SFUNC = smarkpi_rate_bool_trans, STYPE = smarkpi_rate_state, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_rate_combine, FINALFUNC = smarkpi_rate_final,
	MSFUNC = smarkpi_rate_bool_trans, MINVFUNC = smarkpi_rate_bool_inv,
	MSTYPE = smarkpi_rate_state, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_rate_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE cac(spend numeric, new_customers bigint) (
	SFUNC = smarkpi_cac_trans, STYPE = smarkpi_money_state, SSPACE = 96,
	INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_final_numeric,
	MSFUNC = smarkpi_cac_trans, MINVFUNC = smarkpi_cac_inv,
	MSTYPE = smarkpi_money_state, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)',
	MFINALFUNC = smarkpi_money_final_numeric,
	PARALLEL = SAFE
);

CREATE AGGREGATE cac_ratio(lifetime_value numeric, acquisition_cost numeric) (
	SFUNC = smarkpi_cac_ratio_trans, STYPE = smarkpi_money_state, SSPACE = 96,
	INITCOND = '(0,0,0,0,0)',
	COMBINEFUNC = smarkpi_money_combine, FINALFUNC = smarkpi_money_final_float8,
	MSFUNC = smarkpi_cac_ratio_trans, MINVFUNC = smarkpi_cac_ratio_inv,
	MSTYPE = smarkpi_money_state, MSSPACE = 96, MINITCOND = '(0,0,0,0,0)',
	MFINALFUNC = smarkpi_money_final_float8,
	PARALLEL = SAFE
);

CREATE AGGREGATE sales_cycle_length(created_at timestamptz, closed_at timestamptz) (
	SFUNC = smarkpi_cycle_trans, STYPE = smarkpi_duration_state, INITCOND = '(0,0)',
	COMBINEFUNC = smarkpi_duration_combine, FINALFUNC = smarkpi_duration_final,
	MSFUNC = smarkpi_cycle_trans, MINVFUNC = smarkpi_cycle_inv,
	MSTYPE = smarkpi_duration_state, MINITCOND = '(0,0)', MFINALFUNC = smarkpi_duration_final,
	PARALLEL = SAFE
);

CREATE AGGREGATE funnel_velocity(created_at timestamptz, closed_at timestamptz, amount numeric, won boolean) (
	SFUNC = smarkpi_velocity_trans, STYPE = smarkpi_velocity_state, SSPACE = 112,
	INITCOND = '(0,0,0,0,0,0,0)',
	COMBINEFUNC = smarkpi_velocity_combine, FINALFUNC = smarkpi_velocity_final,
	MSFUNC = smarkpi_velocity_trans, MINVFUNC = smarkpi_velocity_inv,
	MSTYPE = smarkpi_velocity_state, MSSPACE = 112, MINITCOND = '(0,0,0,0,0,0,0)',
	MFINALFUNC = smarkpi_velocity_final,
	PARALLEL = SAFE
);

------------------------------------------------------------------------------
-- Comments: what each KPI means, for \da+, \df+ and BI data references
------------------------------------------------------------------------------

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
COMMENT ON AGGREGATE cac(numeric, bigint) IS
	'Customer acquisition cost = sum(spend) / sum(new_customers), exact numeric (currency per customer). Rows with a NULL argument ignored; NULL for no rows or zero customers. Errors: NaN or infinite or negative spend, negative new_customers (22023).';
COMMENT ON AGGREGATE cac_ratio(numeric, numeric) IS
	'LTV:CAC ratio = sum(lifetime_value) / sum(acquisition_cost), double precision (3 is the usual target). Rows with a NULL argument ignored; NULL for no rows or zero cost. Errors: NaN or infinite amounts, negative acquisition_cost (22023).';
COMMENT ON AGGREGATE sales_cycle_length(timestamptz, timestamptz) IS
	'Sales cycle length = mean of closed_at - created_at as an interval (days + time, rounded to the microsecond). Rows with a NULL argument ignored; NULL for no rows. Errors: infinite timestamps (22008), closed_at before created_at (22023).';
COMMENT ON AGGREGATE funnel_velocity(timestamptz, timestamptz, numeric, boolean) IS
	'Sales velocity in currency per day = N x win_rate x avg_won_amount / avg_cycle_days; N = rows with created_at; win rate and cycle over closed rows (closed_at and won not null); amount mean over won rows with an amount. NULL without closed rows or with a zero mean cycle; 0 when nothing was won. Errors: infinite timestamps (22008), closed_at before created_at, NaN or infinite amount (22023).';

COMMENT ON FUNCTION smarkpi_rate_state_in(cstring) IS 'smarkpi_rate_state text input';
COMMENT ON FUNCTION smarkpi_rate_state_out(smarkpi_rate_state) IS 'smarkpi_rate_state text output';
COMMENT ON FUNCTION smarkpi_rate_state_recv(internal) IS 'smarkpi_rate_state binary input';
COMMENT ON FUNCTION smarkpi_rate_state_send(smarkpi_rate_state) IS 'smarkpi_rate_state binary output';
COMMENT ON FUNCTION smarkpi_duration_state_in(cstring) IS 'smarkpi_duration_state text input';
COMMENT ON FUNCTION smarkpi_duration_state_out(smarkpi_duration_state) IS 'smarkpi_duration_state text output';
COMMENT ON FUNCTION smarkpi_duration_state_recv(internal) IS 'smarkpi_duration_state binary input';
COMMENT ON FUNCTION smarkpi_duration_state_send(smarkpi_duration_state) IS 'smarkpi_duration_state binary output';
COMMENT ON FUNCTION smarkpi_money_state_in(cstring) IS 'smarkpi_money_state text input';
COMMENT ON FUNCTION smarkpi_money_state_out(smarkpi_money_state) IS 'smarkpi_money_state text output';
COMMENT ON FUNCTION smarkpi_money_state_recv(internal) IS 'smarkpi_money_state binary input';
COMMENT ON FUNCTION smarkpi_money_state_send(smarkpi_money_state) IS 'smarkpi_money_state binary output';
COMMENT ON FUNCTION smarkpi_velocity_state_in(cstring) IS 'smarkpi_velocity_state text input';
COMMENT ON FUNCTION smarkpi_velocity_state_out(smarkpi_velocity_state) IS 'smarkpi_velocity_state text output';
COMMENT ON FUNCTION smarkpi_velocity_state_recv(internal) IS 'smarkpi_velocity_state binary input';
COMMENT ON FUNCTION smarkpi_velocity_state_send(smarkpi_velocity_state) IS 'smarkpi_velocity_state binary output';

COMMENT ON FUNCTION smarkpi_rate_bool_trans(smarkpi_rate_state, boolean) IS 'transition function of conversion_rate(boolean) and win_rate';
COMMENT ON FUNCTION smarkpi_rate_bool_inv(smarkpi_rate_state, boolean) IS 'moving-window inverse of conversion_rate(boolean) and win_rate';
COMMENT ON FUNCTION smarkpi_conversion_span_trans(smarkpi_rate_state, timestamptz, timestamptz) IS 'transition function of conversion_rate(timestamptz, timestamptz)';
COMMENT ON FUNCTION smarkpi_conversion_span_inv(smarkpi_rate_state, timestamptz, timestamptz) IS 'moving-window inverse of conversion_rate(timestamptz, timestamptz)';
COMMENT ON FUNCTION smarkpi_conversion_span_trans(smarkpi_rate_state, timestamptz, timestamptz, interval) IS 'transition function of conversion_rate(timestamptz, timestamptz, interval)';
COMMENT ON FUNCTION smarkpi_conversion_span_inv(smarkpi_rate_state, timestamptz, timestamptz, interval) IS 'moving-window inverse of conversion_rate(timestamptz, timestamptz, interval)';
COMMENT ON FUNCTION smarkpi_mql_sal_trans(smarkpi_rate_state, timestamptz, timestamptz) IS 'transition function of mql_sal_rate(timestamptz, timestamptz)';
COMMENT ON FUNCTION smarkpi_mql_sal_inv(smarkpi_rate_state, timestamptz, timestamptz) IS 'moving-window inverse of mql_sal_rate(timestamptz, timestamptz)';
COMMENT ON FUNCTION smarkpi_mql_sal_trans(smarkpi_rate_state, timestamptz, timestamptz, interval) IS 'transition function of mql_sal_rate(timestamptz, timestamptz, interval)';
COMMENT ON FUNCTION smarkpi_mql_sal_inv(smarkpi_rate_state, timestamptz, timestamptz, interval) IS 'moving-window inverse of mql_sal_rate(timestamptz, timestamptz, interval)';
COMMENT ON FUNCTION smarkpi_rate_combine(smarkpi_rate_state, smarkpi_rate_state) IS 'combines two partial rate states (parallel and distributed aggregation)';
COMMENT ON FUNCTION smarkpi_rate_final(smarkpi_rate_state) IS 'hits / total of a rate state, NULL when total is 0';
COMMENT ON FUNCTION smarkpi_cycle_trans(smarkpi_duration_state, timestamptz, timestamptz) IS 'transition function of sales_cycle_length';
COMMENT ON FUNCTION smarkpi_cycle_inv(smarkpi_duration_state, timestamptz, timestamptz) IS 'moving-window inverse of sales_cycle_length';
COMMENT ON FUNCTION smarkpi_duration_combine(smarkpi_duration_state, smarkpi_duration_state) IS 'combines two partial duration states';
COMMENT ON FUNCTION smarkpi_duration_final(smarkpi_duration_state) IS 'mean duration of a duration state as an interval, NULL when empty';
COMMENT ON FUNCTION smarkpi_cac_trans(smarkpi_money_state, numeric, bigint) IS 'transition function of cac';
COMMENT ON FUNCTION smarkpi_cac_inv(smarkpi_money_state, numeric, bigint) IS 'moving-window inverse of cac (NULL forces a frame restart when the display scale could change)';
COMMENT ON FUNCTION smarkpi_cac_ratio_trans(smarkpi_money_state, numeric, numeric) IS 'transition function of cac_ratio';
COMMENT ON FUNCTION smarkpi_cac_ratio_inv(smarkpi_money_state, numeric, numeric) IS 'moving-window inverse of cac_ratio (NULL forces a frame restart when the display scale could change)';
COMMENT ON FUNCTION smarkpi_money_combine(smarkpi_money_state, smarkpi_money_state) IS 'combines two partial money states';
COMMENT ON FUNCTION smarkpi_money_final_numeric(smarkpi_money_state) IS 'numerator sum / denominator sum as numeric, NULL when empty or the denominator is 0';
COMMENT ON FUNCTION smarkpi_money_final_float8(smarkpi_money_state) IS 'numerator sum / denominator sum as double precision, NULL when empty or the denominator is 0';
COMMENT ON FUNCTION smarkpi_velocity_trans(smarkpi_velocity_state, timestamptz, timestamptz, numeric, boolean) IS 'transition function of funnel_velocity';
COMMENT ON FUNCTION smarkpi_velocity_inv(smarkpi_velocity_state, timestamptz, timestamptz, numeric, boolean) IS 'moving-window inverse of funnel_velocity';
COMMENT ON FUNCTION smarkpi_velocity_combine(smarkpi_velocity_state, smarkpi_velocity_state) IS 'combines two partial velocity states';
COMMENT ON FUNCTION smarkpi_velocity_final(smarkpi_velocity_state) IS 'funnel velocity of a velocity state in currency per day';
