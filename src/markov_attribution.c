/*
 * markov_attribution.c
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
 */
#include "smarkpi.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#define MARKOV_TYPNAME "smarkpi_markov_summary"

/* attribution_shares refuses larger chains: C^3 time, C^2 doubles of memory */
#define MARKOV_MAX_CHANNELS 2000

/* ids of the special states in the aggregate's state; channels are >= 0 */
#define ID_START (-1)
#define ID_CONV (-2)
#define ID_NULL (-3)

/* ================= the aggregate's internal state ================= */

typedef struct NameKey
{
	const char *name;
	int32		len;
} NameKey;

typedef struct NameEntry
{
	NameKey		key;
	int32		id;
} NameEntry;

typedef struct PairKey
{
	int32		from;
	int32		to;
} PairKey;

typedef struct PairEntry
{
	PairKey		key;
	int64		count;
} PairEntry;

typedef struct MarkovState
{
	MemoryContext ctx;
	HTAB	   *names;			/* channel name -> id */
	HTAB	   *pairs;			/* (from id, to id) -> count, counts > 0 */
	char	  **id_name;		/* id -> name, NUL-terminated */
	int32		nids;
	int32		maxids;
	int64		journeys;
	int64		conversions;
	int64		valued;			/* converted journeys with a value */
	int64		value_nmax;		/* of those, the ones at the sum's display scale */
	ExactSum	value;
} MarkovState;

static uint32
name_hash(const void *key, Size keysize)
{
	const NameKey *k = key;

	return hash_bytes((const unsigned char *) k->name, k->len);
}

static int
name_match(const void *a, const void *b, Size keysize)
{
	const NameKey *x = a;
	const NameKey *y = b;

	return !(x->len == y->len && memcmp(x->name, y->name, x->len) == 0);
}

static MarkovState *
state_new(MemoryContext ctx)
{
	MarkovState *st = MemoryContextAllocZero(ctx, sizeof(MarkovState));
	HASHCTL		ctl;

	st->ctx = ctx;
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(NameKey);
	ctl.entrysize = sizeof(NameEntry);
	ctl.hash = name_hash;
	ctl.match = name_match;
	ctl.hcxt = ctx;
	st->names = hash_create("smarkpi markov channels", 16, &ctl,
							HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(PairKey);
	ctl.entrysize = sizeof(PairEntry);
	ctl.hcxt = ctx;
	st->pairs = hash_create("smarkpi markov transitions", 64, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	smarkpi_exactsum_zero(&st->value);
	return st;
}

/* The id of a channel, given a new one (name copied into the state) if unknown. */
static int32
channel_id(MarkovState *st, const char *name, int32 len)
{
	NameKey		key = {name, len};
	NameEntry  *e;
	bool		found;

	e = hash_search(st->names, &key, HASH_ENTER, &found);
	if (!found)
	{
		char	   *copy = MemoryContextAlloc(st->ctx, len + 1);

		memcpy(copy, name, len);
		copy[len] = '\0';
		e->key.name = copy;
		if (st->nids == st->maxids)
		{
			st->maxids = Max(16, st->maxids * 2);
			st->id_name = st->id_name ?
				repalloc(st->id_name, sizeof(char *) * st->maxids) :
				MemoryContextAlloc(st->ctx, sizeof(char *) * st->maxids);
		}
		e->id = st->nids;
		st->id_name[st->nids++] = copy;
	}
	return e->id;
}

/* count(from > to) += delta; an entry that falls to 0 goes. */
static void
pair_add(MarkovState *st, int32 from, int32 to, int64 delta)
{
	PairKey		key = {from, to};
	PairEntry  *e;
	bool		found;

	e = hash_search(st->pairs, &key, delta > 0 ? HASH_ENTER : HASH_FIND, &found);
	if (delta < 0 && (e == NULL || e->count < -delta))
		elog(ERROR, "markov_attribution: removed transition not found in the frame");
	e->count = smarkpi_add_count(found ? e->count : 0, delta, "markov_attribution transition count");
	if (e->count == 0)
		hash_search(st->pairs, &key, HASH_REMOVE, NULL);
}

static void
state_count(MarkovState *st, int64 journeys, int64 conversions, int64 valued)
{
	st->journeys = smarkpi_add_count(st->journeys, journeys, "markov_attribution journey count");
	st->conversions = smarkpi_add_count(st->conversions, conversions, "markov_attribution conversion count");
	st->valued = smarkpi_add_count(st->valued, valued, "markov_attribution count of values");
}

/* ================= rows: markov_attribution(path, converted[, value]) ================= */

/*
 * The channels of a row's path, or false when the row is rejected (under
 * smarkpi.invalid_rows): a path must be one-dimensional, without NULL or
 * empty channel names.
 */
static bool
read_path(ArrayType *arr, Datum **elems, int *n)
{
	bool	   *nulls;
	int			i;

	if (ARR_NDIM(arr) > 1)
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									"path must be a one-dimensional array",
									psprintf("Got %d dimensions.", ARR_NDIM(arr)));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, elems, &nulls, n);
	for (i = 0; i < *n; i++)
	{
		if (nulls[i])
			return smarkpi_row_rejected(ERRCODE_NULL_VALUE_NOT_ALLOWED,
										"path must not contain NULL channels",
										psprintf("Element %d of the path is NULL.", i + 1));
		if (VARSIZE_ANY_EXHDR(DatumGetPointer((*elems)[i])) == 0)
			return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
										"path must not contain empty channel names",
										psprintf("Element %d of the path is an empty string.", i + 1));
	}
	return true;
}

