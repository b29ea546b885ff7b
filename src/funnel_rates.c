/*
 * funnel_rates.c
 *		Funnel rates: conversion_rate, mql_sal_rate, win_rate.
 *
 * Every rate is hits / total as double precision in [0, 1], kept as two
 * int64 counters (smarkpi_rate_summary) so that combining partial states and
 * removing rows from a moving frame are exact.  customer_voice.c (csat) and
 * retention.c (retention_rate) use the same state (rate_summary.h).
 *
 *	conversion_rate(converted)		   hits: true,			 total: not null
 *	conversion_rate(entered, converted[, within])
 *									   total: entered not null,
 *									   hits: converted not null (within the SLA)
 *	mql_sal_rate(mql_at, sal_at[, within])	same rule as conversion_rate
 *	win_rate(won)					   hits: true, total: not null (NULL = open)
 */
#include "smarkpi.h"

#include "rate_summary.h"

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

/* ---- accessors of summaries ---- */

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
