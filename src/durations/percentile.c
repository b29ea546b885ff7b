/*
 * durations/percentile.c
 *		duration_percentile(started_at, ended_at, fraction): the continuous
 *		percentile of ended_at - started_at, interpolated like percentile_cont.
 *
 * With durations d sorted ascending, pos = fraction x (n - 1):
 *	result = d[floor(pos)] + (pos - floor(pos)) x (d[ceil(pos)] - d[floor(pos)])
 * rounded to the microsecond.  A row with a NULL argument is ignored;
 * fraction must be the same in every row.
 *
 * Why an internal state: a percentile needs every value, so the state grows
 * with the group.  A by-value SQL type would have to be copied whole by the
 * executor each time it grows (quadratic); an internal state grows in place.
 * It is serialized to bytea for parallel query.
 *
 * Costs: as a plain aggregate, O(1) per row and one O(n) selection at the
 * end, on a copy: the final function never modifies the state (it is
 * declared READ_ONLY, which window use requires, and aggregates that share
 * the state may read it after).  In a window the values stay sorted: adding
 * or removing a row is a binary search plus a memmove of at most the frame
 * (8 bytes a row), and reading the percentile is O(1), instead of re-sorting
 * the frame per row.
 */
#include "durations/durations.h"

#include <math.h>

#include "core/wire.h"
#include "libpq/pqformat.h"
#include "utils/float.h"
#include "utils/memutils.h"

typedef struct PercentileState
{
	int64		n;
	int64		capacity;
	double		fraction;
	bool		sorted;
	bool		in_window;		/* aggregated by a window: keep the values
								 * sorted */
	int64	   *values;			/* microseconds; in the aggregate context */
} PercentileState;

#define PERCENTILE_MAX_VALUES ((int64) (MaxAllocHugeSize / sizeof(int64)))

void
smarkpi_check_percentile_fraction(double f)
{
	if (isnan(f) || f < 0.0 || f > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile fraction %s is not between 0 and 1", float8out_internal(f))));
}

static PercentileState *
percentile_state(FunctionCallInfo fcinfo, MemoryContext aggcontext, double fraction)
{
	PercentileState *st;

	if (!PG_ARGISNULL(0))
	{
		st = (PercentileState *) PG_GETARG_POINTER(0);
		if (st->n > 0 && st->fraction != fraction)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fraction must be the same in every row of duration_percentile"),
					 errdetail("Got %s after %s.", float8out_internal(fraction),
							   float8out_internal(st->fraction))));
		st->fraction = fraction;
		return st;
	}
	st = MemoryContextAllocZero(aggcontext, sizeof(PercentileState));
	st->capacity = 16;
	st->values = MemoryContextAlloc(aggcontext, sizeof(int64) * st->capacity);
	st->fraction = fraction;
	st->sorted = true;
	/* decided once per state: the kind of caller does not change */
	st->in_window = AggCheckCallContext(fcinfo, NULL) == AGG_CONTEXT_WINDOW;
	return st;
}

static void
reserve(PercentileState *st, int64 extra)
{
	int64		need = st->n + extra;

	if (need <= st->capacity)
		return;
	if (need > PERCENTILE_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for duration_percentile"),
				 errdetail("At most " INT64_FORMAT " durations fit in one group or frame.",
						   PERCENTILE_MAX_VALUES)));
	st->capacity = Min(Max(need, st->capacity * 2), PERCENTILE_MAX_VALUES);
	st->values = repalloc_huge(st->values, sizeof(int64) * st->capacity);
}

static int
cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

static void
ensure_sorted(PercentileState *st)
{
	if (!st->sorted)
		qsort(st->values, st->n, sizeof(int64), cmp_int64);
	st->sorted = true;
}

