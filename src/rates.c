/*
 * rates.c
 *		Rates: conversion_rate, mql_sal_rate, win_rate, retention_rate, csat,
 *		open_rate, click_through_rate, engagement_rate.
 *
 * Every rate is hits / total as double precision in [0, 1], kept as two
 * int64 counters (RateState) so that combining partial states and removing
 * rows from a moving frame are exact.
 *
 *	conversion_rate(converted)		   hits: true,			 total: not null
 *	conversion_rate(entered, converted[, within])
 *									   total: entered not null,
 *									   hits: converted not null (within the SLA)
 *	mql_sal_rate(mql_at, sal_at[, within])	same rule as conversion_rate
 *	win_rate(won)					   hits: true, total: not null (NULL = open)
 *	retention_rate(before, after)	   total: active before, hits: also after
 *	csat(score[, scale])			   hits: top two boxes, total: responses
 *
 * Ratios of summed counts (open_rate, click_through_rate, engagement_rate)
 * use smarkpi_count_ratio_state: (numerator sum, denominator sum).  They may
 * exceed 1: a source that counts every open or click, not unique ones, says so.
 */
#include "smarkpi.h"

#include "utils/builtins.h"

static void
rate_validate(const int64 *c, int sqlstate)
{
	const RateState *st = (const RateState *) c;

	if (st->hits < 0 || st->total < 0 || st->hits > st->total)
		smarkpi_state_corrupt("smarkpi_rate_state", sqlstate,
							  "Counts must satisfy 0 <= hits <= total.");
}

static const CounterSpec rate_spec = {"smarkpi_rate_state", 2, rate_validate};

SMARKPI_COUNTER_IO(rate, rate_spec)

/* Adds (sign = 1) or removes (sign = -1) one row's contribution. */
static Datum
rate_apply(FunctionCallInfo fcinfo, bool counted, bool hit, int sign)
{
	RateState  *st = (RateState *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi rate transition");
	if (counted)
	{
		st->total = smarkpi_add_count(st->total, sign, "number of rows");
		if (hit)
			st->hits += sign;
	}
	PG_RETURN_POINTER(st);
}

/* ---- one boolean per row: conversion_rate(boolean), win_rate ---- */

PG_FUNCTION_INFO_V1(smarkpi_rate_bool_trans);
Datum
smarkpi_rate_bool_trans(PG_FUNCTION_ARGS)
{
	return rate_apply(fcinfo, true, PG_GETARG_BOOL(1), 1);
}

PG_FUNCTION_INFO_V1(smarkpi_rate_bool_inv);
Datum
smarkpi_rate_bool_inv(PG_FUNCTION_ARGS)
{
	return rate_apply(fcinfo, true, PG_GETARG_BOOL(1), -1);
}

/* retention_rate(active_before, active_after): counted when active before. */
PG_FUNCTION_INFO_V1(smarkpi_retention_trans);
Datum
smarkpi_retention_trans(PG_FUNCTION_ARGS)
{
	return rate_apply(fcinfo, PG_GETARG_BOOL(1), PG_GETARG_BOOL(2), 1);
}

PG_FUNCTION_INFO_V1(smarkpi_retention_inv);
Datum
smarkpi_retention_inv(PG_FUNCTION_ARGS)
{
	return rate_apply(fcinfo, PG_GETARG_BOOL(1), PG_GETARG_BOOL(2), -1);
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
					 errdetail("Got %s.",
							   DatumGetCString(DirectFunctionCall1(interval_out,
																   PG_GETARG_DATUM(3))))));
	}
	/* rows not counted: no first stage, or (skipped) invalid stamps */
	if (PG_ARGISNULL(1) || !smarkpi_row_ts_ok(PG_GETARG_TIMESTAMPTZ(1), fromname))
		return rate_apply(fcinfo, false, false, sign);
	if (PG_ARGISNULL(2))
		return rate_apply(fcinfo, true, false, sign);
	if (!smarkpi_row_elapsed_us(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TIMESTAMPTZ(2),
								fromname, toname, &elapsed))
		return rate_apply(fcinfo, false, false, sign);
	return rate_apply(fcinfo, true, !has_within || elapsed <= within, sign);
}

