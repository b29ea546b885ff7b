/*
 * pipeline_history/waterfall.c
 *		pipeline_waterfall(deal_id, valid_from, amount, close_date, outcome,
 *		t0, t1, period): deal-history rows (each a deal's snapshot from
 *		valid_from until its next row) as a smarkpi_pipeline_waterfall;
 *		waterfall_buckets(w): the pipeline at t0 and t1 and the movements
 *		between; pipeline_coverage(open_pipeline, quota, bookings).
 *
 * A deal is in the pipeline at t when its snapshot at t is open with a known
 * amount and a close date inside period.  Each change of a deal's snapshot
 * at s, t0 < s <= t1, moves money: out -> in is created (the deal's first
 * row) or pulled_in, with the new amount; in -> out is won, lost (the new
 * outcome) or pushed_out (still open), with the old amount; in -> in with
 * another amount is increased or decreased by the difference.  So start +
 * created + pulled_in + increased - decreased - pushed_out - lost - won =
 * end exactly, every deal contributing its own exact terms.
 *
 * Unknown is never zero: a NULL amount, close date or outcome keeps the
 * deal's previous value (history rows often repeat only what changed); with
 * no previous value the snapshot is unknown and not in the pipeline.  Rows
 * of one deal at the same valid_from apply in the order (outcome, close
 * date, amount), so the result never depends on the input order.
 *
 * The state is one flat value (core/xstate.h): the parameters, then the
 * rows (32 bytes each: amounts as 64-bit scaled integers, exact), grown by
 * doubling.  The final function sorts by (deal, valid_from) and keeps per
 * deal only what the buckets read: its last row at or before t0 (values
 * carried forward) and its rows up to t1.
 */
#include "pipeline_history/pipeline_history.h"

#include "catalog/pg_type.h"
#include "core/exactsum.h"
#include "core/wire.h"
#include "core/xstate.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#define WATERFALL_TYPNAME "smarkpi_pipeline_waterfall"

/* outcomes; OUTCOME_UNKNOWN is a NULL outcome */
#define OUTCOME_OPEN 0
#define OUTCOME_WON 1
#define OUTCOME_LOST 2
#define OUTCOME_UNKNOWN 3

#define ROW_AMOUNT_NULL 0x01
#define ROW_CLOSE_NULL 0x02
#define ROW_FLAGS_ALL 0x03


typedef struct DealRow
{
	int64		deal_id;
	int64		valid_from;		/* microseconds */
	int64		amount;			/* x 10^dscale */
	int32		close_date;		/* DateADT */
	int16		dscale;
	uint8		flags;
	uint8		outcome;
} DealRow;

/* period as [lo, hi) in days, either end open */
typedef struct Period
{
	bool		empty;
	bool		lo_inf;
	bool		hi_inf;
	int32		lo;
	int32		hi;
} Period;

typedef struct Waterfall
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	bool		params_null;
	bool		sorted;
	int64		t0;
	int64		t1;
	Period		period;
	int64		nrows;			/* rows taken */
	int64		n;
	DealRow		rows[FLEXIBLE_ARRAY_MEMBER];
} Waterfall;

#define WATERFALL_SIZE(n) (offsetof(Waterfall, rows) + sizeof(DealRow) * (n))
#define WATERFALL_MAX_ROWS \
	((int64) ((MaxAllocSize - offsetof(Waterfall, rows)) / sizeof(DealRow)))

/* The period argument of this call site, read once per distinct value. */
typedef struct PeriodCache
{
	int32		nbytes;
	Period		period;
	char		value[FLEXIBLE_ARRAY_MEMBER];
} PeriodCache;

static void
params_error(const char *msg, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", msg),
			 detail ? errdetail("%s", detail) : 0,
			 errhint("Pass t0, t1 and period as constants for the whole query, t0 <= t1.")));
}

