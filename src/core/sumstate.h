/*
 * core/sumstate.h
 *		The packed sum: one varlena of int64 counters followed by exact sums
 *		(smarkpi_money_summary, smarkpi_velocity_summary), with its text and
 *		binary forms and the in-place hot path of a transition.
 *
 * Promises: text form "(c1,...,s1,s2)", each sum in numeric's decimal form,
 * a tagged type's prefixed by its KPI's name; binary form the version byte,
 * a tagged type's KPI tag (int32), the counters (int64), then each sum in
 * numeric's binary format.  Neither shows the in-memory layout, and both
 * inputs validate everything (spec->validate last).
 */
#ifndef SMARKPI_CORE_SUMSTATE_H
#define SMARKPI_CORE_SUMSTATE_H

#include "compat.h"

#include "core/exactsum.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#define SUMSTATE_MAX_INTS 8
#define SUMSTATE_MAX_NUMS 2

typedef struct SumValues
{
	int32		kpi;			/* SmarkpiKpi tag, kept through unpack and
								 * pack */
	int64		ints[SUMSTATE_MAX_INTS];
	ExactSum	sums[SUMSTATE_MAX_NUMS];
} SumValues;

/*
 * Describes one SumState-based SQL type.  validate() raises an error (with
 * the SQLSTATE passed in) when counters and sums contradict each other.
 */
typedef struct SumStateSpec
{
	const char *typname;
	int			nints;
	int			nnums;
	void		(*validate) (const SumValues *vals, int sqlstate);
	bool		tagged;			/* summaries of several KPIs share the type */
} SumStateSpec;

/* A sum as stored: the 128-bit value, or a numeric that follows the sums. */
typedef struct PackedSum
{
	int128		value;
	int32		scale;
	int32		is_numeric;
} PackedSum;

typedef struct SumState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		nints;
	int32		nnums;
	int32		kpi;			/* SmarkpiKpi tag */
	int64		ints[FLEXIBLE_ARRAY_MEMBER];	/* then nnums PackedSums, then
												 * numerics */
} SumState;

/* States are made here with 4-byte headers: the detoast call only for one read from disk. */
static inline SumState *
DatumGetSumState(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	return (SumState *) (VARATT_IS_EXTENDED(v) ? pg_detoast_datum(v) : v);
}

/* Where the PackedSums of a state with nints counters start: the one place of that offset. */
static inline PackedSum *
smarkpi_sumstate_sums(SumState *state, int nints)
{
	return (PackedSum *) ((char *) state + offsetof(SumState, ints) + sizeof(int64) * nints);
}

/*
 * One sum's part of smarkpi_sumstate_apply_in_place: the sum after adding
 * (sign 1) or removing (sign -1) x into *value, *scale, *nmax; false when
 * the general path must run.  The results are locals of the caller, never
 * the state itself, so the common row keeps them in registers.
 */
static inline bool
smarkpi_sumstate_step(const PackedSum *ps, int64 nmax_before, const NumericParts *x, int sign,
					  int128 *value, int32 *scale, int64 *nmax, bool *restart)
{
	int128		v = ps->value;
	int32		s = ps->scale;
	int64		n = nmax_before;

	*restart = false;
	if (ps->is_numeric)
		return false;
	if (x == NULL)
	{
		/* this sum stays as it is */
	}
	else if (likely(x->fits && x->dscale == s && n > 0))
	{
		/*
		 * the common row, at the sum's scale: one add, one more max-scale
		 * input
		 */
		if (sign > 0 ? __builtin_add_overflow(v, x->unscaled, &v) :
			__builtin_sub_overflow(v, x->unscaled, &v))
			return false;
		n += sign;
		*restart = n <= 0;
	}
	else
	{
		int128		t = v;
		int32		ts = s;
		int64		tn = n;

		if (!smarkpi_scaled_track(&t, &ts, &tn, x, sign, restart))
			return false;
		v = t;
		s = ts;
		n = tn;
	}
	*value = v;
	*scale = s;
	*nmax = n;
	return true;
}

/*
 * The hot path of a transition, part of the SumState layer but inline so
 * that a caller's constant layout (nints, nnums) unrolls it: every sum still
 * fits 128 bits, so the row is added (sign 1) or removed (sign -1) where the
 * state lies, without unpacking.  x[i] is the row's value for sum i (NULL
 * leaves that sum as it is), nmax_at[i] the index of sum i's max-scale
 * counter, rows_at that of the row counter.  Returns false, with the state
 * untouched, when the general path must run; sets *restart when a removal
 * needs the moving frame recomputed (see smarkpi_exactsum_sub).
 */
static inline bool
smarkpi_sumstate_apply_in_place(SumState *state, int nints, int nnums, int rows_at,
								const int *nmax_at, const NumericParts *const *x,
								int sign, bool *restart)
{
	PackedSum  *ps = smarkpi_sumstate_sums(state, nints);
	int64		rows = state->ints[rows_at];
	int128		v0,
				v1 = 0;
	int32		s0,
				s1 = 0;
	int64		n0,
				n1 = 0;
	bool		r0,
				r1 = false;

	Assert(nints == state->nints && nnums == state->nnums);
	Assert(nnums >= 1 && nnums <= SUMSTATE_MAX_NUMS && SUMSTATE_MAX_NUMS == 2);
	*restart = false;
	if (rows == PG_INT64_MAX || rows + sign <= 0)
		return false;
	if (!smarkpi_sumstate_step(&ps[0], state->ints[nmax_at[0]], x[0], sign, &v0, &s0, &n0, &r0))
		return false;
	if (nnums > 1 &&
		!smarkpi_sumstate_step(&ps[1], state->ints[nmax_at[1]], x[1], sign, &v1, &s1, &n1, &r1))
		return false;
	if (r0 || r1)
	{
		*restart = true;
		return true;
	}
	state->ints[rows_at] = rows + sign;
	ps[0].value = v0;
	ps[0].scale = s0;
	state->ints[nmax_at[0]] = n0;
	if (nnums > 1)
	{
		ps[1].value = v1;
		ps[1].scale = s1;
		state->ints[nmax_at[1]] = n1;
	}
	return true;
}

extern void smarkpi_sumstate_unpack(const SumStateSpec *spec, SumState *state, SumValues *vals);
extern SumState *smarkpi_sumstate_store(const SumStateSpec *spec, SumState *state,
										const SumValues *vals);
extern SumState *smarkpi_sumstate_from_cstring(const SumStateSpec *spec, char *str);
extern char *smarkpi_sumstate_to_cstring(const SumStateSpec *spec, SumState *state);
extern SumState *smarkpi_sumstate_from_binary(const SumStateSpec *spec, StringInfo buf);
extern bytea *smarkpi_sumstate_to_binary(const SumStateSpec *spec, SumState *state);
extern void smarkpi_sumstate_empty(const SumStateSpec *spec, SumValues *vals);
extern void smarkpi_sumstate_validate_sum(const SumStateSpec *spec, const ExactSum *s, int64 nmax,
										  int64 rows, int sqlstate);

#endif							/* SMARKPI_CORE_SUMSTATE_H */