/* First index whose value is >= v, in a sorted state. */
static int64
lower_bound(const PercentileState *st, int64 v)
{
	int64		lo = 0,
				hi = st->n;

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (st->values[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Reads one row: returns false (the row is ignored) when a timestamp or the
 * fraction is NULL, or the row is invalid and skipped; otherwise sets *us
 * and the state.
 */
static bool
percentile_row(FunctionCallInfo fcinfo, PercentileState **st, int64 *us)
{
	MemoryContext aggcontext = smarkpi_agg_context(fcinfo, "duration_percentile transition");
	double		fraction;

	*st = PG_ARGISNULL(0) ? NULL : (PercentileState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return false;
	fraction = PG_GETARG_FLOAT8(3);
	smarkpi_check_percentile_fraction(fraction);
	if (!smarkpi_row_elapsed_us(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TIMESTAMPTZ(2),
								"started_at", "ended_at", us))
		return false;
	*st = percentile_state(fcinfo, aggcontext, fraction);
	return true;
}

/* Returns the state untouched by an ignored row (possibly still NULL). */
static Datum
percentile_unchanged(FunctionCallInfo fcinfo, PercentileState *st)
{
	if (st == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(st);
}

/* Adds a value where it belongs in a sorted state. */
static void
insert_sorted(PercentileState *st, int64 us)
{
	int64		at;

	reserve(st, 1);
	ensure_sorted(st);
	at = lower_bound(st, us);
	memmove(st->values + at + 1, st->values + at, sizeof(int64) * (st->n - at));
	st->values[at] = us;
	st->n++;
	Assert(st->n <= st->capacity);
	Assert(at == 0 || st->values[at - 1] <= us);
	Assert(at == st->n - 1 || us <= st->values[at + 1]);
}

/*
 * Plain aggregate: append, and the final function selects once.  In a
 * growing window frame the final function runs at every row, so there the
 * values are inserted in order and each read is O(1).
 */
PG_FUNCTION_INFO_V1(smarkpi_duration_percentile_trans);
Datum
smarkpi_duration_percentile_trans(PG_FUNCTION_ARGS)
{
	PercentileState *st;
	int64		us;

	if (!percentile_row(fcinfo, &st, &us))
		return percentile_unchanged(fcinfo, st);
	if (st->in_window)
	{
		insert_sorted(st, us);
		PG_RETURN_POINTER(st);
	}
	reserve(st, 1);
	if (st->n > 0 && us < st->values[st->n - 1])
		st->sorted = false;
	st->values[st->n++] = us;
	PG_RETURN_POINTER(st);
}

/* Moving window: keep the values sorted so removal and reads are cheap. */
PG_FUNCTION_INFO_V1(smarkpi_duration_percentile_moving_trans);
Datum
smarkpi_duration_percentile_moving_trans(PG_FUNCTION_ARGS)
{
	PercentileState *st;
	int64		us;

	if (!percentile_row(fcinfo, &st, &us))
	{
		/* a moving-aggregate transition must never return NULL */
		if (st == NULL)
			st = percentile_state(fcinfo, smarkpi_agg_context(fcinfo,
															  "duration_percentile "
															  "transition"), 0.0);
		PG_RETURN_POINTER(st);
	}
	insert_sorted(st, us);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_percentile_inv);
Datum
smarkpi_duration_percentile_inv(PG_FUNCTION_ARGS)
{
	PercentileState *st;
	int64		us;
	int64		at;

	if (!percentile_row(fcinfo, &st, &us))
		return percentile_unchanged(fcinfo, st);
	ensure_sorted(st);
	at = lower_bound(st, us);
	if (at >= st->n || st->values[at] != us)
		elog(ERROR, "duration_percentile: removed value not found in the frame");
	memmove(st->values + at, st->values + at + 1, sizeof(int64) * (st->n - at - 1));
	st->n--;
	Assert(st->n >= 0 && st->sorted);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_percentile_combine);
Datum
smarkpi_duration_percentile_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = smarkpi_agg_context(fcinfo, "smarkpi_duration_percentile_combine");
	PercentileState *st = PG_ARGISNULL(0) ? NULL : (PercentileState *) PG_GETARG_POINTER(0);
	PercentileState *other = PG_ARGISNULL(1) ? NULL : (PercentileState *) PG_GETARG_POINTER(1);

	if (other == NULL || other->n == 0)
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		st = palloc0(sizeof(PercentileState));
		st->capacity = other->n;
		st->values = palloc_extended(sizeof(int64) * other->n, MCXT_ALLOC_HUGE);
		st->fraction = other->fraction;
		MemoryContextSwitchTo(old);
	}
	else if (st->n > 0 && st->fraction != other->fraction)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fraction must be the same in every row of duration_percentile")));
	st->fraction = other->fraction;
	reserve(st, other->n);
	memcpy(st->values + st->n, other->values, sizeof(int64) * other->n);
	st->n += other->n;
	st->sorted = false;
	PG_RETURN_POINTER(st);
}

/* Binary form: version, fraction, n, then n durations in microseconds. */
#define PERCENTILE_STATE "duration_percentile state"

PG_FUNCTION_INFO_V1(smarkpi_duration_percentile_serialize);
Datum
smarkpi_duration_percentile_serialize(PG_FUNCTION_ARGS)
{
	PercentileState *st = (PercentileState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int64		i;

	smarkpi_wire_begin(&buf);
	pq_sendfloat8(&buf, st->fraction);
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
		pq_sendint64(&buf, st->values[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(smarkpi_duration_percentile_deserialize);
Datum
smarkpi_duration_percentile_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	PercentileState *st;
	int64		n,
				i;

	smarkpi_agg_context(fcinfo, "smarkpi_duration_percentile_deserialize");
	smarkpi_wire_open_bytea(b, &buf, PERCENTILE_STATE);
	st = palloc0(sizeof(PercentileState));
	st->fraction = smarkpi_wire_float8(&buf, PERCENTILE_STATE);
	n = smarkpi_wire_int64(&buf, PERCENTILE_STATE);
	smarkpi_wire_check_count(&buf, n, SMARKPI_WIRE_INT64, true, PERCENTILE_STATE);
	st->capacity = Max(n, 1);
	st->values = palloc_extended(sizeof(int64) * st->capacity, MCXT_ALLOC_HUGE);
	for (i = 0; i < n; i++)
		st->values[i] = smarkpi_wire_int64(&buf, PERCENTILE_STATE);
	st->n = n;
	PG_RETURN_POINTER(st);
}

/*
 * Puts the k-th smallest of v[0..n-1] at v[k], smaller ones before it and
 * larger ones after (quickselect, median-of-three pivots; after 2 log2(n)
 * rounds without progress it sorts what is left, so it is never quadratic).
 */
static void
select_kth(int64 *v, int64 n, int64 k)
{
	int64		lo = 0,
				hi = n - 1;
	int			budget = 2;

	for (int64 m = n; m > 1; m >>= 1)
		budget += 2;
	while (hi > lo)
	{
		int64		mid = lo + (hi - lo) / 2,
					pivot,
					i = lo,
					j = hi;

		if (--budget == 0)
		{
			qsort(v + lo, hi - lo + 1, sizeof(int64), cmp_int64);
			return;
		}
		pivot = Max(Min(v[lo], v[mid]), Min(Max(v[lo], v[mid]), v[hi]));
		while (i <= j)
		{
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
			{
				int64		t = v[i];

				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/*
 * Reads the percentile without modifying the state: a sorted state is read
 * in place, an unsorted one through a selection on a copy.
 */
PG_FUNCTION_INFO_V1(smarkpi_duration_percentile_final);
Datum
smarkpi_duration_percentile_final(PG_FUNCTION_ARGS)
{
	PercentileState *st = PG_ARGISNULL(0) ? NULL : (PercentileState *) PG_GETARG_POINTER(0);
	double		pos;
	int64		lo,
				hi,
				lo_us,
				hi_us;

	if (st == NULL || st->n == 0)
		PG_RETURN_NULL();
	pos = st->fraction * (st->n - 1);
	lo = (int64) floor(pos);
	hi = (int64) ceil(pos);
	Assert(lo >= 0 && hi < st->n && hi - lo <= 1);
	if (st->sorted)
	{
		lo_us = st->values[lo];
		hi_us = st->values[hi];
	}
	else
	{
		int64	   *copy = palloc_extended(sizeof(int64) * st->n, MCXT_ALLOC_HUGE);

		memcpy(copy, st->values, sizeof(int64) * st->n);
		select_kth(copy, st->n, lo);
		lo_us = copy[lo];
		hi_us = lo_us;
		/* the next value up is the smallest of those after lo */
		for (int64 i = lo + 1; hi > lo && i < st->n; i++)
			hi_us = (i == lo + 1 || copy[i] < hi_us) ? copy[i] : hi_us;
		pfree(copy);
	}
	lo_us += (int64) rint((pos - lo) * (double) (hi_us - lo_us));
	PG_RETURN_INTERVAL_P(smarkpi_us_to_interval(lo_us));
}
