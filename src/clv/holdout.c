/*
 * clv/holdout.c
 *		rfm_holdout(ordered_at, amount, calibration_end, holdout_end): one
 *		customer's calibration summary, exactly as rfm(..., calibration_end)
 *		gives it, and what they bought after it up to holdout_end:
 *
 *	holdout_purchases = distinct UTC days of the orders in (calibration_end,
 *						holdout_end]
 *	holdout_spend	  = their amounts, summed exactly
 *	holdout_days	  = UTC day of holdout_end - UTC day of calibration_end,
 *						the unit of the calibration's t (lifetimes #281
 *						measured the holdout in another unit)
 *
 * A customer without an order up to calibration_end has no calibration
 * summary and nothing a model can predict: the value is NULL, as rfm's.
 *
 * The state, smarkpi_rfm_holdout_summary, is one flat value (core/xstate.h)
 * grown in place: the two ends, then every order up to holdout_end in
 * 16-byte slots (UTC day, period, amount as a 64-bit scaled integer).  An
 * amount that does not fit 18 digits (a price divided by 3 in SQL has 20)
 * is kept as its numeric in the slots after its order, so every amount rfm
 * takes is taken here too, exactly.
 */
#include "clv/clv.h"

#include "core/exactsum.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/typcache.h"

#define HOLDOUT_TYPNAME "smarkpi_rfm_holdout_summary"

typedef struct HoldoutOrder
{
	int64		amount;			/* x 10^dscale; BIG_AMOUNT: the numeric's
								 * bytes */
	int32		day;			/* UTC day number */
	int16		dscale;
	int16		in_holdout;		/* 1 after calibration_end */
} HoldoutOrder;

/* dscale of an order whose amount, a numeric of amount bytes, fills the next slots */
#define BIG_AMOUNT (-1)
/* its byte form's dscale byte */
#define BIG_AMOUNT_WIRE 255

typedef struct HoldoutState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	bool		has_ends;
	TimestampTz calibration_end;
	TimestampTz holdout_end;
	int64		n;				/* slots used */
	HoldoutOrder orders[FLEXIBLE_ARRAY_MEMBER];
} HoldoutState;

#define HOLDOUT_SIZE(n) (offsetof(HoldoutState, orders) + sizeof(HoldoutOrder) * (n))
#define HOLDOUT_MAX_ORDERS \
	((int64) ((MaxAllocSize - offsetof(HoldoutState, orders)) / sizeof(HoldoutOrder)))

/* The slots an order takes: its own and its big amount's. */
static inline int64
order_slots(const HoldoutOrder *o)
{
	if (o->dscale != BIG_AMOUNT)
		return 1;
	return 1 + (o->amount + sizeof(HoldoutOrder) - 1) / sizeof(HoldoutOrder);
}

/* the orders of st, each once: for (o = first; o; o = next) */
#define FIRST_ORDER(st) ((st)->n > 0 ? &(st)->orders[0] : NULL)
#define NEXT_ORDER(st, o) \
	((o) - (st)->orders + order_slots(o) < (st)->n ? (o) + order_slots(o) : NULL)

static HoldoutState *
holdout_new(void)
{
	return smarkpi_flat_new(HOLDOUT_SIZE(8));
}

static void
ends_error(const char *msg, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", msg),
			 detail ? errdetail("%s", detail) : 0,
			 errhint("Pass calibration_end and holdout_end as constants of the query, "
					 "calibration_end <= holdout_end.")));
}

static void
check_ends(TimestampTz calibration_end, TimestampTz holdout_end)
{
	if (TIMESTAMP_NOT_FINITE(calibration_end) || TIMESTAMP_NOT_FINITE(holdout_end))
		ends_error("calibration_end and holdout_end must be finite",
				   psprintf("Got %s and %s.", pstrdup(timestamptz_to_str(calibration_end)),
							pstrdup(timestamptz_to_str(holdout_end))));
	if (calibration_end > holdout_end)
		ends_error("calibration_end must not be after holdout_end",
				   psprintf("Got %s and %s.", pstrdup(timestamptz_to_str(calibration_end)),
							pstrdup(timestamptz_to_str(holdout_end))));
}

