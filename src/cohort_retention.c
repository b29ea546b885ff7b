/*
 * cohort_retention.c
 *		cohort_retention(customer_id, active_at, period, observed_until[,
 *		time_zone]): activity rows as a smarkpi_cohort_retention;
 *		retention_matrix(r[, mode]): of each acquisition cohort, how many
 *		were active N periods later; rollup(smarkpi_cohort_retention).
 *
 * Periods are days, ISO weeks (from Monday) or months of the calendar of
 * time_zone (UTC unless given), never of the session's TimeZone.  A
 * customer's cohort is the period of their first activity up to
 * observed_until; offset 0 is that period.  At offset k a customer is
 * eligible when period cohort + k has ended by observed_until (never lost
 * before then), and retained when active in that period (mode on) or in
 * any period from it on (on_or_after).
 *
 * The state is one flat value (core/xstate.h): the parameters, then
 * (customer, period, count) entries appended as rows come (count 1) and go
 * (-1: a moving frame's inverse), compacted (sorted, counts merged, zeros
 * dropped) whenever they double, so a row costs O(log n) amortized.  The
 * reader counts a (customer, period) once when its count is positive, so
 * a customer active in two summaries is merged, not added.
 */
#include "smarkpi.h"

#include "core/wire.h"
#include "core/xstate.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"

#define COHORT_TYPNAME "smarkpi_cohort_retention"
#define TZ_NAME_SIZE 64
#define COMPACT_MIN 1024
/* 2000-01-03, the first Monday of the PostgreSQL epoch, is day 2 */
#define FIRST_MONDAY 2

typedef enum
{
	PERIOD_DAY = 1, PERIOD_WEEK = 2, PERIOD_MONTH = 3
} PeriodKind;

typedef struct CohortEntry
{
	int64		customer;
	int64		count;
	int32		period;			/* index: days, weeks or months from 2000 */
	int32		pad;			/* zero */
} CohortEntry;

typedef struct CohortState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int16		kind;			/* PeriodKind */
	bool		compacted;		/* entries sorted, merged, no zero count */
	char		time_zone[TZ_NAME_SIZE];	/* canonical name, NUL-terminated */
	int64		observed_until;
	int64		n;
	int64		compacted_n;	/* entries after the last compaction */
	CohortEntry entries[FLEXIBLE_ARRAY_MEMBER];
} CohortState;

#define COHORT_SIZE(n) (offsetof(CohortState, entries) + sizeof(CohortEntry) * (n))
#define COHORT_MAX_ENTRIES \
	((int64) ((MaxAllocSize - offsetof(CohortState, entries)) / sizeof(CohortEntry)))

/* The parameters of one call site, parsed when they change. */
typedef struct CohortParams
{
	char		period_text[16];
	char		zone_text[TZ_STRLEN_MAX + 1];
	PeriodKind	kind;
	pg_tz	   *tz;
	char		time_zone[TZ_NAME_SIZE];
} CohortParams;

static void
param_error(const char *msg, const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", msg),
			 detail ? errdetail("%s", detail) : 0,
			 errhint("%s", hint)));
}

static PeriodKind
period_kind(const char *s)
{
	if (pg_strcasecmp(s, "day") == 0)
		return PERIOD_DAY;
	if (pg_strcasecmp(s, "week") == 0)
		return PERIOD_WEEK;
	if (pg_strcasecmp(s, "month") == 0)
		return PERIOD_MONTH;
	param_error(psprintf("period \"%s\" is not recognized", s), NULL,
				"Use day, week (ISO, from Monday) or month.");
	return PERIOD_DAY;
}

static pg_tz *
zone_of(const char *name)
{
	pg_tz	   *tz = strlen(name) <= TZ_STRLEN_MAX ? pg_tzset(name) : NULL;

	if (tz == NULL)
		param_error(psprintf("time zone \"%s\" is not recognized", name), NULL,
					"Use a name of the time zone database, such as UTC or Europe/Berlin.");
	if (strlen(pg_get_timezone_name(tz)) >= TZ_NAME_SIZE)
		param_error(psprintf("time zone name \"%s\" is too long", name), NULL,
					"Use a name of at most 63 bytes.");
	return tz;
}

