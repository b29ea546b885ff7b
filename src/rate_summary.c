/*
 * rate_summary.c
 *		smarkpi_rate_summary (see rate_summary.h): validation, text and binary
 *		forms, adding and removing rows, combine, final, rollup's inverse.
 */
#include "rate_summary.h"

#include "core/agg.h"
#include "core/counters.h"
#include "core/wire.h"

#define RATE_TYPNAME "smarkpi_rate_summary"

static void
rate_validate(const int64 *c, int sqlstate)
{
	const RateState *st = (const RateState *) c;

	if (st->hits < 0 || st->total < 0 || st->hits > st->total)
		smarkpi_state_corrupt(RATE_TYPNAME, sqlstate, "Counts must satisfy 0 <= hits <= total.");
}

/* hits and total, then the tag: RateState's own layout */
static const CounterSpec rate_spec = {RATE_TYPNAME, 2, rate_validate, true};

PG_FUNCTION_INFO_V1(smarkpi_rate_summary_in);
Datum
smarkpi_rate_summary_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_cstring(&rate_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_rate_summary_out);
Datum
smarkpi_rate_summary_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_counters_to_cstring(&rate_spec, (int64 *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_rate_summary_recv);
Datum
smarkpi_rate_summary_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_binary(&rate_spec, (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_rate_summary_send);
Datum
smarkpi_rate_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_counters_to_binary(&rate_spec, (int64 *) PG_GETARG_POINTER(0)));
}

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

PG_FUNCTION_INFO_V1(smarkpi_rate_combine);
Datum
smarkpi_rate_combine(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi_rate_combine");
	smarkpi_counters_add(&rate_spec, c, (int64 *) PG_GETARG_POINTER(1));
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

/* Removes a summary from a rolled-up rate (moving windows); NULL recomputes the frame. */
PG_FUNCTION_INFO_V1(smarkpi_rate_rollup_inv);
Datum
smarkpi_rate_rollup_inv(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi_rate_rollup_inv");
	if (!smarkpi_counters_sub(&rate_spec, c, (int64 *) PG_GETARG_POINTER(1)))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(c);
}

Datum
smarkpi_rate_of_summary(FunctionCallInfo fcinfo, SmarkpiKpi want, SmarkpiKpi also,
						const char *accessor)
{
	smarkpi_kpi_expect(((RateState *) PG_GETARG_POINTER(0))->kpi, want, also, accessor);
	return smarkpi_rate_final(fcinfo);
}
