/*
 * ordered_funnels/window_funnel.c
 *		window_funnel(within, event_at, step[, mode]): the deepest step k an entity
 *		reached in order within a time window; window_funnel_times: the time
 *		from step 1 to each later step of that chain; funnel_counts(depth,
 *		steps): how many entities reached at least each step.
 *
 * Semantics are ClickHouse's windowFunnel, with one step per row instead of
 * one boolean per condition: events are sorted by (ts, step), ties in step
 * order, NULL steps ("other events") first; a chain is steps 1, 2, ..., k at
 * ts1 <= ts2 <= ... <= tsk <= ts1 + window (microseconds, months as 30
 * days).  The scan keeps, for each level reached, the latest chain that
 * reached it (the one with the latest step 1, best for the window); modes:
 *	strict_order			an other event after step 1, a step whose previous
 *							step was never reached, or a step 1 once step 2 was
 *							reached ends the scan;
 *	allow_reentry			(with strict_order) a step 1 after step 2 starts a
 *							new chain instead of ending the scan;
 *	strict_deduplication	a step already reached (other than 1) ends the scan;
 *	strict_increase			each step strictly later than the previous one;
 *	strict_once				each event used once (always true here), and every
 *							chain kept, not only the latest (differs with
 *							strict_increase on tied timestamps).
 * Ending the scan returns the depth reached so far.
 *
 * The state, smarkpi_window_funnel_summary, is one flat value (core/xstate.h)
 * updated in place: the parameters and the list of events (16 bytes each),
 * grown by doubling, sorted once at the final function (in place: the
 * state's content, a multiset, is unchanged, and the sorted flag keeps later
 * calls O(n)); the scan is O(n x steps) at most, O(n) without
 * window_funnel_times.
 */
#include "ordered_funnels/ordered_funnels.h"

#include "catalog/pg_type.h"
#include "core/wire.h"
#include "core/xstate.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/memutils.h"

#define FUNNEL_MAX_EVENTS \
	((int64) ((MaxAllocSize - offsetof(FunnelState, events)) / sizeof(FunnelEvent)))
#define FUNNEL_STATE_SIZE(n) (offsetof(FunnelState, events) + sizeof(FunnelEvent) * (n))
#define FUNNEL_TYPNAME "smarkpi_window_funnel_summary"
#define WINDOW_UNLIMITED PG_INT64_MAX

#define MODE_STRICT_ORDER		0x01
#define MODE_STRICT_DEDUP		0x02
#define MODE_STRICT_INCREASE	0x04
#define MODE_STRICT_ONCE		0x08
#define MODE_ALLOW_REENTRY		0x10
#define MODE_ALL				0x1f

#define VALID_MODES \
	"strict_order, strict_deduplication, strict_increase, strict_once, allow_reentry"

typedef struct FunnelEvent
{
	int64		ts;				/* microseconds */
	int32		step;			/* 1..64, 0 = other event (kept under
								 * strict_order) */
} FunnelEvent;

typedef struct FunnelState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		mode;
	int64		window_us;
	bool		params_null;	/* window or mode NULL: the result is NULL */
	bool		sorted;
	int64		nrows;			/* rows taken, other events included */
	int64		n;
	FunnelEvent events[FLEXIBLE_ARRAY_MEMBER];	/* room for the varlena's size */
} FunnelState;

/* The last mode text parsed by this call site, so each row costs a memcmp. */
typedef struct ModeCache
{
	int			len;
	int32		mode;
	char		str[FLEXIBLE_ARRAY_MEMBER];
} ModeCache;