/* t holds exactly the characters of s */
static bool
text_is(const text *t, const char *s)
{
	size_t		len = VARSIZE_ANY_EXHDR(t);

	return strlen(s) == len && memcmp(VARDATA_ANY(t), s, len) == 0;
}

/* The period and time zone arguments, parsed once per distinct value. */
static CohortParams *
params_arg(FunctionCallInfo fcinfo, text *period, text *zone)
{
	CohortParams *p = (CohortParams *) fcinfo->flinfo->fn_extra;
	char	   *ps;
	char	   *zs;

	/* every row: compared in place, converted only when they change */
	if (p && text_is(period, p->period_text) &&
		(zone ? text_is(zone, p->zone_text) : strcmp(p->zone_text, "UTC") == 0))
		return p;
	ps = text_to_cstring(period);
	zs = zone ? text_to_cstring(zone) : "UTC";
	if (p == NULL)
		p = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CohortParams));
	fcinfo->flinfo->fn_extra = NULL;
	p->kind = period_kind(ps);
	p->tz = zone_of(zs);
	strlcpy(p->period_text, ps, sizeof(p->period_text));
	strlcpy(p->zone_text, zs, sizeof(p->zone_text));
	strlcpy(p->time_zone, pg_get_timezone_name(p->tz), sizeof(p->time_zone));
	fcinfo->flinfo->fn_extra = p;
	return p;
}

static int32
floor_div(int64 a, int64 b)
{
	return (int32) (a >= 0 ? a / b : -((-a + b - 1) / b));
}

/* The period (index) of ts in the calendar of tz. */
static int32
period_of(TimestampTz ts, PeriodKind kind, pg_tz *tz)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			offset;
	int64		day;

	if (timestamp2tm(ts, &offset, &tm, &fsec, NULL, tz) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	if (kind == PERIOD_MONTH)
		return (int32) ((tm.tm_year - 2000) * 12 + tm.tm_mon - 1);
	day = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
	return kind == PERIOD_DAY ? (int32) day : floor_div(day - FIRST_MONDAY, 7);
}

/* The first day of a period, as a date. */
static DateADT
period_start(int32 period, PeriodKind kind)
{
	int32		year;

	if (kind == PERIOD_DAY)
		return period;
	if (kind == PERIOD_WEEK)
		return period * 7 + FIRST_MONDAY;
	year = floor_div(period, 12);
	return date2j(2000 + year, period - year * 12 + 1, 1) - POSTGRES_EPOCH_JDATE;
}

static CohortState *
cohort_new(PeriodKind kind, const char *time_zone, int64 observed_until)
{
	CohortState *st = smarkpi_flat_new(COHORT_SIZE(16));

	st->kind = kind;
	strlcpy(st->time_zone, time_zone, TZ_NAME_SIZE);
	st->observed_until = observed_until;
	st->compacted = true;
	return st;
}

static void
check_same_params(const CohortState *st, PeriodKind kind, const char *time_zone,
				  int64 observed_until)
{
	if (st->kind != kind || strcmp(st->time_zone, time_zone) != 0 ||
		st->observed_until != observed_until)
		param_error("period, observed_until and time_zone must be the same in every row of "
					"cohort_retention",
					psprintf("Got %s in %s to %s after %s in %s to %s.",
							 kind == PERIOD_DAY ? "day" : kind == PERIOD_WEEK ? "week" : "month",
							 time_zone, pstrdup(timestamptz_to_str(observed_until)),
							 st->kind == PERIOD_DAY ? "day" :
							 st->kind == PERIOD_WEEK ? "week" : "month",
							 st->time_zone, pstrdup(timestamptz_to_str(st->observed_until))),
					"Pass them as constants of the query; roll up only summaries made with the "
					"same ones.");
}

