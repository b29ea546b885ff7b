/*
 * clv/backtest.c
 *		clv_backtest(model, customer smarkpi_rfm_holdout): the model's
 *		predictions for the holdout against what the customers did.  Per
 *		customer:
 *
 *	predicted = expected_purchases(model, calibration, holdout_days)
 *	error	  = predicted - holdout_purchases
 *	spend	  = predicted x expected_spend(model, calibration)
 *
 * and over the group: customers, the sums of predicted and actual purchases,
 * mae = mean |error|, rmse = sqrt(mean error^2), bias = mean error (above
 * zero: the model over-forecasts), predicted spend (NULL when a customer
 * has no expected spend: no Gamma-Gamma fit) and actual spend (exact).
 *
 * Sums of doubles depend on their order, and a parallel plan adds in
 * another order than a serial one: each term is rounded to a multiple of
 * 2^-48 (3.6e-15) and summed as a 128-bit integer, so every plan, a moving
 * frame's inverse included, gives the same bits.  Customers without a
 * calibration summary or a prediction (no BG/NBD fit) are not counted.
 */
#include "clv/clv.h"

#include <math.h>

#include "core/exactsum.h"
#include "executor/executor.h"
#include "libpq/pqformat.h"
#include "utils/float.h"

#define BACKTEST_TYPNAME "smarkpi_clv_backtest_summary"
#define FIXED_BITS 48
#define FIXED_MAX 0x1p70		/* |term| below it: 2^118, room for 2^9 x 2^63
								 * terms */
#define MODEL_PARAMS 7

typedef struct BacktestState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	bool		has_model;
	bool		bg_ok;
	bool		gg_ok;
	int32		spend_scale;	/* of actual_spend */
	double		params[MODEL_PARAMS];	/* r, alpha, a, b, p, q, gamma */
	int64		customers;
	int64		actual_purchases;
	int64		spend_unknown;	/* customers without an expected spend */
	int128		predicted;		/* fixed point, FIXED_BITS */
	int128		abs_error;
	int128		sq_error;
	int128		error;
	int128		predicted_spend;
	int128		actual_spend;	/* x 10^spend_scale */
} BacktestState;

static void
out_of_range(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s out of range in clv_backtest", what)));
}

static int128
fixed_of(double v, const char *what)
{
	if (!(fabs(v) < FIXED_MAX))
		out_of_range(what);
	return (int128) rint(ldexp(v, FIXED_BITS));
}

static double
double_of(int128 v)
{
	return ldexp((double) v, -FIXED_BITS);
}

static void
add_fixed(int128 *sum, int128 term, int sign, const char *what)
{
	int128		result;

	if (sign < 0 ? __builtin_sub_overflow(*sum, term, &result) :
		__builtin_add_overflow(*sum, term, &result))
		out_of_range(what);
	*sum = result;
}

static void
add_count(int64 *sum, int64 term, int sign, const char *what)
{
	*sum = smarkpi_add_count(*sum, sign < 0 ? -term : term, what);
}

static void
model_params(const Model *m, double *params)
{
	params[0] = m->bg.r;
	params[1] = m->bg.alpha;
	params[2] = m->bg.a;
	params[3] = m->bg.b;
	params[4] = m->gg.p;
	params[5] = m->gg.q;
	params[6] = m->gg.gamma;
}

static void
set_model(BacktestState *st, bool bg_ok, bool gg_ok, const double *params)
{
	if (st->has_model &&
		(st->bg_ok != bg_ok || st->gg_ok != gg_ok ||
		 memcmp(st->params, params, sizeof(st->params)) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model must be the same in every row of clv_backtest"),
				 errdetail("The rows of one group give different models."),
				 errhint("Fit the model once, e.g. in a CTE, and pass it to every customer.")));
	memcpy(st->params, params, sizeof(st->params));
	st->bg_ok = bg_ok;
	st->gg_ok = gg_ok;
	st->has_model = true;
}

static BacktestState *
backtest_new(void)
{
	return smarkpi_flat_new(sizeof(BacktestState));
}

/* What one customer adds: false when the customer is not counted. */
typedef struct CustomerTerms
{
	int64		actual;
	double		predicted;
	double		expected_spend; /* NaN when unknown */
	NumericParts spend;
} CustomerTerms;

