/*
 * clv.c
 *		Predictive customer lifetime value in SQL: the rfm() summary
 *		aggregate, clv_fit() and clv() aggregates, and the prediction
 *		functions p_alive, expected_purchases, expected_spend and clv.
 *
 * rfm(ordered_at, amount, observed_until), per customer, times in days:
 *	purchase days = distinct UTC dates of orders up to observed_until, with
 *					their amounts summed
 *	frequency	  = purchase days - 1 (repeat purchase days)
 *	recency		  = last purchase day - first purchase day
 *	t			  = UTC date of observed_until - first purchase day
 *	monetary_value = mean amount of the repeat purchase days (0 without),
 *					 summed exactly in numeric and divided once, so the value
 *					 does not depend on row order or on the plan
 *
 * Why internal states: rfm() must remember each purchase day of a customer,
 * and clv_fit()/clv() each distinct summary with its number of customers --
 * both grow with the data, and a by-value SQL type would be copied whole at
 * every row.  Both states are serialized to bytea for parallel query.
 * clv_fit's memory is bounded by the number of distinct summaries, not of
 * customers.
 */
#include "smarkpi.h"

#include <math.h>

#include "access/htup_details.h"
#include "clv_model.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

/* Below these the data cannot identify the model: not converged, NULL parameters. */
#define BGNBD_MIN_CUSTOMERS 10
#define GG_MIN_CUSTOMERS 10

static void
check_finite_double(double v, const char *argname)
{
	if (isnan(v) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", argname),
				 errdetail("Got %s.", float8out_internal(v))));
}

/* ================= rfm(ordered_at, amount, observed_until) ================= */

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
	st->amounts[st->n] = PointerGetDatum(MemoryContextAlloc(ctx, VARSIZE_ANY(DatumGetPointer(amount))));
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
		rfm_push(st, utc_day(ordered), PointerGetDatum(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(2))));
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

PG_FUNCTION_INFO_V1(smarkpi_rfm_serialize);
Datum
smarkpi_rfm_serialize(PG_FUNCTION_ARGS)
{
	RfmState   *st = (RfmState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SMARKPI_BINARY_VERSION);
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

	smarkpi_state_reader(b, &buf, 14, "rfm state");
	st->has_observed = pq_getmsgbyte(&buf) != 0;
	st->observed_until = pq_getmsgint64(&buf);
	n = pq_getmsgint(&buf, 4);
	if (n < 0 || (int64) n * 8 > buf.len - buf.cursor)
		smarkpi_state_corrupt("rfm state", ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "The order count does not match the data.");
	for (i = 0; i < n; i++)
	{
		int32		day = pq_getmsgint(&buf, 4);
		int32		len = pq_getmsgint(&buf, 4);
		StringInfoData amount;

		if (len < 0 || len > buf.len - buf.cursor)
			smarkpi_state_corrupt("rfm state", ERRCODE_INVALID_BINARY_REPRESENTATION,
								  "An order's amount is truncated.");
		initReadOnlyStringInfo(&amount, (char *) pq_getmsgbytes(&buf, len), len);
		rfm_push(st, day, DirectFunctionCall3(numeric_recv, PointerGetDatum(&amount),
											  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	}
	if (buf.cursor != buf.len)
		smarkpi_state_corrupt("rfm state", ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "The order count does not match the data.");
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
static Datum
composite_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
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
	return composite_result(fcinfo, values, nulls);
}

/* ================= reading rfm and clv_model values ================= */

typedef struct Rfm
{
	double		x,
				t_x,
				T,
				m;
} Rfm;

static Datum
attr(HeapTupleHeader th, int attno, bool *isnull)
{
	return GetAttributeByNum(th, attno, isnull);
}

/*
 * Reads and checks a customer summary; false when a field is NULL (the
 * row is ignored, or the prediction is NULL).
 */
static bool
read_rfm(HeapTupleHeader th, Rfm *c)
{
	bool		isnull[4];
	Datum		x = attr(th, 1, &isnull[0]),
				tx = attr(th, 2, &isnull[1]),
				t = attr(th, 3, &isnull[2]),
				m = attr(th, 4, &isnull[3]);

	if (isnull[0] || isnull[1] || isnull[2] || isnull[3])
		return false;
	c->x = DatumGetInt32(x);
	c->t_x = DatumGetFloat8(tx);
	c->T = DatumGetFloat8(t);
	c->m = DatumGetFloat8(m);
	if (!smarkpi_row_float_ok(c->t_x, "recency") || !smarkpi_row_float_ok(c->T, "t") ||
		!smarkpi_row_float_ok(c->m, "monetary_value") ||
		!smarkpi_row_count_ok((int64) c->x, "frequency"))
		return false;
	if (c->T <= 0)
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE, "t must be positive",
									psprintf("Got %s.", float8out_internal(c->T)));
	if (c->t_x < 0 || c->t_x > c->T)
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE, "recency must be between 0 and t",
									psprintf("Got recency %s and t %s.", float8out_internal(c->t_x),
											 float8out_internal(c->T)));
	if (c->m < 0)
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE, "monetary_value must not be negative",
									psprintf("Got %s.", float8out_internal(c->m)));
	return true;
}