static int
entry_cmp(const void *pa, const void *pb)
{
	const CohortEntry *a = pa;
	const CohortEntry *b = pb;

	if (a->customer != b->customer)
		return a->customer < b->customer ? -1 : 1;
	return (a->period > b->period) - (a->period < b->period);
}

/* Sorts entries, merges the counts of each (customer, period), drops zeros. */
static int64
compact_entries(CohortEntry *e, int64 n)
{
	int64		i,
				out = 0;

	qsort(e, n, sizeof(CohortEntry), entry_cmp);
	for (i = 0; i < n; i++)
	{
		if (out > 0 && entry_cmp(&e[out - 1], &e[i]) == 0)
		{
			e[out - 1].count = smarkpi_add_count(e[out - 1].count, e[i].count,
												 "cohort_retention activity count");
			continue;
		}
		if (out > 0 && e[out - 1].count == 0)
			out--;
		e[out++] = e[i];
	}
	if (out > 0 && e[out - 1].count == 0)
		out--;
	return out;
}

static void
compact(CohortState *st)
{
	st->n = compact_entries(st->entries, st->n);
	st->compacted_n = st->n;
	st->compacted = true;
}

/* st with count more entries appended from e (negated when sign < 0) */
static CohortState *
append(FunctionCallInfo fcinfo, CohortState *st, const CohortEntry *e, int64 count, int sign)
{
	int64		i;

	if (st->n + count > Max(2 * st->compacted_n, COMPACT_MIN))
		compact(st);
	if (st->n + count > COHORT_MAX_ENTRIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct customer periods for cohort_retention"),
				 errdetail("At most " INT64_FORMAT " fit in one group.", COHORT_MAX_ENTRIES),
				 errhint("Use a longer period, or group the activity.")));
	st = smarkpi_flat_reserve(fcinfo, st, COHORT_SIZE(st->n), COHORT_SIZE(st->n + count));
	for (i = 0; i < count; i++)
	{
		CohortEntry *to = &st->entries[st->n];

		*to = e[i];
		to->count = sign < 0 ? -e[i].count : e[i].count;
		if (st->n > 0 && entry_cmp(&st->entries[st->n - 1], to) >= 0)
			st->compacted = false;
		st->n++;
	}
	return st;
}

/*
 * Transition: (state, customer_id, active_at, period, observed_until[,
 * time_zone]); sign -1 takes the row away.  Rows with a NULL argument, or
 * active after observed_until, are ignored.
 */