static bool
customer_terms(HeapTupleHeader customer, const Model *m, CustomerTerms *t)
{
	bool		isnull[4];
	Datum		calibration = GetAttributeByNum(customer, 1, &isnull[0]);
	Datum		purchases = GetAttributeByNum(customer, 2, &isnull[1]);
	Datum		spend = GetAttributeByNum(customer, 3, &isnull[2]);
	Datum		days = GetAttributeByNum(customer, 4, &isnull[3]);
	double		holdout_days;
	Rfm			c;

	if (isnull[0] || isnull[1] || isnull[2] || isnull[3] ||
		!smarkpi_clv_read_rfm(DatumGetHeapTupleHeader(calibration), &c))
		return false;
	t->actual = DatumGetInt32(purchases);
	holdout_days = DatumGetFloat8(days);
	if (!smarkpi_row_count_ok(t->actual, "holdout_purchases") ||
		!smarkpi_row_float_ok(holdout_days, "holdout_days") ||
		!smarkpi_row_money_parts(spend, "holdout_spend", true, &t->spend))
		return false;
	if (holdout_days < 0)
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									"holdout_days must not be negative",
									psprintf("Got %s.", float8out_internal(holdout_days)));
	if (!m->bg_ok || m->bg.a == 1.0)
		return false;
	t->predicted = smarkpi_bgnbd_expected(&m->bg, c.x, c.t_x, c.T, holdout_days);
	smarkpi_clv_finite_result(t->predicted);
	t->expected_spend = m->gg_ok ? smarkpi_gg_expected_spend(&m->gg, c.x, c.m) : NAN;
	return true;
}

static void
apply_terms(BacktestState *st, const CustomerTerms *t, int sign)
{
	double		error = t->predicted - (double) t->actual;
	ExactSum	spend = {st->actual_spend, st->spend_scale, NULL};

	add_count(&st->customers, 1, sign, "customer count");
	add_count(&st->actual_purchases, t->actual, sign, "actual purchases");
	add_fixed(&st->predicted, fixed_of(t->predicted, "predicted purchases"), sign,
			  "predicted purchases");
	add_fixed(&st->abs_error, fixed_of(fabs(error), "error"), sign, "error");
	add_fixed(&st->sq_error, fixed_of(error * error, "squared error"), sign, "squared error");
	add_fixed(&st->error, fixed_of(error, "error"), sign, "error");
	if (isnan(t->expected_spend))
		add_count(&st->spend_unknown, 1, sign, "customer count");
	else
		add_fixed(&st->predicted_spend,
				  fixed_of(t->predicted * t->expected_spend, "predicted spend"), sign,
				  "predicted spend");
	smarkpi_exactsum_addsub(&spend, &t->spend, sign);
	if (spend.num != NULL)
		out_of_range("actual spend");
	st->actual_spend = spend.value;
	st->spend_scale = spend.scale;
}

/* (state, model, customer): sign 1 adds the customer, -1 takes it away */
static Datum
backtest_step(FunctionCallInfo fcinfo, int sign)
{
	BacktestState *st;
	Model		m;
	double		params[MODEL_PARAMS];
	CustomerTerms t;

	smarkpi_agg_context(fcinfo, "clv_backtest transition");
	st = smarkpi_flat_arg(fcinfo, 0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return smarkpi_flat_result(fcinfo, st);
	smarkpi_clv_read_model(PG_GETARG_HEAPTUPLEHEADER(1), &m);
	if (st == NULL)
		st = backtest_new();
	model_params(&m, params);
	set_model(st, m.bg_ok, m.gg_ok, params);
	if (customer_terms(PG_GETARG_HEAPTUPLEHEADER(2), &m, &t))
		apply_terms(st, &t, sign);
	return smarkpi_flat_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_backtest_trans);
Datum
smarkpi_clv_backtest_trans(PG_FUNCTION_ARGS)
{
	return backtest_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_backtest_inv);
Datum
smarkpi_clv_backtest_inv(PG_FUNCTION_ARGS)
{
	return backtest_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_backtest_combine);
Datum
smarkpi_clv_backtest_combine(PG_FUNCTION_ARGS)
{
	BacktestState *st;
	BacktestState *other;
	ExactSum	spend,
				other_spend;

	smarkpi_agg_context(fcinfo, "smarkpi_clv_backtest_combine");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);
	if (other == NULL || !other->has_model)
		return smarkpi_flat_result(fcinfo, st);
	if (st == NULL)
		st = backtest_new();
	set_model(st, other->bg_ok, other->gg_ok, other->params);
	add_count(&st->customers, other->customers, 1, "customer count");
	add_count(&st->actual_purchases, other->actual_purchases, 1, "actual purchases");
	add_count(&st->spend_unknown, other->spend_unknown, 1, "customer count");
	add_fixed(&st->predicted, other->predicted, 1, "predicted purchases");
	add_fixed(&st->abs_error, other->abs_error, 1, "error");
	add_fixed(&st->sq_error, other->sq_error, 1, "squared error");
	add_fixed(&st->error, other->error, 1, "error");
	add_fixed(&st->predicted_spend, other->predicted_spend, 1, "predicted spend");
	spend = (ExactSum)
	{
		st->actual_spend, st->spend_scale, NULL
	};
	other_spend = (ExactSum)
	{
		other->actual_spend, other->spend_scale, NULL
	};
	smarkpi_exactsum_plus(&spend, &other_spend);
	if (spend.num != NULL)
		out_of_range("actual spend");
	st->actual_spend = spend.value;
	st->spend_scale = spend.scale;
	return smarkpi_flat_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_backtest_final);
