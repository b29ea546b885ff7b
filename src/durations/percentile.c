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
 * The state, smarkpi_duration_percentile_summary: a percentile needs every
 * value, so the state grows with the group.  It is one flat value
 * (core/xstate.h) updated in place and grown by doubling (past 1 MB in a
 * box, in place), so a row costs O(1) amortized; its binary form (what
 * parallel query and Citus ship) is the durations sorted, as gaps between
 * neighbours in variable-length integers.
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
#include "core/xstate.h"
#include "libpq/pqformat.h"
#include "utils/float.h"
#include "utils/memutils.h"

typedef struct PercentileState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	bool		sorted;
	bool		in_window;		/* aggregated by a window: keep the values
								 * sorted */
	double		fraction;
	int64		n;
	int64		values[FLEXIBLE_ARRAY_MEMBER];	/* microseconds; room for the
												 * varlena's size */
} PercentileState;

#define PERCENTILE_STATE_SIZE(n) (offsetof(PercentileState, values) + sizeof(int64) * (n))
#define PERCENTILE_MAX_VALUES \
	((int64) ((MaxAllocSize - offsetof(PercentileState, values)) / sizeof(int64)))
#define PERCENTILE_TYPNAME "smarkpi_duration_percentile_summary"

void
smarkpi_check_percentile_fraction(double f)
{
	if (isnan(f) || f < 0.0 || f > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile fraction %s is not between 0 and 1", float8out_internal(f))));
}

static PercentileState *
percentile_state_new(double fraction, bool in_window)
{
	PercentileState *st = smarkpi_flat_new(PERCENTILE_STATE_SIZE(16));

	st->fraction = fraction;
	st->sorted = true;
	st->in_window = in_window;
	return st;
}

static PercentileState *
percentile_state(FunctionCallInfo fcinfo, double fraction)
{
	PercentileState *st = smarkpi_flat_arg(fcinfo, 0);

	if (st != NULL)
	{
		if (st->n > 0 && st->fraction != fraction)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fraction must be the same in every row of duration_percentile"),
					 errdetail("Got %s after %s.", float8out_internal(fraction),
							   float8out_internal(st->fraction))));
		st->fraction = fraction;
		return st;
	}
	/* decided once per state: the kind of caller does not change */
	return percentile_state_new(fraction,
								AggCheckCallContext(fcinfo, NULL) == AGG_CONTEXT_WINDOW);
}

/* st with room for extra more values: a new value when it had to grow */
static PercentileState *
reserve(FunctionCallInfo fcinfo, PercentileState *st, int64 extra)
{
	int64		need = st->n + extra;

	if (need > PERCENTILE_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for duration_percentile"),
				 errdetail("At most " INT64_FORMAT " durations fit in one group or frame.",
						   PERCENTILE_MAX_VALUES),
				 errhint("Use duration_sketch() for a group this large.")));
	return smarkpi_flat_reserve(fcinfo, st, PERCENTILE_STATE_SIZE(st->n),
								PERCENTILE_STATE_SIZE(need));
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
	double		fraction;

	smarkpi_agg_context(fcinfo, "duration_percentile transition");
	*st = smarkpi_flat_arg(fcinfo, 0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return false;
	fraction = PG_GETARG_FLOAT8(3);
	smarkpi_check_percentile_fraction(fraction);
	if (!smarkpi_row_elapsed_us(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TIMESTAMPTZ(2),
								"started_at", "ended_at", us))
		return false;
	*st = percentile_state(fcinfo, fraction);
	return true;
}

/* Adds a value where it belongs in a sorted state; returns the state. */
static PercentileState *
insert_sorted(FunctionCallInfo fcinfo, PercentileState *st, int64 us)
{
	int64		at;

	st = reserve(fcinfo, st, 1);
	ensure_sorted(st);
	at = lower_bound(st, us);
	memmove(st->values + at + 1, st->values + at, sizeof(int64) * (st->n - at));
	st->values[at] = us;
	st->n++;
	Assert(at == 0 || st->values[at - 1] <= us);
	Assert(at == st->n - 1 || us <= st->values[at + 1]);
	return st;
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
		return smarkpi_flat_result(fcinfo, st); /* possibly still NULL */
	if (st->in_window)
		return smarkpi_flat_result(fcinfo, insert_sorted(fcinfo, st, us));
	st = reserve(fcinfo, st, 1);
	if (st->n > 0 && us < st->values[st->n - 1])
		st->sorted = false;
	st->values[st->n++] = us;
	return smarkpi_flat_result(fcinfo, st);
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
			st = percentile_state_new(0.0, true);
		return smarkpi_flat_result(fcinfo, st);
	}
	return smarkpi_flat_result(fcinfo, insert_sorted(fcinfo, st, us));
}