static Datum
cohort_step(FunctionCallInfo fcinfo, int sign)
{
	CohortState *st;
	CohortParams *p;
	TimestampTz active_at,
				observed_until;
	CohortEntry e = {0};
	int			i;

	smarkpi_agg_context(fcinfo, "cohort_retention transition");
	st = smarkpi_flat_arg(fcinfo, 0);
	for (i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			return smarkpi_flat_result(fcinfo, st);
	observed_until = PG_GETARG_TIMESTAMPTZ(4);
	if (TIMESTAMP_NOT_FINITE(observed_until))
		param_error("observed_until must be finite",
					psprintf("Got %s.",
							 TIMESTAMP_IS_NOBEGIN(observed_until) ? "-infinity" : "infinity"),
					"Give the instant the activity is read at, such as now().");
	p = params_arg(fcinfo, PG_GETARG_TEXT_PP(3), PG_NARGS() > 5 ? PG_GETARG_TEXT_PP(5) : NULL);
	if (st == NULL)
		st = cohort_new(p->kind, p->time_zone, observed_until);
	else
		check_same_params(st, p->kind, p->time_zone, observed_until);
	active_at = PG_GETARG_TIMESTAMPTZ(2);
	if (!smarkpi_row_ts_ok(active_at, "active_at") || active_at > observed_until)
		return smarkpi_flat_result(fcinfo, st);
	e.customer = PG_GETARG_INT64(1);
	e.period = period_of(active_at, p->kind, p->tz);
	e.count = 1;
	st = append(fcinfo, st, &e, 1, sign);
	return smarkpi_flat_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_cohort_retention_trans);
Datum
smarkpi_cohort_retention_trans(PG_FUNCTION_ARGS)
{
	return cohort_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_cohort_retention_inv);
Datum
smarkpi_cohort_retention_inv(PG_FUNCTION_ARGS)
{
	return cohort_step(fcinfo, -1);
}

/* (state, summary): rollup's transition (sign 1), inverse (-1) and combine */
static Datum
merge_step(FunctionCallInfo fcinfo, int sign)
{
	CohortState *st;
	CohortState *other;

	smarkpi_agg_context(fcinfo, "cohort_retention rollup");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);
	if (other == NULL)
		return smarkpi_flat_result(fcinfo, st);
	if (st == NULL)
		st = cohort_new(other->kind, other->time_zone, other->observed_until);
	else
		check_same_params(st, other->kind, other->time_zone, other->observed_until);
	if (other->n > 0)
		st = append(fcinfo, st, other->entries, other->n, sign);
	return smarkpi_flat_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_cohort_retention_combine);
Datum
smarkpi_cohort_retention_combine(PG_FUNCTION_ARGS)
{
	return merge_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_cohort_retention_rollup_inv);
Datum
smarkpi_cohort_retention_rollup_inv(PG_FUNCTION_ARGS)
{
	return merge_step(fcinfo, -1);
}

/*
 * A compacted copy of st in the current memory context, each (customer,
 * period) present once with count 1: a summary is a set of activity, so
 * the same activity summarized twice gives the same value.
 */
static CohortState *
compacted_copy(const CohortState *st)
{
	Size		size = COHORT_SIZE(st->n);
	CohortState *copy = palloc(size);
	int64		i,
				out = 0;

	memcpy(copy, st, size);
	if (!copy->compacted)
		compact(copy);
	for (i = 0; i < copy->n; i++)
		if (copy->entries[i].count > 0)
		{
			copy->entries[out] = copy->entries[i];
			copy->entries[out++].count = 1;
		}
	copy->n = copy->compacted_n = out;
	SET_VARSIZE(copy, COHORT_SIZE(copy->n));
	return copy;
}

/* The aggregates' value: a compacted copy (the state may still change in a window). */
PG_FUNCTION_INFO_V1(smarkpi_cohort_retention_final);
Datum
smarkpi_cohort_retention_final(PG_FUNCTION_ARGS)
{
	CohortState *st = smarkpi_flat_arg(fcinfo, 0);

	if (st == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(compacted_copy(st));
}

/* ---- outside forms: version, kind, zone, observed_until, n, n (customer, period, count) ---- */

static bytea *
cohort_send(const void *state)
{
	const CohortState *st = state;
	StringInfoData buf;
	int32		len = strlen(st->time_zone);
	int64		i;

	smarkpi_wire_begin(&buf);
	pq_sendbyte(&buf, st->kind);
	pq_sendint32(&buf, len);
	pq_sendbytes(&buf, st->time_zone, len);
	pq_sendint64(&buf, st->observed_until);
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint64(&buf, st->entries[i].customer);
		pq_sendint32(&buf, st->entries[i].period);
		pq_sendint64(&buf, st->entries[i].count);
	}
	return pq_endtypsend(&buf);
}