static const struct
{
	const char *name;
	int32		bit;
}			mode_names[] = {
	{"strict_order", MODE_STRICT_ORDER},
	{"strict_deduplication", MODE_STRICT_DEDUP},
	{"strict_increase", MODE_STRICT_INCREASE},
	{"strict_once", MODE_STRICT_ONCE},
	{"allow_reentry", MODE_ALLOW_REENTRY},
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A comma list of mode names, blanks around names ignored; '' is the default. */
static int32
parse_mode(const char *s, int len)
{
	int32		mode = 0;
	int			i = 0;

	while (i <= len)
	{
		int			start,
					end,
					k;
		bool		found = false;

		while (i < len && is_space(s[i]))
			i++;
		start = i;
		while (i < len && s[i] != ',')
			i++;
		end = i;
		while (end > start && is_space(s[end - 1]))
			end--;
		if (end == start)
		{
			if (i < len || start < len || mode != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("empty mode name in window_funnel mode \"%.*s\"", len, s),
						 errhint("Valid modes, as a comma-separated list: %s.", VALID_MODES)));
			break;
		}
		for (k = 0; k < lengthof(mode_names); k++)
		{
			if (strlen(mode_names[k].name) == (size_t) (end - start) &&
				strncmp(mode_names[k].name, s + start, end - start) == 0)
			{
				mode |= mode_names[k].bit;
				found = true;
			}
		}
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown window_funnel mode \"%.*s\"", end - start, s + start),
					 errhint("Valid modes, as a comma-separated list: %s.", VALID_MODES)));
		i++;					/* past the comma */
	}
	if ((mode & MODE_ALLOW_REENTRY) && !(mode & MODE_STRICT_ORDER))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel mode allow_reentry requires strict_order"),
				 errdetail("Got mode \"%.*s\".", len, s),
				 errhint("Use 'strict_order, allow_reentry'.")));
	return mode;
}

static int32
mode_arg(FunctionCallInfo fcinfo, int argno)
{
	text	   *t;
	int			len;
	ModeCache  *cache = (ModeCache *) fcinfo->flinfo->fn_extra;

	if (PG_NARGS() <= argno)
		return 0;
	t = PG_GETARG_TEXT_PP(argno);
	len = VARSIZE_ANY_EXHDR(t);
	if (cache && cache->len == len && memcmp(cache->str, VARDATA_ANY(t), len) == 0)
		return cache->mode;
	cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, offsetof(ModeCache, str) + len);
	cache->mode = parse_mode(VARDATA_ANY(t), len);
	cache->len = len;
	memcpy(cache->str, VARDATA_ANY(t), len);
	if (fcinfo->flinfo->fn_extra)
		pfree(fcinfo->flinfo->fn_extra);
	fcinfo->flinfo->fn_extra = cache;
	return cache->mode;
}

static int64
window_arg(FunctionCallInfo fcinfo)
{
	Interval   *iv = PG_GETARG_INTERVAL_P(1);
	int128		us;

	if (INTERVAL_NOT_FINITE(iv))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("within must be finite"),
				 errdetail("Got %s.", smarkpi_interval_text(iv)),
				 errhint("Give the time allowed from step 1 to the last step, such as interval '30 "
						 "days'.")));
	us = smarkpi_interval_us(iv);
	if (us < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("within must not be negative"),
				 errdetail("Got %s.", smarkpi_interval_text(iv)),
				 errhint("Give the time allowed from step 1 to the last step, such as interval '30 "
						 "days'.")));
	/* beyond int64 microseconds (292,000 years): no limit */
	return us >= PG_INT64_MAX ? WINDOW_UNLIMITED : (int64) us;
}

static void
check_same_params(const FunnelState *st, bool params_null, int64 window_us, int32 mode)
{
	if (st->params_null != params_null || (!params_null && st->window_us != window_us))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("within must be the same in every row of window_funnel"),
				 params_null || st->params_null ? 0 :
				 errdetail("Got " INT64_FORMAT " microseconds after " INT64_FORMAT ".",
						   window_us, st->window_us),
				 errhint("Pass within and the mode as constants, or group so that each group "
						 "has one of each.")));
	if (!params_null && st->mode != mode)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mode must be the same in every row of window_funnel"),
				 errdetail("The rows of one group give different modes."),
				 errhint("Pass within and the mode as constants, or group so that each group "
						 "has one of each.")));
}

static FunnelState *
funnel_state_new(bool params_null, int64 window_us, int32 mode)
{
	FunnelState *st = smarkpi_flat_new(FUNNEL_STATE_SIZE(8));

	st->params_null = params_null;
	st->window_us = window_us;
	st->mode = mode;
	st->sorted = true;
	return st;
}

/* st with room for extra more events: a new value when it had to grow */
static FunnelState *
reserve(FunctionCallInfo fcinfo, FunnelState *st, int64 extra)
{
	int64		need = st->n + extra;

	if (need > FUNNEL_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many events for window_funnel"),
				 errdetail("At most " INT64_FORMAT " events fit in one group.", FUNNEL_MAX_EVENTS),
				 errhint("Group by the entity whose funnel is measured (a lead, an account), or "
						 "filter the events to the period.")));
	return smarkpi_flat_reserve(fcinfo, st, FUNNEL_STATE_SIZE(st->n), FUNNEL_STATE_SIZE(need));
}

