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
 * State (smarkpi_velocity_summary): the counters, then S and T as numerics.
 */
#include "smarkpi.h"

#include "core/sumstate.h"
#include "core/wire.h"
#include "utils/builtins.h"

/*
 * smarkpi_velocity_summary's counters, then its sums.  Invariant (checked by
 * velocity_validate, kept by velocity_apply): won with amount <= won <=
 * closed <= rows, and the cycle sum is whole, non-negative microseconds.
 */
enum
{
	SMARKPI_V_N, SMARKPI_V_CLOSED, SMARKPI_V_WON, SMARKPI_V_WON_AMT, SMARKPI_V_AMT_NMAX,
	SMARKPI_V_NINTS
};
enum
{
	SMARKPI_V_AMOUNT, SMARKPI_V_CYCLE_US, SMARKPI_V_NNUMS
};

/* ---- smarkpi_velocity_summary: funnel_velocity's counters and sums ---- */

static void velocity_validate(const SumValues *v, int sqlstate);

static const SumStateSpec velocity_spec = {
	"smarkpi_velocity_summary", SMARKPI_V_NINTS, SMARKPI_V_NNUMS, velocity_validate, false
};

static void
velocity_validate(const SumValues *v, int sqlstate)
{
	const int64 *c = v->ints;

	if (c[SMARKPI_V_WON_AMT] < 0 || c[SMARKPI_V_WON_AMT] > c[SMARKPI_V_WON] ||
		c[SMARKPI_V_WON] > c[SMARKPI_V_CLOSED] ||
		c[SMARKPI_V_CLOSED] > c[SMARKPI_V_N] ||
		smarkpi_exactsum_sign(&v->sums[SMARKPI_V_CYCLE_US]) < 0 ||
		v->sums[SMARKPI_V_CYCLE_US].scale != 0 ||
		(c[SMARKPI_V_CLOSED] == 0 && smarkpi_exactsum_sign(&v->sums[SMARKPI_V_CYCLE_US]) != 0))
		smarkpi_state_corrupt(velocity_spec.typname, sqlstate,
							  "Counts must satisfy 0 <= won with amount <= won <= closed <= rows, "
							  "and the cycle sum must be a whole, non-negative number of "
							  "microseconds.");
	smarkpi_sumstate_validate_sum(&velocity_spec, &v->sums[SMARKPI_V_AMOUNT], c[SMARKPI_V_AMT_NMAX],
								  c[SMARKPI_V_WON_AMT], sqlstate);
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_summary_in);
Datum
smarkpi_velocity_summary_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_sumstate_from_cstring(&velocity_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_summary_out);
Datum
smarkpi_velocity_summary_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_sumstate_to_cstring(&velocity_spec,
												  DatumGetSumState(PG_GETARG_DATUM(0))));
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_summary_recv);
Datum
smarkpi_velocity_summary_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_sumstate_from_binary(&velocity_spec,
												   (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_summary_send);
Datum
smarkpi_velocity_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_sumstate_to_binary(&velocity_spec,
												 DatumGetSumState(PG_GETARG_DATUM(0))));
}

/*
 * The common row, where the state lies: both sums still in 128 bits and no
 * count at an end (the general path below empties the amount sum when its
 * last won amount leaves, and raises count overflows).  False, the state
 * untouched, when the general path must run; *restart as in
 * smarkpi_sumstate_step.
 */