/*
 * Adds (sign 1) or removes (sign -1) a journey.  Rows with a NULL path or
 * converted are ignored; a value counts for converted journeys only.
 * Returns NULL from the inverse when the frame must be recomputed (the
 * value sum's display scale could drop).
 */
static Datum
journey_apply(FunctionCallInfo fcinfo, int sign)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_markov_trans");
	MarkovState *st = PG_ARGISNULL(0) ? NULL : (MarkovState *) PG_GETARG_POINTER(0);
	Datum	   *elems;
	int			n,
				i;
	bool		converted;
	bool		has_value = false;
	NumericParts x;
	int32		from;

	memset(&x, 0, sizeof(x));

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		!read_path(PG_GETARG_ARRAYTYPE_P(1), &elems, &n))
		goto unchanged;
	converted = PG_GETARG_BOOL(2);
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
	{
		if (!smarkpi_row_money_parts(PG_GETARG_DATUM(3), "value", false, &x))
			goto unchanged;
		has_value = converted;	/* the value of a journey that did not convert is not credited */
	}
	if (st == NULL)
		st = state_new(ctx);
	if (has_value)
	{
		/* a sum past 128 bits becomes a numeric, which must live as long as the state */
		MemoryContext old = MemoryContextSwitchTo(st->ctx);
		bool		ok = true;

		if (sign > 0)
			smarkpi_exactsum_add(&st->value, &st->value_nmax, &x);
		else
			ok = smarkpi_exactsum_sub(&st->value, &st->value_nmax, &x);
		MemoryContextSwitchTo(old);
		if (!ok)
			PG_RETURN_NULL();	/* recompute the frame */
	}
	state_count(st, sign, converted ? sign : 0, has_value ? sign : 0);
	from = ID_START;
	for (i = 0; i < n; i++)
	{
		text	   *t = (text *) DatumGetPointer(elems[i]);
		int32		to = channel_id(st, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

		pair_add(st, from, to, sign);
		from = to;
	}
	pair_add(st, from, converted ? ID_CONV : ID_NULL, sign);
	PG_RETURN_POINTER(st);

unchanged:
	if (st == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_markov_trans);
Datum
smarkpi_markov_trans(PG_FUNCTION_ARGS)
{
	return journey_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_markov_inv);
Datum
smarkpi_markov_inv(PG_FUNCTION_ARGS)
{
	return journey_apply(fcinfo, -1);
}

/* ================= the summary value ================= */

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
	/* then the value sum (a numeric, at value_offset()), then the names, NUL-terminated */
} MarkovSummary;

#define PG_GETARG_MARKOV_SUMMARY(n) ((MarkovSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* transitions of a summary larger than this cannot be allocated */
#define MARKOV_MAX_TRANS ((int32) ((MaxAllocSize / 2) / sizeof(MarkovTrans)))

static Size
value_offset(int32 ntrans)
{
	return MAXALIGN(offsetof(MarkovSummary, trans) + sizeof(MarkovTrans) * ntrans);
}

static Numeric
summary_value(const MarkovSummary *s)
{
	return (Numeric) ((char *) s + value_offset(s->ntrans));
}

/* The names, in order, as pointers into s. */
static const char **
summary_names(const MarkovSummary *s)
{
	const char **names = palloc(sizeof(char *) * (s->nchannels + 1));
	const char *p = (const char *) s + s->names_off;
	int32		i;

	for (i = 0; i < s->nchannels; i++)
	{
		names[i] = p;
		p += strlen(p) + 1;
	}
	return names;
}

/* Lays out a summary; names sorted, transitions sorted, value exact. */
static MarkovSummary *
summary_build(int32 nchannels, const char *const *names, int32 ntrans, const MarkovTrans *trans,
			  const int64 *counts, Numeric value)
{
	Size		names_len = 0;
	Size		voff = value_offset(ntrans);
	Size		size;
	MarkovSummary *s;
	char	   *p;
	int32		i;

	for (i = 0; i < nchannels; i++)
		names_len += strlen(names[i]) + 1;
	size = voff + VARSIZE_ANY(value) + names_len;
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is too large", MARKOV_TYPNAME),
				 errdetail("%d channels and %d transitions.", nchannels, ntrans)));
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->nchannels = nchannels;
	s->ntrans = ntrans;
	s->names_off = (int32) (voff + VARSIZE_ANY(value));
	s->journeys = counts[0];
	s->conversions = counts[1];
	s->valued = counts[2];
	s->value_nmax = counts[3];
	if (ntrans > 0)
		memcpy(s->trans, trans, sizeof(MarkovTrans) * ntrans);
	memcpy((char *) s + voff, value, VARSIZE_ANY(value));
	p = (char *) s + s->names_off;
	for (i = 0; i < nchannels; i++)
	{
		Size		len = strlen(names[i]) + 1;

		memcpy(p, names[i], len);
		p += len;
	}
	return s;
}

static int
cmp_name_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static int
cmp_trans(const void *a, const void *b)
{
	const MarkovTrans *x = a;
	const MarkovTrans *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return (x->to > y->to) - (x->to < y->to);
}