static Period
period_of(RangeType *r)
{
	TypeCacheEntry *tc = lookup_type_cache(RangeTypeGetOid(r), TYPECACHE_RANGE_INFO);
	RangeBound	lower,
				upper;
	bool		empty;
	Period		p = {0};

	if (tc->rngelemtype == NULL || tc->rngelemtype->type_id != DATEOID)
		params_error("period must be a daterange", NULL);
	range_deserialize(tc, r, &lower, &upper, &empty);
	p.empty = empty;
	if (empty)
		return p;
	/* daterange is canonical: [lo, hi) */
	p.lo_inf = lower.infinite;
	p.hi_inf = upper.infinite;
	p.lo = lower.infinite ? 0 : DatumGetDateADT(lower.val) + (lower.inclusive ? 0 : 1);
	p.hi = upper.infinite ? 0 : DatumGetDateADT(upper.val) + (upper.inclusive ? 1 : 0);
	return p;
}

static Period
period_arg(FunctionCallInfo fcinfo, int argno)
{
	RangeType  *r = PG_GETARG_RANGE_P(argno);
	int32		nbytes = VARSIZE(r);
	PeriodCache *c = (PeriodCache *) fcinfo->flinfo->fn_extra;

	if (c && c->nbytes == nbytes && memcmp(c->value, r, nbytes) == 0)
		return c->period;
	if (c)
		pfree(c);
	fcinfo->flinfo->fn_extra = NULL;
	c = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, offsetof(PeriodCache, value) + nbytes);
	c->period = period_of(r);
	c->nbytes = nbytes;
	memcpy(c->value, r, nbytes);
	fcinfo->flinfo->fn_extra = c;
	return c->period;
}

static bool
period_contains(const Period *p, int32 d)
{
	if (p->empty)
		return false;
	return (p->lo_inf || d >= p->lo) && (p->hi_inf || d < p->hi);
}

static bool
period_equal(const Period *a, const Period *b)
{
	return a->empty == b->empty && a->lo_inf == b->lo_inf && a->hi_inf == b->hi_inf &&
		a->lo == b->lo && a->hi == b->hi;
}

static int64
instant_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(argno);

	if (TIMESTAMP_NOT_FINITE(t))
		params_error(psprintf("%s must be a finite timestamp", name),
					 psprintf("Got %s.", TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"));
	return t;
}

static void
check_same_params(const Waterfall *st, bool params_null, int64 t0, int64 t1, const Period *p)
{
	if (st->params_null != params_null ||
		(!params_null && (st->t0 != t0 || st->t1 != t1 || !period_equal(&st->period, p))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t0, t1 and period must be the same in every row of pipeline_waterfall"),
				 errdetail("The rows of one group give different values."),
				 errhint("Pass t0, t1 and period as constants for the whole query.")));
}

static Waterfall *
waterfall_new(bool params_null, int64 t0, int64 t1, const Period *p)
{
	Waterfall  *st = smarkpi_flat_new(WATERFALL_SIZE(8));

	st->params_null = params_null;
	st->t0 = t0;
	st->t1 = t1;
	if (p)
		st->period = *p;
	st->sorted = true;
	return st;
}

static Waterfall *
reserve(FunctionCallInfo fcinfo, Waterfall *st, int64 extra)
{
	int64		need = st->n + extra;

	if (need > WATERFALL_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many history rows for pipeline_waterfall"),
				 errdetail("At most " INT64_FORMAT " rows fit in one group.", WATERFALL_MAX_ROWS),
				 errhint("Group by a segment (a channel, a team), or leave out the rows of deals "
						 "that closed before t0.")));
	return smarkpi_flat_reserve(fcinfo, st, WATERFALL_SIZE(st->n), WATERFALL_SIZE(need));
}

static int
row_cmp(const void *pa, const void *pb)
{
	const DealRow *a = pa;
	const DealRow *b = pb;

	if (a->deal_id != b->deal_id)
		return a->deal_id < b->deal_id ? -1 : 1;
	if (a->valid_from != b->valid_from)
		return a->valid_from < b->valid_from ? -1 : 1;
	if (a->outcome != b->outcome)
		return a->outcome < b->outcome ? -1 : 1;
	if (a->close_date != b->close_date)
		return a->close_date < b->close_date ? -1 : 1;
	if (a->flags != b->flags)
		return a->flags < b->flags ? -1 : 1;
	if (a->dscale != b->dscale)
		return a->dscale < b->dscale ? -1 : 1;
	return (a->amount > b->amount) - (a->amount < b->amount);
}