typedef struct Model
{
	bool		bg_ok;
	bool		gg_ok;
	BgnbdParams bg;
	GammaGammaParams gg;
} Model;

static void
read_model(HeapTupleHeader th, Model *m)
{
	bool		isnull[7];
	double		v[7];
	int			i;

	for (i = 0; i < 7; i++)
	{
		Datum		d = attr(th, i + 1, &isnull[i]);

		v[i] = isnull[i] ? 0.0 : DatumGetFloat8(d);
		if (!isnull[i] && (!isfinite(v[i]) || v[i] <= 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("clv_model parameters must be positive and finite"),
					 errdetail("Parameter %d is %s.", i + 1, float8out_internal(v[i]))));
	}
	m->bg_ok = !isnull[0] && !isnull[1] && !isnull[2] && !isnull[3];
	m->gg_ok = !isnull[4] && !isnull[5] && !isnull[6];
	m->bg.r = v[0];
	m->bg.alpha = v[1];
	m->bg.a = v[2];
	m->bg.b = v[3];
	m->gg.p = v[4];
	m->gg.q = v[5];
	m->gg.gamma = v[6];
}

/* 100 years of months: beyond that a CLV horizon is meaningless. */
#define CLV_MAX_MONTHS 1200

static void
check_months_discount(int32 months, double discount)
{
	if (months < 0 || months > CLV_MAX_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("months must be between 0 and %d", CLV_MAX_MONTHS),
				 errdetail("Got %d.", months)));
	if (isnan(discount) || isinf(discount) || discount <= -1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("monthly_discount_rate must be greater than -1"),
				 errdetail("Got %s.", float8out_internal(discount))));
}

/* ================= prediction functions ================= */

/*
 * Extreme model parameters can overflow a prediction, and a horizon far
 * beyond the customers' history can keep 2F1's series from converging: say
 * so, never return NaN or an inaccurate value.
 */
static Datum
finite_result(double v)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("CLV prediction out of range"),
				 errdetail("The model parameters are too extreme, or the horizon too long, for a finite and converged result.")));
	PG_RETURN_FLOAT8(v);
}

PG_FUNCTION_INFO_V1(smarkpi_p_alive);
Datum
smarkpi_p_alive(PG_FUNCTION_ARGS)
{
	Model		m;
	Rfm			c;

	read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m);
	if (!read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c) || !m.bg_ok)
		PG_RETURN_NULL();
	return finite_result(bgnbd_p_alive(&m.bg, c.x, c.t_x, c.T));
}

PG_FUNCTION_INFO_V1(smarkpi_expected_purchases);
Datum
smarkpi_expected_purchases(PG_FUNCTION_ARGS)
{
	Model		m;
	Rfm			c;
	double		horizon = PG_GETARG_FLOAT8(2);

	check_finite_double(horizon, "horizon_days");
	if (horizon < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon_days must not be negative"),
				 errdetail("Got %s.", float8out_internal(horizon))));
	read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m);
	if (!read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c) || !m.bg_ok || m.bg.a == 1.0)
		PG_RETURN_NULL();
	return finite_result(bgnbd_expected(&m.bg, c.x, c.t_x, c.T, horizon));
}

