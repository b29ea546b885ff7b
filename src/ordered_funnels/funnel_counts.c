/*
 * ordered_funnels/funnel_counts.c
 *		funnel_counts(depth, steps): how many entities reached at least each
 *		step, from window_funnel's depths; element k of the result counts the
 *		rows with depth >= k.
 *
 * The state, smarkpi_funnel_counts_summary, is a histogram of depths
 * 0..steps: one fixed-size flat value updated in place (core/xstate.h);
 * rows are added and removed exactly, so a moving frame costs O(1) a row.
 */
#include "ordered_funnels/ordered_funnels.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "core/wire.h"
#include "core/xstate.h"
#include "libpq/pqformat.h"
#include "utils/array.h"

typedef struct CountsState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		steps;			/* 0 when steps was NULL: the result is NULL */
	bool		steps_null;
	int64		nrows;			/* rows with a depth */
	int64		hist[FUNNEL_MAX_STEPS + 1]; /* rows by depth 0..steps */
} CountsState;

/* steps is a parameter of the query: one value (or NULL) per group */
static void
check_same_steps(const CountsState *st, bool steps_null, int32 steps)
{
	if (st->steps_null == steps_null && (steps_null || st->steps == steps))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("steps must be the same in every row of funnel_counts"),
			 steps_null || st->steps_null ? errdetail("Got NULL and a number.") :
			 errdetail("Got %d after %d.", steps, st->steps),
			 errhint("Pass steps as a constant, such as funnel_counts(depth, 4).")));
}

static CountsState *
counts_state(FunctionCallInfo fcinfo)
{
	CountsState *st = smarkpi_flat_arg(fcinfo, 0);
	bool		steps_null = PG_ARGISNULL(2);
	int32		steps = steps_null ? 0 : PG_GETARG_INT32(2);

	if (!steps_null && (steps < 1 || steps > FUNNEL_MAX_STEPS))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("steps must be between 1 and %d", FUNNEL_MAX_STEPS),
				 errdetail("Got %d.", steps),
				 errhint("Give the number of steps of the funnel, such as funnel_counts(depth, "
						 "4).")));
	if (st == NULL)
	{
		st = smarkpi_flat_new(sizeof(CountsState));
		st->steps = steps;
		st->steps_null = steps_null;
	}
	else
		check_same_steps(st, steps_null, steps);
	return st;
}

/* The row's depth, or -1 when the row is ignored (NULL, or invalid and skipped). */
static int
counts_row_depth(FunctionCallInfo fcinfo, const CountsState *st)
{
	int32		depth;

	if (PG_ARGISNULL(1) || st->steps_null)
		return -1;
	depth = PG_GETARG_INT32(1);
	if (depth < 0 || depth > st->steps)
	{
		smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
							 psprintf("depth must be between 0 and steps (%d)", st->steps),
							 psprintf("Got %d.", depth));
		return -1;
	}
	return depth;
}

static Datum
counts_apply(FunctionCallInfo fcinfo, int sign)
{
	CountsState *st;
	int			depth;

	smarkpi_agg_context(fcinfo, "funnel_counts transition");
	st = counts_state(fcinfo);
	depth = counts_row_depth(fcinfo, st);
	if (depth >= 0)
	{
		st->hist[depth] += sign;
		st->nrows += sign;
		Assert(st->hist[depth] >= 0 && st->nrows >= 0);
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_funnel_counts_trans);
Datum
smarkpi_funnel_counts_trans(PG_FUNCTION_ARGS)
{
	return counts_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_funnel_counts_inv);
Datum
smarkpi_funnel_counts_inv(PG_FUNCTION_ARGS)
{
	return counts_apply(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(smarkpi_funnel_counts_combine);
Datum
smarkpi_funnel_counts_combine(PG_FUNCTION_ARGS)
{
	CountsState *st;
	CountsState *other;
	int			d;

	smarkpi_agg_context(fcinfo, "smarkpi_funnel_counts_combine");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);

	if (other == NULL)
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
	{
		st = smarkpi_flat_new(sizeof(CountsState));
		memcpy(st, other, sizeof(CountsState));
		PG_RETURN_POINTER(st);
	}
	check_same_steps(st, other->steps_null, other->steps);
	st->nrows = smarkpi_add_count(st->nrows, other->nrows, "funnel_counts row count");
	for (d = 0; d <= st->steps; d++)
		st->hist[d] += other->hist[d];
	PG_RETURN_POINTER(st);
}

/* ---- outside forms: version, steps, steps_null, nrows, steps + 1 depth counts ---- */

#define COUNTS_TYPNAME "smarkpi_funnel_counts_summary"

static bytea *
counts_send(const void *state)
{
	const CountsState *st = state;
	StringInfoData buf;
	int			d;

	smarkpi_wire_begin(&buf);
	pq_sendint32(&buf, st->steps);
	pq_sendbyte(&buf, st->steps_null ? 1 : 0);
	pq_sendint64(&buf, st->nrows);
	for (d = 0; d <= st->steps; d++)
		pq_sendint64(&buf, st->hist[d]);
	return pq_endtypsend(&buf);
}

static void *
counts_recv(StringInfo buf)
{
	const char *what = COUNTS_TYPNAME;
	CountsState *st = smarkpi_flat_new(sizeof(CountsState));
	int64		total = 0;
	uint8		steps_null;
	int			d;

	st->steps = smarkpi_wire_int32(buf, what);
	steps_null = smarkpi_wire_byte(buf, what);
	st->nrows = smarkpi_wire_int64(buf, what);
	if (steps_null > 1 || st->steps < 0 || st->steps > FUNNEL_MAX_STEPS ||
		(st->steps == 0) != (steps_null == 1))
		smarkpi_binary_corrupt(what, "Invalid steps.");
	st->steps_null = steps_null == 1;
	smarkpi_wire_check_count(buf, st->steps + 1, SMARKPI_WIRE_INT64, true, what);
	for (d = 0; d <= st->steps; d++)
	{
		st->hist[d] = smarkpi_wire_int64(buf, what);
		if (st->hist[d] < 0 || pg_add_s64_overflow(total, st->hist[d], &total))
			smarkpi_binary_corrupt(what, "Invalid count.");
	}
	if (total != st->nrows)
		smarkpi_binary_corrupt(what,
							   "The counts do not add up to the row count.");
	return st;
}

static const SmarkpiFlatKind counts_kind = {COUNTS_TYPNAME, counts_send, counts_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_funnel_counts_summary, counts_kind);

/* Element k = rows with depth >= k: a suffix sum of the depth histogram. */
PG_FUNCTION_INFO_V1(smarkpi_funnel_counts_final);
Datum
smarkpi_funnel_counts_final(PG_FUNCTION_ARGS)
{
	CountsState *st = smarkpi_flat_arg(fcinfo, 0);
	Datum	   *elems;
	int64		at_least = 0;
	int			k;

	if (st == NULL || st->steps_null || st->nrows == 0)
		PG_RETURN_NULL();
	elems = palloc(sizeof(Datum) * st->steps);
	for (k = st->steps; k >= 1; k--)
	{
		at_least += st->hist[k];
		elems[k - 1] = Int64GetDatum(at_least);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, st->steps, INT8OID, sizeof(int64),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
