/*
 * markov_attribution/state.c
 *		markov_attribution(path, converted[, value]) and rollup(summary): the
 *		aggregates' state (channel names and transition counts in hash
 *		tables), its combine and moving-window inverse.  The state is an
 *		expanded smarkpi_markov_summary (core/xstate.h): the hash tables in
 *		memory, the canonical summary when it is shipped.
 */
#include "markov_attribution/markov.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "core/exactsum.h"
#include "core/wire.h"
#include "core/xstate.h"
#include "libpq/pqformat.h"
#include "utils/array.h"

/* ---- the aggregate's state ---- */

typedef struct NameKey
{
	const char *name;
	int32		len;
} NameKey;

typedef struct NameEntry
{
	NameKey		key;
	int32		id;
	char		status;			/* simplehash's */
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
	char		status;			/* simplehash's */
} PairEntry;

/*
 * simplehash tables live in the state's own memory context (dynahash would
 * make one more per table).
 */
#define SH_PREFIX markov_names
#define SH_ELEMENT_TYPE NameEntry
#define SH_KEY_TYPE NameKey
#define SH_KEY key
#define SH_HASH_KEY(tb, k) hash_bytes((const unsigned char *) (k).name, (k).len)
#define SH_EQUAL(tb, a, b) ((a).len == (b).len && memcmp((a).name, (b).name, (a).len) == 0)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define SH_PREFIX markov_pairs
#define SH_ELEMENT_TYPE PairEntry
#define SH_KEY_TYPE PairKey
#define SH_KEY key
#define SH_HASH_KEY(tb, k) \
	hash_combine(murmurhash32((uint32) (k).from), murmurhash32((uint32) (k).to))
#define SH_EQUAL(tb, a, b) ((a).from == (b).from && (a).to == (b).to)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct MarkovState
{
	MemoryContext ctx;
	markov_names_hash *names;	/* channel name -> id */
	markov_pairs_hash *pairs;	/* (from id, to id) -> count, counts > 0 */
	char	  **id_name;		/* id -> name, NUL-terminated */
	int32		nids;
	int32		maxids;
	int64		journeys;
	int64		conversions;
	int64		valued;			/* converted journeys with a value */
	int64		value_nmax;		/* of those, the ones at the sum's display
								 * scale */
	ExactSum	value;
} MarkovState;

/* An empty state (zeroed), its tables in the current memory context. */
static void
state_init(void *state)
{
	MarkovState *st = (MarkovState *) state;

	st->ctx = CurrentMemoryContext;
	st->names = markov_names_create(st->ctx, 8, NULL);
	st->pairs = markov_pairs_create(st->ctx, 16, NULL);
	smarkpi_exactsum_zero(&st->value);
}

static void state_load(void *st, struct varlena *flat);
static struct varlena *state_flatten(void *st);

static const SmarkpiXStateKind markov_kind = {
	.typname = MARKOV_TYPNAME,
	.size = sizeof(MarkovState),
	.init = state_init,
	.load = state_load,
	.flatten = state_flatten,
};

/* The id of a channel, given a new one (name copied into the state) if unknown. */
static int32
channel_id(MarkovState *st, const char *name, int32 len)
{
	NameKey		key = {name, len};
	NameEntry  *e;
	bool		found;

	e = markov_names_insert(st->names, key, &found);
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
	bool		found = true;

	if (delta > 0)
		e = markov_pairs_insert(st->pairs, key, &found);
	else
		e = markov_pairs_lookup(st->pairs, key);
	if (delta < 0 && (e == NULL || e->count < -delta))
		elog(ERROR, "markov_attribution: removed transition not found in the frame");
	e->count = smarkpi_add_count(found ? e->count : 0, delta,
								 "markov_attribution transition count");
	if (e->count == 0)
		markov_pairs_delete(st->pairs, key);
}

static void
state_count(MarkovState *st, int64 journeys, int64 conversions, int64 valued)
{
	st->journeys = smarkpi_add_count(st->journeys, journeys, "markov_attribution journey count");
	st->conversions = smarkpi_add_count(st->conversions, conversions,
										"markov_attribution conversion count");
	st->valued = smarkpi_add_count(st->valued, valued, "markov_attribution count of values");
}

