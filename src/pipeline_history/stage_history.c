/*
 * pipeline_history/stage_history.c
 *		stage_history(changed_at, stage, stages[, as_of]): one deal's stage
 *		changes ("the deal entered stage at changed_at") as a
 *		smarkpi_stage_history; stage_durations(h): time in each stage of
 *		stages, visits and skips; current_stage(h); backward_moves(h).
 *
 * Events are read in time order, two changes at the same instant in the
 * order of stages (so the earlier stage gets 0 days); a row naming the
 * stage the deal is already in continues that visit (CRMs write a history
 * row when the amount or close date changes too).  Rows after as_of are
 * ignored; the stage the deal is in at the end counts up to as_of, and its
 * days are unknown (NULL) without it.
 *
 * The state is one flat value (core/xstate.h): the parameters, the names of
 * stages (each NUL-terminated), then the events (16 bytes each), grown by
 * doubling.  Combine appends (partial states arrive in any order); the
 * final function returns a sorted copy, which the readers use as it is.
 */
#include "pipeline_history/pipeline_history.h"

#include "catalog/pg_type.h"
#include "core/wire.h"
#include "core/xstate.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#define HISTORY_TYPNAME "smarkpi_stage_history"
#define HISTORY_MAX_STAGES 256
#define HISTORY_MAX_NAME 1000
#define US_PER_DAY 86400000000.0

typedef struct StageEvent
{
	int64		ts;				/* microseconds */
	int32		stage;			/* index into stages, 0-based */
	int32		pad;
} StageEvent;

typedef struct StageHistory
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		nstages;
	int32		names_len;		/* bytes of the names block */
	bool		has_as_of;
	bool		params_null;	/* stages or as_of NULL: every reading is NULL */
	bool		sorted;
	int64		as_of;
	int64		nrows;			/* rows taken (changes at or before as_of) */
	int64		n;
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* names, then events at
												 * events_offset() */
} StageHistory;

#define HISTORY_HEADER offsetof(StageHistory, data)
#define HISTORY_MAX_EVENTS ((int64) ((MaxAllocSize - 2 * HISTORY_HEADER - \
										 HISTORY_MAX_STAGES * (HISTORY_MAX_NAME + 1)) \
									  / sizeof(StageEvent)))

/* The stages argument of this call site, parsed once per distinct array. */
typedef struct StagesCache
{
	MemoryContext mcxt;			/* holds the cache; deleted when replaced */
	int32		nbytes;			/* of the array value */
	int32		nstages;
	int32		names_len;
	bool		params_stable;	/* stages and as_of are constants of the query */
	char	   *array;			/* a copy of the array value */
	char	   *names;			/* NUL-terminated names, back to back */
	int32	   *lens;
	const char **name;
} StagesCache;

static Size
events_offset(int32 names_len)
{
	return MAXALIGN(HISTORY_HEADER + names_len);
}

static StageEvent *
history_events(const StageHistory *st)
{
	return (StageEvent *) ((char *) st + events_offset(st->names_len));
}

static Size
history_size(int32 names_len, int64 n)
{
	return events_offset(names_len) + sizeof(StageEvent) * n;
}

static void
stages_error(const char *msg, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", msg),
			 detail ? errdetail("%s", detail) : 0,
			 errhint("Pass the pipeline's stages in order, each once, as one array for the whole "
					 "group, such as ARRAY['discovery', 'demo', 'proposal', 'closed'].")));
}