PG_FUNCTION_INFO_V1(smarkpi_conversion_span_trans);
Datum
smarkpi_conversion_span_trans(PG_FUNCTION_ARGS)
{
	return rate_span_apply(fcinfo, "entered_at", "converted_at", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_conversion_span_inv);
Datum
smarkpi_conversion_span_inv(PG_FUNCTION_ARGS)
{
	return rate_span_apply(fcinfo, "entered_at", "converted_at", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_mql_sal_trans);
Datum
smarkpi_mql_sal_trans(PG_FUNCTION_ARGS)
{
	return rate_span_apply(fcinfo, "mql_at", "sal_at", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_mql_sal_inv);
Datum
smarkpi_mql_sal_inv(PG_FUNCTION_ARGS)
{
	return rate_span_apply(fcinfo, "mql_at", "sal_at", -1);
}

/* ---- combine and final, shared by every rate ---- */

SMARKPI_COUNTER_COMBINE(rate, rate_spec)

PG_FUNCTION_INFO_V1(smarkpi_rate_final);
Datum
smarkpi_rate_final(PG_FUNCTION_ARGS)
{
	RateState  *st = (RateState *) PG_GETARG_POINTER(0);

	if (st->total == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) st->hits / (double) st->total);
}

/* ---- csat: share of responses in the top two boxes ---- */

static Datum
csat_apply(FunctionCallInfo fcinfo, int sign)
{
	int32		score = PG_GETARG_INT32(1);
	int32		scale = PG_NARGS() > 2 ? PG_GETARG_INT32(2) : 5;

	if (scale < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("csat scale must be at least 2"),
				 errdetail("Got %d.", scale)));
	if (!smarkpi_row_score_ok(score, 1, scale, "csat score"))
		return rate_apply(fcinfo, false, false, sign);
	return rate_apply(fcinfo, true, score >= scale - 1, sign);
}

PG_FUNCTION_INFO_V1(smarkpi_csat_trans);
Datum
smarkpi_csat_trans(PG_FUNCTION_ARGS)
{
	return csat_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_csat_inv);
Datum
smarkpi_csat_inv(PG_FUNCTION_ARGS)
{
	return csat_apply(fcinfo, -1);
}

/* ---- ratios of summed counts: open_rate, click_through_rate, engagement_rate ---- */

static void
count_ratio_validate(const int64 *c, int sqlstate)
{
	if (c[0] < 0 || c[1] < 0)
		smarkpi_state_corrupt("smarkpi_count_ratio_state", sqlstate,
							  "Sums of counts must not be negative.");
}

static const CounterSpec count_ratio_spec = {"smarkpi_count_ratio_state", 2, count_ratio_validate};

SMARKPI_COUNTER_IO(count_ratio, count_ratio_spec)

/*
 * Adds or removes one row's counts.  Both must be non-negative.  The
 * numerator may exceed the denominator: ad platforms report more clicks than
 * impressions on some rows, and email tools count every open and click, not
 * unique ones, so a rate above 1 is the data's answer, not an error.
 */
static Datum
count_ratio_apply(FunctionCallInfo fcinfo, const char *numname, const char *denname, int sign)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);
	int64		num = PG_GETARG_INT64(1);
	int64		den = PG_GETARG_INT64(2);

	smarkpi_require_agg_context(fcinfo, "smarkpi count ratio transition");
	if (!smarkpi_row_count_ok(num, numname) || !smarkpi_row_count_ok(den, denname))
		PG_RETURN_POINTER(c);
	c[0] = sign > 0 ? smarkpi_add_count(c[0], num, numname) : c[0] - num;
	c[1] = sign > 0 ? smarkpi_add_count(c[1], den, denname) : c[1] - den;
	PG_RETURN_POINTER(c);
}

#define COUNT_RATIO_FUNCS(kpi, numname, denname) \
PG_FUNCTION_INFO_V1(smarkpi_##kpi##_trans); \
Datum smarkpi_##kpi##_trans(PG_FUNCTION_ARGS) \
{ return count_ratio_apply(fcinfo, numname, denname, 1); } \
PG_FUNCTION_INFO_V1(smarkpi_##kpi##_inv); \
Datum smarkpi_##kpi##_inv(PG_FUNCTION_ARGS) \
{ return count_ratio_apply(fcinfo, numname, denname, -1); }

COUNT_RATIO_FUNCS(open_rate, "opened", "delivered")
COUNT_RATIO_FUNCS(ctr, "clicks", "impressions")
COUNT_RATIO_FUNCS(engagement, "engagements", "reach")

SMARKPI_COUNTER_COMBINE(count_ratio, count_ratio_spec)

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_final);
Datum
smarkpi_count_ratio_final(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	if (c[1] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) c[0] / (double) c[1]);
}