/* The canonical summary of a state (which must hold journeys). */
static MarkovSummary *
summary_of_state(MarkovState *st)
{
	int32	   *index = palloc0(sizeof(int32) * Max(st->nids, 1));	/* id -> 1..C, 0 unused */
	const char **names = palloc(sizeof(char *) * Max(st->nids, 1));
	int32		ntrans = (int32) hash_get_num_entries(st->pairs);
	MarkovTrans *trans = palloc(sizeof(MarkovTrans) * Max(ntrans, 1));
	int64		counts[4] = {st->journeys, st->conversions, st->valued, st->value_nmax};
	HASH_SEQ_STATUS seq;
	PairEntry  *e;
	int32		c = 0,
				k = 0,
				i;

	/* channels that still have transitions, in byte order */
	hash_seq_init(&seq, st->pairs);
	while ((e = hash_seq_search(&seq)) != NULL)
		if (e->key.to >= 0 && index[e->key.to] == 0)
		{
			index[e->key.to] = 1;
			names[c++] = st->id_name[e->key.to];
		}
	qsort(names, c, sizeof(char *), cmp_name_ptr);
	for (i = 0; i < c; i++)
	{
		NameKey		key = {names[i], (int32) strlen(names[i])};
		NameEntry  *ne = hash_search(st->names, &key, HASH_FIND, NULL);

		index[ne->id] = i + 1;
	}
	hash_seq_init(&seq, st->pairs);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		MarkovTrans *t = &trans[k++];

		t->from = e->key.from == ID_START ? 0 : index[e->key.from];
		t->to = e->key.to == ID_CONV ? c + 1 : e->key.to == ID_NULL ? c + 2 : index[e->key.to];
		t->count = e->count;
	}
	qsort(trans, ntrans, sizeof(MarkovTrans), cmp_trans);
	return summary_build(c, names, ntrans, trans, counts, smarkpi_exactsum_to_numeric(&st->value));
}

/*
 * Adds (sign 1) or removes (sign -1) a summary's journeys to or from a
 * state.  Returns false, the state untouched, when a removal needs the frame
 * recomputed (the value sum's display scale could drop).
 */
static bool
state_apply_summary(MarkovState *st, const MarkovSummary *s, int sign)
{
	const char **names = summary_names(s);
	int32	   *ids = palloc(sizeof(int32) * (s->nchannels + 3));
	ExactSum	v;
	MemoryContext old;
	bool		ok = true;
	int32		i;

	smarkpi_exactsum_from_numeric(&v, summary_value(s));
	old = MemoryContextSwitchTo(st->ctx);	/* see journey_apply */
	if (sign > 0)
		smarkpi_exactsum_combine(&st->value, &st->value_nmax, &v, s->value_nmax);
	else
		ok = smarkpi_exactsum_uncombine(&st->value, &st->value_nmax, &v, s->value_nmax);
	MemoryContextSwitchTo(old);
	if (!ok)
		return false;
	state_count(st, sign * s->journeys, sign * s->conversions, sign * s->valued);
	ids[0] = ID_START;
	for (i = 0; i < s->nchannels; i++)
		ids[i + 1] = channel_id(st, names[i], (int32) strlen(names[i]));
	ids[s->nchannels + 1] = ID_CONV;
	ids[s->nchannels + 2] = ID_NULL;
	for (i = 0; i < s->ntrans; i++)
		pair_add(st, ids[s->trans[i].from], ids[s->trans[i].to], sign * s->trans[i].count);
	return true;
}

/* ---- what a valid summary is (text and binary input) ---- */

static void
summary_corrupt(int sqlstate, const char *detail)
{
	smarkpi_state_corrupt(MARKOV_TYPNAME, sqlstate, detail);
}

static void
add_checked(int64 *sum, int64 v, int sqlstate)
{
	if (pg_add_s64_overflow(*sum, v, sum))
		summary_corrupt(sqlstate, "The transition counts overflow.");
}

/*
 * Everything journeys imply: counts consistent, each channel entered as
 * often as left, and reachable from (start) -- which makes I - Q invertible.
 */
static void
check_summary(const MarkovSummary *s, int sqlstate)
{
	int32		C = s->nchannels;
	int64	   *in = palloc0(sizeof(int64) * (C + 3));
	int64	   *out = palloc0(sizeof(int64) * (C + 3));
	bool	   *reached = palloc0(sizeof(bool) * (C + 3));
	const char **names = summary_names(s);
	NumericParts v;
	bool		grew;
	int32		i;

	if (s->journeys < 0 || s->conversions < 0 || s->conversions > s->journeys)
		summary_corrupt(sqlstate, "Counts must satisfy 0 <= conversions <= journeys.");
	if (s->valued < 0 || s->valued > s->conversions || s->value_nmax < 0 ||
		s->value_nmax > s->valued || (s->valued > 0) != (s->value_nmax > 0))
		summary_corrupt(sqlstate, "Counts of values must satisfy 0 < value_nmax <= valued <= conversions, or both 0.");
	smarkpi_numeric_parts(NumericGetDatum(summary_value(s)), &v);
	if (v.special != NUMERIC_PARTS_FINITE)
		summary_corrupt(sqlstate, "The value must be a finite number.");
	if (s->valued == 0 && !(v.fits && v.unscaled == 0 && v.dscale == 0))
		summary_corrupt(sqlstate, "The value must be 0 when no journey has one.");
	for (i = 0; i < C; i++)
		if (names[i][0] == '\0' || (i > 0 && strcmp(names[i - 1], names[i]) >= 0))
			summary_corrupt(sqlstate, "Channel names must be non-empty, distinct and in byte order.");
	for (i = 0; i < s->ntrans; i++)
	{
		const MarkovTrans *t = &s->trans[i];

		if (t->from < 0 || t->from > C || t->to < 1 || t->to > C + 2 || t->count <= 0)
			summary_corrupt(sqlstate, "Each transition goes from (start) or a channel to a channel, (conversion) or (null), with a positive count.");
		if (i > 0 && cmp_trans(&s->trans[i - 1], t) >= 0)
			summary_corrupt(sqlstate, "Transitions must be sorted by (from, to) and distinct.");
		add_checked(&out[t->from], t->count, sqlstate);
		add_checked(&in[t->to], t->count, sqlstate);
	}
	if (out[0] != s->journeys || in[C + 1] != s->conversions || in[C + 2] != s->journeys - s->conversions)
		summary_corrupt(sqlstate, "Transitions out of (start) must add up to journeys, into (conversion) to conversions, into (null) to the other journeys.");
	for (i = 1; i <= C; i++)
		if (in[i] == 0 || in[i] != out[i])
			summary_corrupt(sqlstate, psprintf("Channel \"%s\" must be entered as often as it is left, at least once.", names[i - 1]));
	/* reachability from (start): transitions are sorted by from, so sweep until nothing grows */
	reached[0] = true;
	do
	{
		grew = false;
		for (i = 0; i < s->ntrans; i++)
			if (reached[s->trans[i].from] && !reached[s->trans[i].to])
				reached[s->trans[i].to] = grew = true;
	} while (grew);
	for (i = 1; i <= C; i++)
		if (!reached[i])
			summary_corrupt(sqlstate, psprintf("Channel \"%s\" cannot be reached from (start).", names[i - 1]));
}