static bool
outcome_of(text *t, uint8 *outcome)
{
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len == 4 && memcmp(s, "open", 4) == 0)
		*outcome = OUTCOME_OPEN;
	else if (len == 3 && memcmp(s, "won", 3) == 0)
		*outcome = OUTCOME_WON;
	else if (len == 4 && memcmp(s, "lost", 4) == 0)
		*outcome = OUTCOME_LOST;
	else
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									"outcome must be open, won or lost",
									psprintf("Got \"%s\".", text_to_cstring(t)));
	return true;
}

/*
 * Transition: (state, deal_id, valid_from, amount, close_date, outcome, t0,
 * t1, period).  A NULL deal_id or valid_from ignores the row; NULL t0, t1
 * or period make the buckets NULL.
 */
PG_FUNCTION_INFO_V1(smarkpi_pipeline_waterfall_trans);
Datum
smarkpi_pipeline_waterfall_trans(PG_FUNCTION_ARGS)
{
	Waterfall  *st;
	bool		params_null = PG_ARGISNULL(6) || PG_ARGISNULL(7) || PG_ARGISNULL(8);
	int64		t0 = params_null ? 0 : instant_arg(fcinfo, 6, "t0");
	int64		t1 = params_null ? 0 : instant_arg(fcinfo, 7, "t1");
	Period		period = {0};
	DealRow		row = {0};

	if (!params_null)
	{
		if (t0 > t1)
			params_error("t0 must not be later than t1", NULL);
		period = period_arg(fcinfo, 8);
	}
	smarkpi_agg_context(fcinfo, "pipeline_waterfall transition");
	st = smarkpi_flat_arg(fcinfo, 0);
	if (st == NULL)
		st = waterfall_new(params_null, t0, t1, &period);
	else
		check_same_params(st, params_null, t0, t1, &period);
	if (params_null || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return smarkpi_flat_result(fcinfo, st);
	row.deal_id = PG_GETARG_INT64(1);
	row.valid_from = PG_GETARG_TIMESTAMPTZ(2);
	if (!smarkpi_row_ts_ok(row.valid_from, "valid_from"))
		return smarkpi_flat_result(fcinfo, st);
	/* after t1 a row changes nothing the buckets read */
	if (row.valid_from > st->t1)
		return smarkpi_flat_result(fcinfo, st);
	if (PG_ARGISNULL(3))
		row.flags |= ROW_AMOUNT_NULL;
	else if (!smarkpi_row_money_int64(PG_GETARG_DATUM(3), "amount", "pipeline_waterfall",
									  &row.amount, &row.dscale))
		return smarkpi_flat_result(fcinfo, st);
	if (PG_ARGISNULL(4))
		row.flags |= ROW_CLOSE_NULL;
	else
		row.close_date = PG_GETARG_DATEADT(4);
	row.outcome = OUTCOME_UNKNOWN;
	if (!PG_ARGISNULL(5) && !outcome_of(PG_GETARG_TEXT_PP(5), &row.outcome))
		return smarkpi_flat_result(fcinfo, st);
	st->nrows = smarkpi_add_count(st->nrows, 1, "pipeline_waterfall row count");
	st = reserve(fcinfo, st, 1);
	if (st->n > 0 && row_cmp(&st->rows[st->n - 1], &row) > 0)
		st->sorted = false;
	st->rows[st->n++] = row;
	return smarkpi_flat_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_pipeline_waterfall_combine);
Datum
smarkpi_pipeline_waterfall_combine(PG_FUNCTION_ARGS)
{
	Waterfall  *st;
	Waterfall  *other;

	smarkpi_agg_context(fcinfo, "smarkpi_pipeline_waterfall_combine");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);
	if (other == NULL)
		return smarkpi_flat_result(fcinfo, st);
	if (st == NULL)
		st = waterfall_new(other->params_null, other->t0, other->t1, &other->period);
	else
		check_same_params(st, other->params_null, other->t0, other->t1, &other->period);
	st->nrows = smarkpi_add_count(st->nrows, other->nrows, "pipeline_waterfall row count");
	if (other->n > 0)
	{
		st = reserve(fcinfo, st, other->n);
		memcpy(st->rows + st->n, other->rows, sizeof(DealRow) * other->n);
		/* one deal's rows may come from several workers: the final merges */
		st->sorted = st->sorted && other->sorted &&
			(st->n == 0 || row_cmp(&st->rows[st->n - 1], &other->rows[0]) <= 0);
		st->n += other->n;
	}
	return smarkpi_flat_result(fcinfo, st);
}