static bool
velocity_apply_in_place(SumState *state, bool closed, bool won, const NumericParts *amount,
						int64 cycle_us, int sign, bool *restart)
{
	PackedSum  *ps = smarkpi_sumstate_sums(state, SMARKPI_V_NINTS);
	int64	   *c = state->ints;
	int128		cycle = ps[SMARKPI_V_CYCLE_US].value;
	int128		amt = 0;
	int32		amt_scale = 0;
	int64		amt_nmax = 0;
	bool		with_amount = won && amount != NULL;

	*restart = false;
	if (ps[SMARKPI_V_CYCLE_US].is_numeric || c[SMARKPI_V_N] == PG_INT64_MAX ||
		c[SMARKPI_V_N] + sign < 0)
		return false;
	if (closed && (sign > 0 ? __builtin_add_overflow(cycle, cycle_us, &cycle) :
				   __builtin_sub_overflow(cycle, cycle_us, &cycle)))
		return false;
	if (with_amount &&
		(c[SMARKPI_V_WON_AMT] + sign <= 0 ||
		 !smarkpi_sumstate_step(&ps[SMARKPI_V_AMOUNT], c[SMARKPI_V_AMT_NMAX], amount, sign,
								&amt, &amt_scale, &amt_nmax, restart)))
		return false;
	if (*restart)
		return true;
	c[SMARKPI_V_N] += sign;
	if (closed)
	{
		c[SMARKPI_V_CLOSED] += sign;
		ps[SMARKPI_V_CYCLE_US].value = cycle;
	}
	if (won)
		c[SMARKPI_V_WON] += sign;
	if (with_amount)
	{
		c[SMARKPI_V_WON_AMT] += sign;
		ps[SMARKPI_V_AMOUNT].value = amt;
		ps[SMARKPI_V_AMOUNT].scale = amt_scale;
		c[SMARKPI_V_AMT_NMAX] = amt_nmax;
	}
	return true;
}

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
	bool		restart;

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
	if (velocity_apply_in_place(state, closed, won, has_amount ? &amount : NULL, cycle_us, sign,
								&restart))
	{
		if (restart)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	smarkpi_numeric_parts_int64(cycle_us, &cycle);

	smarkpi_sumstate_unpack(&velocity_spec, state, &v);
	v.ints[SMARKPI_V_N] = smarkpi_add_count(v.ints[SMARKPI_V_N], sign, "number of rows");
	if (closed)
	{
		v.ints[SMARKPI_V_CLOSED] += sign;
		smarkpi_exactsum_addsub(&v.sums[SMARKPI_V_CYCLE_US], &cycle, sign);
	}
	if (won)
		v.ints[SMARKPI_V_WON] += sign;
	if (won && has_amount)
	{
		v.ints[SMARKPI_V_WON_AMT] += sign;
		if (sign > 0)
			smarkpi_exactsum_add(&v.sums[SMARKPI_V_AMOUNT], &v.ints[SMARKPI_V_AMT_NMAX], &amount);
		else if (v.ints[SMARKPI_V_WON_AMT] == 0)
		{
			smarkpi_exactsum_zero(&v.sums[SMARKPI_V_AMOUNT]);
			v.ints[SMARKPI_V_AMT_NMAX] = 0;
		}
		else if (!smarkpi_exactsum_sub(&v.sums[SMARKPI_V_AMOUNT], &v.ints[SMARKPI_V_AMT_NMAX],
									   &amount))
			PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(smarkpi_sumstate_store(&velocity_spec, state, &v));
}

PG_FUNCTION_INFO_V1(smarkpi_funnel_velocity_trans);
Datum
smarkpi_funnel_velocity_trans(PG_FUNCTION_ARGS)
{
	return velocity_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_funnel_velocity_inv);
Datum
smarkpi_funnel_velocity_inv(PG_FUNCTION_ARGS)
{
	return velocity_apply(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(smarkpi_funnel_velocity_combine);
Datum
smarkpi_funnel_velocity_combine(PG_FUNCTION_ARGS)
{
	SumState   *state;
	SumValues	v,
				o;
	int			i;

	smarkpi_require_agg_context(fcinfo, "smarkpi_funnel_velocity_combine");
	state = DatumGetSumState(PG_GETARG_DATUM(0));
	smarkpi_sumstate_unpack(&velocity_spec, state, &v);
	smarkpi_sumstate_unpack(&velocity_spec, DatumGetSumState(PG_GETARG_DATUM(1)), &o);
	for (i = SMARKPI_V_N; i <= SMARKPI_V_WON_AMT; i++)
		v.ints[i] = smarkpi_add_count(v.ints[i], o.ints[i], "number of rows");
	smarkpi_exactsum_combine(&v.sums[SMARKPI_V_AMOUNT], &v.ints[SMARKPI_V_AMT_NMAX],
							 &o.sums[SMARKPI_V_AMOUNT], o.ints[SMARKPI_V_AMT_NMAX]);
	smarkpi_exactsum_plus(&v.sums[SMARKPI_V_CYCLE_US], &o.sums[SMARKPI_V_CYCLE_US]);
	PG_RETURN_POINTER(smarkpi_sumstate_store(&velocity_spec, state, &v));
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
PG_FUNCTION_INFO_V1(smarkpi_funnel_velocity_final);
Datum
smarkpi_funnel_velocity_final(PG_FUNCTION_ARGS)
{
	SumValues	v;
	Numeric		numer;
	Numeric		denom;

	smarkpi_sumstate_unpack(&velocity_spec, DatumGetSumState(PG_GETARG_DATUM(0)), &v);
	if (v.ints[SMARKPI_V_CLOSED] == 0 || smarkpi_exactsum_sign(&v.sums[SMARKPI_V_CYCLE_US]) == 0)
		PG_RETURN_NULL();
	if (v.ints[SMARKPI_V_WON] == 0)
		PG_RETURN_NUMERIC(smarkpi_numeric_zero());
	if (v.ints[SMARKPI_V_WON_AMT] == 0)
		PG_RETURN_NULL();
	numer = numeric_times(smarkpi_int128_to_numeric((int128) v.ints[SMARKPI_V_N] *
													v.ints[SMARKPI_V_WON]),
						  numeric_times(smarkpi_exactsum_to_numeric(&v.sums[SMARKPI_V_AMOUNT]),
										int64_to_numeric(USECS_PER_DAY)));
	denom = numeric_times(int64_to_numeric(v.ints[SMARKPI_V_WON_AMT]),
						  smarkpi_exactsum_to_numeric(&v.sums[SMARKPI_V_CYCLE_US]));
	return DirectFunctionCall2(numeric_div, NumericGetDatum(numer), NumericGetDatum(denom));
}

/* Removes a summary from a rolled-up velocity state; NULL recomputes the frame. */
PG_FUNCTION_INFO_V1(smarkpi_funnel_velocity_rollup_inv);
Datum
smarkpi_funnel_velocity_rollup_inv(PG_FUNCTION_ARGS)
{
	SumState   *state;
	SumValues	v,
				o;
	int			i;

	smarkpi_require_agg_context(fcinfo, "smarkpi_funnel_velocity_rollup_inv");
	state = DatumGetSumState(PG_GETARG_DATUM(0));
	smarkpi_sumstate_unpack(&velocity_spec, state, &v);
	smarkpi_sumstate_unpack(&velocity_spec, DatumGetSumState(PG_GETARG_DATUM(1)), &o);
	for (i = SMARKPI_V_N; i <= SMARKPI_V_WON_AMT; i++)
		if (o.ints[i] > v.ints[i])
			PG_RETURN_NULL();
	if (!smarkpi_exactsum_uncombine(&v.sums[SMARKPI_V_AMOUNT], &v.ints[SMARKPI_V_AMT_NMAX],
									&o.sums[SMARKPI_V_AMOUNT], o.ints[SMARKPI_V_AMT_NMAX]))
		PG_RETURN_NULL();
	for (i = SMARKPI_V_N; i <= SMARKPI_V_WON_AMT; i++)
		v.ints[i] -= o.ints[i];
	smarkpi_exactsum_minus(&v.sums[SMARKPI_V_CYCLE_US], &o.sums[SMARKPI_V_CYCLE_US]);
	PG_RETURN_POINTER(smarkpi_sumstate_store(&velocity_spec, state, &v));
}