PG_FUNCTION_INFO_V1(smarkpi_expected_spend);
Datum
smarkpi_expected_spend(PG_FUNCTION_ARGS)
{
	Model		m;
	Rfm			c;
	double		spend;

	read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m);
	if (!read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c) || !m.gg_ok)
		PG_RETURN_NULL();
	spend = gg_expected_spend(&m.gg, c.x, c.m);
	if (isnan(spend))
		PG_RETURN_NULL();
	return finite_result(spend);
}

/* clv(model, customer[, months, monthly_discount_rate]) */
PG_FUNCTION_INFO_V1(smarkpi_clv_predict);
Datum
smarkpi_clv_predict(PG_FUNCTION_ARGS)
{
	Model		m;
	Rfm			c;
	int32		months = PG_NARGS() > 2 ? PG_GETARG_INT32(2) : 12;
	double		discount = PG_NARGS() > 3 ? PG_GETARG_FLOAT8(3) : 0.01;
	double		spend;

	check_months_discount(months, discount);
	read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m);
	if (!read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c) || !m.bg_ok || !m.gg_ok || m.bg.a == 1.0)
		PG_RETURN_NULL();
	spend = gg_expected_spend(&m.gg, c.x, c.m);
	if (isnan(spend))
		PG_RETURN_NULL();
	return finite_result(clv_value(&m.bg, spend, c.x, c.t_x, c.T, months, discount));
}

/* ================= clv_fit(customer) and clv(customer[, months, rate]) ================= */

typedef struct ClvKey
{
	int32		x;
	int32		pad;			/* zero: keys are hashed as bytes */
	double		t_x;
	double		T;
	double		m;
} ClvKey;

typedef struct ClvEntry
{
	ClvKey		key;
	int64		count;
} ClvEntry;

typedef struct ClvState
{
	HTAB	   *summaries;
	int64		customers;
	int32		months;
	double		discount;
	bool		has_terms;
} ClvState;

static ClvState *
clv_state_new(MemoryContext ctx)
{
	ClvState   *st = MemoryContextAllocZero(ctx, sizeof(ClvState));
	HASHCTL		ctl;

	ctl.keysize = sizeof(ClvKey);
	ctl.entrysize = sizeof(ClvEntry);
	ctl.hcxt = ctx;
	st->summaries = hash_create("smarkpi clv summaries", 64, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	return st;
}

static void
clv_state_add(ClvState *st, const Rfm *c, int64 count)
{
	ClvKey		key;
	ClvEntry   *e;
	bool		found;

	memset(&key, 0, sizeof(key));
	key.x = (int32) c->x;
	key.t_x = c->t_x + 0.0;		/* folds -0 into 0 */
	key.T = c->T + 0.0;
	key.m = c->x > 0 ? c->m + 0.0 : 0.0;	/* spend is unused without repeats */
	e = hash_search(st->summaries, &key, HASH_ENTER, &found);
	e->count = (found ? e->count : 0) + count;
	st->customers += count;
}

static void
clv_state_terms(ClvState *st, int32 months, double discount)
{
	check_months_discount(months, discount);
	if (st->has_terms && (st->months != months || st->discount != discount))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("months and monthly_discount_rate must be the same in every row of clv")));
	st->months = months;
	st->discount = discount;
	st->has_terms = true;
}

/* Transition of clv_fit(customer) and clv(customer[, months, rate]). */
PG_FUNCTION_INFO_V1(smarkpi_clv_trans);
Datum
smarkpi_clv_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_clv_trans");
	ClvState   *st = PG_ARGISNULL(0) ? NULL : (ClvState *) PG_GETARG_POINTER(0);
	Rfm			c;

	if (PG_NARGS() > 2 && (PG_ARGISNULL(2) || PG_ARGISNULL(3)))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("months and monthly_discount_rate must not be NULL")));
	if (PG_ARGISNULL(1) || !read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = clv_state_new(ctx);
	if (PG_NARGS() > 2)
		clv_state_terms(st, PG_GETARG_INT32(2), PG_GETARG_FLOAT8(3));
	clv_state_add(st, &c, 1);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_combine);
