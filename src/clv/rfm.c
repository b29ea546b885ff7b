/*
 * clv/rfm.c
 *		rfm(ordered_at, amount, observed_until): one customer's purchase
 *		summary, per customer, times in days:
 *
 *	purchase days = distinct UTC dates of orders up to observed_until, with
 *					their amounts summed
 *	frequency	  = purchase days - 1 (repeat purchase days)
 *	recency		  = last purchase day - first purchase day
 *	t			  = UTC date of observed_until - first purchase day
 *	monetary_value = mean amount of the repeat purchase days (0 without),
 *					 summed exactly in numeric and divided once, so the value
 *					 does not depend on row order or on the plan
 *
 * The state, smarkpi_rfm_summary: rfm() must remember each order of a
 * customer (its day and amount).  It is one flat value (core/xstate.h)
 * updated in place: the orders' slots, then an arena with their amounts as
 * numerics; it grows by doubling, so a row costs O(1) amortized and a
 * customer no memory context of its own.
 */
#include "clv/clv.h"

#include "core/exactsum.h"
#include "core/xstate.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

/* ---- rfm(ordered_at, amount, observed_until) ---- */

typedef struct RfmSlot
{
	int32		day;			/* UTC day number of the order */
	int32		amount;			/* offset of its amount in the arena */
} RfmSlot;

typedef struct RfmState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	bool		has_observed;
	int32		n;				/* orders */
	int32		capacity;		/* slots */
	int32		arena_used;		/* bytes */
	TimestampTz observed_until;
	RfmSlot		orders[FLEXIBLE_ARRAY_MEMBER];	/* capacity slots, then the
												 * arena: numerics, each at an
												 * int-aligned offset */
} RfmState;

#define RFM_TYPNAME "smarkpi_rfm_summary"
#define RFM_ARENA_START(capacity) \
	MAXALIGN(offsetof(RfmState, orders) + sizeof(RfmSlot) * (capacity))
#define RFM_ARENA(st) ((char *) (st) + RFM_ARENA_START((st)->capacity))
#define RFM_AMOUNT(st, i) PointerGetDatum(RFM_ARENA(st) + (st)->orders[i].amount)

int32
smarkpi_utc_day(TimestampTz ts)
{
	int64		d = ts / USECS_PER_DAY;

	if (ts < 0 && ts % USECS_PER_DAY != 0)
		d--;
	return (int32) d;
}

/* A state with room for capacity orders and arena bytes of amounts. */
static RfmState *
rfm_alloc(int64 capacity, int64 arena)
{
	RfmState   *st;

	if (capacity > PG_INT32_MAX / 2 || arena > MaxAllocSize ||
		(int64) RFM_ARENA_START(capacity) + arena > (int64) MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many orders for one customer in rfm"),
				 errdetail("One customer's orders and amounts must fit in 1 GB; these need "
						   INT64_FORMAT " orders and " INT64_FORMAT " bytes of amounts.",
						   capacity, arena),
				 errhint("Group rfm() by the customer, or filter the orders to the period "
						 "observed.")));
	st = smarkpi_flat_new(RFM_ARENA_START(capacity) + arena);
	st->capacity = (int32) capacity;
	return st;
}

static RfmState *
rfm_new(void)
{
	return rfm_alloc(8, 8 * 16);
}

