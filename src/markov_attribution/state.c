/*
 * markov_attribution/state.c
 *		markov_attribution(path, converted[, value]) and rollup(summary): the
 *		aggregates' state (channel names and transition counts in hash
 *		tables), its combine and moving-window inverse.  The state is an
 *		expanded smarkpi_markov_summary (core/xstate.h): the hash tables in
 *		memory, the canonical summary when it is shipped.
 */
#include "markov_attribution/markov.h"

#include "access/tupmacs.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
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
	uint32		hash;			/* compared before the names */
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
 * A channel name's hash, 8 bytes at a time: names are short, and this runs
 * for every touch.  In memory only (summaries are sorted by name), so it
 * need not match any other hash.
 */
static inline uint32
name_hash(const char *name, int32 len)
{
	uint64		h = (uint64) len * UINT64CONST(0x9E3779B97F4A7C15);
	uint64		w;

	for (; len >= 8; name += 8, len -= 8)
	{
		memcpy(&w, name, sizeof(w));
		h = (h ^ w) * UINT64CONST(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
	}
	for (w = 0; len > 0; len--)
		w = (w << 8) | (unsigned char) name[len - 1];
	h = (h ^ w) * UINT64CONST(0x94D049BB133111EB);
	return (uint32) (h ^ (h >> 32));
}

/* Two names of len bytes are equal (inline: a libc call per touch costs more). */
static inline bool
name_equal(const char *a, const char *b, int32 len)
{
	uint64		wa,
				wb;

	for (; len >= 8; a += 8, b += 8, len -= 8)
	{
		memcpy(&wa, a, sizeof(wa));
		memcpy(&wb, b, sizeof(wb));
		if (wa != wb)
			return false;
	}
	for (; len > 0; len--)
		if (*a++ != *b++)
			return false;
	return true;
}

/*
 * simplehash tables live in the state's own memory context (dynahash would
 * make one more per table).
 */
#define SH_PREFIX markov_names
#define SH_ELEMENT_TYPE NameEntry
#define SH_KEY_TYPE NameKey
#define SH_KEY key
#define SH_HASH_KEY(tb, k) name_hash((k).name, (k).len)
#define SH_EQUAL(tb, a, b) ((a).len == (b).len && name_equal((a).name, (b).name, (a).len))
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
/* half full at most: a known name is nearly always in its first bucket */
#define SH_FILLFACTOR (0.5)
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

/*
 * Transition counts: a dense matrix while the channels are few (a row for
 * (start) and each channel, a column for (conversion), (null) and each
 * channel), no hashing per touch and, for few channels, less memory than a
 * hash table; the table of non-zero pairs past DENSE_MAX_CHANNELS.
 */
#define DENSE_MIN_CHANNELS 4
#define DENSE_MAX_CHANNELS 64

typedef struct MarkovState
{
	MemoryContext ctx;
	markov_names_hash *names;	/* channel name -> id */
	int64	   *dense;			/* (dense_cap + 1) x (dense_cap + 2) counts,
								 * or NULL once pairs holds them */
	int32		dense_cap;		/* channels the matrix has room for */
	int64		dense_nonzero;	/* non-zero counts in the matrix */
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
	st->dense_cap = DENSE_MIN_CHANNELS;
	st->dense = MemoryContextAllocZero(st->ctx, sizeof(int64) * (DENSE_MIN_CHANNELS + 1) *
									   (DENSE_MIN_CHANNELS + 2));
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

static void pairs_make_room(MarkovState *st);

/* The id of a channel, given a new one (name copied into the state) if unknown. */
static int32
channel_id(MarkovState *st, const char *name, int32 len)
{
	NameKey		key = {name, len};
	uint32		hash = name_hash(name, len);
	NameEntry  *e;
	bool		found;

	/* a known channel, nearly always: lookup probes less than insert */
	e = markov_names_lookup_hash(st->names, key, hash);
	if (e)
		return e->id;
	e = markov_names_insert_hash(st->names, key, hash, &found);
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
		if (st->dense && st->nids > st->dense_cap)
			pairs_make_room(st);
	}
	return e->id;
}

/* The matrix cell of (from > to): from is (start) or a channel, to any state. */
static inline int64 *
dense_cell(int64 *dense, int32 cap, int32 from, int32 to)
{
	int32		row = from + 1; /* (start) is -1 */
	int32		col = to >= 0 ? to + 2 : -to - 2;	/* (conversion) -2, (null)
													 * -3 */

	return &dense[(Size) row * (cap + 2) + col];
}

static void pairs_hash_add(MarkovState *st, int32 from, int32 to, int64 delta);
static inline void pair_add(MarkovState *st, int32 from, int32 to, int64 delta);
static void pairs_collect(MarkovState *st, MarkovTrans *trans);

/*
 * Room for one more channel: a matrix twice as wide, or, past
 * DENSE_MAX_CHANNELS, the hash table of the non-zero counts.
 */
static void
pairs_make_room(MarkovState *st)
{
	int64		npairs = st->dense_nonzero;
	MarkovTrans *trans = palloc(sizeof(MarkovTrans) * Max(npairs, 1));
	int32		newcap = st->dense_cap * 2;
	int64		i;

	pairs_collect(st, trans);
	pfree(st->dense);
	if (newcap <= DENSE_MAX_CHANNELS)
	{
		st->dense = MemoryContextAllocZero(st->ctx,
										   sizeof(int64) * (newcap + 1) * (newcap + 2));
		st->dense_cap = newcap;
	}
	else
	{
		st->dense = NULL;
		st->pairs = markov_pairs_create(st->ctx, Max(16, npairs * 2), NULL);
	}
	st->dense_nonzero = 0;
	for (i = 0; i < npairs; i++)
		pair_add(st, trans[i].from, trans[i].to, trans[i].count);
	pfree(trans);
}

static void
pair_not_found(void)
{
	elog(ERROR, "markov_attribution: removed transition not found in the frame");
}

/* count(from > to) += delta in the hash table; an entry that falls to 0 goes. */
static void
pairs_hash_add(MarkovState *st, int32 from, int32 to, int64 delta)
{
	PairKey		key = {from, to};
	PairEntry  *e;
	bool		found = true;

	if (delta > 0)
		e = markov_pairs_insert(st->pairs, key, &found);
	else
		e = markov_pairs_lookup(st->pairs, key);
	if (delta < 0 && (e == NULL || e->count < -delta))
		pair_not_found();
	e->count = smarkpi_add_count(found ? e->count : 0, delta,
								 "markov_attribution transition count");
	if (e->count == 0)
		markov_pairs_delete(st->pairs, key);
}

/* count(from > to) += delta. */
static inline void
pair_add(MarkovState *st, int32 from, int32 to, int64 delta)
{
	int64	   *cell;
	int64		was;

	if (st->dense == NULL)
	{
		pairs_hash_add(st, from, to, delta);
		return;
	}
	cell = dense_cell(st->dense, st->dense_cap, from, to);
	was = *cell;
	if (delta < 0 && was < -delta)
		pair_not_found();
	if (unlikely(pg_add_s64_overflow(was, delta, cell)))
		(void) smarkpi_add_count(was, delta, "markov_attribution transition count");
	st->dense_nonzero += (was == 0) - (*cell == 0);
}

/* The number of non-zero transition counts. */
static int64
pairs_count(MarkovState *st)
{
	return st->dense ? st->dense_nonzero : (int64) st->pairs->members;
}

/* The non-zero counts, as (from id, to id, count), into trans. */
static void
pairs_collect(MarkovState *st, MarkovTrans *trans)
{
	int32		k = 0;

	if (st->dense)
	{
		/*
		 * the channels seen, but at most the matrix's: pairs_make_room reads
		 * it full
		 */
		int32		nch = Min(st->nids, st->dense_cap);
		int32		from,
					to;

		for (from = ID_START; from < nch; from++)
			for (to = ID_NULL; to < nch; to++)
			{
				int64		n = to == ID_START ? 0 :
					*dense_cell(st->dense, st->dense_cap, from, to);

				if (n == 0)
					continue;
				trans[k].from = from;
				trans[k].to = to;
				trans[k++].count = n;
			}
	}
	else
	{
		markov_pairs_iterator it;
		PairEntry  *e;

		markov_pairs_start_iterate(st->pairs, &it);
		while ((e = markov_pairs_iterate(st->pairs, &it)) != NULL)
		{
			trans[k].from = e->key.from;
			trans[k].to = e->key.to;
			trans[k++].count = e->count;
		}
	}
	Assert(k == pairs_count(st));
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
 * A path's channels, read where the array lies (no deconstruct_array: its
 * two allocations per row cost more than the counting).  The flat array
 * format is stable; text elements are 4-byte aligned varlenas.
 */
#define PATH_ON_STACK 64

/*
 * The channels of a row's path into channels[] (room for PATH_ON_STACK; a
 * longer path gets an allocation), or false when the row is rejected (under
 * smarkpi.invalid_rows): a path must be one-dimensional, without NULL or
 * empty channel names.
 */
static bool
read_path(ArrayType *arr, const text ***channels, int *n)
{
	const char *ptr = ARR_DATA_PTR(arr);
	const bits8 *nulls = ARR_NULLBITMAP(arr);
	int			i;

	if (ARR_NDIM(arr) > 1)
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									"path must be a one-dimensional array",
									psprintf("Got %d dimensions.", ARR_NDIM(arr)));
	*n = ARR_NDIM(arr) == 0 ? 0 : ARR_DIMS(arr)[0];
	if (*n > PATH_ON_STACK)
		*channels = palloc(sizeof(const text *) * *n);
	for (i = 0; i < *n; i++)
	{
		const text *t = (const text *) ptr;

		if (nulls && (nulls[i / 8] & (1 << (i % 8))) == 0)
			return smarkpi_row_rejected(ERRCODE_NULL_VALUE_NOT_ALLOWED,
										"path must not contain NULL channels",
										psprintf("Element %d of the path is NULL.", i + 1));
		if (VARSIZE_ANY_EXHDR(t) == 0)
			return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
										"path must not contain empty channel names",
										psprintf("Element %d of the path is an empty string.",
												 i + 1));
		(*channels)[i] = t;
		ptr = att_addlength_pointer(ptr, -1, ptr);
		ptr = (const char *) att_align_nominal(ptr, TYPALIGN_INT);
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
	const text *on_stack[PATH_ON_STACK];
	const text **channels = on_stack;
	int			n = 0,
				i;
	bool		converted;
	bool		has_value = false;
	NumericParts x;
	int32		from;

	memset(&x, 0, sizeof(x));

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		goto unchanged;
	if (!read_path(PG_GETARG_ARRAYTYPE_P(1), &channels, &n))
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
		int32		to = channel_id(st, VARDATA_ANY(channels[i]),
									VARSIZE_ANY_EXHDR(channels[i]));

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
	int64		npairs = pairs_count(st);
	int32		ntrans;
	MarkovTrans *trans;
	int64		counts[4] = {st->journeys, st->conversions, st->valued, st->value_nmax};
	int32		c = 0,
				i;

	/* refuse before allocating: the summary could not be allocated either */
	if (npairs > MaxAllocSize / sizeof(MarkovTrans))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is too large", MARKOV_TYPNAME),
				 errdetail("%d channels and " INT64_FORMAT " transitions.", st->nids, npairs)));
	index = palloc0(sizeof(int32) * Max(st->nids, 1));	/* id -> 1..C, 0 unused */
	names = palloc(sizeof(char *) * Max(st->nids, 1));
	ntrans = (int32) npairs;
	trans = palloc(sizeof(MarkovTrans) * Max(ntrans, 1));
	pairs_collect(st, trans);

	/* channels that still have transitions, in byte order */
	for (i = 0; i < ntrans; i++)
		if (trans[i].to >= 0 && index[trans[i].to] == 0)
		{
			index[trans[i].to] = 1;
			names[c++] = st->id_name[trans[i].to];
		}
	qsort(names, c, sizeof(char *), smarkpi_markov_cmp_name);
	for (i = 0; i < c; i++)
	{
		NameKey		key = {names[i], (int32) strlen(names[i])};
		NameEntry  *ne = markov_names_lookup(st->names, key);

		index[ne->id] = i + 1;
	}
	/* ids to the summary's numbering: (start) 0, channels 1..c, c + 1, c + 2 */
	for (i = 0; i < ntrans; i++)
	{
		MarkovTrans *t = &trans[i];

		t->from = t->from == ID_START ? 0 : index[t->from];
		t->to = t->to == ID_CONV ? c + 1 : t->to == ID_NULL ? c + 2 : index[t->to];
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