static int
event_cmp(const FunnelEvent *a, const FunnelEvent *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return (a->step > b->step) - (a->step < b->step);
}

static int
event_qsort_cmp(const void *a, const void *b)
{
	return event_cmp(a, b);
}

/*
 * Transition: (state, within, event_at, step[, mode]).  A NULL event_at ignores the row;
 * a NULL step is an other event; a NULL within or mode makes the result NULL.
 */
PG_FUNCTION_INFO_V1(smarkpi_window_funnel_trans);
Datum
smarkpi_window_funnel_trans(PG_FUNCTION_ARGS)
{
	FunnelState *st;
	bool		has_mode = PG_NARGS() > 4;
	bool		params_null = PG_ARGISNULL(1) || (has_mode && PG_ARGISNULL(4));
	int64		window_us = params_null ? 0 : window_arg(fcinfo);
	int32		mode = params_null ? 0 : mode_arg(fcinfo, 4);
	TimestampTz ts;
	int32		step = 0;
	FunnelEvent ev;

	smarkpi_agg_context(fcinfo, "window_funnel transition");
	st = smarkpi_flat_arg(fcinfo, 0);
	if (st == NULL)
		st = funnel_state_new(params_null, window_us, mode);
	else
		check_same_params(st, params_null, window_us, mode);
	if (PG_ARGISNULL(2))
		return smarkpi_flat_result(fcinfo, st);
	ts = PG_GETARG_TIMESTAMPTZ(2);
	if (!smarkpi_row_ts_ok(ts, "event_at"))
		return smarkpi_flat_result(fcinfo, st);
	if (!PG_ARGISNULL(3))
	{
		step = PG_GETARG_INT32(3);
		if (step < 1 || step > FUNNEL_MAX_STEPS)
		{
			smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
								 psprintf("step must be between 1 and %d", FUNNEL_MAX_STEPS),
								 psprintf("Got %d; a row that is no step of the funnel has a NULL "
										  "step.", step));
			return smarkpi_flat_result(fcinfo, st);
		}
	}
	st->nrows = smarkpi_add_count(st->nrows, 1, "window_funnel row count");
	/* other events matter only to strict_order */
	if (step == 0 && !(st->mode & MODE_STRICT_ORDER))
		return smarkpi_flat_result(fcinfo, st);
	ev.ts = ts;
	ev.step = step;
	st = reserve(fcinfo, st, 1);
	if (st->n > 0 && event_cmp(&st->events[st->n - 1], &ev) > 0)
		st->sorted = false;
	st->events[st->n++] = ev;
	return smarkpi_flat_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_window_funnel_combine);
Datum
smarkpi_window_funnel_combine(PG_FUNCTION_ARGS)
{
	FunnelState *st;
	FunnelState *other;

	smarkpi_agg_context(fcinfo, "smarkpi_window_funnel_combine");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);

	if (other == NULL)
		return smarkpi_flat_result(fcinfo, st);
	if (st == NULL)
		st = funnel_state_new(other->params_null, other->window_us, other->mode);
	else
		check_same_params(st, other->params_null, other->window_us, other->mode);
	st->nrows = smarkpi_add_count(st->nrows, other->nrows, "window_funnel row count");
	if (other->n > 0)
	{
		st = reserve(fcinfo, st, other->n);
		memcpy(st->events + st->n, other->events, sizeof(FunnelEvent) * other->n);
		st->sorted = st->sorted && other->sorted &&
			(st->n == 0 || event_cmp(&st->events[st->n - 1], &other->events[0]) <= 0);
		st->n += other->n;
	}
	return smarkpi_flat_result(fcinfo, st);
}

/* ---- outside forms: version, window, mode, params_null, nrows, n, then n (ts, step) ---- */

static bytea *
funnel_send(const void *state)
{
	const FunnelState *st = state;
	StringInfoData buf;
	int64		i;

	smarkpi_wire_begin(&buf);
	pq_sendint64(&buf, st->window_us);
	pq_sendint32(&buf, st->mode);
	pq_sendbyte(&buf, st->params_null ? 1 : 0);
	pq_sendint64(&buf, st->nrows);
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint64(&buf, st->events[i].ts);
		pq_sendint32(&buf, st->events[i].step);
	}
	return pq_endtypsend(&buf);
}

