/*
 * money.c
 *		Money ratios kept exact: cac, cac_ratio.
 *
 *	cac(spend, new_customers)		 = sum(spend) / sum(new_customers)	numeric
 *	cac_ratio(lifetime_value, cost)  = sum(lifetime_value) / sum(cost)	float8
 *
 * Both sums are numeric, so the result equals PostgreSQL's own
 * sum(a) / sum(b) digit for digit, whatever the scale and row count.
 * State (smarkpi_money_state): rows, and for each sum the number of inputs
 * carrying its largest scale (see numsum_sub), then the two sums.
 */
#include "smarkpi.h"

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

enum
{
	M_ROWS, M_NUM_NMAX, M_DEN_NMAX, M_NINTS
};
enum
{
	M_NUM, M_DEN, M_NNUMS
};

static void money_validate(const SumValues *v, int sqlstate);

static const SumStateSpec money_spec = {
	"smarkpi_money_state", M_NINTS, M_NNUMS, money_validate
};

static void
money_validate(const SumValues *v, int sqlstate)
{
	if (v->ints[M_ROWS] < 0)
		smarkpi_state_corrupt(money_spec.typname, sqlstate, "The row count must not be negative.");
	numsum_validate(money_spec.typname, v->nums[M_NUM], v->ints[M_NUM_NMAX], v->ints[M_ROWS], sqlstate);
	numsum_validate(money_spec.typname, v->nums[M_DEN], v->ints[M_DEN_NMAX], v->ints[M_ROWS], sqlstate);
}

PG_FUNCTION_INFO_V1(smarkpi_money_state_in);
Datum
smarkpi_money_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(sumstate_from_cstring(&money_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_money_state_out);
Datum
smarkpi_money_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(sumstate_to_cstring(&money_spec, DatumGetSumState(PG_GETARG_DATUM(0))));
}