/* st with room for one more order of amount_size bytes: a new value when it had to grow */
static RfmState *
rfm_reserve(RfmState *st, Size amount_size)
{
	Size		arena_cap = VARSIZE(st) - RFM_ARENA_START(st->capacity);
	Size		arena_need = INTALIGN(st->arena_used) + amount_size;
	int64		capacity;
	int64		arena;
	RfmState   *grown;

	if (st->n < st->capacity && arena_need <= arena_cap)
		return st;
	capacity = st->n < st->capacity ? st->capacity : (int64) st->capacity * 2;
	arena = arena_need <= arena_cap ? arena_cap : Max(arena_cap * 2, arena_need);
	/* doubling past the 1 GB limit: grow only as far as this order needs */
	if ((int64) RFM_ARENA_START(capacity) + arena > (int64) MaxAllocSize)
	{
		capacity = Max(st->capacity, st->n + 1);
		arena = Max(arena_cap, arena_need);
	}
	grown = rfm_alloc(capacity, arena);
	grown->has_observed = st->has_observed;
	grown->observed_until = st->observed_until;
	grown->n = st->n;
	grown->arena_used = st->arena_used;
	memcpy(grown->orders, st->orders, sizeof(RfmSlot) * st->n);
	memcpy(RFM_ARENA(grown), RFM_ARENA(st), st->arena_used);
	return grown;
}

static void
rfm_set_observed(RfmState *st, TimestampTz observed)
{
	if (st->has_observed && st->observed_until != observed)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("observed_until must be the same in every row of rfm"),
				 errdetail("Got %s after %s.", pstrdup(timestamptz_to_str(observed)),
						   pstrdup(timestamptz_to_str(st->observed_until)))));
	st->observed_until = observed;
	st->has_observed = true;
}

/* Appends an order (its amount copied into the arena); returns the state. */
static RfmState *
rfm_push(RfmState *st, int32 day, Datum amount)
{
	Size		size = VARSIZE_ANY(DatumGetPointer(amount));
	int32		at;

	st = rfm_reserve(st, size);
	at = INTALIGN(st->arena_used);
	memcpy(RFM_ARENA(st) + at, DatumGetPointer(amount), size);
	st->orders[st->n].day = day;
	st->orders[st->n].amount = at;
	st->arena_used = at + (int32) size;
	st->n++;
	return st;
}

PG_FUNCTION_INFO_V1(smarkpi_rfm_trans);
Datum
smarkpi_rfm_trans(PG_FUNCTION_ARGS)
{
	RfmState   *st;
	TimestampTz ordered,
				observed;
	NumericParts amount;

	smarkpi_agg_context(fcinfo, "smarkpi_rfm_trans");
	st = smarkpi_flat_arg(fcinfo, 0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	ordered = PG_GETARG_TIMESTAMPTZ(1);
	observed = PG_GETARG_TIMESTAMPTZ(3);
	if (!smarkpi_row_ts_ok(ordered, "ordered_at") ||
		!smarkpi_row_ts_ok(observed, "observed_until") ||
		!smarkpi_row_money_parts(PG_GETARG_DATUM(2), "amount", true, &amount))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = rfm_new();
	rfm_set_observed(st, observed);
	if (ordered <= observed)
		st = rfm_push(st, smarkpi_utc_day(ordered),
					  PointerGetDatum(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(2))));
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_rfm_combine);
Datum
smarkpi_rfm_combine(PG_FUNCTION_ARGS)
{
	RfmState   *st;
	RfmState   *other;
	int			i;

	smarkpi_agg_context(fcinfo, "smarkpi_rfm_combine");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);
	if (other == NULL)
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = rfm_new();
	if (other->has_observed)
		rfm_set_observed(st, other->observed_until);
	for (i = 0; i < other->n; i++)
		st = rfm_push(st, other->orders[i].day, RFM_AMOUNT(other, i));
	PG_RETURN_POINTER(st);
}

/* ---- outside forms: version, observed flag, observed_until, n, then n (day, amount) ---- */

static bytea *
rfm_send(const void *state)
{
	const RfmState *st = state;
	StringInfoData buf;
	int			i;

	smarkpi_wire_begin(&buf);
	pq_sendbyte(&buf, st->has_observed);
	pq_sendint64(&buf, st->observed_until);
	pq_sendint32(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		pq_sendint32(&buf, st->orders[i].day);
		smarkpi_wire_send_sized_numeric(&buf, RFM_AMOUNT(st, i));
	}
	return pq_endtypsend(&buf);
}