/* ---- aggregate support: combine, serialize, final, rollup ---- */

static MarkovSummary *summary_from_binary(StringInfo buf);
static bytea *summary_to_binary(const MarkovSummary *s);

PG_FUNCTION_INFO_V1(smarkpi_markov_combine);
Datum
smarkpi_markov_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_markov_combine");
	MarkovState *st = PG_ARGISNULL(0) ? NULL : (MarkovState *) PG_GETARG_POINTER(0);
	MarkovState *other = PG_ARGISNULL(1) ? NULL : (MarkovState *) PG_GETARG_POINTER(1);

	if (other == NULL)
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = state_new(ctx);
	if (other->journeys > 0)
		state_apply_summary(st, summary_of_state(other), 1);
	PG_RETURN_POINTER(st);
}

/* A state is serialized as its summary's binary form. */
PG_FUNCTION_INFO_V1(smarkpi_markov_serialize);
Datum
smarkpi_markov_serialize(PG_FUNCTION_ARGS)
{
	MarkovState *st = (MarkovState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	if (st->journeys == 0)
	{
		/* an emptied state: no summary, only the version byte */
		smarkpi_state_writer(&buf);
		PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
	}
	PG_RETURN_BYTEA_P(summary_to_binary(summary_of_state(st)));
}

PG_FUNCTION_INFO_V1(smarkpi_markov_deserialize);
Datum
smarkpi_markov_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_markov_deserialize");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	MarkovState *st = state_new(ctx);

	initReadOnlyStringInfo(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	if (buf.len > 1)
		state_apply_summary(st, summary_from_binary(&buf), 1);
	PG_RETURN_POINTER(st);
}

/* Final function of markov_attribution() and rollup(): NULL without journeys. */
PG_FUNCTION_INFO_V1(smarkpi_markov_final);
Datum
smarkpi_markov_final(PG_FUNCTION_ARGS)
{
	MarkovState *st = PG_ARGISNULL(0) ? NULL : (MarkovState *) PG_GETARG_POINTER(0);

	if (st == NULL || st->journeys == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(summary_of_state(st));
}

static Datum
rollup_apply(FunctionCallInfo fcinfo, int sign)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_markov_rollup_trans");
	MarkovState *st = PG_ARGISNULL(0) ? NULL : (MarkovState *) PG_GETARG_POINTER(0);
	bool		ok;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = state_new(ctx);
	ok = state_apply_summary(st, PG_GETARG_MARKOV_SUMMARY(1), sign);
	if (!ok)
		PG_RETURN_NULL();		/* recompute the frame */
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_markov_rollup_trans);
Datum
smarkpi_markov_rollup_trans(PG_FUNCTION_ARGS)
{
	return rollup_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_markov_rollup_inv);
Datum
smarkpi_markov_rollup_inv(PG_FUNCTION_ARGS)
{
	return rollup_apply(fcinfo, -1);
}

/* ================= text form ================= */

/*
 * (journeys,conversions,value,valued,value_nmax,{from>to=count,...}) with
 * from (start) or a channel, to a channel, (conversion) or (null); channel
 * names in double quotes, " and \ escaped by a backslash.
 */

static void
text_syntax_error(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", MARKOV_TYPNAME, str),
			 errdetail("%s", detail)));
}

static void
expect(const char **p, char c, const char *str)
{
	if (**p != c)
		text_syntax_error(str, psprintf("Expected \"%c\".", c));
	(*p)++;
}

static int64
parse_int(const char **p, const char *str)
{
	int64		v = 0;
	bool		neg = (**p == '-');

	if (neg)
		(*p)++;
	if (!isdigit((unsigned char) **p))
		text_syntax_error(str, "Expected a whole number.");
	while (isdigit((unsigned char) **p))
	{
		if (pg_mul_s64_overflow(v, 10, &v) ||
			pg_add_s64_overflow(v, neg ? -(**p - '0') : (**p - '0'), &v))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value out of range for type %s: \"%s\"", MARKOV_TYPNAME, str),
					 errdetail("Counts must fit a bigint.")));
		(*p)++;
	}
	return v;
}