static void
set_ends(HoldoutState *st, TimestampTz calibration_end, TimestampTz holdout_end)
{
	if (st->has_ends &&
		(st->calibration_end != calibration_end || st->holdout_end != holdout_end))
		ends_error("calibration_end and holdout_end must be the same in every row of rfm_holdout",
				   psprintf("Got %s and %s after %s and %s.",
							pstrdup(timestamptz_to_str(calibration_end)),
							pstrdup(timestamptz_to_str(holdout_end)),
							pstrdup(timestamptz_to_str(st->calibration_end)),
							pstrdup(timestamptz_to_str(st->holdout_end))));
	st->calibration_end = calibration_end;
	st->holdout_end = holdout_end;
	st->has_ends = true;
}

/* st with room for extra more slots: a new value when it had to grow */
static HoldoutState *
reserve(FunctionCallInfo fcinfo, HoldoutState *st, int64 extra)
{
	int64		need = st->n + extra;

	if (need > HOLDOUT_MAX_ORDERS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many orders for one customer in rfm_holdout"),
				 errdetail("At most " INT64_FORMAT " orders fit in one group, fewer with "
						   "amounts over 18 digits (they take more room).", HOLDOUT_MAX_ORDERS),
				 errhint("Group rfm_holdout() by the customer.")));
	return smarkpi_flat_reserve(fcinfo, st, HOLDOUT_SIZE(st->n), HOLDOUT_SIZE(need));
}

/* Appends order o with its amount x (amount d); returns the state. */
static HoldoutState *
push_order(FunctionCallInfo fcinfo, HoldoutState *st, HoldoutOrder o, const NumericParts *x,
		   Datum d)
{
	struct varlena *num;
	Size		size;

	if (x->fits && x->dscale <= SMARKPI_INT64_MONEY_DIGITS && x->unscaled <= PG_INT64_MAX)
	{
		o.amount = (int64) x->unscaled;
		o.dscale = (int16) x->dscale;
		st = reserve(fcinfo, st, 1);
		st->orders[st->n++] = o;
		return st;
	}
	/* the numeric the parts detoasted, if they did */
	num = PG_DETOAST_DATUM_PACKED(x->datum != (Datum) 0 ? x->datum : d);
	size = VARSIZE_ANY(num);
	o.amount = (int64) size;
	o.dscale = BIG_AMOUNT;
	st = reserve(fcinfo, st, order_slots(&o));
	st->orders[st->n] = o;
	memcpy(&st->orders[st->n + 1], num, size);
	st->n += order_slots(&o);
	return st;
}

/*
 * Transition: (state, ordered_at, amount, calibration_end, holdout_end).
 * Rows with a NULL argument are ignored, as rfm's.
 */
PG_FUNCTION_INFO_V1(smarkpi_rfm_holdout_trans);
Datum
smarkpi_rfm_holdout_trans(PG_FUNCTION_ARGS)
{
	HoldoutState *st;
	TimestampTz ordered,
				calibration_end,
				holdout_end;
	HoldoutOrder o = {0};
	NumericParts amount;

	smarkpi_agg_context(fcinfo, "smarkpi_rfm_holdout_trans");
	st = smarkpi_flat_arg(fcinfo, 0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		return smarkpi_flat_result(fcinfo, st);
	calibration_end = PG_GETARG_TIMESTAMPTZ(3);
	holdout_end = PG_GETARG_TIMESTAMPTZ(4);
	check_ends(calibration_end, holdout_end);
	if (st == NULL)
		st = holdout_new();
	set_ends(st, calibration_end, holdout_end);
	ordered = PG_GETARG_TIMESTAMPTZ(1);
	/* checked before the holdout_end filter, as rfm() checks its rows */
	if (!smarkpi_row_ts_ok(ordered, "ordered_at") ||
		!smarkpi_row_money_parts(PG_GETARG_DATUM(2), "amount", true, &amount) ||
		ordered > holdout_end)
		return smarkpi_flat_result(fcinfo, st);
	o.day = smarkpi_utc_day(ordered);
	o.in_holdout = ordered > calibration_end ? 1 : 0;
	st = push_order(fcinfo, st, o, &amount, PG_GETARG_DATUM(2));
	return smarkpi_flat_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_rfm_holdout_combine);
Datum
smarkpi_rfm_holdout_combine(PG_FUNCTION_ARGS)
{
	HoldoutState *st;
	HoldoutState *other;

	smarkpi_agg_context(fcinfo, "smarkpi_rfm_holdout_combine");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);
	if (other == NULL)
		return smarkpi_flat_result(fcinfo, st);
	if (st == NULL)
		st = holdout_new();
	if (other->has_ends)
		set_ends(st, other->calibration_end, other->holdout_end);
	if (other->n > 0)
	{
		st = reserve(fcinfo, st, other->n);
		memcpy(st->orders + st->n, other->orders, sizeof(HoldoutOrder) * other->n);
		st->n += other->n;
	}
	return smarkpi_flat_result(fcinfo, st);
}