static void *
funnel_recv(StringInfo buf)
{
	const char *what = FUNNEL_TYPNAME;
	FunnelState *st;
	int64		window_us,
				nrows,
				n,
				i;
	int32		mode;
	uint8		params_null;

	window_us = smarkpi_wire_int64(buf, what);
	mode = smarkpi_wire_int32(buf, what);
	params_null = smarkpi_wire_byte(buf, what);
	nrows = smarkpi_wire_int64(buf, what);
	n = smarkpi_wire_int64(buf, what);
	if (window_us < 0 || (mode & ~MODE_ALL) != 0 || params_null > 1 || nrows < n)
		smarkpi_binary_corrupt(what,
							   "Invalid window, mode or counts.");
	smarkpi_wire_check_count(buf, n, SMARKPI_WIRE_INT64 + SMARKPI_WIRE_INT32, true, what);
	if (n > FUNNEL_MAX_EVENTS)
		smarkpi_state_corrupt(what, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "Too many events.");
	st = funnel_state_new(params_null == 1, window_us, mode);
	st = reserve(NULL, st, n);
	st->nrows = nrows;
	for (i = 0; i < n; i++)
	{
		FunnelEvent *e = &st->events[i];

		e->ts = smarkpi_wire_int64(buf, what);
		e->step = smarkpi_wire_int32(buf, what);
		if (e->step < 0 || e->step > FUNNEL_MAX_STEPS || TIMESTAMP_NOT_FINITE(e->ts))
			smarkpi_binary_corrupt(what,
								   "Invalid event.");
		if (i > 0 && event_cmp(&st->events[i - 1], e) > 0)
			st->sorted = false;
	}
	st->n = n;
	return st;
}

static const SmarkpiFlatKind funnel_kind = {FUNNEL_TYPNAME, funnel_send, funnel_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_window_funnel_summary, funnel_kind);

/* ---- the scan ---- */

/* A chain reaching some level: its step-1 and last timestamps, and (for times) every step's. */
typedef struct Chain
{
	bool		set;
	int64		first;
	int64		last;
	int64	   *ts;				/* FUNNEL_MAX_STEPS timestamps, or NULL */
} Chain;

typedef struct Scan
{
	int64		window_us;
	int32		mode;
	int			depth;
	int64	   *times;			/* the first chain that reached depth, or NULL */
	Chain	   *latest;			/* by level 1..max step; [0] unused */
	Chain	   *older;			/* strict_once: best chain ending before
								 * latest */
} Scan;

static void
chain_copy(Chain *to, const Chain *from, int level)
{
	to->set = from->set;
	to->first = from->first;
	to->last = from->last;
	if (to->ts)
		memcpy(to->ts, from->ts, sizeof(int64) * level);
}

/* Whether chain c at some level can be extended by an event at ts. */
static bool
chain_extends(const Scan *sc, const Chain *c, int64 ts)
{
	if (!c->set ||
		(sc->window_us != WINDOW_UNLIMITED && (int128) ts - c->first > sc->window_us))
		return false;
	return !(sc->mode & MODE_STRICT_INCREASE) || c->last < ts;
}

/*
 * Stores a new chain reaching level.  Without strict_once the latest chain
 * replaces the previous one (ClickHouse); with it, the best (latest step 1)
 * chain that ended strictly earlier is kept too, which is all strict_increase
 * can need of the earlier chains.
 */
static void
chain_store(Scan *sc, int level, const Chain *c, int64 ts)
{
	Chain	   *latest = &sc->latest[level];
	int64		first = c ? c->first : ts;

	if ((sc->mode & MODE_STRICT_ONCE) && latest->set)
	{
		if (latest->last < ts)
		{
			Chain	   *older = &sc->older[level];

			if (!older->set || latest->first >= older->first)
				chain_copy(older, latest, level);
		}
		else if (latest->first > first)
			return;				/* same end, the kept one started later */
	}
	latest->set = true;
	latest->first = first;
	latest->last = ts;
	if (latest->ts)
	{
		if (c)
			memcpy(latest->ts, c->ts, sizeof(int64) * (level - 1));
		latest->ts[level - 1] = ts;
	}
	if (level > sc->depth)
	{
		sc->depth = level;
		if (sc->times)
			memcpy(sc->times, latest->ts, sizeof(int64) * level);
	}
}