/* Parses and checks a stages array into cache (allocated in mcxt). */
static void
parse_stages(ArrayType *arr, StagesCache *c, MemoryContext mcxt)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				j;
	StringInfoData names;

	if (ARR_NDIM(arr) > 1)
		stages_error("stages must be a one-dimensional array", NULL);
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n == 0)
		stages_error("stages must not be empty", NULL);
	if (n > HISTORY_MAX_STAGES)
		stages_error(psprintf("stages must have at most %d stages", HISTORY_MAX_STAGES),
					 psprintf("Got %d.", n));
	c->nstages = n;
	c->lens = MemoryContextAlloc(mcxt, sizeof(int32) * n);
	c->name = MemoryContextAlloc(mcxt, sizeof(char *) * n);
	initStringInfo(&names);
	for (i = 0; i < n; i++)
	{
		char	   *s;

		if (nulls[i])
			stages_error("stages must not contain NULL",
						 psprintf("Element %d is NULL.", i + 1));
		s = TextDatumGetCString(elems[i]);
		c->lens[i] = strlen(s);
		if (c->lens[i] == 0 || c->lens[i] > HISTORY_MAX_NAME)
			stages_error(psprintf("a stage name must have 1 to %d bytes", HISTORY_MAX_NAME),
						 psprintf("Element %d has %d.", i + 1, c->lens[i]));
		appendBinaryStringInfo(&names, s, c->lens[i] + 1);
	}
	c->names_len = names.len;
	c->names = MemoryContextAlloc(mcxt, names.len);
	memcpy(c->names, names.data, names.len);
	for (i = 0, j = 0; i < n; j += c->lens[i] + 1, i++)
		c->name[i] = c->names + j;
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(c->name[i], c->name[j]) == 0)
				stages_error("stages must not repeat a stage",
							 psprintf("\"%s\" is element %d and %d.", c->name[i], j + 1, i + 1));
}

static StagesCache *
stages_arg(FunctionCallInfo fcinfo, int argno)
{
	StagesCache *c = (StagesCache *) fcinfo->flinfo->fn_extra;
	ArrayType  *arr;
	int32		nbytes;
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
	MemoryContext cache_mcxt;

	if (c && c->params_stable)
		return c;
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	nbytes = VARSIZE(arr);
	if (c && c->nbytes == nbytes && memcmp(c->array, arr, nbytes) == 0)
		return c;
	/* a new array (groups may alternate between pipelines): replace the cache */
	if (c)
		MemoryContextDelete(c->mcxt);
	fcinfo->flinfo->fn_extra = NULL;
	cache_mcxt = AllocSetContextCreate(mcxt, "smarkpi stages", ALLOCSET_SMALL_SIZES);
	c = MemoryContextAllocZero(cache_mcxt, sizeof(StagesCache));
	c->mcxt = cache_mcxt;
	parse_stages(arr, c, cache_mcxt);
	c->array = MemoryContextAlloc(cache_mcxt, nbytes);
	memcpy(c->array, arr, nbytes);
	c->nbytes = nbytes;
	/* constants cannot change between rows: the per-row checks are skipped */
	c->params_stable = smarkpi_agg_arg_is_constant(fcinfo, argno - 1) &&
		(PG_NARGS() <= argno + 1 || smarkpi_agg_arg_is_constant(fcinfo, argno));
	fcinfo->flinfo->fn_extra = c;
	return c;
}

static void
params_differ(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be the same in every row of stage_history", what),
			 errdetail("The rows of one group give different %s.", what),
			 errhint("Pass stages and as_of as constants, or group so that each group has one of "
					 "each.")));
}

static void
check_same_params(const StageHistory *st, bool params_null, int32 names_len, const char *names,
				  bool has_as_of, int64 as_of)
{
	if (st->params_null != params_null)
		params_differ(has_as_of ? "stages and as_of" : "stages");
	if (params_null)
		return;
	if (st->names_len != names_len || memcmp(st->data, names, names_len) != 0)
		params_differ("stages");
	if (st->has_as_of != has_as_of || st->as_of != as_of)
		params_differ("as_of");
}

