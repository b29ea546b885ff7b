/*
 * markov_attribution/markov.h
 *		Data-driven attribution: markov_attribution(path, converted[, value])
 *		counts the transitions of a first-order Markov chain of customer
 *		journeys into a smarkpi_markov_summary; attribution_shares(summary)
 *		solves the chain exactly and returns each channel's removal effect,
 *		share, conversions and value.
 *
 * The chain: states (start), the channels, and the absorbing (conversion)
 * and (null).  A journey {c1, ..., cn} converted adds the transitions
 * (start)>c1, c1>c2, ..., cn>(conversion) (or cn>(null)); repeats of a
 * channel are self-transitions; an empty path is (start)>(conversion) or
 * (start)>(null).  P(i>j) = n(i>j) / sum_j n(i>j).
 *
 * x_i = P(conversion | at i) solves (I - Q) x = r (Q: channel to channel,
 * r: channel to conversion), P(conversion) = x_start.  Removing c sends every
 * transition into c to (null), so P(conversion without c) = x_start -
 * h_c x_c, where h_c = P(the chain ever reaches c from start) = N_start,c /
 * N_c,c with N = (I - Q)^-1 (strong Markov property).  Hence
 *		removal effect of c = 1 - P(conversion without c) / P(conversion)
 *							= h_c x_c / x_start.
 * Rows of I - Q are scaled by each channel's outgoing count, so the matrix
 * holds the counts themselves: an M-matrix whose row sums are the counts
 * leaving to the absorbing states.  Gaussian elimination keeps those row
 * sums (as GTH does for Markov chains) and rebuilds each pivot as a sum of
 * non-negative terms; every solve then adds non-negative terms only.  No
 * subtraction, hence no cancellation: each result has a relative error of a
 * few C ulps for C channels.  Channels are in byte order of their names and
 * the summary is canonical, so every plan and every run computes the same
 * bits.  Cost: O(C^3) time, C^2 doubles of memory.
 *
 * A summary is canonical (equal summaries, equal bytes): channels sorted by
 * byte order, transitions sorted by (from, to) with counts > 0.  Counts are
 * int64, the value an exact numeric sum, so combine, rollup and the moving
 * window inverse are exact.
 *
 *	state.c		markov_attribution() and rollup(): the aggregates' internal state
 *	summary.c	smarkpi_markov_summary: layout, validation, text and binary forms
 *	solve.c		the exact solve: attribution_shares(), markov_conversion_probability()
 */
#ifndef SMARKPI_MARKOV_H
#define SMARKPI_MARKOV_H

#include "smarkpi.h"

#define MARKOV_TYPNAME "smarkpi_markov_summary"

/* attribution_shares refuses larger chains: C^3 time, C^2 doubles of memory */
#define MARKOV_MAX_CHANNELS 2000

/* ids of the special states in the aggregate's state; channels are >= 0 */
#define ID_START (-1)
#define ID_CONV (-2)
#define ID_NULL (-3)

/* from: 0 = (start), 1..C channels; to: 1..C channels, C+1 (conversion), C+2 (null) */
typedef struct MarkovTrans
{
	int32		from;
	int32		to;
	int64		count;
} MarkovTrans;

typedef struct MarkovSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		nchannels;
	int32		ntrans;
	int32		names_off;		/* offset of the channel names */
	int64		journeys;
	int64		conversions;
	int64		valued;
	int64		value_nmax;
	MarkovTrans trans[FLEXIBLE_ARRAY_MEMBER];

	/*
	 * then the value sum (a numeric, at value_offset()), then the names,
	 * NUL-terminated
	 */
} MarkovSummary;

#define PG_GETARG_MARKOV_SUMMARY(n) ((MarkovSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* transitions of a summary larger than this cannot be allocated */
#define MARKOV_MAX_TRANS ((int32) ((MaxAllocSize / 2) / sizeof(MarkovTrans)))

static inline Size
value_offset(int32 ntrans)
{
	return MAXALIGN(offsetof(MarkovSummary, trans) + sizeof(MarkovTrans) * ntrans);
}

static inline Numeric
summary_value(const MarkovSummary *s)
{
	return (Numeric) ((char *) s + value_offset(s->ntrans));
}

extern const char **smarkpi_markov_summary_names(const MarkovSummary *s);
extern MarkovSummary *smarkpi_markov_summary_build(int32 nchannels, const char *const *names,
												   int32 ntrans, const MarkovTrans *trans,
												   const int64 *counts, Numeric value);
extern int	smarkpi_markov_cmp_name(const void *a, const void *b);
extern int	smarkpi_markov_cmp_trans(const void *a, const void *b);
extern MarkovSummary *smarkpi_markov_summary_from_binary(StringInfo buf);
extern bytea *smarkpi_markov_summary_to_binary(const MarkovSummary *s);

#endif							/* SMARKPI_MARKOV_H */