/* row's NULL fields from the deal's previous snapshot prev (NULL: none) */
static void
carry_forward(DealRow *row, const DealRow *prev)
{
	if (prev == NULL)
		return;
	if ((row->flags & ROW_AMOUNT_NULL) && !(prev->flags & ROW_AMOUNT_NULL))
	{
		row->amount = prev->amount;
		row->dscale = prev->dscale;
		row->flags &= ~ROW_AMOUNT_NULL;
	}
	if ((row->flags & ROW_CLOSE_NULL) && !(prev->flags & ROW_CLOSE_NULL))
	{
		row->close_date = prev->close_date;
		row->flags &= ~ROW_CLOSE_NULL;
	}
	if (row->outcome == OUTCOME_UNKNOWN)
		row->outcome = prev->outcome;
}

/*
 * A sorted, compacted copy: per deal, the rows with their NULLs carried
 * forward, of which the last at or before t0 and every later one (all are
 * at or before t1).  A deal with rows before t0 is marked by keeping that
 * row, so "created" still means the deal's first row.
 */
static Waterfall *
waterfall_compact_copy(const Waterfall *st)
{
	Waterfall  *copy = palloc(WATERFALL_SIZE(st->n));
	int64		i,
				out = 0;

	memcpy(copy, st, WATERFALL_SIZE(st->n));
	if (!copy->sorted)
		qsort(copy->rows, copy->n, sizeof(DealRow), row_cmp);
	for (i = 0; i < copy->n; i++)
	{
		DealRow		row = copy->rows[i];
		bool		same_deal = i > 0 && copy->rows[i - 1].deal_id == row.deal_id;
		bool		next_at_t0 = i + 1 < copy->n && copy->rows[i + 1].deal_id == row.deal_id &&
			copy->rows[i + 1].valid_from <= st->t0;

		/*
		 * carried from the previous input row, which holds its own carried
		 * values
		 */
		if (same_deal)
			carry_forward(&row, &copy->rows[i - 1]);
		copy->rows[i] = row;
		if (!next_at_t0)
			copy->rows[out++] = row;
	}
	copy->n = out;
	copy->sorted = true;
	SET_VARSIZE(copy, WATERFALL_SIZE(out));
	return copy;
}

