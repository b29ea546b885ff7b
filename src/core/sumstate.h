/*
 * core/sumstate.h
 *		The packed sum: one varlena of int64 counters followed by exact sums
 *		(smarkpi_money_state, smarkpi_velocity_state), with its text and
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

#define DatumGetSumState(d)		((SumState *) PG_DETOAST_DATUM(d))

/* Where the PackedSums of a state with nints counters start: the one place of that offset. */
static inline PackedSum *
smarkpi_sumstate_sums(SumState *state, int nints)
{
	return (PackedSum *) ((char *) state + offsetof(SumState, ints) + sizeof(int64) * nints);
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
	PackedSum	next[SUMSTATE_MAX_NUMS];
	int64		nmax[SUMSTATE_MAX_NUMS];
	int64		rows = state->ints[rows_at];
	bool		restart_any = false;
	int			i;

	Assert(nints == state->nints && nnums == state->nnums && nnums <= SUMSTATE_MAX_NUMS);
	*restart = false;
	if (rows == PG_INT64_MAX || rows + sign <= 0)
		return false;
	for (i = 0; i < nnums; i++)
	{
		bool		restart_i = false;

		next[i] = ps[i];
		nmax[i] = state->ints[nmax_at[i]];
		if (next[i].is_numeric)
			return false;
		if (x[i] == NULL)
			continue;
		if (likely(x[i]->fits && x[i]->dscale == next[i].scale && nmax[i] > 0))
		{
			/*
			 * the common row, at the sum's scale: one add, one more max-scale
			 * input
			 */
			if (sign > 0 ?
				__builtin_add_overflow(next[i].value, x[i]->unscaled, &next[i].value) :
				__builtin_sub_overflow(next[i].value, x[i]->unscaled, &next[i].value))
				return false;
			nmax[i] += sign;
			restart_i = nmax[i] <= 0;
		}
		else if (!smarkpi_scaled_track(&next[i].value, &next[i].scale, &nmax[i], x[i], sign,
									   &restart_i))
			return false;
		restart_any |= restart_i;
	}
	if (restart_any)
	{
		*restart = true;
		return true;
	}
	state->ints[rows_at] += sign;
	for (i = 0; i < nnums; i++)
	{
		ps[i] = next[i];
		state->ints[nmax_at[i]] = nmax[i];
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