/* A plain decimal, as numeric_out writes it: -?digits(.digits)? */
static bool
decimal_syntax_ok(const char *s, int len)
{
	int			i = 0,
				digits = 0;

	if (i < len && s[i] == '-')
		i++;
	for (; i < len && isdigit((unsigned char) s[i]); i++)
		digits++;
	if (digits == 0)
		return false;
	if (i < len && s[i] == '.')
	{
		for (i++, digits = 0; i < len && isdigit((unsigned char) s[i]); i++)
			digits++;
		if (digits == 0)
			return false;
	}
	return i == len;
}

static Numeric
decimal_to_numeric(const char *s)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

/* One end of a transition: a quoted channel name, or a (special) state. */
static char *
parse_end(const char **p, const char *str, int32 *special)
{
	StringInfoData name;

	*special = 0;
	if (**p == '(')
	{
		static const char *const words[] = {"(start)", "(conversion)", "(null)"};
		static const int32 ids[] = {ID_START, ID_CONV, ID_NULL};
		int			i;

		for (i = 0; i < 3; i++)
			if (strncmp(*p, words[i], strlen(words[i])) == 0)
			{
				*p += strlen(words[i]);
				*special = ids[i];
				return NULL;
			}
		text_syntax_error(str, "Expected (start), (conversion), (null) or a quoted channel name.");
	}
	expect(p, '"', str);
	initStringInfo(&name);
	while (**p != '"')
	{
		if (**p == '\\')
			(*p)++;
		if (**p == '\0')
			text_syntax_error(str, "Unterminated channel name.");
		appendStringInfoChar(&name, **p);
		(*p)++;
	}
	(*p)++;
	if (name.len == 0)
		text_syntax_error(str, "Channel names must not be empty.");
	return name.data;
}

typedef struct ParsedTrans
{
	char	   *from_name;
	char	   *to_name;
	int32		from_special;
	int32		to_special;
	int64		count;
} ParsedTrans;

static int32
name_index(const char *const *names, int32 n, const char *name)
{
	const char *const *hit = bsearch(&name, names, n, sizeof(char *), cmp_name_ptr);

	return (int32) (hit - names) + 1;
}

PG_FUNCTION_INFO_V1(smarkpi_markov_summary_in);
Datum
smarkpi_markov_summary_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	const char *vstart;
	char	   *vtext;
	int64		counts[4];
	Numeric		value;
	ParsedTrans *pt;
	const char **names;
	MarkovTrans *trans;
	int32		n = 0,
				maxn = 16,
				nnames = 0,
				i,
				k;
	MarkovSummary *s;

	expect(&p, '(', str);
	counts[0] = parse_int(&p, str);
	expect(&p, ',', str);
	counts[1] = parse_int(&p, str);
	expect(&p, ',', str);
	vstart = p;
	while (*p && *p != ',')
		p++;
	if (!decimal_syntax_ok(vstart, (int) (p - vstart)))
		text_syntax_error(str, "The value must be a plain decimal number.");
	vtext = pnstrdup(vstart, p - vstart);
	value = decimal_to_numeric(vtext);
	expect(&p, ',', str);
	counts[2] = parse_int(&p, str);
	expect(&p, ',', str);
	counts[3] = parse_int(&p, str);
	expect(&p, ',', str);
	expect(&p, '{', str);
	pt = palloc(sizeof(ParsedTrans) * maxn);
	while (*p != '}')
	{
		if (n > 0)
			expect(&p, ',', str);
		if (n == maxn)
		{
			if (maxn >= MARKOV_MAX_TRANS / 2)
				text_syntax_error(str, "Too many transitions.");
			maxn *= 2;
			pt = repalloc(pt, sizeof(ParsedTrans) * maxn);
		}
		pt[n].from_name = parse_end(&p, str, &pt[n].from_special);
		expect(&p, '>', str);
		pt[n].to_name = parse_end(&p, str, &pt[n].to_special);
		expect(&p, '=', str);
		pt[n].count = parse_int(&p, str);
		if (pt[n].from_special == ID_CONV || pt[n].from_special == ID_NULL || pt[n].to_special == ID_START)
			text_syntax_error(str, "Transitions go from (start) or a channel to a channel, (conversion) or (null).");
		n++;
	}
	expect(&p, '}', str);
	expect(&p, ')', str);
	if (*p != '\0')
		text_syntax_error(str, "Unexpected text after the closing parenthesis.");

	/* the channels: every name used, sorted, distinct */
	names = palloc(sizeof(char *) * (2 * n + 1));
	for (i = 0; i < n; i++)
	{
		if (pt[i].from_name)
			names[nnames++] = pt[i].from_name;
		if (pt[i].to_name)
			names[nnames++] = pt[i].to_name;
	}
	qsort(names, nnames, sizeof(char *), cmp_name_ptr);
	for (i = 0, k = 0; i < nnames; i++)
		if (k == 0 || strcmp(names[k - 1], names[i]) != 0)
			names[k++] = names[i];
	nnames = k;
	trans = palloc(sizeof(MarkovTrans) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		trans[i].from = pt[i].from_name ? name_index(names, nnames, pt[i].from_name) : 0;
		trans[i].to = pt[i].to_name ? name_index(names, nnames, pt[i].to_name) :
			pt[i].to_special == ID_CONV ? nnames + 1 : nnames + 2;
		trans[i].count = pt[i].count;
	}
	s = summary_build(nnames, names, n, trans, counts, value);
	check_summary(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

static void
append_end(StringInfo buf, const MarkovSummary *s, const char **names, int32 idx)
{
	const char *c;

	if (idx == 0)
		appendStringInfoString(buf, "(start)");
	else if (idx == s->nchannels + 1)
		appendStringInfoString(buf, "(conversion)");
	else if (idx == s->nchannels + 2)
		appendStringInfoString(buf, "(null)");
	else
	{
		appendStringInfoChar(buf, '"');
		for (c = names[idx - 1]; *c; c++)
		{
			if (*c == '"' || *c == '\\')
				appendStringInfoChar(buf, '\\');
			appendStringInfoChar(buf, *c);
		}
		appendStringInfoChar(buf, '"');
	}
}

PG_FUNCTION_INFO_V1(smarkpi_markov_summary_out);
Datum
smarkpi_markov_summary_out(PG_FUNCTION_ARGS)
{
	MarkovSummary *s = PG_GETARG_MARKOV_SUMMARY(0);
	const char **names = summary_names(s);
	StringInfoData buf;
	int32		i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(" INT64_FORMAT "," INT64_FORMAT ",%s," INT64_FORMAT "," INT64_FORMAT ",{",
					 s->journeys, s->conversions,
					 DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(summary_value(s)))),
					 s->valued, s->value_nmax);
	for (i = 0; i < s->ntrans; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		append_end(&buf, s, names, s->trans[i].from);
		appendStringInfoChar(&buf, '>');
		append_end(&buf, s, names, s->trans[i].to);
		appendStringInfo(&buf, "=" INT64_FORMAT, s->trans[i].count);
	}
	appendStringInfoString(&buf, "})");
	PG_RETURN_CSTRING(buf.data);
}