static StageHistory *
history_new(bool params_null, int32 nstages, int32 names_len, const char *names, bool has_as_of,
			int64 as_of)
{
	StageHistory *st = smarkpi_flat_new(history_size(names_len, 8));

	st->params_null = params_null;
	st->nstages = nstages;
	st->names_len = names_len;
	if (names_len > 0)
		memcpy(st->data, names, names_len);
	st->has_as_of = has_as_of;
	st->as_of = as_of;
	st->sorted = true;
	return st;
}

/* st with room for extra more events: a new value when it had to grow */
static StageHistory *
reserve(FunctionCallInfo fcinfo, StageHistory *st, int64 extra)
{
	int64		need = st->n + extra;

	if (need > HISTORY_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many stage changes for stage_history"),
				 errdetail("At most " INT64_FORMAT " changes fit in one group.",
						   HISTORY_MAX_EVENTS),
				 errhint("Group by the deal (GROUP BY deal_id).")));
	return smarkpi_flat_reserve(fcinfo, st, history_size(st->names_len, st->n),
								history_size(st->names_len, need));
}

static int
event_cmp(const void *pa, const void *pb)
{
	const StageEvent *a = pa;
	const StageEvent *b = pb;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return (a->stage > b->stage) - (a->stage < b->stage);
}

static int
stage_index(const StagesCache *c, const char *s, int len)
{
	int			i;

	for (i = 0; i < c->nstages; i++)
		if (c->lens[i] == len && memcmp(c->name[i], s, len) == 0)
			return i;
	return -1;
}

static char *
stages_text(const char *names, int32 nstages)
{
	StringInfoData buf;
	const char *p = names;
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < nstages; i++)
	{
		appendStringInfo(&buf, "%s%s", i ? "," : "", p);
		p += strlen(p) + 1;
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

static int64
as_of_arg(FunctionCallInfo fcinfo, int argno)
{
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(argno);

	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite timestamp"),
				 errdetail("Got %s.", TIMESTAMP_IS_NOBEGIN(as_of) ? "-infinity" : "infinity"),
				 errhint("Give the instant the history is read at, such as now().")));
	return as_of;
}

/*
 * Transition: (state, changed_at, stage, stages[, as_of]).  A NULL changed_at
 * or stage ignores the row; NULL stages or as_of make every reading NULL.
 */
PG_FUNCTION_INFO_V1(smarkpi_stage_history_trans);
Datum
smarkpi_stage_history_trans(PG_FUNCTION_ARGS)
{
	StageHistory *st;
	bool		has_as_of = PG_NARGS() > 4;
	bool		params_null = PG_ARGISNULL(3) || (has_as_of && PG_ARGISNULL(4));
	int64		as_of = has_as_of && !params_null ? as_of_arg(fcinfo, 4) : 0;
	StagesCache *c = params_null ? NULL : stages_arg(fcinfo, 3);
	TimestampTz ts;
	text	   *stage;
	int			k;

	smarkpi_agg_context(fcinfo, "stage_history transition");
	st = smarkpi_flat_arg(fcinfo, 0);
	if (st == NULL)
		st = history_new(params_null, c ? c->nstages : 0, c ? c->names_len : 0,
						 c ? c->names : NULL, has_as_of, as_of);
	else if (c == NULL || !c->params_stable)
		check_same_params(st, params_null, c ? c->names_len : 0, c ? c->names : NULL,
						  has_as_of, as_of);
	if (params_null || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return smarkpi_flat_result(fcinfo, st);
	ts = PG_GETARG_TIMESTAMPTZ(1);
	if (!smarkpi_row_ts_ok(ts, "changed_at") || (has_as_of && ts > as_of))
		return smarkpi_flat_result(fcinfo, st);
	stage = PG_GETARG_TEXT_PP(2);
	k = stage_index(c, VARDATA_ANY(stage), VARSIZE_ANY_EXHDR(stage));
	if (k < 0)
	{
		smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
							 psprintf("stage \"%s\" is not one of stages", text_to_cstring(stage)),
							 psprintf("stages are %s.", stages_text(c->names, c->nstages)));
		return smarkpi_flat_result(fcinfo, st);
	}
	st->nrows = smarkpi_add_count(st->nrows, 1, "stage_history row count");
	st = reserve(fcinfo, st, 1);
	{
		StageEvent *ev = history_events(st);
		StageEvent	e = {ts, k, 0};

		if (st->n > 0 && event_cmp(&ev[st->n - 1], &e) > 0)
			st->sorted = false;
		ev[st->n++] = e;
	}
	return smarkpi_flat_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_stage_history_combine);
