/*
 * funnel_rates.c
 *		Funnel rates: conversion_rate, mql_sal_rate, win_rate.
 *
 * Every rate is hits / total as double precision in [0, 1], kept as two
 * int64 counters (smarkpi_rate_state) so that combining partial states and
 * removing rows from a moving frame are exact.  customer_voice.c (csat) and
 * retention.c (retention_rate) use the same state, through smarkpi_rate_apply.
 *
 *	conversion_rate(converted)		   hits: true,			 total: not null
 *	conversion_rate(entered, converted[, within])
 *									   total: entered not null,
 *									   hits: converted not null (within the SLA)
 *	mql_sal_rate(mql_at, sal_at[, within])	same rule as conversion_rate
 *	win_rate(won)					   hits: true, total: not null (NULL = open)
 */
#include "smarkpi.h"

#include "utils/builtins.h"

/* Adds (sign = 1) or removes (sign = -1) one row's contribution. */
Datum
smarkpi_rate_apply(FunctionCallInfo fcinfo, bool counted, bool hit, int sign)
{
	RateState  *st = (RateState *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi rate transition");
	if (counted)
	{
		st->total = smarkpi_add_count(st->total, sign, "number of rows");
		if (hit)
			st->hits += sign;
	}
	/* an inverse only removes rows its forward transition added */
	Assert(st->hits >= 0 && st->hits <= st->total);
	PG_RETURN_POINTER(st);
}

/* ---- one boolean per row: conversion_rate(boolean), win_rate ---- */

PG_FUNCTION_INFO_V1(smarkpi_rate_bool_trans);
Datum
smarkpi_rate_bool_trans(PG_FUNCTION_ARGS)
{
	return smarkpi_rate_apply(fcinfo, true, PG_GETARG_BOOL(1), 1);
}

PG_FUNCTION_INFO_V1(smarkpi_rate_bool_inv);
Datum
smarkpi_rate_bool_inv(PG_FUNCTION_ARGS)
{
	return smarkpi_rate_apply(fcinfo, true, PG_GETARG_BOOL(1), -1);
}

/* ---- two stage timestamps, optional SLA: conversion_rate, mql_sal_rate ---- */

/*
 * Decides whether a row counts (its first stage is reached) and whether it
 * is a hit (it reached the second stage, within the SLA when one is given).
 * Arguments 1 and 2 are the stage timestamps, argument 3 the optional SLA.
 */
static Datum
rate_span_apply(FunctionCallInfo fcinfo, const char *fromname, const char *toname,
				int sign)
{
	bool		has_within = PG_NARGS() > 3 && !PG_ARGISNULL(3);
	int128		within = 0;
	int64		elapsed;

	if (has_within)
	{
		within = smarkpi_interval_us(PG_GETARG_INTERVAL_P(3));
		if (within < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("within must not be negative"),
					 errdetail("Got %s.", smarkpi_interval_text(PG_GETARG_INTERVAL_P(3)))));
	}
	/* rows not counted: no first stage, or (skipped) invalid stamps */
	if (PG_ARGISNULL(1) || !smarkpi_row_ts_ok(PG_GETARG_TIMESTAMPTZ(1), fromname))
		return smarkpi_rate_apply(fcinfo, false, false, sign);
	if (PG_ARGISNULL(2))
		return smarkpi_rate_apply(fcinfo, true, false, sign);
	if (!smarkpi_row_elapsed_us(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TIMESTAMPTZ(2),
								fromname, toname, &elapsed))
		return smarkpi_rate_apply(fcinfo, false, false, sign);
	return smarkpi_rate_apply(fcinfo, true, !has_within || elapsed <= within, sign);
}

PG_FUNCTION_INFO_V1(smarkpi_conversion_rate_trans);
Datum
smarkpi_conversion_rate_trans(PG_FUNCTION_ARGS)
{
	return rate_span_apply(fcinfo, "entered_at", "converted_at", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_conversion_rate_inv);
Datum
smarkpi_conversion_rate_inv(PG_FUNCTION_ARGS)
{
	return rate_span_apply(fcinfo, "entered_at", "converted_at", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_mql_sal_rate_trans);
Datum
smarkpi_mql_sal_rate_trans(PG_FUNCTION_ARGS)
{
	return rate_span_apply(fcinfo, "mql_at", "sal_at", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_mql_sal_rate_inv);
Datum
smarkpi_mql_sal_rate_inv(PG_FUNCTION_ARGS)
{
	return rate_span_apply(fcinfo, "mql_at", "sal_at", -1);
}

/* ---- combine and final, shared by every rate ---- */

PG_FUNCTION_INFO_V1(smarkpi_rate_combine);
Datum
smarkpi_rate_combine(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi_rate_combine");
	smarkpi_counters_add(&smarkpi_rate_spec, c, (int64 *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(c);
}

PG_FUNCTION_INFO_V1(smarkpi_rate_final);
Datum
smarkpi_rate_final(PG_FUNCTION_ARGS)
{
	RateState  *st = (RateState *) PG_GETARG_POINTER(0);

	if (st->total == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) st->hits / (double) st->total);
}

/* ---- summaries: rollup's inverse and the accessors ---- */

/* Removes a summary from a rolled-up rate (moving windows); NULL recomputes the frame. */
PG_FUNCTION_INFO_V1(smarkpi_rate_rollup_inv);
Datum
smarkpi_rate_rollup_inv(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi_rate_rollup_inv");
	if (!smarkpi_counters_sub(&smarkpi_rate_spec, c, (int64 *) PG_GETARG_POINTER(1)))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(c);
}

/* hits / total of a summary made by the KPI want (or also). */
Datum
smarkpi_rate_of_summary(FunctionCallInfo fcinfo, SmarkpiKpi want, SmarkpiKpi also,
						const char *accessor)
{
	smarkpi_kpi_expect(((RateState *) PG_GETARG_POINTER(0))->kpi, want, also, accessor);
	return smarkpi_rate_final(fcinfo);
}

PG_FUNCTION_INFO_V1(smarkpi_conversion_rate_of_summary);
Datum
smarkpi_conversion_rate_of_summary(PG_FUNCTION_ARGS)
{
	return smarkpi_rate_of_summary(fcinfo, SMARKPI_KPI_CONVERSION_RATE,
								   SMARKPI_KPI_CONVERSION_RATE_WITHIN, "conversion_rate");
}

PG_FUNCTION_INFO_V1(smarkpi_mql_sal_rate_of_summary);
Datum
smarkpi_mql_sal_rate_of_summary(PG_FUNCTION_ARGS)
{
	return smarkpi_rate_of_summary(fcinfo, SMARKPI_KPI_MQL_SAL_RATE,
								   SMARKPI_KPI_MQL_SAL_RATE_WITHIN, "mql_sal_rate");
}

PG_FUNCTION_INFO_V1(smarkpi_win_rate_of_summary);
Datum
smarkpi_win_rate_of_summary(PG_FUNCTION_ARGS)
{
	return smarkpi_rate_of_summary(fcinfo, SMARKPI_KPI_WIN_RATE, SMARKPI_KPI_WIN_RATE, "win_rate");
}