/* ================= binary form ================= */

/*
 * Version byte; journeys, conversions, valued, value_nmax (int8); the value
 * as decimal text (int4 length, bytes); channel count (int4) and each name
 * (int4 length, bytes in the database encoding); transition count (int4)
 * and each transition: from, to (int4), count (int8).  Also the serialized
 * state of the aggregates.
 */

static void
binary_need(StringInfo buf, int64 n)
{
	if (n < 0 || n > buf->len - buf->cursor)
		summary_corrupt(ERRCODE_INVALID_BINARY_REPRESENTATION, "The binary value is truncated.");
}

static int32
binary_int4(StringInfo buf)
{
	binary_need(buf, 4);
	return (int32) pq_getmsgint(buf, 4);
}

static int64
binary_int8(StringInfo buf)
{
	binary_need(buf, 8);
	return pq_getmsgint64(buf);
}

/* len bytes as a NUL-terminated string */
static char *
binary_bytes(StringInfo buf, int32 len)
{
	char	   *s;

	binary_need(buf, len);
	s = palloc(len + 1);
	pq_copymsgbytes(buf, s, len);
	s[len] = '\0';
	return s;
}

static MarkovSummary *
summary_from_binary(StringInfo buf)
{
	int64		counts[4];
	int32		len,
				nchannels,
				ntrans,
				i;
	char	   *vtext;
	const char **names;
	MarkovTrans *trans;
	MarkovSummary *s;

	binary_need(buf, 1);
	if (pq_getmsgbyte(buf) != SMARKPI_BINARY_VERSION)
		summary_corrupt(ERRCODE_INVALID_BINARY_REPRESENTATION, "Unsupported binary format version.");
	for (i = 0; i < 4; i++)
		counts[i] = binary_int8(buf);
	len = binary_int4(buf);
	vtext = binary_bytes(buf, len);
	if (!decimal_syntax_ok(vtext, len))
		summary_corrupt(ERRCODE_INVALID_BINARY_REPRESENTATION, "The value must be a plain decimal number.");
	nchannels = binary_int4(buf);
	smarkpi_state_check_count(buf, nchannels, 5, false, MARKOV_TYPNAME);
	names = palloc(sizeof(char *) * (nchannels + 1));
	for (i = 0; i < nchannels; i++)
	{
		len = binary_int4(buf);
		names[i] = binary_bytes(buf, len);
		if (memchr(names[i], '\0', len) != NULL ||
			!pg_verify_mbstr(GetDatabaseEncoding(), names[i], len, true))
			summary_corrupt(ERRCODE_INVALID_BINARY_REPRESENTATION,
							"Channel names must be valid text in the database encoding.");
	}
	ntrans = binary_int4(buf);
	smarkpi_state_check_count(buf, ntrans, 16, true, MARKOV_TYPNAME);
	trans = palloc(sizeof(MarkovTrans) * Max(ntrans, 1));
	for (i = 0; i < ntrans; i++)
	{
		trans[i].from = binary_int4(buf);
		trans[i].to = binary_int4(buf);
		trans[i].count = binary_int8(buf);
	}
	s = summary_build(nchannels, names, ntrans, trans, counts, decimal_to_numeric(vtext));
	check_summary(s, ERRCODE_INVALID_BINARY_REPRESENTATION);
	return s;
}