Datum
smarkpi_stage_history_combine(PG_FUNCTION_ARGS)
{
	StageHistory *st;
	StageHistory *other;

	smarkpi_agg_context(fcinfo, "smarkpi_stage_history_combine");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);
	if (other == NULL)
		return smarkpi_flat_result(fcinfo, st);
	if (st == NULL)
		st = history_new(other->params_null, other->nstages, other->names_len, other->data,
						 other->has_as_of, other->as_of);
	else
		check_same_params(st, other->params_null, other->names_len, other->data,
						  other->has_as_of, other->as_of);
	st->nrows = smarkpi_add_count(st->nrows, other->nrows, "stage_history row count");
	if (other->n > 0)
	{
		StageEvent *oev = history_events(other);

		st = reserve(fcinfo, st, other->n);
		memcpy(history_events(st) + st->n, oev, sizeof(StageEvent) * other->n);
		/* partial states arrive in any order: the readers merge by time */
		st->sorted = st->sorted && other->sorted &&
			(st->n == 0 || event_cmp(&history_events(st)[st->n - 1], &oev[0]) <= 0);
		st->n += other->n;
	}
	return smarkpi_flat_result(fcinfo, st);
}

/* A sorted copy of st in the current memory context. */
static StageHistory *
history_sorted_copy(const StageHistory *st)
{
	Size		size = history_size(st->names_len, st->n);
	StageHistory *copy = palloc(size);

	memcpy(copy, st, size);
	SET_VARSIZE(copy, size);
	if (!copy->sorted)
		qsort(history_events(copy), copy->n, sizeof(StageEvent), event_cmp);
	copy->sorted = true;
	return copy;
}

/* The aggregate's value: a sorted copy (the state may still grow in a window). */
PG_FUNCTION_INFO_V1(smarkpi_stage_history_final);
Datum
smarkpi_stage_history_final(PG_FUNCTION_ARGS)
{
	StageHistory *st = smarkpi_flat_arg(fcinfo, 0);

	/* no row taken (none, only ignored or skipped ones, NULL parameters) */
	if (st == NULL || st->nrows == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(history_sorted_copy(st));
}

/* ---- outside forms: version, stages, as_of, flags, nrows, n, then n (ts, stage) ---- */

static bytea *
history_send(const void *state)
{
	const StageHistory *st = state;
	const StageEvent *ev = history_events(st);
	const char *p = st->data;
	StringInfoData buf;
	int64		i;

	smarkpi_wire_begin(&buf);
	pq_sendbyte(&buf, st->params_null ? 1 : 0);
	pq_sendbyte(&buf, st->has_as_of ? 1 : 0);
	pq_sendint64(&buf, st->as_of);
	pq_sendint32(&buf, st->nstages);
	for (i = 0; i < st->nstages; i++)
	{
		int32		len = strlen(p);

		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, p, len);
		p += len + 1;
	}
	pq_sendint64(&buf, st->nrows);
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint64(&buf, ev[i].ts);
		pq_sendint32(&buf, ev[i].stage);
	}
	return pq_endtypsend(&buf);
}

