/*
 * growth.c
 *		Growth and unit economics: the window functions growth_rate and
 *		magic_number, and the plain functions cagr and cac_payback_months.
 *
 *	growth_rate(v[, periods])	(v - earlier) / abs(earlier), earlier = v
 *								`periods` rows before in the window order
 *	magic_number(rev, spend)	(rev - previous rev) x 4 / previous spend
 *	cagr(start, end, periods)	(end / start) ^ (1 / periods) - 1
 *	cac_payback_months(cac, monthly revenue per customer, gross margin)
 *								cac / (monthly revenue x gross margin)
 *
 * Numeric inputs are combined in numeric and only the final ratio is
 * converted to double precision, so no float drift enters the difference.
 */
#include "smarkpi.h"

#include <math.h>

#include "core/exactsum.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/float.h"
#include "windowapi.h"

static Numeric
num_op(PGFunction op, Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(op, NumericGetDatum(a), NumericGetDatum(b)));
}

static Datum
numeric_to_float8(Numeric n)
{
	return DirectFunctionCall1(numeric_float8, NumericGetDatum(n));
}

/*
 * The window frame-independent look-back: the current value and the value
 * `periods` rows earlier in the partition.  Returns false when either is
 * NULL or there is no such row.
 */
static bool
current_and_earlier(WindowObject winobj, int argno, int32 periods,
					Datum *cur, Datum *earlier)
{
	bool		isnull,
				isout;

	*cur = WinGetFuncArgCurrent(winobj, argno, &isnull);
	if (isnull)
		return false;
	*earlier = WinGetFuncArgInPartition(winobj, argno, -periods, WINDOW_SEEK_CURRENT,
										false, &isnull, &isout);
	return !isnull && !isout;
}

/* periods from argument 1 when given; NULL periods makes the result NULL. */
static bool
growth_periods(FunctionCallInfo fcinfo, WindowObject winobj, int32 *periods)
{
	bool		isnull;

	*periods = 1;
	if (PG_NARGS() < 2)
		return true;
	*periods = DatumGetInt32(WinGetFuncArgCurrent(winobj, 1, &isnull));
	if (isnull)
		return false;
	if (*periods < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("periods must be at least 1"),
				 errdetail("Got %d.", *periods)));
	return true;
}

PG_FUNCTION_INFO_V1(smarkpi_growth_rate_numeric);
Datum
smarkpi_growth_rate_numeric(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int32		periods;
	Datum		cur,
				earlier;
	Numeric		e;

	if (!growth_periods(fcinfo, winobj, &periods) ||
		!current_and_earlier(winobj, 0, periods, &cur, &earlier))
		PG_RETURN_NULL();
	e = DatumGetNumeric(earlier);
	if (!smarkpi_row_money_ok(DatumGetNumeric(cur), "value", false) ||
		!smarkpi_row_money_ok(e, "value", false) || smarkpi_numeric_is_zero(e))
		PG_RETURN_NULL();
	return numeric_to_float8(num_op(numeric_div, num_op(numeric_sub, DatumGetNumeric(cur), e),
									DatumGetNumeric(DirectFunctionCall1(numeric_abs,
																		NumericGetDatum(e)))));
}