static bytea *
summary_to_binary(const MarkovSummary *s)
{
	const char **names = summary_names(s);
	char	   *vtext = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(summary_value(s))));
	StringInfoData buf;
	int32		i;

	smarkpi_state_writer(&buf);
	pq_sendint64(&buf, s->journeys);
	pq_sendint64(&buf, s->conversions);
	pq_sendint64(&buf, s->valued);
	pq_sendint64(&buf, s->value_nmax);
	pq_sendint32(&buf, (int32) strlen(vtext));
	pq_sendbytes(&buf, vtext, strlen(vtext));
	pq_sendint32(&buf, s->nchannels);
	for (i = 0; i < s->nchannels; i++)
	{
		pq_sendint32(&buf, (int32) strlen(names[i]));
		pq_sendbytes(&buf, names[i], strlen(names[i]));
	}
	pq_sendint32(&buf, s->ntrans);
	for (i = 0; i < s->ntrans; i++)
	{
		pq_sendint32(&buf, s->trans[i].from);
		pq_sendint32(&buf, s->trans[i].to);
		pq_sendint64(&buf, s->trans[i].count);
	}
	return pq_endtypsend(&buf);
}

PG_FUNCTION_INFO_V1(smarkpi_markov_summary_recv);
Datum
smarkpi_markov_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_POINTER(summary_from_binary(buf));
}

PG_FUNCTION_INFO_V1(smarkpi_markov_summary_send);
Datum
smarkpi_markov_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(summary_to_binary(PG_GETARG_MARKOV_SUMMARY(0)));
}

/* ================= the exact solve ================= */

/*
 * The chain of a summary as the scaled system A x = b: A = D (I - Q), D the
 * channels' outgoing counts, so A's off-diagonal entries are -n(i>j) and its
 * row sums exit[i] = n(i>(conversion)) + n(i>(null)).  Factored in place into
 * L U, subtraction-free (see the file header).  The diagonal is never stored
 * in a: each pivot is rebuilt from exit[] and the row's off-diagonal entries.
 */
typedef struct MarkovChain
{
	int32		C;
	double	   *a;				/* C x C, row-major: L below the diagonal, U above */
	double	   *diag;			/* U's diagonal */
	double	   *exit;			/* row sums while eliminating */
	double	   *conv;			/* n(i>(conversion)) */
	double	   *start;			/* n((start)>i) */
	double		start_conv;		/* n((start)>(conversion)) */
	double		journeys;
} MarkovChain;

static void
chain_build(const MarkovSummary *s, MarkovChain *m)
{
	int32		C = s->nchannels;
	int32		i;

	if (C > MARKOV_MAX_CHANNELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("markov attribution is limited to %d channels", MARKOV_MAX_CHANNELS),
				 errdetail("The summary has %d channels.", C),
				 errhint("Group rare channels into one (e.g. \"other\") before aggregating.")));
	m->C = C;
	m->a = palloc0(sizeof(double) * Max((Size) C * C, 1));
	m->diag = palloc0(sizeof(double) * (C + 1));
	m->exit = palloc0(sizeof(double) * (C + 1));
	m->conv = palloc0(sizeof(double) * (C + 1));
	m->start = palloc0(sizeof(double) * (C + 1));
	m->start_conv = 0;
	m->journeys = (double) s->journeys;
	for (i = 0; i < s->ntrans; i++)
	{
		const MarkovTrans *t = &s->trans[i];
		double		n = (double) t->count;

		if (t->from == 0)
		{
			if (t->to <= C)
				m->start[t->to - 1] = n;
			else if (t->to == C + 1)
				m->start_conv = n;
		}
		else if (t->to <= C)
		{
			if (t->to != t->from)	/* self-transitions only scale a row */
				m->a[(Size) (t->from - 1) * C + (t->to - 1)] = -n;
		}
		else
		{
			m->exit[t->from - 1] += n;
			if (t->to == C + 1)
				m->conv[t->from - 1] = n;
		}
	}
}

static void
chain_singular(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("markov chain cannot be solved in double precision"),
			 errdetail("A pivot underflowed or overflowed."),
			 errhint("Group channels or scale the counts down.")));
}

/* L U = A, keeping each remaining row's sum in exit[] (GTH). */
static void
chain_factor(MarkovChain *m)
{
	int32		C = m->C;
	int32		i,
				j,
				k;

	for (k = 0; k < C; k++)
	{
		double	   *rowk = m->a + (Size) k * C;
		double		d = m->exit[k];

		for (j = k + 1; j < C; j++)
			d -= rowk[j];		/* rowk[j] <= 0: adds |rowk[j]| */
		if (!(d > 0) || !isfinite(d))
			chain_singular();
		m->diag[k] = d;
		for (i = k + 1; i < C; i++)
		{
			double	   *rowi = m->a + (Size) i * C;
			double		l;

			if (rowi[k] == 0)
				continue;
			l = rowi[k] / d;	/* <= 0 */
			rowi[k] = l;
			/* both terms <= 0; the diagonal slot is updated too but never read */
			for (j = k + 1; j < C; j++)
				rowi[j] -= l * rowk[j];
			m->exit[i] -= l * m->exit[k];	/* both terms >= 0 */
		}
	}
}

/* x = A^-1 b for b >= 0, b[i] = 0 for i < first; every term non-negative. */
static void
chain_solve(const MarkovChain *m, const double *b, int32 first, double *x)
{
	int32		C = m->C;
	int32		i,
				j;

	for (i = 0; i < first; i++)
		x[i] = 0;
	for (i = first; i < C; i++)
	{
		const double *row = m->a + (Size) i * C;
		double		y = b[i];

		for (j = first; j < i; j++)
			y -= row[j] * x[j];
		x[i] = y;
	}
	for (i = C - 1; i >= 0; i--)
	{
		const double *row = m->a + (Size) i * C;
		double		y = x[i];

		for (j = i + 1; j < C; j++)
			y -= row[j] * x[j];
		x[i] = y / m->diag[i];
	}
}