PG_FUNCTION_INFO_V1(smarkpi_pipeline_waterfall_final);
Datum
smarkpi_pipeline_waterfall_final(PG_FUNCTION_ARGS)
{
	Waterfall  *st = smarkpi_flat_arg(fcinfo, 0);

	/* no row taken (none, only ignored or skipped ones, NULL parameters) */
	if (st == NULL || st->nrows == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(waterfall_compact_copy(st));
}

/* ---- outside forms: version, flags, t0, t1, period, nrows, n, then the rows ---- */

static bytea *
waterfall_send(const void *state)
{
	const Waterfall *st = state;
	StringInfoData buf;
	int64		i;

	smarkpi_wire_begin(&buf);
	pq_sendbyte(&buf, (st->params_null ? 1 : 0) | (st->period.empty ? 2 : 0) |
				(st->period.lo_inf ? 4 : 0) | (st->period.hi_inf ? 8 : 0));
	pq_sendint64(&buf, st->t0);
	pq_sendint64(&buf, st->t1);
	pq_sendint32(&buf, st->period.lo);
	pq_sendint32(&buf, st->period.hi);
	pq_sendint64(&buf, st->nrows);
	pq_sendint64(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		const DealRow *r = &st->rows[i];

		pq_sendint64(&buf, r->deal_id);
		pq_sendint64(&buf, r->valid_from);
		pq_sendint64(&buf, r->amount);
		pq_sendint32(&buf, r->close_date);
		pq_sendbyte(&buf, r->dscale);
		pq_sendbyte(&buf, r->flags);
		pq_sendbyte(&buf, r->outcome);
	}
	return pq_endtypsend(&buf);
}

static void *
waterfall_recv(StringInfo buf)
{
	const char *what = WATERFALL_TYPNAME;
	int			flags = smarkpi_wire_byte(buf, what);
	int64		t0 = smarkpi_wire_int64(buf, what);
	int64		t1 = smarkpi_wire_int64(buf, what);
	Period		p = {0};
	int64		nrows,
				n,
				i;
	Waterfall  *st;

	p.lo = smarkpi_wire_int32(buf, what);
	p.hi = smarkpi_wire_int32(buf, what);
	p.empty = (flags & 2) != 0;
	p.lo_inf = (flags & 4) != 0;
	p.hi_inf = (flags & 8) != 0;
	nrows = smarkpi_wire_int64(buf, what);
	n = smarkpi_wire_int64(buf, what);
	if ((flags & ~15) != 0 || t0 > t1 || TIMESTAMP_NOT_FINITE(t0) || TIMESTAMP_NOT_FINITE(t1) ||
		n < 0 || nrows < n || ((flags & 1) && n > 0))
		smarkpi_binary_corrupt(WATERFALL_TYPNAME, "Invalid parameters or counts.");
	smarkpi_wire_check_count(buf, n, 3 * SMARKPI_WIRE_INT64 + SMARKPI_WIRE_INT32 + 3, true, what);
	if (n > WATERFALL_MAX_ROWS)
		smarkpi_state_corrupt(what, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "Too many rows.");
	st = waterfall_new((flags & 1) != 0, t0, t1, &p);
	st = reserve(NULL, st, n);
	st->nrows = nrows;
	for (i = 0; i < n; i++)
	{
		DealRow    *r = &st->rows[i];

		r->deal_id = smarkpi_wire_int64(buf, what);
		r->valid_from = smarkpi_wire_int64(buf, what);
		r->amount = smarkpi_wire_int64(buf, what);
		r->close_date = smarkpi_wire_int32(buf, what);
		r->dscale = smarkpi_wire_byte(buf, what);
		r->flags = smarkpi_wire_byte(buf, what);
		r->outcome = smarkpi_wire_byte(buf, what);
		if (TIMESTAMP_NOT_FINITE(r->valid_from) || r->valid_from > t1 || r->amount < 0 ||
			r->dscale < 0 || r->dscale > SMARKPI_INT64_MONEY_DIGITS ||
			(r->flags & ~ROW_FLAGS_ALL) != 0 || r->outcome > OUTCOME_UNKNOWN)
			smarkpi_binary_corrupt(WATERFALL_TYPNAME, "Invalid row.");
		if (i > 0 && row_cmp(&st->rows[i - 1], r) > 0)
			st->sorted = false;
	}
	st->n = n;
	return st;
}

static const SmarkpiFlatKind waterfall_kind = {WATERFALL_TYPNAME, waterfall_send, waterfall_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_pipeline_waterfall, waterfall_kind);

/* ---- the buckets ---- */

enum
{
	B_START, B_CREATED, B_PULLED_IN, B_INCREASED, B_DECREASED, B_PUSHED_OUT, B_LOST, B_WON,
	B_END, B_COUNT
};

static const char *const bucket_names[B_COUNT] = {
	"start", "created", "pulled_in", "increased", "decreased", "pushed_out", "lost", "won", "end"
};

typedef struct Buckets
{
	ExactSum	sum[B_COUNT];
	int64		deals[B_COUNT];
	bool		touched[B_COUNT];	/* by the current deal */
} Buckets;

static bool
is_in(const DealRow *r, const Period *p)
{
	return r != NULL && r->outcome == OUTCOME_OPEN &&
		!(r->flags & (ROW_AMOUNT_NULL | ROW_CLOSE_NULL)) && period_contains(p, r->close_date);
}

static void
move(Buckets *b, int bucket, const NumericParts *x)
{
	smarkpi_exactsum_addsub(&b->sum[bucket], x, 1);
	b->touched[bucket] = true;
}

static void
move_amount(Buckets *b, int bucket, const DealRow *r)
{
	NumericParts x;

	smarkpi_numeric_parts_scaled(r->amount, r->dscale, &x);
	move(b, bucket, &x);
}

/* new - old at the larger scale: exact in 128 bits (both below 10^18 x 10^18) */
static void
move_difference(Buckets *b, const DealRow *old, const DealRow *new)
{
	int			scale = Max(old->dscale, new->dscale);
	int128		o = old->amount,
				n = new->amount;
	int			i;
	NumericParts x;

	for (i = old->dscale; i < scale; i++)
		o *= 10;
	for (i = new->dscale; i < scale; i++)
		n *= 10;
	if (o == n)
		return;
	smarkpi_numeric_parts_scaled(n > o ? n - o : o - n, scale, &x);
	move(b, n > o ? B_INCREASED : B_DECREASED, &x);
}

static void
deal_done(Buckets *b)
{
	int			k;

	for (k = 0; k < B_COUNT; k++)
	{
		if (b->touched[k])
			b->deals[k]++;
		b->touched[k] = false;
	}
}

/* One snapshot change of a deal at a time in (t0, t1]. */
static void
change(Buckets *b, const Period *p, const DealRow *old, const DealRow *new)
{
	bool		was = is_in(old, p);
	bool		now = is_in(new, p);

	if (!was && now)
		move_amount(b, old == NULL ? B_CREATED : B_PULLED_IN, new);
	else if (was && !now)
		move_amount(b, new->outcome == OUTCOME_WON ? B_WON :
					new->outcome == OUTCOME_LOST ? B_LOST : B_PUSHED_OUT, old);
	else if (was && now)
		move_difference(b, old, new);
}

static void
compute_buckets(const Waterfall *st, Buckets *b)
{
	int64		i = 0;
	int			k;

	memset(b, 0, sizeof(Buckets));
	for (k = 0; k < B_COUNT; k++)
		smarkpi_exactsum_zero(&b->sum[k]);
	while (i < st->n)
	{
		const DealRow *snap = NULL;
		int64		deal = st->rows[i].deal_id;

		if ((i & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		/* the snapshot in effect at t0: the compacted copy keeps one at most */
		if (st->rows[i].valid_from <= st->t0)
			snap = &st->rows[i++];
		if (is_in(snap, &st->period))
			move_amount(b, B_START, snap);
		for (; i < st->n && st->rows[i].deal_id == deal; i++)
		{
			change(b, &st->period, snap, &st->rows[i]);
			snap = &st->rows[i];
		}
		if (is_in(snap, &st->period))
			move_amount(b, B_END, snap);
		deal_done(b);
	}
}

PG_FUNCTION_INFO_V1(smarkpi_waterfall_buckets);
Datum
smarkpi_waterfall_buckets(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Waterfall  *st = smarkpi_flat_arg(fcinfo, 0);
	Buckets		b;
	int			k;

	InitMaterializedSRF(fcinfo, 0);
	if (st == NULL || st->params_null)
		return (Datum) 0;
	/* a value made outside the aggregate may be unsorted or not compacted */
	st = waterfall_compact_copy(st);
	compute_buckets(st, &b);
	for (k = 0; k < B_COUNT; k++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(bucket_names[k]);
		values[1] = NumericGetDatum(smarkpi_exactsum_to_numeric(&b.sum[k]));
		values[2] = Int64GetDatum(b.deals[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* pipeline_coverage = open_pipeline / (quota - bookings); NULL when nothing is left to book */
PG_FUNCTION_INFO_V1(smarkpi_pipeline_coverage);
Datum
smarkpi_pipeline_coverage(PG_FUNCTION_ARGS)
{
	Numeric		open = PG_GETARG_NUMERIC(0);
	Numeric		quota = PG_GETARG_NUMERIC(1);
	Numeric		bookings = PG_GETARG_NUMERIC(2);
	Numeric		left;

	if (!smarkpi_row_money_ok(open, "open_pipeline", true) ||
		!smarkpi_row_money_ok(quota, "quota", true) ||
		!smarkpi_row_money_ok(bookings, "bookings", true))
		PG_RETURN_NULL();
	left = DatumGetNumeric(DirectFunctionCall2(numeric_sub, NumericGetDatum(quota),
											   NumericGetDatum(bookings)));
	if (!DatumGetBool(DirectFunctionCall2(numeric_gt, NumericGetDatum(left),
										  NumericGetDatum(smarkpi_numeric_zero()))))
		PG_RETURN_NULL();
	return DirectFunctionCall1(numeric_float8,
							   DirectFunctionCall2(numeric_div, NumericGetDatum(open),
												   NumericGetDatum(left)));
}