Datum
smarkpi_clv_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_clv_combine");
	ClvState   *st = PG_ARGISNULL(0) ? NULL : (ClvState *) PG_GETARG_POINTER(0);
	ClvState   *other = PG_ARGISNULL(1) ? NULL : (ClvState *) PG_GETARG_POINTER(1);
	HASH_SEQ_STATUS seq;
	ClvEntry   *e;

	if (other == NULL)
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = clv_state_new(ctx);
	if (other->has_terms)
		clv_state_terms(st, other->months, other->discount);
	hash_seq_init(&seq, other->summaries);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		Rfm			c = {e->key.x, e->key.t_x, e->key.T, e->key.m};

		clv_state_add(st, &c, e->count);
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_serialize);
Datum
smarkpi_clv_serialize(PG_FUNCTION_ARGS)
{
	ClvState   *st = (ClvState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	HASH_SEQ_STATUS seq;
	ClvEntry   *e;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SMARKPI_BINARY_VERSION);
	pq_sendbyte(&buf, st->has_terms);
	pq_sendint32(&buf, st->months);
	pq_sendfloat8(&buf, st->discount);
	pq_sendint64(&buf, hash_get_num_entries(st->summaries));
	hash_seq_init(&seq, st->summaries);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		pq_sendint32(&buf, e->key.x);
		pq_sendfloat8(&buf, e->key.t_x);
		pq_sendfloat8(&buf, e->key.T);
		pq_sendfloat8(&buf, e->key.m);
		pq_sendint64(&buf, e->count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(smarkpi_clv_deserialize);
Datum
smarkpi_clv_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_clv_deserialize");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	ClvState   *st = clv_state_new(ctx);
	int64		n,
				i;

	smarkpi_state_reader(b, &buf, 22, "clv state");
	st->has_terms = pq_getmsgbyte(&buf) != 0;
	st->months = pq_getmsgint(&buf, 4);
	st->discount = pq_getmsgfloat8(&buf);
	n = pq_getmsgint64(&buf);
	if (n < 0 || n * 36 != buf.len - buf.cursor)
		smarkpi_state_corrupt("clv state", ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "The summary count does not match the data.");
	for (i = 0; i < n; i++)
	{
		Rfm			c;
		int64		count;

		c.x = pq_getmsgint(&buf, 4);
		c.t_x = pq_getmsgfloat8(&buf);
		c.T = pq_getmsgfloat8(&buf);
		c.m = pq_getmsgfloat8(&buf);
		count = pq_getmsgint64(&buf);
		clv_state_add(st, &c, count);
	}
	PG_RETURN_POINTER(st);
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Index of v in the sorted, distinct array vals[0..n). */
static int
find_double(const double *vals, int n, double v)
{
	int			lo = 0,
				hi = n - 1;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (vals[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
distinct_sorted(double *vals, int n)
{
	int			k = 0,
				i;

	qsort(vals, n, sizeof(double), cmp_double);
	for (i = 0; i < n; i++)
		if (k == 0 || vals[i] != vals[k - 1])
			vals[k++] = vals[i];
	return k;
}

/* Orders summaries so a fit does not depend on hash or arrival order. */
static int
cmp_entry(const void *a, const void *b)
{
	const ClvKey *x = &((const ClvEntry *) a)->key;
	const ClvKey *y = &((const ClvEntry *) b)->key;

	if (x->x != y->x)
		return (x->x > y->x) - (x->x < y->x);
	if (x->t_x != y->t_x)
		return (x->t_x > y->t_x) - (x->t_x < y->t_x);
	if (x->T != y->T)
		return (x->T > y->T) - (x->T < y->T);
	return (x->m > y->m) - (x->m < y->m);
}

typedef struct ClvFit
{
	int64		customers;
	int64		repeat_customers;
	bool		bg_ok;
	bool		gg_ok;
	BgnbdParams bg;
	GammaGammaParams gg;
	ClvEntry   *entries;
	int			nentries;
} ClvFit;

/* Fits both models on the distinct summaries of a state. */
static void
clv_fit_state(ClvState *st, ClvFit *fit)
{
	int			n = hash_get_num_entries(st->summaries);
	HASH_SEQ_STATUS seq;
	ClvEntry   *e;
	BgnbdData	bd;
	GammaGammaData gd;
	double		sum_T = 0.0,
				sum_m = 0.0;
	int			i,
				k = 0;

	memset(fit, 0, sizeof(ClvFit));
	fit->entries = palloc(sizeof(ClvEntry) * Max(n, 1));
	hash_seq_init(&seq, st->summaries);
	while ((e = hash_seq_search(&seq)) != NULL)
		fit->entries[k++] = *e;
	qsort(fit->entries, n, sizeof(ClvEntry), cmp_entry);
	fit->nentries = n;
	fit->customers = st->customers;

	/* BG/NBD on (x, t_x, T): the spend does not matter, duplicates just add weight */
	memset(&bd, 0, sizeof(bd));
	bd.n = n;
	bd.rows = palloc(sizeof(BgnbdRow) * Max(n, 1));
	bd.xs = palloc(sizeof(double) * Max(n, 1));
	bd.times = palloc(sizeof(double) * Max(2 * n, 1));
	for (i = 0; i < n; i++)
	{
		bd.xs[i] = fit->entries[i].key.x;
		bd.times[2 * i] = fit->entries[i].key.t_x;
		bd.times[2 * i + 1] = fit->entries[i].key.T;
		sum_T += fit->entries[i].key.T * fit->entries[i].count;
		if (fit->entries[i].key.x > 0)
			fit->repeat_customers += fit->entries[i].count;
	}
	bd.nxs = distinct_sorted(bd.xs, n);
	bd.ntimes = distinct_sorted(bd.times, 2 * n);
	/* entries are sorted by (x, t_x, T, m): equal triples are adjacent, merge them */
	bd.n = 0;
	for (i = 0; i < n; i++)
	{
		const ClvKey *key = &fit->entries[i].key;
		BgnbdRow   *row;

		if (i > 0 && key->x == fit->entries[i - 1].key.x &&
			key->t_x == fit->entries[i - 1].key.t_x && key->T == fit->entries[i - 1].key.T)
		{
			bd.rows[bd.n - 1].weight += (double) fit->entries[i].count;
			continue;
		}
		row = &bd.rows[bd.n++];
		row->xi = find_double(bd.xs, bd.nxs, key->x);
		row->txi = find_double(bd.times, bd.ntimes, key->t_x);
		row->ti = find_double(bd.times, bd.ntimes, key->T);
		row->weight = (double) fit->entries[i].count;
	}
	bd.weight_x = palloc0(sizeof(double) * Max(bd.nxs, 1));
	for (i = 0; i < bd.n; i++)
		bd.weight_x[bd.rows[i].xi] += bd.rows[i].weight;
	bd.a4term = palloc(sizeof(double) * Max(bd.nxs, 1));
	bd.lntime = palloc(sizeof(double) * Max(bd.ntimes, 1));
	bd.mean_T = fit->customers > 0 ? sum_T / fit->customers : 1.0;
	fit->bg_ok = fit->customers >= BGNBD_MIN_CUSTOMERS && fit->repeat_customers > 0 &&
		bgnbd_fit(&bd, &fit->bg);

	/* Gamma-Gamma on the repeat customers with a positive mean spend */
	gd.rows = palloc(sizeof(GammaGammaRow) * Max(n, 1));
	gd.xs = palloc(sizeof(double) * Max(n, 1));
	gd.n = 0;
	for (i = 0; i < n; i++)
		if (fit->entries[i].key.x > 0 && fit->entries[i].key.m > 0)
			gd.xs[gd.n++] = fit->entries[i].key.x;
	gd.nxs = distinct_sorted(gd.xs, gd.n);
	gd.weight_x = palloc0(sizeof(double) * Max(gd.nxs, 1));
	gd.wlnm_x = palloc0(sizeof(double) * Max(gd.nxs, 1));
	gd.n = 0;
	for (i = 0; i < n; i++)
	{
		const ClvKey *key = &fit->entries[i].key;
		GammaGammaRow *row;

		if (key->x <= 0 || key->m <= 0)
			continue;
		row = &gd.rows[gd.n++];
		row->xi = find_double(gd.xs, gd.nxs, key->x);
		row->m = key->m;
		row->ln_m = log(key->m);
		row->weight = (double) fit->entries[i].count;
		gd.weight_x[row->xi] += row->weight;
		gd.wlnm_x[row->xi] += row->weight * row->ln_m;
		sum_m += key->m * fit->entries[i].count;
	}
	{
		double		gg_customers = 0.0;
		bool		varied = false;

		for (i = 0; i < gd.n; i++)
		{
			gg_customers += gd.rows[i].weight;
			varied |= gd.rows[i].m != gd.rows[0].m;
		}
		gd.mean_m = gg_customers > 0 ? sum_m / gg_customers : 1.0;
		fit->gg_ok = gg_customers >= GG_MIN_CUSTOMERS && varied && gg_fit(&gd, &fit->gg);
	}
}

PG_FUNCTION_INFO_V1(smarkpi_clv_fit_final);
Datum
smarkpi_clv_fit_final(PG_FUNCTION_ARGS)
{
	ClvState   *st = PG_ARGISNULL(0) ? NULL : (ClvState *) PG_GETARG_POINTER(0);
	ClvFit		fit;
	Datum		values[13];
	bool		nulls[13];
	int			i;

	if (st == NULL)
		PG_RETURN_NULL();
	clv_fit_state(st, &fit);
	memset(nulls, 0, sizeof(nulls));
	values[0] = Float8GetDatum(fit.bg.r);
	values[1] = Float8GetDatum(fit.bg.alpha);
	values[2] = Float8GetDatum(fit.bg.a);
	values[3] = Float8GetDatum(fit.bg.b);
	values[4] = Float8GetDatum(fit.gg.p);
	values[5] = Float8GetDatum(fit.gg.q);
	values[6] = Float8GetDatum(fit.gg.gamma);
	values[7] = Int64GetDatum(fit.customers);
	values[8] = Int64GetDatum(fit.repeat_customers);
	values[9] = Float8GetDatum(fit.bg.loglik);
	values[10] = Float8GetDatum(fit.gg.loglik);
	values[11] = BoolGetDatum(fit.bg_ok);
	values[12] = BoolGetDatum(fit.gg_ok);
	for (i = 0; i < 4; i++)
		nulls[i] = !fit.bg_ok;
	for (i = 4; i < 7; i++)
		nulls[i] = !fit.gg_ok;
	nulls[9] = !fit.bg_ok;
	nulls[10] = !fit.gg_ok;
	return composite_result(fcinfo, values, nulls);
}

/* clv(customer[, months, rate]) aggregate: the mean predicted CLV of the group. */
PG_FUNCTION_INFO_V1(smarkpi_clv_mean_final);
Datum
smarkpi_clv_mean_final(PG_FUNCTION_ARGS)
{
	ClvState   *st = PG_ARGISNULL(0) ? NULL : (ClvState *) PG_GETARG_POINTER(0);
	ClvFit		fit;
	int32		months;
	double		discount,
				total = 0.0;
	int			i;

	if (st == NULL || st->customers == 0)
		PG_RETURN_NULL();
	months = st->has_terms ? st->months : 12;
	discount = st->has_terms ? st->discount : 0.01;
	clv_fit_state(st, &fit);
	if (!fit.bg_ok || !fit.gg_ok || fit.bg.a == 1.0 || fit.gg.q <= 1.0)
		PG_RETURN_NULL();
	for (i = 0; i < fit.nentries; i++)
	{
		const ClvKey *k = &fit.entries[i].key;
		double		spend = gg_expected_spend(&fit.gg, k->x, k->m);

		total += fit.entries[i].count *
			clv_value(&fit.bg, spend, k->x, k->t_x, k->T, months, discount);
	}
	return finite_result(total / fit.customers);
}