static void *
rfm_recv(StringInfo buf)
{
	RfmState   *st = rfm_new();
	int			n,
				i;

	st->has_observed = smarkpi_wire_byte(buf, RFM_TYPNAME) != 0;
	st->observed_until = smarkpi_wire_int64(buf, RFM_TYPNAME);
	if (st->has_observed && TIMESTAMP_NOT_FINITE(st->observed_until))
		smarkpi_binary_corrupt(RFM_TYPNAME,
							   "observed_until must be finite.");
	n = smarkpi_wire_int32(buf, RFM_TYPNAME);
	smarkpi_wire_check_count(buf, n, 2 * SMARKPI_WIRE_INT32, false, RFM_TYPNAME);
	for (i = 0; i < n; i++)
	{
		int32		day = smarkpi_wire_int32(buf, RFM_TYPNAME);
		Datum		d = smarkpi_wire_sized_numeric(buf, RFM_TYPNAME);
		NumericParts x;

		smarkpi_numeric_parts(d, &x);
		if (x.special != NUMERIC_PARTS_FINITE || x.negative)
			smarkpi_binary_corrupt(RFM_TYPNAME,
								   "Amounts must be finite and not negative.");
		st = rfm_push(st, day, d);
	}
	return st;
}

static const SmarkpiFlatKind rfm_kind = {RFM_TYPNAME, rfm_send, rfm_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_rfm_summary, rfm_kind);

static int
cmp_day(const void *a, const void *b)
{
	int32		x = ((const RfmOrder *) a)->day;
	int32		y = ((const RfmOrder *) b)->day;

	return (x > y) - (x < y);
}

/*
 * The four fields of smarkpi_rfm from a customer's orders (sorted here, n >
 * 0) observed up to the UTC day observed_day.
 */
void
smarkpi_rfm_of_orders(RfmOrder *orders, int n, int32 observed_day, Datum *values)
{
	int			ndays = 1,
				i;
	Datum		repeat_sum = NumericGetDatum(smarkpi_numeric_zero());
	int32		first,
				last;

	qsort(orders, n, sizeof(RfmOrder), cmp_day);
	first = orders[0].day;
	last = orders[n - 1].day;
	/* every order after the first purchase day is a repeat purchase */
	for (i = 1; i < n; i++)
	{
		if (orders[i].day == first)
			continue;
		if (orders[i].day != orders[i - 1].day)
			ndays++;
		repeat_sum = DirectFunctionCall2(numeric_add, repeat_sum, orders[i].amount);
	}
	values[0] = Int32GetDatum(ndays - 1);
	values[1] = Float8GetDatum((double) (last - first));
	values[2] = Float8GetDatum((double) (observed_day - first));
	values[3] = ndays > 1 ?
		DirectFunctionCall1(numeric_float8,
							DirectFunctionCall2(numeric_div, repeat_sum,
												NumericGetDatum(int64_to_numeric(ndays - 1)))) :
		Float8GetDatum(0.0);
}

/* Builds a value of the function's composite result type. */
Datum
smarkpi_clv_composite_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

PG_FUNCTION_INFO_V1(smarkpi_rfm_final);
Datum
smarkpi_rfm_final(PG_FUNCTION_ARGS)
{
	RfmState   *st = smarkpi_flat_arg(fcinfo, 0);
	RfmOrder   *orders;
	int			i;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (st == NULL || st->n == 0)
		PG_RETURN_NULL();
	/* sort a copy: the window executor may call the final function again */
	orders = palloc(sizeof(RfmOrder) * st->n);
	for (i = 0; i < st->n; i++)
	{
		orders[i].day = st->orders[i].day;
		orders[i].amount = RFM_AMOUNT(st, i);
	}
	smarkpi_rfm_of_orders(orders, st->n, smarkpi_utc_day(st->observed_until), values);
	return smarkpi_clv_composite_result(fcinfo, values, nulls);
}
