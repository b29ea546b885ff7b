/*
 * clv/predict.c
 *		Reading smarkpi_rfm and smarkpi_clv_model values, and the prediction functions
 *		p_alive, expected_purchases, p_no_purchase, expected_spend and
 *		clv(model, customer [, months, rate]).
 */
#include "clv/clv.h"

#include <math.h>

#include "funcapi.h"
#include "utils/float.h"

static void
check_finite_double(double v, const char *argname)
{
	if (isnan(v) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", argname),
				 errdetail("Got %s.", float8out_internal(v))));
}

/* ---- reading smarkpi_rfm and smarkpi_clv_model values ---- */

static Datum
attr(HeapTupleHeader th, int attno, bool *isnull)
{
	return GetAttributeByNum(th, attno, isnull);
}

/*
 * Reads and checks a customer summary; false when a field is NULL (the
 * row is ignored, or the prediction is NULL).
 */
bool
smarkpi_clv_read_rfm(HeapTupleHeader th, Rfm *c)
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
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									"recency must be between 0 and t",
									psprintf("Got recency %s and t %s.", float8out_internal(c->t_x),
											 float8out_internal(c->T)));
	if (c->m < 0)
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									"monetary_value must not be negative",
									psprintf("Got %s.", float8out_internal(c->m)));
	return true;
}

void
smarkpi_clv_read_model(HeapTupleHeader th, Model *m)
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
					 errmsg("smarkpi_clv_model parameters must be positive and finite"),
					 errdetail("Parameter %d is %s.", i + 1, float8out_internal(v[i])),
					 errhint("Pass a model that clv_fit() returned.")));
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

void
smarkpi_clv_check_months_discount(int32 months, double discount)
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

/* ---- prediction functions ---- */

/*
 * Extreme model parameters can overflow a prediction, and a horizon far
 * beyond the customers' history can keep 2F1's series from converging: say
 * so, never return NaN or an inaccurate value.
 */
Datum
smarkpi_clv_finite_result(double v)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("CLV prediction out of range"),
				 errdetail("The model parameters are too extreme, or the horizon too long, for a "
						   "finite and converged result.")));
	PG_RETURN_FLOAT8(v);
}

PG_FUNCTION_INFO_V1(smarkpi_p_alive);
Datum
smarkpi_p_alive(PG_FUNCTION_ARGS)
{
	Model		m;
	Rfm			c;

	smarkpi_clv_read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m);
	if (!smarkpi_clv_read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c) || !m.bg_ok)
		PG_RETURN_NULL();
	return smarkpi_clv_finite_result(smarkpi_bgnbd_p_alive(&m.bg, c.x, c.t_x, c.T));
}

static double
horizon_arg(FunctionCallInfo fcinfo, int argno)
{
	double		horizon = PG_GETARG_FLOAT8(argno);

	check_finite_double(horizon, "horizon_days");
	if (horizon < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon_days must not be negative"),
				 errdetail("Got %s.", float8out_internal(horizon))));
	return horizon;
}

PG_FUNCTION_INFO_V1(smarkpi_expected_purchases);
Datum
smarkpi_expected_purchases(PG_FUNCTION_ARGS)
{
	Model		m;
	Rfm			c;
	double		horizon = horizon_arg(fcinfo, 2);

	smarkpi_clv_read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m);
	if (!smarkpi_clv_read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c) || !m.bg_ok || m.bg.a == 1.0)
		PG_RETURN_NULL();
	return smarkpi_clv_finite_result(smarkpi_bgnbd_expected(&m.bg, c.x, c.t_x, c.T, horizon));
}

/*
 * BG/NBD: a customer drops out only right after a purchase, so no purchase
 * in the next t days is "already gone, or alive with no Poisson event in t";
 * alive, the purchase rate's posterior is Gamma(r + x, alpha + T).
 */
PG_FUNCTION_INFO_V1(smarkpi_p_no_purchase);
Datum
smarkpi_p_no_purchase(PG_FUNCTION_ARGS)
{
	Model		m;
	Rfm			c;
	double		horizon = horizon_arg(fcinfo, 2);
	double		alive,
				none_if_alive;

	smarkpi_clv_read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m);
	if (!smarkpi_clv_read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c) || !m.bg_ok)
		PG_RETURN_NULL();
	alive = smarkpi_bgnbd_p_alive(&m.bg, c.x, c.t_x, c.T);
	none_if_alive = exp((m.bg.r + c.x) * (log(m.bg.alpha + c.T) -
										  log(m.bg.alpha + c.T + horizon)));
	return smarkpi_clv_finite_result(1.0 - alive + alive * none_if_alive);
}

PG_FUNCTION_INFO_V1(smarkpi_expected_spend);
Datum
smarkpi_expected_spend(PG_FUNCTION_ARGS)
{
	Model		m;
	Rfm			c;
	double		spend;

	smarkpi_clv_read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m);
	if (!smarkpi_clv_read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c) || !m.gg_ok)
		PG_RETURN_NULL();
	spend = smarkpi_gg_expected_spend(&m.gg, c.x, c.m);
	if (isnan(spend))
		PG_RETURN_NULL();
	return smarkpi_clv_finite_result(spend);
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

	smarkpi_clv_check_months_discount(months, discount);
	smarkpi_clv_read_model(PG_GETARG_HEAPTUPLEHEADER(0), &m);
	if (!smarkpi_clv_read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c) || !m.bg_ok || !m.gg_ok ||
		m.bg.a == 1.0)
		PG_RETURN_NULL();
	spend = smarkpi_gg_expected_spend(&m.gg, c.x, c.m);
	if (isnan(spend))
		PG_RETURN_NULL();
	return smarkpi_clv_finite_result(smarkpi_clv_value(&m.bg, spend, c.x, c.t_x, c.T, months,
													   discount));
}