/* ---- rows: markov_attribution(path, converted[, value]) ---- */

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
										psprintf("Element %d of the path is an empty string.",
												 i + 1));
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
	MarkovState *st = smarkpi_xstate_update(fcinfo, &markov_kind, ctx);
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
		has_value = converted;	/* the value of a journey that did not convert
								 * is not credited */
	}
	if (st == NULL)
		st = smarkpi_xstate_new(&markov_kind, ctx);
	if (has_value)
	{
		/*
		 * a sum past 128 bits becomes a numeric, which must live as long as
		 * the state
		 */
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
	return smarkpi_xstate_result(fcinfo, st);

unchanged:
	/* never NULL: the window executor refuses a NULL moving-aggregate state */
	if (st == NULL)
		st = smarkpi_xstate_new(&markov_kind, ctx);
	return smarkpi_xstate_result(fcinfo, st);
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

/* The canonical summary of a state (of an emptied one: no journeys, no channels). */
static MarkovSummary *
summary_of_state(MarkovState *st)
{
	int32	   *index;
	const char **names;
	int32		ntrans;
	MarkovTrans *trans;
	int64		counts[4] = {st->journeys, st->conversions, st->valued, st->value_nmax};
	markov_pairs_iterator it;
	PairEntry  *e;
	int32		c = 0,
				k = 0,
				i;

	/* refuse before allocating: the summary could not be allocated either */
	if (st->pairs->members > MaxAllocSize / sizeof(MarkovTrans))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is too large", MARKOV_TYPNAME),
				 errdetail("%d channels and " UINT64_FORMAT " transitions.", st->nids,
						   (uint64) st->pairs->members)));
	index = palloc0(sizeof(int32) * Max(st->nids, 1));	/* id -> 1..C, 0 unused */
	names = palloc(sizeof(char *) * Max(st->nids, 1));
	ntrans = (int32) st->pairs->members;
	trans = palloc(sizeof(MarkovTrans) * Max(ntrans, 1));

	/* channels that still have transitions, in byte order */
	markov_pairs_start_iterate(st->pairs, &it);
	while ((e = markov_pairs_iterate(st->pairs, &it)) != NULL)
		if (e->key.to >= 0 && index[e->key.to] == 0)
		{
			index[e->key.to] = 1;
			names[c++] = st->id_name[e->key.to];
		}
	qsort(names, c, sizeof(char *), smarkpi_markov_cmp_name);
	for (i = 0; i < c; i++)
	{
		NameKey		key = {names[i], (int32) strlen(names[i])};
		NameEntry  *ne = markov_names_lookup(st->names, key);

		index[ne->id] = i + 1;
	}
	markov_pairs_start_iterate(st->pairs, &it);
	while ((e = markov_pairs_iterate(st->pairs, &it)) != NULL)
	{
		MarkovTrans *t = &trans[k++];

		t->from = e->key.from == ID_START ? 0 : index[e->key.from];
		t->to = e->key.to == ID_CONV ? c + 1 : e->key.to == ID_NULL ? c + 2 : index[e->key.to];
		t->count = e->count;
	}
	qsort(trans, ntrans, sizeof(MarkovTrans), smarkpi_markov_cmp_trans);
	return smarkpi_markov_summary_build(c, names, ntrans, trans, counts,
										smarkpi_exactsum_to_numeric(&st->value));
}

/*
 * Adds (sign 1) or removes (sign -1) a summary's journeys to or from a
 * state.  Returns false, the state untouched, when a removal needs the frame
 * recomputed (the value sum's display scale could drop).
 */
static bool
state_apply_summary(MarkovState *st, const MarkovSummary *s, int sign)
{
	const char **names = smarkpi_markov_summary_names(s);
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

/* ---- the flat form: the canonical summary (journeys 0 for an emptied state) ---- */

static void
state_load(void *st, struct varlena *flat)
{
	state_apply_summary((MarkovState *) st, (MarkovSummary *) flat, 1);
}

static struct varlena *
state_flatten(void *st)
{
	return (struct varlena *) summary_of_state((MarkovState *) st);
}

/* ---- aggregate support: combine, final, rollup ---- */

PG_FUNCTION_INFO_V1(smarkpi_markov_combine);
Datum
smarkpi_markov_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_markov_combine");
	MarkovState *st = smarkpi_xstate_update(fcinfo, &markov_kind, ctx);
	MarkovState *other = smarkpi_xstate_read(fcinfo, 1, &markov_kind);

	if (other == NULL)
		return smarkpi_xstate_result(fcinfo, st);
	if (st == NULL)
		st = smarkpi_xstate_new(&markov_kind, ctx);
	if (other->journeys > 0)
		state_apply_summary(st, summary_of_state(other), 1);
	return smarkpi_xstate_result(fcinfo, st);
}

/* Final function of markov_attribution() and rollup(): NULL without journeys. */
PG_FUNCTION_INFO_V1(smarkpi_markov_final);
Datum
smarkpi_markov_final(PG_FUNCTION_ARGS)
{
	MarkovState *st = smarkpi_xstate_read(fcinfo, 0, &markov_kind);

	if (st == NULL || st->journeys == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(summary_of_state(st));
}

static Datum
rollup_apply(FunctionCallInfo fcinfo, int sign)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_markov_rollup");
	MarkovState *st = smarkpi_xstate_update(fcinfo, &markov_kind, ctx);
	bool		ok;

	/* never NULL, even before the first summary: see journey_apply */
	if (st == NULL)
		st = smarkpi_xstate_new(&markov_kind, ctx);
	if (PG_ARGISNULL(1))
		return smarkpi_xstate_result(fcinfo, st);
	ok = state_apply_summary(st, PG_GETARG_MARKOV_SUMMARY(1), sign);
	if (!ok)
		PG_RETURN_NULL();		/* recompute the frame */
	return smarkpi_xstate_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_markov_rollup);
Datum
smarkpi_markov_rollup(PG_FUNCTION_ARGS)
{
	return rollup_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_markov_rollup_inv);
Datum
smarkpi_markov_rollup_inv(PG_FUNCTION_ARGS)
{
	return rollup_apply(fcinfo, -1);
}