Datum
smarkpi_clv_backtest_final(PG_FUNCTION_ARGS)
{
	BacktestState *st = smarkpi_flat_arg(fcinfo, 0);
	ExactSum	spend;
	double		n;
	Datum		values[8];
	bool		nulls[8] = {false};

	if (st == NULL || st->customers == 0)
		PG_RETURN_NULL();
	n = (double) st->customers;
	spend = (ExactSum)
	{
		st->actual_spend, st->spend_scale, NULL
	};
	values[0] = Int64GetDatum(st->customers);
	values[1] = Float8GetDatum(double_of(st->predicted));
	values[2] = Int64GetDatum(st->actual_purchases);
	values[3] = Float8GetDatum(double_of(st->abs_error) / n);
	values[4] = Float8GetDatum(sqrt(double_of(st->sq_error) / n));
	values[5] = Float8GetDatum(double_of(st->error) / n);
	values[6] = Float8GetDatum(double_of(st->predicted_spend));
	nulls[6] = st->spend_unknown > 0;
	values[7] = NumericGetDatum(smarkpi_exactsum_to_numeric(&spend));
	return smarkpi_clv_composite_result(fcinfo, values, nulls);
}

/* ---- outside forms: version, flags, params, counts, sums (int128), spend scale ---- */

static bytea *
backtest_send(const void *state)
{
	const BacktestState *st = state;
	StringInfoData buf;
	int			i;

	smarkpi_wire_begin(&buf);
	pq_sendbyte(&buf, (st->has_model ? 1 : 0) | (st->bg_ok ? 2 : 0) | (st->gg_ok ? 4 : 0));
	for (i = 0; i < MODEL_PARAMS; i++)
		pq_sendfloat8(&buf, st->params[i]);
	pq_sendint64(&buf, st->customers);
	pq_sendint64(&buf, st->actual_purchases);
	pq_sendint64(&buf, st->spend_unknown);
	smarkpi_wire_put_int128(&buf, st->predicted);
	smarkpi_wire_put_int128(&buf, st->abs_error);
	smarkpi_wire_put_int128(&buf, st->sq_error);
	smarkpi_wire_put_int128(&buf, st->error);
	smarkpi_wire_put_int128(&buf, st->predicted_spend);
	smarkpi_wire_put_int128(&buf, st->actual_spend);
	pq_sendint32(&buf, st->spend_scale);
	return pq_endtypsend(&buf);
}

static void *
backtest_recv(StringInfo buf)
{
	const char *what = BACKTEST_TYPNAME;
	BacktestState *st = backtest_new();
	int			flags = smarkpi_wire_byte(buf, what);
	int			i;
	bool		params_ok = true;

	st->has_model = (flags & 1) != 0;
	st->bg_ok = (flags & 2) != 0;
	st->gg_ok = (flags & 4) != 0;
	for (i = 0; i < MODEL_PARAMS; i++)
	{
		st->params[i] = smarkpi_wire_float8(buf, what);
		params_ok = params_ok && isfinite(st->params[i]) && st->params[i] >= 0;
	}
	st->customers = smarkpi_wire_int64(buf, what);
	st->actual_purchases = smarkpi_wire_int64(buf, what);
	st->spend_unknown = smarkpi_wire_int64(buf, what);
	st->predicted = smarkpi_wire_int128(buf, what);
	st->abs_error = smarkpi_wire_int128(buf, what);
	st->sq_error = smarkpi_wire_int128(buf, what);
	st->error = smarkpi_wire_int128(buf, what);
	st->predicted_spend = smarkpi_wire_int128(buf, what);
	st->actual_spend = smarkpi_wire_int128(buf, what);
	st->spend_scale = smarkpi_wire_int32(buf, what);
	if (flags > 7 || (!st->has_model && flags != 0) || !params_ok || st->customers < 0 ||
		st->actual_purchases < 0 || st->spend_unknown < 0 ||
		st->spend_unknown > st->customers || (!st->has_model && st->customers > 0) ||
		st->predicted < 0 || st->abs_error < 0 || st->sq_error < 0 || st->predicted_spend < 0 ||
		st->actual_spend < 0 || st->spend_scale < 0 || st->spend_scale > NUMERIC_MAX_DISPLAY_SCALE)
		smarkpi_binary_corrupt(what,
							   "Invalid flags, model, counts or sums.");
	return st;
}

static const SmarkpiFlatKind backtest_kind = {BACKTEST_TYPNAME, backtest_send, backtest_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_clv_backtest_summary, backtest_kind);