static void *
cohort_recv(StringInfo buf)
{
	const char *what = COHORT_TYPNAME;
	int			kind = smarkpi_wire_byte(buf, what);
	int32		len = smarkpi_wire_int32(buf, what);
	char	   *zone;
	pg_tz	   *tz;
	int64		observed_until,
				n,
				i;
	CohortState *st;

	if (kind < PERIOD_DAY || kind > PERIOD_MONTH || len < 1 || len >= TZ_NAME_SIZE)
		smarkpi_binary_corrupt(COHORT_TYPNAME, "Invalid period or time zone.");
	zone = smarkpi_wire_cstring(buf, len, what);
	tz = (int32) strlen(zone) == len ? pg_tzset(zone) : NULL;
	if (tz == NULL || strcmp(pg_get_timezone_name(tz), zone) != 0)
		smarkpi_binary_corrupt(COHORT_TYPNAME, "Invalid time zone.");
	observed_until = smarkpi_wire_int64(buf, what);
	n = smarkpi_wire_int64(buf, what);
	if (TIMESTAMP_NOT_FINITE(observed_until) || !IS_VALID_TIMESTAMP(observed_until) || n < 0)
		smarkpi_binary_corrupt(COHORT_TYPNAME, "Invalid observed_until or entry count.");
	smarkpi_wire_check_count(buf, n, 2 * SMARKPI_WIRE_INT64 + SMARKPI_WIRE_INT32, true, what);
	if (n > COHORT_MAX_ENTRIES)
		smarkpi_state_corrupt(what, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "Too many entries.");
	st = cohort_new(kind, zone, observed_until);
	st = smarkpi_flat_reserve(NULL, st, COHORT_SIZE(0), COHORT_SIZE(n));
	for (i = 0; i < n; i++)
	{
		CohortEntry *e = &st->entries[i];

		e->customer = smarkpi_wire_int64(buf, what);
		e->period = smarkpi_wire_int32(buf, what);
		e->count = smarkpi_wire_int64(buf, what);
		if (e->count == 0 || e->period > period_of(observed_until, kind, tz))
			smarkpi_binary_corrupt(COHORT_TYPNAME, "Invalid entry.");
		if (i > 0 && entry_cmp(&st->entries[i - 1], e) >= 0)
			st->compacted = false;
	}
	st->n = n;
	st->compacted_n = n;
	return st;
}

static const SmarkpiFlatKind cohort_kind = {COHORT_TYPNAME, cohort_send, cohort_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_cohort_retention, cohort_kind);

/* ---- the matrix ---- */

/* cells of one matrix at most: 128 MB of counts */
#define MATRIX_MAX_CELLS (16 * 1024 * 1024)

/* One cohort's counts: retained per offset 0 .. last - cohort. */
typedef struct CohortRow
{
	int32		cohort;
	int64		size;
	int64	   *retained;		/* NULL for a cohort whose period has not
								 * ended */
	int32		noffsets;
} CohortRow;

static bool
mode_on_or_after(FunctionCallInfo fcinfo)
{
	char	   *mode;

	if (PG_NARGS() < 2)
		return false;
	mode = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (pg_strcasecmp(mode, "on") == 0)
		return false;
	if (pg_strcasecmp(mode, "on_or_after") == 0)
		return true;
	param_error(psprintf("mode \"%s\" is not recognized", mode), NULL,
				"Use on (retained when active in the period) or on_or_after (in it or any later "
				"one).");
	return false;
}

/* Finds or adds the row of cohort c; rows are added in increasing cohort order. */
static CohortRow *
cohort_row(CohortRow **rows, int *nrows, int *cap, int64 *cells, int32 c, int32 last)
{
	int			lo = 0,
				hi = *nrows;
	CohortRow  *r;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if ((*rows)[mid].cohort < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < *nrows && (*rows)[lo].cohort == c)
		return &(*rows)[lo];
	if (*nrows == *cap)
	{
		*cap *= 2;
		*rows = repalloc_huge(*rows, sizeof(CohortRow) * *cap);
	}
	memmove(&(*rows)[lo + 1], &(*rows)[lo], sizeof(CohortRow) * (*nrows - lo));
	(*nrows)++;
	r = &(*rows)[lo];
	r->cohort = c;
	r->size = 0;
	r->noffsets = c <= last ? (int32) Min((int64) last - c + 1, PG_INT32_MAX) : 0;
	*cells += r->noffsets + 1;
	if (*cells > MATRIX_MAX_CELLS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention matrix too large"),
				 errdetail("Its cohorts and offsets exceed %d cells.", MATRIX_MAX_CELLS),
				 errhint("Use a longer period, or leave out activity long before the cohorts of "
						 "interest.")));
	r->retained = r->noffsets > 0 ?
		MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int64) * (r->noffsets + 1)) : NULL;
	if (r->retained)
		memset(r->retained, 0, sizeof(int64) * (r->noffsets + 1));
	return r;
}