/* columns of A^-1 solved together, so the matrix is read once per block */
#define SOLVE_BLOCK 32

/*
 * Columns c0 .. c0 + nb - 1 of A^-1 into x (C rows of nb), as chain_solve
 * would give them one by one (the same terms in the same order: zeros above
 * the unit entry add nothing).
 */
static void
chain_inverse_columns(const MarkovChain *m, int32 c0, int32 nb, double *x)
{
	int32		C = m->C;
	int32		i,
				j,
				b;

	memset(x, 0, sizeof(double) * (Size) C * nb);
	for (b = 0; b < nb; b++)
		x[(Size) (c0 + b) * nb + b] = 1;
	for (i = c0 + 1; i < C; i++)
	{
		const double *row = m->a + (Size) i * C;
		double	   *xi = x + (Size) i * nb;

		for (j = c0; j < i; j++)
		{
			const double *xj = x + (Size) j * nb;
			double		l = row[j];

			if (l == 0)
				continue;
			for (b = 0; b < nb; b++)
				xi[b] -= l * xj[b];
		}
	}
	for (i = C - 1; i >= 0; i--)
	{
		const double *row = m->a + (Size) i * C;
		double	   *xi = x + (Size) i * nb;

		for (j = i + 1; j < C; j++)
		{
			const double *xj = x + (Size) j * nb;
			double		u = row[j];

			if (u == 0)
				continue;
			for (b = 0; b < nb; b++)
				xi[b] -= u * xj[b];
		}
		for (b = 0; b < nb; b++)
			xi[b] /= m->diag[i];
	}
}

/* P(conversion) and, when re is given, each channel's removal effect. */
static double
chain_removal_effects(const MarkovSummary *s, double *re)
{
	MarkovChain m;
	double	   *x,
			   *g;
	double		hits,
				p;
	int32		C,
				c0,
				b,
				nb,
				j;

	chain_build(s, &m);
	C = m.C;
	chain_factor(&m);
	x = palloc(sizeof(double) * (C + 1));
	chain_solve(&m, m.conv, 0, x);
	hits = m.start_conv;
	for (j = 0; j < C; j++)
		hits += m.start[j] * x[j];
	p = hits / m.journeys;
	if (re == NULL || hits == 0)
		return p;
	g = palloc(sizeof(double) * (Size) Max(C, 1) * SOLVE_BLOCK);
	for (c0 = 0; c0 < C; c0 += SOLVE_BLOCK)
	{
		nb = Min(SOLVE_BLOCK, C - c0);
		/* column c of A^-1: visits to c from each channel, in units of 1 / n(c>.) */
		chain_inverse_columns(&m, c0, nb, g);
		for (b = 0; b < nb; b++)
		{
			int32		c = c0 + b;
			double		visits = 0;

			for (j = 0; j < C; j++)
				visits += m.start[j] * g[(Size) j * nb + b];
			/* h_c x_c / x_start, h_c = visits from start / visits from c */
			re[c] = (visits / g[(Size) c * nb + b]) * x[c] / hits;
			if (!isfinite(re[c]))
				chain_singular();
		}
	}
	return p;
}

/* ================= the readers ================= */

/* The total value x share, rounded to the total's display scale. */
static Numeric
value_share(Numeric total, double share)
{
	Numeric		sh = decimal_to_numeric(psprintf("%.17g", share));
	Datum		product = DirectFunctionCall2(numeric_mul, NumericGetDatum(total), NumericGetDatum(sh));
	Datum		scale = DirectFunctionCall1(numeric_scale, NumericGetDatum(total));

	return DatumGetNumeric(DirectFunctionCall2(numeric_round, product, scale));
}

PG_FUNCTION_INFO_V1(smarkpi_attribution_shares);
Datum
smarkpi_attribution_shares(PG_FUNCTION_ARGS)
{
	MarkovSummary *s = PG_GETARG_MARKOV_SUMMARY(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char **names = summary_names(s);
	int32		C = s->nchannels;
	double	   *re = palloc0(sizeof(double) * (C + 1));
	double		total_re = 0;
	bool		have_re = s->conversions > 0;
	int32		c;

	InitMaterializedSRF(fcinfo, 0);
	if (C == 0)
		return (Datum) 0;
	if (have_re)
	{
		chain_removal_effects(s, re);
		for (c = 0; c < C; c++)
			total_re += re[c];
	}
	for (c = 0; c < C; c++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		bool		have_share = have_re && total_re > 0;
		double		share = have_share ? re[c] / total_re : 0;

		values[0] = CStringGetTextDatum(names[c]);
		values[1] = Float8GetDatum(re[c]);
		nulls[1] = !have_re;
		values[2] = Float8GetDatum(share);
		nulls[2] = !have_share;
		/* no conversions: none to distribute */
		values[3] = Float8GetDatum(s->conversions == 0 ? 0.0 : share * (double) s->conversions);
		nulls[3] = s->conversions > 0 && !have_share;
		nulls[4] = s->valued == 0 || !have_share;
		if (!nulls[4])
			values[4] = NumericGetDatum(value_share(summary_value(s), share));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(smarkpi_markov_conversion_probability);
Datum
smarkpi_markov_conversion_probability(PG_FUNCTION_ARGS)
{
	MarkovSummary *s = PG_GETARG_MARKOV_SUMMARY(0);

	if (s->journeys == 0)
		PG_RETURN_NULL();
	if (s->conversions == 0)
		PG_RETURN_FLOAT8(0.0);
	PG_RETURN_FLOAT8(chain_removal_effects(s, NULL));
}
