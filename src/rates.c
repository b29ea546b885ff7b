/*
 * rates.c
 *		Funnel rates: conversion_rate, mql_sal_rate, win_rate.
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
 */
#include "smarkpi.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

#define RATE_TYPNAME "smarkpi_rate_state"

static void
rate_validate(const RateState *st, int sqlstate)
{
	if (st->hits < 0 || st->total < 0 || st->hits > st->total)
		smarkpi_state_corrupt(RATE_TYPNAME, sqlstate,
							  "Counts must satisfy 0 <= hits <= total.");
}

PG_FUNCTION_INFO_V1(smarkpi_rate_state_in);
Datum
smarkpi_rate_state_in(PG_FUNCTION_ARGS)
{
	char	   *fields[2];
	RateState  *st = palloc(sizeof(RateState));

	smarkpi_state_fields(PG_GETARG_CSTRING(0), RATE_TYPNAME, fields, 2);
	st->hits = smarkpi_parse_int64_field(fields[0], RATE_TYPNAME);
	st->total = smarkpi_parse_int64_field(fields[1], RATE_TYPNAME);
	rate_validate(st, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_rate_state_out);
Datum
smarkpi_rate_state_out(PG_FUNCTION_ARGS)
{
	RateState  *st = (RateState *) PG_GETARG_POINTER(0);

	PG_RETURN_CSTRING(psprintf("(" INT64_FORMAT "," INT64_FORMAT ")",
							   st->hits, st->total));
}

PG_FUNCTION_INFO_V1(smarkpi_rate_state_recv);
Datum
smarkpi_rate_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RateState  *st = palloc(sizeof(RateState));

	if (buf->len - buf->cursor != 17)
		smarkpi_state_corrupt(RATE_TYPNAME, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "Expected 17 bytes.");
	if (pq_getmsgbyte(buf) != SMARKPI_BINARY_VERSION)
		smarkpi_state_corrupt(RATE_TYPNAME, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "Unsupported binary format version.");
	st->hits = pq_getmsgint64(buf);
	st->total = pq_getmsgint64(buf);
	rate_validate(st, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_rate_state_send);
Datum
smarkpi_rate_state_send(PG_FUNCTION_ARGS)
{
	RateState  *st = (RateState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SMARKPI_BINARY_VERSION);
	pq_sendint64(&buf, st->hits);
	pq_sendint64(&buf, st->total);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

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

/* ---- two stage timestamps, optional SLA: conversion_rate, mql_sal_rate ---- */

/* Interval as microseconds, with interval comparison's 30-day months. */
static int128
interval_us(const Interval *iv)
{
	return (int128) iv->time
		+ (int128) iv->day * USECS_PER_DAY
		+ (int128) iv->month * DAYS_PER_MONTH * USECS_PER_DAY;
}

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
		within = interval_us(PG_GETARG_INTERVAL_P(3));
		if (within < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("within must not be negative"),
					 errdetail("Got %s.",
							   DatumGetCString(DirectFunctionCall1(interval_out,
																   PG_GETARG_DATUM(3))))));
	}
	if (PG_ARGISNULL(1))
		return rate_apply(fcinfo, false, false, sign);
	smarkpi_check_finite_ts(PG_GETARG_TIMESTAMPTZ(1), fromname);
	if (PG_ARGISNULL(2))
		return rate_apply(fcinfo, true, false, sign);
	elapsed = smarkpi_elapsed_us(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TIMESTAMPTZ(2),
								 fromname, toname);
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

PG_FUNCTION_INFO_V1(smarkpi_rate_combine);
Datum
smarkpi_rate_combine(PG_FUNCTION_ARGS)
{
	RateState  *st = (RateState *) PG_GETARG_POINTER(0);
	RateState  *other = (RateState *) PG_GETARG_POINTER(1);

	smarkpi_require_agg_context(fcinfo, "smarkpi_rate_combine");
	st->hits = smarkpi_add_count(st->hits, other->hits, "number of rows");
	st->total = smarkpi_add_count(st->total, other->total, "number of rows");
	PG_RETURN_POINTER(st);
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
