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
 * Why an internal state: rfm() must remember each purchase day of a
 * customer, and a by-value SQL type would be copied whole at every row.  It
 * is serialized to bytea for parallel query.
 */
#include "clv/clv.h"

#include "core/exactsum.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

/* ---- rfm(ordered_at, amount, observed_until) ---- */

typedef struct RfmState
{
	TimestampTz observed_until;
	bool		has_observed;
	int			n;
	int			capacity;
	int32	   *days;			/* UTC day numbers of the orders */
	Datum	   *amounts;		/* numeric copies, in the aggregate context */
} RfmState;

static int32
utc_day(TimestampTz ts)
{
	int64		d = ts / USECS_PER_DAY;

	if (ts < 0 && ts % USECS_PER_DAY != 0)
		d--;
	return (int32) d;
}

static RfmState *
rfm_new(MemoryContext ctx)
{
	RfmState   *st = MemoryContextAllocZero(ctx, sizeof(RfmState));

	st->capacity = 8;
	st->days = MemoryContextAlloc(ctx, sizeof(int32) * st->capacity);
	st->amounts = MemoryContextAlloc(ctx, sizeof(Datum) * st->capacity);
	return st;
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

/* Appends an order; the amount is copied into the state's context. */
static void
rfm_push(RfmState *st, int32 day, Datum amount)
{
	MemoryContext ctx = GetMemoryChunkContext(st);

	if (st->n == st->capacity)
	{
		if (st->capacity >= (int) (MaxAllocSize / sizeof(Datum) / 2))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many orders for one customer in rfm")));
		st->capacity *= 2;
		st->days = repalloc(st->days, sizeof(int32) * st->capacity);
		st->amounts = repalloc(st->amounts, sizeof(Datum) * st->capacity);
	}
	st->days[st->n] = day;
	st->amounts[st->n] = PointerGetDatum(MemoryContextAlloc(ctx,
															VARSIZE_ANY(DatumGetPointer(amount))));
	memcpy(DatumGetPointer(st->amounts[st->n]), DatumGetPointer(amount),
		   VARSIZE_ANY(DatumGetPointer(amount)));
	st->n++;
}

PG_FUNCTION_INFO_V1(smarkpi_rfm_trans);
Datum
smarkpi_rfm_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_rfm_trans");
	RfmState   *st = PG_ARGISNULL(0) ? NULL : (RfmState *) PG_GETARG_POINTER(0);
	TimestampTz ordered,
				observed;
	NumericParts amount;

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
		st = rfm_new(ctx);
	rfm_set_observed(st, observed);
	if (ordered <= observed)
		rfm_push(st, utc_day(ordered),
				 PointerGetDatum(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(2))));
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_rfm_combine);
Datum
smarkpi_rfm_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_rfm_combine");
	RfmState   *st = PG_ARGISNULL(0) ? NULL : (RfmState *) PG_GETARG_POINTER(0);
	RfmState   *other = PG_ARGISNULL(1) ? NULL : (RfmState *) PG_GETARG_POINTER(1);
	int			i;

	if (other == NULL)
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = rfm_new(ctx);
	if (other->has_observed)
		rfm_set_observed(st, other->observed_until);
	for (i = 0; i < other->n; i++)
		rfm_push(st, other->days[i], other->amounts[i]);
	PG_RETURN_POINTER(st);
}

/* What rfm's serialized state is called in its errors. */
#define RFM_STATE "rfm state"

PG_FUNCTION_INFO_V1(smarkpi_rfm_serialize);
Datum
smarkpi_rfm_serialize(PG_FUNCTION_ARGS)
{
	RfmState   *st = (RfmState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	smarkpi_wire_begin(&buf);
	pq_sendbyte(&buf, st->has_observed);
	pq_sendint64(&buf, st->observed_until);
	pq_sendint32(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		bytea	   *amount = DatumGetByteaPP(DirectFunctionCall1(numeric_send, st->amounts[i]));

		pq_sendint32(&buf, st->days[i]);
		pq_sendint32(&buf, VARSIZE_ANY_EXHDR(amount));
		pq_sendbytes(&buf, VARDATA_ANY(amount), VARSIZE_ANY_EXHDR(amount));
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(smarkpi_rfm_deserialize);
Datum
smarkpi_rfm_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_rfm_deserialize");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	RfmState   *st = rfm_new(ctx);
	int			n,
				i;

	smarkpi_wire_open_bytea(b, &buf, RFM_STATE);
	st->has_observed = smarkpi_wire_byte(&buf, RFM_STATE) != 0;
	st->observed_until = smarkpi_wire_int64(&buf, RFM_STATE);
	n = smarkpi_wire_int32(&buf, RFM_STATE);
	smarkpi_wire_check_count(&buf, n, 2 * SMARKPI_WIRE_INT32, false, RFM_STATE);
	for (i = 0; i < n; i++)
	{
		int32		day = smarkpi_wire_int32(&buf, RFM_STATE);
		int32		len = smarkpi_wire_int32(&buf, RFM_STATE);
		StringInfoData amount;

		smarkpi_wire_need(&buf, len, RFM_STATE);
		initReadOnlyStringInfo(&amount, (char *) pq_getmsgbytes(&buf, len), len);
		rfm_push(st, day, DirectFunctionCall3(numeric_recv, PointerGetDatum(&amount),
											  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	}
	smarkpi_wire_end(&buf, RFM_STATE);
	PG_RETURN_POINTER(st);
}

typedef struct RfmOrder
{
	int32		day;
	Datum		amount;
} RfmOrder;

static int
cmp_day(const void *a, const void *b)
{
	int32		x = ((const RfmOrder *) a)->day;
	int32		y = ((const RfmOrder *) b)->day;

	return (x > y) - (x < y);
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
	RfmState   *st = PG_ARGISNULL(0) ? NULL : (RfmState *) PG_GETARG_POINTER(0);
	RfmOrder   *orders;
	int			ndays = 1,
				i;
	Datum		repeat_sum = NumericGetDatum(smarkpi_numeric_zero());
	int32		first,
				last;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (st == NULL || st->n == 0)
		PG_RETURN_NULL();
	/* sort a copy: the window executor may call the final function again */
	orders = palloc(sizeof(RfmOrder) * st->n);
	for (i = 0; i < st->n; i++)
	{
		orders[i].day = st->days[i];
		orders[i].amount = st->amounts[i];
	}
	qsort(orders, st->n, sizeof(RfmOrder), cmp_day);
	first = orders[0].day;
	last = orders[st->n - 1].day;
	/* every order after the first purchase day is a repeat purchase */
	for (i = 1; i < st->n; i++)
	{
		if (orders[i].day == first)
			continue;
		if (orders[i].day != orders[i - 1].day)
			ndays++;
		repeat_sum = DirectFunctionCall2(numeric_add, repeat_sum, orders[i].amount);
	}
	values[0] = Int32GetDatum(ndays - 1);
	values[1] = Float8GetDatum((double) (last - first));
	values[2] = Float8GetDatum((double) (utc_day(st->observed_until) - first));
	values[3] = ndays > 1 ?
		DirectFunctionCall1(numeric_float8,
							DirectFunctionCall2(numeric_div, repeat_sum,
												NumericGetDatum(int64_to_numeric(ndays - 1)))) :
		Float8GetDatum(0.0);
	return smarkpi_clv_composite_result(fcinfo, values, nulls);
}