/*
 * ---- outside forms: version, ends flag, the ends, the order count, then
 * each order (day, period, dscale, amount; a big amount: dscale 255, the
 * int4 length of its numeric's binary form, then that form) ----
 */

/* unscaled / 10^dscale as a numeric */
static Datum
scaled_amount(int64 unscaled, int dscale)
{
	ExactSum	s = {unscaled, dscale, NULL};

	return NumericGetDatum(smarkpi_exactsum_to_numeric(&s));
}

static Datum
order_amount(const HoldoutOrder *o)
{
	/* the numeric's varlena bytes fill the slots after o */
	if (o->dscale == BIG_AMOUNT)
		return PointerGetDatum(o + 1);
	return scaled_amount(o->amount, o->dscale);
}

static int64
order_count(const HoldoutState *st)
{
	const HoldoutOrder *o;
	int64		n = 0;

	for (o = FIRST_ORDER(st); o; o = NEXT_ORDER(st, o))
		n++;
	return n;
}

static bytea *
holdout_send(const void *state)
{
	const HoldoutState *st = state;
	StringInfoData buf;
	const HoldoutOrder *o;

	smarkpi_wire_begin(&buf);
	pq_sendbyte(&buf, st->has_ends ? 1 : 0);
	pq_sendint64(&buf, st->calibration_end);
	pq_sendint64(&buf, st->holdout_end);
	pq_sendint64(&buf, order_count(st));
	for (o = FIRST_ORDER(st); o; o = NEXT_ORDER(st, o))
	{
		pq_sendint32(&buf, o->day);
		pq_sendbyte(&buf, o->in_holdout);
		if (o->dscale == BIG_AMOUNT)
		{
			pq_sendbyte(&buf, BIG_AMOUNT_WIRE);
			smarkpi_wire_send_sized_numeric(&buf, order_amount(o));
			continue;
		}
		pq_sendbyte(&buf, o->dscale);
		pq_sendint64(&buf, o->amount);
	}
	return pq_endtypsend(&buf);
}

static void *
holdout_recv(StringInfo buf)
{
	const char *what = HOLDOUT_TYPNAME;
	HoldoutState *st = holdout_new();
	int			has_ends = smarkpi_wire_byte(buf, what);
	TimestampTz calibration_end = smarkpi_wire_int64(buf, what);
	TimestampTz holdout_end = smarkpi_wire_int64(buf, what);
	int64		n = smarkpi_wire_int64(buf, what),
				i;

	if (has_ends > 1 || (has_ends &&
						 (TIMESTAMP_NOT_FINITE(calibration_end) ||
						  TIMESTAMP_NOT_FINITE(holdout_end) || calibration_end > holdout_end)) ||
		n < 0 || (!has_ends && n > 0))
		smarkpi_binary_corrupt(HOLDOUT_TYPNAME, "Invalid ends or order count.");
	smarkpi_wire_check_count(buf, n, SMARKPI_WIRE_INT32 + 2 + SMARKPI_WIRE_INT64, false, what);
	if (n > HOLDOUT_MAX_ORDERS)
		smarkpi_state_corrupt(what, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "Too many orders.");
	st->has_ends = has_ends == 1;
	st->calibration_end = calibration_end;
	st->holdout_end = holdout_end;
	for (i = 0; i < n; i++)
	{
		HoldoutOrder o = {0};
		int			dscale;
		NumericParts x;
		Datum		d;

		o.day = smarkpi_wire_int32(buf, what);
		o.in_holdout = smarkpi_wire_byte(buf, what);
		dscale = smarkpi_wire_byte(buf, what);
		if (o.in_holdout > 1 ||
			o.day < smarkpi_utc_day(MIN_TIMESTAMP) || o.day > smarkpi_utc_day(holdout_end) ||
			(o.in_holdout == 0 && o.day > smarkpi_utc_day(calibration_end)) ||
			(o.in_holdout == 1 && o.day < smarkpi_utc_day(calibration_end)) ||
			(dscale > SMARKPI_INT64_MONEY_DIGITS && dscale != BIG_AMOUNT_WIRE))
			smarkpi_binary_corrupt(HOLDOUT_TYPNAME, "Invalid order.");
		d = dscale == BIG_AMOUNT_WIRE ? smarkpi_wire_sized_numeric(buf, what) :
			scaled_amount(smarkpi_wire_int64(buf, what), dscale);
		smarkpi_numeric_parts(d, &x);
		if (x.special != NUMERIC_PARTS_FINITE || x.negative)
			smarkpi_binary_corrupt(HOLDOUT_TYPNAME, "Amounts must be finite and not negative.");
		st = push_order(NULL, st, o, &x, d);
	}
	return st;
}