PG_FUNCTION_INFO_V1(smarkpi_growth_rate_float8);
Datum
smarkpi_growth_rate_float8(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int32		periods;
	Datum		cur,
				earlier;
	double		c,
				e;

	if (!growth_periods(fcinfo, winobj, &periods) ||
		!current_and_earlier(winobj, 0, periods, &cur, &earlier))
		PG_RETURN_NULL();
	c = DatumGetFloat8(cur);
	e = DatumGetFloat8(earlier);
	if (!smarkpi_row_float_ok(c, "value") || !smarkpi_row_float_ok(e, "value") || e == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((c - e) / fabs(e));
}

/* magic_number: NULL on the first row, with NULL inputs, or a zero previous spend. */
PG_FUNCTION_INFO_V1(smarkpi_magic_number);
Datum
smarkpi_magic_number(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	Datum		rev,
				prev_rev,
				spend,
				prev_spend;
	Numeric		ps;
	NumericParts spend_parts;
	bool		isnull;

	/*
	 * each row's own spend is checked, the last one's too (no row divides by
	 * it)
	 */
	spend = WinGetFuncArgCurrent(winobj, 1, &isnull);
	if (!isnull && !smarkpi_row_money_ok(DatumGetNumeric(spend), "sales_marketing_spend", true))
		PG_RETURN_NULL();
	if (!current_and_earlier(winobj, 0, 1, &rev, &prev_rev))
		PG_RETURN_NULL();

	/*
	 * The earlier row's values live in the window's temporary slot, which the
	 * next fetch of an earlier row overwrites: copy the revenue out first.
	 */
	prev_rev = datumCopy(prev_rev, false, -1);
	if (!current_and_earlier(winobj, 1, 1, &spend, &prev_spend))
		PG_RETURN_NULL();
	if (!smarkpi_row_money_ok(DatumGetNumeric(rev), "revenue", false) ||
		!smarkpi_row_money_ok(DatumGetNumeric(prev_rev), "revenue", false) ||
		!smarkpi_row_money_parts(prev_spend, "sales_marketing_spend", true, &spend_parts))
		PG_RETURN_NULL();
	ps = DatumGetNumeric(prev_spend);
	if (smarkpi_numeric_is_zero(ps))
		PG_RETURN_NULL();
	return numeric_to_float8(num_op(numeric_div,
									num_op(numeric_mul,
										   num_op(numeric_sub, DatumGetNumeric(rev),
												  DatumGetNumeric(prev_rev)),
										   int64_to_numeric(4)),
									ps));
}

/* cagr(start_value, end_value, periods) = (end / start) ^ (1 / periods) - 1 */
PG_FUNCTION_INFO_V1(smarkpi_cagr);
Datum
smarkpi_cagr(PG_FUNCTION_ARGS)
{
	Numeric		start = PG_GETARG_NUMERIC(0);
	Numeric		end = PG_GETARG_NUMERIC(1);
	double		periods = PG_GETARG_FLOAT8(2);
	double		ratio;

	if (!smarkpi_row_money_ok(start, "start_value", true) ||
		!smarkpi_row_money_ok(end, "end_value", true) ||
		!smarkpi_row_float_ok(periods, "periods"))
		PG_RETURN_NULL();
	if (smarkpi_numeric_is_zero(start) &&
		!smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE, "start_value must be positive",
							  "Got 0: growth from nothing has no rate."))
		PG_RETURN_NULL();
	if (periods <= 0.0 &&
		!smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE, "periods must be positive",
							  psprintf("Got %s.", float8out_internal(periods))))
		PG_RETURN_NULL();
	ratio = DatumGetFloat8(numeric_to_float8(num_op(numeric_div, end, start)));
	PG_RETURN_FLOAT8(pow(ratio, 1.0 / periods) - 1.0);
}

/* cac_payback_months = cac / (monthly_revenue_per_customer x gross_margin) */
PG_FUNCTION_INFO_V1(smarkpi_cac_payback_months);
Datum
smarkpi_cac_payback_months(PG_FUNCTION_ARGS)
{
	Numeric		cac = PG_GETARG_NUMERIC(0);
	Numeric		mrpc = PG_GETARG_NUMERIC(1);
	double		margin = PG_GETARG_FLOAT8(2);
	Numeric		monthly_profit;

	if (isnan(margin) || margin <= 0.0 || margin > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gross_margin must be greater than 0 and at most 1"),
				 errdetail("Got %s.", float8out_internal(margin))));
	if (!smarkpi_row_money_ok(cac, "cac", true) ||
		!smarkpi_row_money_ok(mrpc, "monthly_revenue_per_customer", true) ||
		smarkpi_numeric_is_zero(mrpc))
		PG_RETURN_NULL();
	monthly_profit = num_op(numeric_mul, mrpc,
							DatumGetNumeric(DirectFunctionCall1(float8_numeric,
																Float8GetDatum(margin))));
	return numeric_to_float8(num_op(numeric_div, cac, monthly_profit));
}