/* The names block of a binary form, checked as parse_stages checks an argument. */
static char *
recv_names(StringInfo buf, int32 nstages, int32 *names_len)
{
	const char *what = HISTORY_TYPNAME;
	StringInfoData names;
	const char **name = palloc(sizeof(char *) * Max(nstages, 1));
	int			i,
				j;

	initStringInfo(&names);
	for (i = 0; i < nstages; i++)
	{
		int32		len = smarkpi_wire_int32(buf, what);
		char	   *s;

		if (len < 1 || len > HISTORY_MAX_NAME)
			smarkpi_binary_corrupt(HISTORY_TYPNAME, "Invalid stage name length.");
		s = smarkpi_wire_cstring(buf, len, what);
		if ((int32) strlen(s) != len)
			smarkpi_binary_corrupt(HISTORY_TYPNAME, "A stage name contains a NUL byte.");
		for (j = 0; j < i; j++)
			if (strcmp(name[j], s) == 0)
				smarkpi_binary_corrupt(HISTORY_TYPNAME, "A stage is repeated.");
		name[i] = s;
		appendBinaryStringInfo(&names, s, len + 1);
	}
	*names_len = names.len;
	return names.data;
}

static void *
history_recv(StringInfo buf)
{
	const char *what = HISTORY_TYPNAME;
	StageHistory *st;
	StageEvent *ev;
	int			params_null = smarkpi_wire_byte(buf, what);
	int			has_as_of = smarkpi_wire_byte(buf, what);
	int64		as_of = smarkpi_wire_int64(buf, what);
	int32		nstages = smarkpi_wire_int32(buf, what);
	int32		names_len;
	char	   *names;
	int64		nrows,
				n,
				i;

	if (params_null > 1 || has_as_of > 1 || nstages < 0 || nstages > HISTORY_MAX_STAGES ||
		(params_null == 0 && nstages == 0) || (has_as_of && TIMESTAMP_NOT_FINITE(as_of)))
		smarkpi_binary_corrupt(HISTORY_TYPNAME, "Invalid flags, as_of or number of stages.");
	names = recv_names(buf, nstages, &names_len);
	nrows = smarkpi_wire_int64(buf, what);
	n = smarkpi_wire_int64(buf, what);
	if (nrows < n || n < 0 || (params_null && n > 0))
		smarkpi_binary_corrupt(HISTORY_TYPNAME, "Invalid counts.");
	smarkpi_wire_check_count(buf, n, SMARKPI_WIRE_INT64 + SMARKPI_WIRE_INT32, true, what);
	if (n > HISTORY_MAX_EVENTS)
		smarkpi_state_corrupt(what, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "Too many changes.");
	st = history_new(params_null == 1, nstages, names_len, names, has_as_of == 1, as_of);
	st = reserve(NULL, st, n);
	st->nrows = nrows;
	ev = history_events(st);
	for (i = 0; i < n; i++)
	{
		ev[i].ts = smarkpi_wire_int64(buf, what);
		ev[i].stage = smarkpi_wire_int32(buf, what);
		ev[i].pad = 0;
		if (ev[i].stage < 0 || ev[i].stage >= nstages || TIMESTAMP_NOT_FINITE(ev[i].ts) ||
			(has_as_of && ev[i].ts > as_of))
			smarkpi_binary_corrupt(HISTORY_TYPNAME, "Invalid stage change.");
		if (i > 0 && event_cmp(&ev[i - 1], &ev[i]) > 0)
			st->sorted = false;
	}
	st->n = n;
	return st;
}

static const SmarkpiFlatKind history_kind = {HISTORY_TYPNAME, history_send, history_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_stage_history, history_kind);

/* ---- reading a history ---- */

typedef struct StageWalk
{
	int32		nstages;
	int64	   *entered;		/* first entry, or -1 */
	int64	   *exited;			/* last exit, or -1 */
	int64	   *us;				/* time in the stage over all visits */
	int32	   *visits;
	int			current;		/* stage at the end, -1 for none */
	bool		current_known;	/* its time is known (as_of given) */
	int32		backward;
	int			deepest;		/* the latest stage in stages' order entered */
} StageWalk;