PG_FUNCTION_INFO_V1(smarkpi_duration_percentile_inv);
Datum
smarkpi_duration_percentile_inv(PG_FUNCTION_ARGS)
{
	PercentileState *st;
	int64		us;
	int64		at;

	if (!percentile_row(fcinfo, &st, &us))
		return smarkpi_flat_result(fcinfo, st); /* possibly still NULL */
	ensure_sorted(st);
	at = lower_bound(st, us);
	if (at >= st->n || st->values[at] != us)
		elog(ERROR, "duration_percentile: removed value not found in the frame");
	memmove(st->values + at, st->values + at + 1, sizeof(int64) * (st->n - at - 1));
	st->n--;
	Assert(st->n >= 0 && st->sorted);
	return smarkpi_flat_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_percentile_combine);
Datum
smarkpi_duration_percentile_combine(PG_FUNCTION_ARGS)
{
	PercentileState *st;
	PercentileState *other;

	smarkpi_agg_context(fcinfo, "smarkpi_duration_percentile_combine");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);
	if (other == NULL || other->n == 0)
		return smarkpi_flat_result(fcinfo, st);
	if (st == NULL)
		st = percentile_state_new(other->fraction, false);
	else if (st->n > 0 && st->fraction != other->fraction)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fraction must be the same in every row of duration_percentile")));
	st->fraction = other->fraction;
	st = reserve(fcinfo, st, other->n);
	memcpy(st->values + st->n, other->values, sizeof(int64) * other->n);
	st->sorted = st->sorted && other->sorted &&
		(st->n == 0 || st->values[st->n - 1] <= other->values[0]);
	st->n += other->n;
	return smarkpi_flat_result(fcinfo, st);
}

/*
 * ---- outside forms: version, fraction, n, then the n durations sorted: the
 * first as an int8, each next one as its gap to the one before (a varint) ----
 */

static bytea *
percentile_send(const void *state)
{
	const PercentileState *st = state;
	int64	   *sorted = palloc_extended(sizeof(int64) * Max(st->n, 1), MCXT_ALLOC_HUGE);
	StringInfoData buf;
	int64		i;

	memcpy(sorted, st->values, sizeof(int64) * st->n);
	if (!st->sorted)
		qsort(sorted, st->n, sizeof(int64), cmp_int64);
	smarkpi_wire_begin(&buf);
	pq_sendfloat8(&buf, st->fraction);
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		if (i == 0)
			pq_sendint64(&buf, sorted[0]);
		else
			smarkpi_wire_put_varuint(&buf, (uint64) sorted[i] - (uint64) sorted[i - 1]);
	}
	pfree(sorted);
	return pq_endtypsend(&buf);
}

static void *
percentile_recv(StringInfo buf)
{
	const char *what = PERCENTILE_TYPNAME;
	PercentileState *st;
	double		fraction;
	int64		n,
				i;

	fraction = smarkpi_wire_float8(buf, what);
	n = smarkpi_wire_int64(buf, what);
	if (isnan(fraction) || fraction < 0.0 || fraction > 1.0)
		smarkpi_binary_corrupt(what,
							   "The fraction must be between 0 and 1.");
	/* one byte a duration at least */
	smarkpi_wire_check_count(buf, n, 1, false, what);
	if (n > PERCENTILE_MAX_VALUES)
		smarkpi_state_corrupt(what, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "Too many durations.");
	st = percentile_state_new(fraction, false);
	st = reserve(NULL, st, n);
	for (i = 0; i < n; i++)
	{
		uint64		gap;

		if (i == 0)
		{
			st->values[0] = smarkpi_wire_int64(buf, what);
			continue;
		}
		gap = smarkpi_wire_varuint(buf, what);
		if (gap > (uint64) (PG_INT64_MAX - st->values[i - 1]))
			smarkpi_binary_corrupt(what,
								   "The durations overflow.");
		st->values[i] = st->values[i - 1] + (int64) gap;
	}
	st->n = n;
	return st;
}

static const SmarkpiFlatKind percentile_kind = {PERCENTILE_TYPNAME, percentile_send,
percentile_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_duration_percentile_summary, percentile_kind);

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
	PercentileState *st = smarkpi_flat_arg(fcinfo, 0);
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