static void
scan_event(Scan *sc, const FunnelEvent *e, bool *stop)
{
	bool		strict_order = (sc->mode & MODE_STRICT_ORDER) != 0;
	int			s = e->step;

	if (s == 0)
	{
		*stop = sc->depth > 0;	/* only stored under strict_order */
		return;
	}
	if (s == 1)
	{
		if (strict_order && sc->depth >= 2 && !(sc->mode & MODE_ALLOW_REENTRY))
			*stop = true;
		else
			chain_store(sc, 1, NULL, e->ts);
		return;
	}
	if ((sc->mode & MODE_STRICT_DEDUP) && s <= sc->depth)
	{
		*stop = true;
		return;
	}
	if (s - 1 > sc->depth)
	{
		*stop = strict_order && sc->depth > 0;
		return;
	}
	{
		Chain	   *a = &sc->latest[s - 1];
		Chain	   *b = &sc->older[s - 1];
		bool		a_ok = chain_extends(sc, a, e->ts);
		bool		b_ok = (sc->mode & MODE_STRICT_ONCE) && chain_extends(sc, b, e->ts);

		/*
		 * of the chains that can take the event, the one with the latest step
		 * 1
		 */
		if (a_ok || b_ok)
			chain_store(sc, s, (a_ok && (!b_ok || a->first >= b->first)) ? a : b, e->ts);
	}
}

static void
sort_events(FunnelState *st)
{
	if (!st->sorted)
		qsort(st->events, st->n, sizeof(FunnelEvent), event_qsort_cmp);
	st->sorted = true;
}

/*
 * Runs the scan over a state's events; with want_times, *times gets the
 * timestamps of the first chain that reached the final depth.
 */
static int
funnel_depth(FunnelState *st, bool want_times, int64 **times)
{
	Scan		scan = {0};
	Scan	   *sc = &scan;
	int			max_step = 0;
	int64		i;
	bool		stop = false;

	/*
	 * Sorting in place leaves the state's content (a multiset of events) as
	 * it was, so the final function may still be called again (windows).
	 */
	sort_events(st);
	sc->window_us = st->window_us;
	sc->mode = st->mode;
	for (i = 0; i < st->n; i++)
		max_step = Max(max_step, st->events[i].step);
	/* sized by the steps present: most funnels have a handful */
	sc->latest = palloc0(sizeof(Chain) * (max_step + 1));
	sc->older = palloc0(sizeof(Chain) * (max_step + 1));
	if (want_times)
	{
		int			l;

		for (l = 1; l <= max_step; l++)
		{
			sc->latest[l].ts = palloc(sizeof(int64) * l);
			sc->older[l].ts = palloc(sizeof(int64) * l);
		}
		sc->times = palloc(sizeof(int64) * Max(max_step, 1));
	}
	for (i = 0; i < st->n && !stop; i++)
	{
		if ((i & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		scan_event(sc, &st->events[i], &stop);
	}
	if (times)
		*times = sc->times;
	pfree(sc->latest);
	pfree(sc->older);
	return sc->depth;
}

PG_FUNCTION_INFO_V1(smarkpi_window_funnel_final);
Datum
smarkpi_window_funnel_final(PG_FUNCTION_ARGS)
{
	FunnelState *st = smarkpi_flat_arg(fcinfo, 0);

	if (st == NULL || st->params_null || st->nrows == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(funnel_depth(st, false, NULL));
}

PG_FUNCTION_INFO_V1(smarkpi_window_funnel_times_final);
Datum
smarkpi_window_funnel_times_final(PG_FUNCTION_ARGS)
{
	FunnelState *st = smarkpi_flat_arg(fcinfo, 0);
	int64	   *times;
	int			depth,
				k;
	Datum	   *elems;

	if (st == NULL || st->params_null || st->nrows == 0)
		PG_RETURN_NULL();
	depth = funnel_depth(st, true, &times);
	if (depth < 2)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INTERVALOID));
	elems = palloc(sizeof(Datum) * (depth - 1));
	for (k = 1; k < depth; k++)
		elems[k - 1] = IntervalPGetDatum(smarkpi_us_to_interval(times[k] - times[0]));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, depth - 1, INTERVALOID, sizeof(Interval),
										  false, TYPALIGN_DOUBLE));
}