static const SmarkpiFlatKind holdout_kind = {HOLDOUT_TYPNAME, holdout_send, holdout_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_rfm_holdout_summary, holdout_kind);

/* ---- the value ---- */

static int
cmp_int32(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return (x > y) - (x < y);
}

/* The calibration summary: a smarkpi_rfm of the calibration orders (n > 0). */
static Datum
calibration_value(const HoldoutState *st, TupleDesc result, int ncal)
{
	Oid			rfm_type = TupleDescAttr(result, 0)->atttypid;
	TupleDesc	rfm_desc = lookup_rowtype_tupdesc_copy(rfm_type, -1);
	RfmOrder   *orders = palloc(sizeof(RfmOrder) * ncal);
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	const HoldoutOrder *o;
	int			k = 0;

	for (o = FIRST_ORDER(st); o; o = NEXT_ORDER(st, o))
		if (!o->in_holdout)
		{
			orders[k].day = o->day;
			orders[k++].amount = order_amount(o);
		}
	smarkpi_rfm_of_orders(orders, ncal, smarkpi_utc_day(st->calibration_end), values);
	rfm_desc = BlessTupleDesc(rfm_desc);
	return HeapTupleGetDatum(heap_form_tuple(rfm_desc, values, nulls));
}

PG_FUNCTION_INFO_V1(smarkpi_rfm_holdout_final);
Datum
smarkpi_rfm_holdout_final(PG_FUNCTION_ARGS)
{
	HoldoutState *st = smarkpi_flat_arg(fcinfo, 0);
	TupleDesc	tupdesc;
	int32	   *days;
	int			ncal = 0,
				nhold = 0,
				ndays = 0,
				i;
	const HoldoutOrder *o;
	ExactSum	spend;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (st == NULL)
		PG_RETURN_NULL();
	smarkpi_exactsum_zero(&spend);
	if (st->n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many orders for one customer in rfm_holdout")));
	days = palloc(sizeof(int32) * Max(st->n, 1));
	for (o = FIRST_ORDER(st); o; o = NEXT_ORDER(st, o))
	{
		NumericParts x;

		if (!o->in_holdout)
		{
			ncal++;
			continue;
		}
		days[nhold++] = o->day;
		if (o->dscale == BIG_AMOUNT)
			smarkpi_numeric_parts(order_amount(o), &x);
		else
			smarkpi_numeric_parts_scaled(o->amount, o->dscale, &x);
		smarkpi_exactsum_addsub(&spend, &x, 1);
	}
	if (ncal == 0)
		PG_RETURN_NULL();
	qsort(days, nhold, sizeof(int32), cmp_int32);
	for (i = 0; i < nhold; i++)
		if (i == 0 || days[i] != days[i - 1])
			ndays++;
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = calibration_value(st, tupdesc, ncal);
	values[1] = Int32GetDatum(ndays);
	values[2] = NumericGetDatum(smarkpi_exactsum_to_numeric(&spend));
	values[3] = Float8GetDatum((double) (smarkpi_utc_day(st->holdout_end) -
										 smarkpi_utc_day(st->calibration_end)));
	return smarkpi_clv_composite_result(fcinfo, values, nulls);
}