/*
 * One customer's periods (sorted, distinct, count > 0): on adds 1 at each
 * active offset; on_or_after adds 1 at offsets 0 .. the last active one,
 * as a difference (+1 at 0, -1 past the end) summed up afterwards.
 */
static void
count_customer(CohortRow *r, const int32 *periods, int np, bool on_or_after)
{
	int			i;

	r->size++;
	if (r->retained == NULL)
		return;
	if (on_or_after)
	{
		int64		end = Min((int64) periods[np - 1] - r->cohort, (int64) r->noffsets - 1);

		r->retained[0]++;
		r->retained[end + 1]--;
		return;
	}
	for (i = 0; i < np; i++)
		if ((int64) periods[i] - r->cohort < r->noffsets)
			r->retained[periods[i] - r->cohort]++;
}

static void
put_row(ReturnSetInfo *rsinfo, PeriodKind kind, int32 cohort, int32 offset, int64 size,
		int64 eligible, int64 retained)
{
	Datum		values[6];
	bool		nulls[6] = {false};

	values[0] = DateADTGetDatum(period_start(cohort, kind));
	values[1] = Int32GetDatum(offset);
	values[2] = Int64GetDatum(size);
	values[3] = Int64GetDatum(eligible);
	values[4] = Int64GetDatum(retained);
	values[5] = Float8GetDatum(eligible > 0 ? (double) retained / eligible : 0);
	nulls[5] = eligible == 0;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

PG_FUNCTION_INFO_V1(smarkpi_retention_matrix);
Datum
smarkpi_retention_matrix(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		on_or_after = mode_on_or_after(fcinfo);
	CohortState *st;
	pg_tz	   *tz;
	int32		last;
	int32	   *periods;
	CohortRow  *rows;
	int			nrows = 0,
				cap = 64;
	int64		cells = 0,
				i,
				start;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	st = compacted_copy(smarkpi_flat_arg(fcinfo, 0));
	tz = zone_of(st->time_zone);
	/* the last period that has ended by observed_until */
	last = period_of(st->observed_until, st->kind, tz) - 1;
	periods = palloc(sizeof(int32) * Max(st->n, 1));
	rows = palloc(sizeof(CohortRow) * cap);
	for (start = 0; start < st->n;)
	{
		int			np = 0;

		CHECK_FOR_INTERRUPTS();
		for (i = start; i < st->n && st->entries[i].customer == st->entries[start].customer; i++)
			if (st->entries[i].count > 0)
				periods[np++] = st->entries[i].period;
		if (np > 0)
			count_customer(cohort_row(&rows, &nrows, &cap, &cells, periods[0], last), periods, np,
						   on_or_after);
		start = i;
	}
	for (i = 0; i < nrows; i++)
	{
		CohortRow  *r = &rows[i];
		int32		k;
		int64		running = 0;

		if (r->retained == NULL)
			put_row(rsinfo, st->kind, r->cohort, 0, r->size, 0, 0);
		for (k = 0; k < r->noffsets; k++)
		{
			running += r->retained[k];
			put_row(rsinfo, st->kind, r->cohort, k, r->size, r->size,
					on_or_after ? running : r->retained[k]);
		}
	}
	return (Datum) 0;
}
