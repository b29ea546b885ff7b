/*
 * velocity.c
 *		Sales (pipeline) velocity: funnel_velocity.
 *
 *	velocity = N x win_rate x avg_won_amount / avg_cycle_days	(currency per day)
 *
 *	N				rows with created_at not null
 *	closed rows		created_at, closed_at and won not null
 *	win_rate		won / closed
 *	avg_won_amount	sum(amount) / count(amount) over won rows
 *	avg_cycle_days	sum(closed_at - created_at) / closed, in days
 *
 * Substituting, velocity = N x W x S x D / (Wa x T) with W won rows, Wa won
 * rows with an amount, S their amount sum, T the cycle sum in microseconds
 * and D microseconds per day; computed in numeric so no float drift enters.
 * State (smarkpi_velocity_state): the counters, then S and T as numerics.
 */
#include "smarkpi.h"

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

enum
{
	V_N, V_CLOSED, V_WON, V_WON_AMT, V_AMT_NMAX, V_NINTS
};
enum
{
	V_AMOUNT, V_CYCLE_US, V_NNUMS
};

static void velocity_validate(const SumValues *v, int sqlstate);

static const SumStateSpec velocity_spec = {
	"smarkpi_velocity_state", V_NINTS, V_NNUMS, velocity_validate
};

static void
velocity_validate(const SumValues *v, int sqlstate)
{
	const int64 *c = v->ints;

	if (c[V_WON_AMT] < 0 || c[V_WON_AMT] > c[V_WON] || c[V_WON] > c[V_CLOSED] ||
		c[V_CLOSED] > c[V_N] || exactsum_sign(&v->sums[V_CYCLE_US]) < 0 ||
		v->sums[V_CYCLE_US].scale != 0 ||
		(c[V_CLOSED] == 0 && exactsum_sign(&v->sums[V_CYCLE_US]) != 0))
		smarkpi_state_corrupt(velocity_spec.typname, sqlstate,
							  "Counts must satisfy 0 <= won with amount <= won <= closed <= rows, and the cycle sum must be a whole, non-negative number of microseconds.");
	sumstate_validate_sum(&velocity_spec, &v->sums[V_AMOUNT], c[V_AMT_NMAX], c[V_WON_AMT], sqlstate);
}

SMARKPI_SUMSTATE_IO(velocity, velocity_spec)

/*
 * Adds (sign = 1) or removes (sign = -1) one opportunity.  Arguments:
 * created_at, closed_at, amount, won.  A row without created_at is ignored;
 * timestamps must be finite and in order and amounts not NaN or infinite
 * wherever they are given.
 */
static Datum
velocity_apply(FunctionCallInfo fcinfo, int sign)
{
	SumState   *state;
	SumValues	v;
	NumericParts amount,
				cycle;
	int64		cycle_us;
	bool		has_amount = !PG_ARGISNULL(3);
	bool		closed = !PG_ARGISNULL(2) && !PG_ARGISNULL(4);
	bool		won = closed && PG_GETARG_BOOL(4);

	smarkpi_require_agg_context(fcinfo, "smarkpi velocity transition");
	state = DatumGetSumState(PG_GETARG_DATUM(0));
	if (PG_ARGISNULL(1) || !smarkpi_row_ts_ok(PG_GETARG_TIMESTAMPTZ(1), "created_at"))
		PG_RETURN_POINTER(state);
	if (PG_ARGISNULL(2))
		cycle_us = 0;
	else if (!smarkpi_row_elapsed_us(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TIMESTAMPTZ(2),
									 "created_at", "closed_at", &cycle_us))
		PG_RETURN_POINTER(state);
	if (has_amount && !smarkpi_row_money_parts(PG_GETARG_DATUM(3), "amount", false, &amount))
		PG_RETURN_POINTER(state);
	numeric_parts_int64(cycle_us, &cycle);

	sumstate_unpack(&velocity_spec, state, &v);
	v.ints[V_N] = smarkpi_add_count(v.ints[V_N], sign, "number of rows");
	if (closed)
	{
		v.ints[V_CLOSED] += sign;
		exactsum_addsub(&v.sums[V_CYCLE_US], &cycle, sign);
	}
	if (won)
		v.ints[V_WON] += sign;
	if (won && has_amount)
	{
		v.ints[V_WON_AMT] += sign;
		if (sign > 0)
			exactsum_add(&v.sums[V_AMOUNT], &v.ints[V_AMT_NMAX], &amount);
		else if (v.ints[V_WON_AMT] == 0)
		{
			exactsum_zero(&v.sums[V_AMOUNT]);
			v.ints[V_AMT_NMAX] = 0;
		}
		else if (!exactsum_sub(&v.sums[V_AMOUNT], &v.ints[V_AMT_NMAX], &amount))
			PG_RETURN_NULL();
	}
	return sumstate_store(fcinfo, &velocity_spec, state, &v);
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_trans);
Datum
smarkpi_velocity_trans(PG_FUNCTION_ARGS)
{
	return velocity_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_inv);
Datum
smarkpi_velocity_inv(PG_FUNCTION_ARGS)
{
	return velocity_apply(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_combine);
Datum
smarkpi_velocity_combine(PG_FUNCTION_ARGS)
{
	SumState   *state;
	SumValues	v,
				o;
	int			i;

	smarkpi_require_agg_context(fcinfo, "smarkpi_velocity_combine");
	state = DatumGetSumState(PG_GETARG_DATUM(0));
	sumstate_unpack(&velocity_spec, state, &v);
	sumstate_unpack(&velocity_spec, DatumGetSumState(PG_GETARG_DATUM(1)), &o);
	for (i = V_N; i <= V_WON_AMT; i++)
		v.ints[i] = smarkpi_add_count(v.ints[i], o.ints[i], "number of rows");
	exactsum_combine(&v.sums[V_AMOUNT], &v.ints[V_AMT_NMAX], &o.sums[V_AMOUNT], o.ints[V_AMT_NMAX]);
	exactsum_plus(&v.sums[V_CYCLE_US], &o.sums[V_CYCLE_US]);
	return sumstate_store(fcinfo, &velocity_spec, state, &v);
}

static Numeric
numeric_times(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_mul, NumericGetDatum(a),
											   NumericGetDatum(b)));
}

/*
 * NULL without closed rows, with a zero mean cycle, or when deals were won
 * but none has an amount; 0 when deals closed and none was won.
 */
PG_FUNCTION_INFO_V1(smarkpi_velocity_final);
Datum
smarkpi_velocity_final(PG_FUNCTION_ARGS)
{
	SumValues	v;
	Numeric		numer;
	Numeric		denom;

	sumstate_unpack(&velocity_spec, DatumGetSumState(PG_GETARG_DATUM(0)), &v);
	if (v.ints[V_CLOSED] == 0 || exactsum_sign(&v.sums[V_CYCLE_US]) == 0)
		PG_RETURN_NULL();
	if (v.ints[V_WON] == 0)
		PG_RETURN_NUMERIC(smarkpi_numeric_zero());
	if (v.ints[V_WON_AMT] == 0)
		PG_RETURN_NULL();
	numer = numeric_times(smarkpi_int128_to_numeric((int128) v.ints[V_N] * v.ints[V_WON]),
						  numeric_times(exactsum_to_numeric(&v.sums[V_AMOUNT]), int64_to_numeric(USECS_PER_DAY)));
	denom = numeric_times(int64_to_numeric(v.ints[V_WON_AMT]), exactsum_to_numeric(&v.sums[V_CYCLE_US]));
	return DirectFunctionCall2(numeric_div, NumericGetDatum(numer), NumericGetDatum(denom));
}