PG_FUNCTION_INFO_V1(smarkpi_money_state_recv);
Datum
smarkpi_money_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(sumstate_from_binary(&money_spec, (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_money_state_send);
Datum
smarkpi_money_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(sumstate_to_binary(&money_spec, DatumGetSumState(PG_GETARG_DATUM(0))));
}

/*
 * Adds (sign = 1) or removes (sign = -1) one row.  Returns NULL to make a
 * moving window recompute its frame when a removal would leave a sum's
 * display scale wrong (see numsum_sub).
 */
static Datum
money_apply(FunctionCallInfo fcinfo, Numeric num, Numeric den, int sign)
{
	SumState   *state;
	SumValues	v;

	smarkpi_require_agg_context(fcinfo, "smarkpi money transition");
	state = DatumGetSumState(PG_GETARG_DATUM(0));
	sumstate_unpack(&money_spec, state, &v);
	if (sign > 0)
	{
		v.ints[M_ROWS] = smarkpi_add_count(v.ints[M_ROWS], 1, "number of rows");
		numsum_add(&v.nums[M_NUM], &v.ints[M_NUM_NMAX], num);
		numsum_add(&v.nums[M_DEN], &v.ints[M_DEN_NMAX], den);
	}
	else if (--v.ints[M_ROWS] == 0)
		sumstate_empty(&money_spec, &v);
	else if (!numsum_sub(&v.nums[M_NUM], &v.ints[M_NUM_NMAX], num) ||
			 !numsum_sub(&v.nums[M_DEN], &v.ints[M_DEN_NMAX], den))
		PG_RETURN_NULL();
	return sumstate_store(fcinfo, &money_spec, state, &v);
}

static void
check_not_negative(Numeric n, const char *argname)
{
	if (smarkpi_numeric_is_negative(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", argname),
				 errdetail("Got %s.", numeric_normalize(n))));
}

/* cac: spend and new_customers must be finite and not negative. */
static Datum
cac_apply(FunctionCallInfo fcinfo, int sign)
{
	Numeric		spend = PG_GETARG_NUMERIC(1);
	int64		customers = PG_GETARG_INT64(2);

	smarkpi_check_money(spend, "spend");
	check_not_negative(spend, "spend");
	smarkpi_check_count(customers, "new_customers");
	return money_apply(fcinfo, spend, int64_to_numeric(customers), sign);
}

PG_FUNCTION_INFO_V1(smarkpi_cac_trans);
Datum
smarkpi_cac_trans(PG_FUNCTION_ARGS)
{
	return cac_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_cac_inv);
Datum
smarkpi_cac_inv(PG_FUNCTION_ARGS)
{
	return cac_apply(fcinfo, -1);
}

/* cac_ratio: lifetime value may be negative (a loss-making customer); cost may not. */
static Datum
cac_ratio_apply(FunctionCallInfo fcinfo, int sign)
{
	Numeric		ltv = PG_GETARG_NUMERIC(1);
	Numeric		cost = PG_GETARG_NUMERIC(2);

	smarkpi_check_money(ltv, "lifetime_value");
	smarkpi_check_money(cost, "acquisition_cost");
	check_not_negative(cost, "acquisition_cost");
	return money_apply(fcinfo, ltv, cost, sign);
}

PG_FUNCTION_INFO_V1(smarkpi_cac_ratio_trans);
Datum
smarkpi_cac_ratio_trans(PG_FUNCTION_ARGS)
{
	return cac_ratio_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_cac_ratio_inv);
Datum
smarkpi_cac_ratio_inv(PG_FUNCTION_ARGS)
{
	return cac_ratio_apply(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(smarkpi_money_combine);
Datum
smarkpi_money_combine(PG_FUNCTION_ARGS)
{
	SumState   *state;
	SumValues	v,
				o;

	smarkpi_require_agg_context(fcinfo, "smarkpi_money_combine");
	state = DatumGetSumState(PG_GETARG_DATUM(0));
	sumstate_unpack(&money_spec, state, &v);
	sumstate_unpack(&money_spec, DatumGetSumState(PG_GETARG_DATUM(1)), &o);
	v.ints[M_ROWS] = smarkpi_add_count(v.ints[M_ROWS], o.ints[M_ROWS], "number of rows");
	numsum_combine(&v.nums[M_NUM], &v.ints[M_NUM_NMAX], o.nums[M_NUM], o.ints[M_NUM_NMAX]);
	numsum_combine(&v.nums[M_DEN], &v.ints[M_DEN_NMAX], o.nums[M_DEN], o.ints[M_DEN_NMAX]);
	return sumstate_store(fcinfo, &money_spec, state, &v);
}

/* sum(num) / sum(den) as numeric, or NULL for no rows or a zero denominator. */
static Numeric
money_quotient(FunctionCallInfo fcinfo)
{
	SumValues	v;

	sumstate_unpack(&money_spec, DatumGetSumState(PG_GETARG_DATUM(0)), &v);
	if (v.ints[M_ROWS] == 0 || smarkpi_numeric_is_zero(v.nums[M_DEN]))
		return NULL;
	return DatumGetNumeric(DirectFunctionCall2(numeric_div,
											   NumericGetDatum(v.nums[M_NUM]),
											   NumericGetDatum(v.nums[M_DEN])));
}

PG_FUNCTION_INFO_V1(smarkpi_money_final_numeric);
Datum
smarkpi_money_final_numeric(PG_FUNCTION_ARGS)
{
	Numeric		q = money_quotient(fcinfo);

	if (q == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(q);
}

PG_FUNCTION_INFO_V1(smarkpi_money_final_float8);
Datum
smarkpi_money_final_float8(PG_FUNCTION_ARGS)
{
	Numeric		q = money_quotient(fcinfo);

	if (q == NULL)
		PG_RETURN_NULL();
	return DirectFunctionCall1(numeric_float8, NumericGetDatum(q));
}