/* The argument's history, sorted (a copy when it came unsorted), or NULL. */
static StageHistory *
history_arg(FunctionCallInfo fcinfo)
{
	StageHistory *st = smarkpi_flat_arg(fcinfo, 0);

	if (st == NULL || st->params_null)
		return NULL;
	return st->sorted ? st : history_sorted_copy(st);
}

static void
walk_history(const StageHistory *st, StageWalk *w)
{
	const StageEvent *ev = history_events(st);
	int64		since = 0;
	int64		i;
	int			k;

	w->nstages = st->nstages;
	w->entered = palloc(sizeof(int64) * st->nstages);
	w->exited = palloc(sizeof(int64) * st->nstages);
	w->us = palloc0(sizeof(int64) * st->nstages);
	w->visits = palloc0(sizeof(int32) * st->nstages);
	for (k = 0; k < st->nstages; k++)
		w->entered[k] = w->exited[k] = -1;
	w->current = -1;
	w->backward = 0;
	w->deepest = -1;
	for (i = 0; i < st->n; i++)
	{
		int			s = ev[i].stage;

		if (s == w->current)
			continue;			/* a row within the same visit */
		if (w->current >= 0)
		{
			w->us[w->current] += ev[i].ts - since;
			w->exited[w->current] = ev[i].ts;
			if (s < w->current)
				w->backward++;
		}
		if (w->visits[s]++ == 0)
			w->entered[s] = ev[i].ts;
		since = ev[i].ts;
		w->current = s;
		w->deepest = Max(w->deepest, s);
	}
	w->current_known = st->has_as_of;
	if (w->current >= 0 && st->has_as_of)
		w->us[w->current] += st->as_of - since;
}

static const char *
stage_name(const StageHistory *st, int k)
{
	const char *p = st->data;

	while (k-- > 0)
		p += strlen(p) + 1;
	return p;
}

PG_FUNCTION_INFO_V1(smarkpi_stage_durations);
Datum
smarkpi_stage_durations(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	StageHistory *st;
	StageWalk	w;
	const char *name;
	int			k;

	/* the expected row type: no catalog lookup per deal */
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	st = history_arg(fcinfo);
	if (st == NULL)
		return (Datum) 0;
	walk_history(st, &w);
	name = st->data;
	for (k = 0; k < st->nstages; k++)
	{
		Datum		values[7];
		bool		nulls[7] = {false};
		bool		in_it = k == w.current;

		values[0] = CStringGetTextDatum(name);
		values[1] = Int32GetDatum(k + 1);
		values[2] = TimestampTzGetDatum(w.entered[k]);
		nulls[2] = w.visits[k] == 0;
		values[3] = TimestampTzGetDatum(w.exited[k]);
		nulls[3] = w.visits[k] == 0 || in_it;
		values[4] = Float8GetDatum((double) w.us[k] / US_PER_DAY);
		nulls[4] = w.visits[k] == 0 || (in_it && !w.current_known);
		values[5] = Int32GetDatum(w.visits[k]);
		values[6] = BoolGetDatum(w.visits[k] == 0 && w.deepest > k);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		name += strlen(name) + 1;
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(smarkpi_current_stage);
Datum
smarkpi_current_stage(PG_FUNCTION_ARGS)
{
	StageHistory *st = history_arg(fcinfo);
	StageEvent *ev;

	if (st == NULL || st->n == 0)
		PG_RETURN_NULL();
	ev = history_events(st);
	PG_RETURN_TEXT_P(cstring_to_text(stage_name(st, ev[st->n - 1].stage)));
}

PG_FUNCTION_INFO_V1(smarkpi_backward_moves);
Datum
smarkpi_backward_moves(PG_FUNCTION_ARGS)
{
	StageHistory *st = history_arg(fcinfo);
	StageWalk	w;

	if (st == NULL)
		PG_RETURN_NULL();
	walk_history(st, &w);
	PG_RETURN_INT32(w.backward);
}
