/*
 * money.c
 *		Money KPIs kept exact.
 *
 *	cac(spend, new_customers)		  = sum(spend) / sum(new_customers)	  numeric
 *	cpl(spend, leads)				  = sum(spend) / sum(leads)			  numeric
 *	avg_deal_size(amount, won)		  = sum(amount) / count, won rows	  numeric
 *	pipeline_value(amount, p)		  = sum(amount * p::numeric)		  numeric
 *	open_pipeline_value(amount, won)  = sum(amount) where won IS NULL	  numeric
 *	cac_ratio(lifetime_value, cost)   = sum(lifetime_value) / sum(cost)	  float8
 *	roas(revenue, spend)			  = sum(revenue) / sum(spend)		  float8
 *	quota_attainment(bookings, quota) = sum(bookings) / sum(quota)		  float8
 *	roi(revenue, cost)				  = (sum(revenue) - sum(cost)) / sum(cost)  float8
 *	marketing_contribution(revenue, sourced)
 *		= sum(revenue) where sourced / sum(revenue)						  float8
 *
 * All sums are numeric, so results equal PostgreSQL's own numeric formula
 * digit for digit (float8 results are that numeric quotient, converted),
 * whatever the scale and row count.
 * State (smarkpi_money_summary): rows, and for each sum the number of inputs
 * carrying its largest scale (see smarkpi_exactsum_sub), then the two sums.
 */
#include "smarkpi.h"

#include "core/sumstate.h"
#include "core/tags.h"
#include "core/wire.h"
#include "utils/builtins.h"

/* smarkpi_money_summary's counters, then its sums */
enum
{
	SMARKPI_M_ROWS, SMARKPI_M_NUM_NMAX, SMARKPI_M_DEN_NMAX, SMARKPI_M_NINTS
};
enum
{
	SMARKPI_M_NUM, SMARKPI_M_DEN, SMARKPI_M_NNUMS
};

/* ---- smarkpi_money_summary: rows, max-scale counts, numerator and denominator sums ---- */

static void money_validate(const SumValues *v, int sqlstate);

static const SumStateSpec money_spec = {
	"smarkpi_money_summary", SMARKPI_M_NINTS, SMARKPI_M_NNUMS, money_validate, true
};

static void
money_validate(const SumValues *v, int sqlstate)
{
	if (v->ints[SMARKPI_M_ROWS] < 0)
		smarkpi_state_corrupt(money_spec.typname, sqlstate, "The row count must not be negative.");
	smarkpi_sumstate_validate_sum(&money_spec, &v->sums[SMARKPI_M_NUM], v->ints[SMARKPI_M_NUM_NMAX],
								  v->ints[SMARKPI_M_ROWS], sqlstate);
	smarkpi_sumstate_validate_sum(&money_spec, &v->sums[SMARKPI_M_DEN], v->ints[SMARKPI_M_DEN_NMAX],
								  v->ints[SMARKPI_M_ROWS], sqlstate);
}

PG_FUNCTION_INFO_V1(smarkpi_money_summary_in);
Datum
smarkpi_money_summary_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_sumstate_from_cstring(&money_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_money_summary_out);
Datum
smarkpi_money_summary_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_sumstate_to_cstring(&money_spec,
												  DatumGetSumState(PG_GETARG_DATUM(0))));
}

PG_FUNCTION_INFO_V1(smarkpi_money_summary_recv);
Datum
smarkpi_money_summary_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_sumstate_from_binary(&money_spec, (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_money_summary_send);
Datum
smarkpi_money_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_sumstate_to_binary(&money_spec,
												 DatumGetSumState(PG_GETARG_DATUM(0))));
}

/* Where money_apply finds its counters, for the in-place path. */
static const int money_nmax_at[SMARKPI_M_NNUMS] = {SMARKPI_M_NUM_NMAX, SMARKPI_M_DEN_NMAX};

/*
 * Adds (sign = 1) or removes (sign = -1) one row; a NULL num leaves the
 * numerator untouched (a row that only counts in the denominator).
 * Returns NULL to make a
 * moving window recompute its frame when a removal would leave a sum's
 * display scale wrong (see smarkpi_exactsum_sub).
 */
static Datum
money_apply(FunctionCallInfo fcinfo, const NumericParts *num, const NumericParts *den, int sign)
{
	const NumericParts *x[SMARKPI_M_NNUMS] = {num, den};
	SumState   *state;
	SumValues	v;
	bool		restart;

	smarkpi_require_agg_context(fcinfo, "smarkpi money transition");
	state = DatumGetSumState(PG_GETARG_DATUM(0));
	if (smarkpi_sumstate_apply_in_place(state, SMARKPI_M_NINTS, SMARKPI_M_NNUMS, SMARKPI_M_ROWS,
										money_nmax_at, x, sign, &restart))
	{
		if (restart)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	smarkpi_sumstate_unpack(&money_spec, state, &v);
	if (sign > 0)
	{
		v.ints[SMARKPI_M_ROWS] = smarkpi_add_count(v.ints[SMARKPI_M_ROWS], 1, "number of rows");
		if (num)
			smarkpi_exactsum_add(&v.sums[SMARKPI_M_NUM], &v.ints[SMARKPI_M_NUM_NMAX], num);
		smarkpi_exactsum_add(&v.sums[SMARKPI_M_DEN], &v.ints[SMARKPI_M_DEN_NMAX], den);
	}
	else if (--v.ints[SMARKPI_M_ROWS] == 0)
		smarkpi_sumstate_empty(&money_spec, &v);
	else if ((num && !smarkpi_exactsum_sub(&v.sums[SMARKPI_M_NUM], &v.ints[SMARKPI_M_NUM_NMAX],
										   num)) ||
			 !smarkpi_exactsum_sub(&v.sums[SMARKPI_M_DEN], &v.ints[SMARKPI_M_DEN_NMAX], den))
		PG_RETURN_NULL();
	Assert(v.ints[SMARKPI_M_ROWS] >= 0);
	PG_RETURN_POINTER(smarkpi_sumstate_store(&money_spec, state, &v));
}

/* A skipped row (smarkpi.invalid_rows = skip) leaves the state as it is. */
static Datum
money_unchanged(FunctionCallInfo fcinfo)
{
	smarkpi_require_agg_context(fcinfo, "smarkpi money transition");
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

static bool
money_arg(FunctionCallInfo fcinfo, int argno, const char *argname, bool nonneg,
		  NumericParts *x)
{
	return smarkpi_row_money_parts(PG_GETARG_DATUM(argno), argname, nonneg, x);
}

static bool
count_arg(FunctionCallInfo fcinfo, int argno, const char *argname, NumericParts *x)
{
	int64		n = PG_GETARG_INT64(argno);

	if (!smarkpi_row_count_ok(n, argname))
		return false;
	smarkpi_numeric_parts_int64(n, x);
	return true;
}

/*
 * Each KPI maps its row to (numerator, denominator) contributions and
 * shares money_apply; sign 1 adds the row, -1 removes it.
 */

/* cac(spend, new_customers), cpl(spend, leads): money per counted unit */
static Datum
per_unit_apply(FunctionCallInfo fcinfo, const char *unitname, int sign)
{
	NumericParts spend,
				units;

	if (!money_arg(fcinfo, 1, "spend", true, &spend) ||
		!count_arg(fcinfo, 2, unitname, &units))
		return money_unchanged(fcinfo);
	return money_apply(fcinfo, &spend, &units, sign);
}

/* cac_ratio, roi, roas, quota_attainment: any gain over a non-negative cost */
static Datum
gain_cost_apply(FunctionCallInfo fcinfo, const char *gainname, const char *costname, int sign)
{
	NumericParts gain,
				cost;

	if (!money_arg(fcinfo, 1, gainname, false, &gain) ||
		!money_arg(fcinfo, 2, costname, true, &cost))
		return money_unchanged(fcinfo);
	return money_apply(fcinfo, &gain, &cost, sign);
}

/* avg_deal_size(amount, won): only won deals count */
static Datum
deal_size_apply(FunctionCallInfo fcinfo, int sign)
{
	NumericParts amount,
				one;

	if (!PG_GETARG_BOOL(2))
	{
		/* a lost deal only needs its amount checked, which the header tells */
		if (smarkpi_numeric_datum_is_special(PG_GETARG_DATUM(1)))
			(void) money_arg(fcinfo, 1, "amount", false, &amount);
		return money_unchanged(fcinfo);
	}
	if (!money_arg(fcinfo, 1, "amount", false, &amount))
		return money_unchanged(fcinfo);
	smarkpi_numeric_parts_int64(1, &one);
	return money_apply(fcinfo, &amount, &one, sign);
}

/*
 * pipeline_value multiplies each amount by probability::numeric, whose digits
 * are float8_numeric's.  Stage probabilities take few distinct values, so
 * each call site keeps their conversions in a small open-addressing table
 * keyed by the float8's bits: a row then costs one 128-bit multiply, with
 * numeric_mul's digits and display scale.  A full table starts over, so a
 * million distinct probabilities cost a conversion per row, as they always
 * did, in bounded memory.
 */
#define PROBABILITY_SLOTS 1024	/* a power of 2 */
#define PROBABILITY_MAX_USED (PROBABILITY_SLOTS * 3 / 4)

typedef struct CachedProbability
{
	int128		unscaled;		/* as in NumericParts */
	uint64		bits;
	int32		dscale;
	bool		fits;
	bool		used;
} CachedProbability;

typedef struct ProbabilityCache
{
	int			nused;
	CachedProbability slots[PROBABILITY_SLOTS];
} ProbabilityCache;

static CachedProbability *
probability_slot(ProbabilityCache *cache, uint64 bits)
{
	uint32		i = (uint32) ((bits * UINT64CONST(0x9E3779B97F4A7C15)) >> 54);

	while (cache->slots[i].used && cache->slots[i].bits != bits)
		i = (i + 1) & (PROBABILITY_SLOTS - 1);
	return &cache->slots[i];
}

/* probability::numeric taken apart (without its datum). */
static void
probability_parts(FunctionCallInfo fcinfo, float8 p, NumericParts *x)
{
	ProbabilityCache *cache = fcinfo->flinfo->fn_extra;
	CachedProbability *slot;
	uint64		bits;

	memcpy(&bits, &p, sizeof(bits));
	if (cache == NULL)
		cache = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ProbabilityCache));
	slot = probability_slot(cache, bits);
	if (!slot->used)
	{
		if (cache->nused == PROBABILITY_MAX_USED)
		{
			memset(cache, 0, sizeof(ProbabilityCache));
			slot = probability_slot(cache, bits);
		}
		smarkpi_numeric_parts(DirectFunctionCall1(float8_numeric, Float8GetDatum(p)), x);
		slot->unscaled = x->unscaled;
		slot->bits = bits;
		slot->dscale = x->dscale;
		slot->fits = x->fits;
		slot->used = true;
		cache->nused++;
		return;
	}
	x->special = NUMERIC_PARTS_FINITE;
	x->negative = slot->unscaled < 0;
	x->dscale = slot->dscale;
	x->fits = slot->fits;
	x->unscaled = slot->unscaled;
	x->datum = (Datum) 0;		/* unused: pipeline_apply converts again when
								 * x does not fit */
}

/* pipeline_value(amount, probability): sum of amount x probability::numeric */
static Datum
pipeline_apply(FunctionCallInfo fcinfo, int sign)
{
	NumericParts amount,
				weighted,
				one;
	float8		p = PG_GETARG_FLOAT8(2);
	NumericParts probability;

	if (!money_arg(fcinfo, 1, "amount", false, &amount) ||
		!smarkpi_row_probability_ok(p, "probability"))
		return money_unchanged(fcinfo);
	probability_parts(fcinfo, p, &probability);
	if (!smarkpi_numeric_parts_mul(&amount, &probability, &weighted))
		smarkpi_numeric_parts(DirectFunctionCall2(numeric_mul, amount.datum,
												  DirectFunctionCall1(float8_numeric,
																	  Float8GetDatum(p))),
							  &weighted);
	smarkpi_numeric_parts_int64(1, &one);
	return money_apply(fcinfo, &weighted, &one, sign);
}

/*
 * open_pipeline_value(amount, won): amounts of open deals (won IS NULL) in
 * the numerator; every row with an amount counts as a row.
 */
static Datum
open_pipeline_apply(FunctionCallInfo fcinfo, int sign)
{
	NumericParts amount,
				one;

	if (PG_ARGISNULL(1) || !money_arg(fcinfo, 1, "amount", false, &amount))
		return money_unchanged(fcinfo);
	smarkpi_numeric_parts_int64(1, &one);
	return money_apply(fcinfo, PG_ARGISNULL(2) ? &amount : NULL, &one, sign);
}

/* marketing_contribution(revenue, marketing_sourced) */
static Datum
contribution_apply(FunctionCallInfo fcinfo, int sign)
{
	NumericParts revenue;

	if (!money_arg(fcinfo, 1, "revenue", false, &revenue))
		return money_unchanged(fcinfo);
	return money_apply(fcinfo, PG_GETARG_BOOL(2) ? &revenue : NULL, &revenue, sign);
}

/* Entry points: each KPI's forward (trans) and inverse (inv) transition. */

PG_FUNCTION_INFO_V1(smarkpi_cac_trans);
Datum
smarkpi_cac_trans(PG_FUNCTION_ARGS)
{
	return per_unit_apply(fcinfo, "new_customers", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_cac_inv);
Datum
smarkpi_cac_inv(PG_FUNCTION_ARGS)
{
	return per_unit_apply(fcinfo, "new_customers", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_cpl_trans);
Datum
smarkpi_cpl_trans(PG_FUNCTION_ARGS)
{
	return per_unit_apply(fcinfo, "leads", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_cpl_inv);
Datum
smarkpi_cpl_inv(PG_FUNCTION_ARGS)
{
	return per_unit_apply(fcinfo, "leads", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_cac_ratio_trans);
Datum
smarkpi_cac_ratio_trans(PG_FUNCTION_ARGS)
{
	return gain_cost_apply(fcinfo, "lifetime_value", "acquisition_cost", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_cac_ratio_inv);
Datum
smarkpi_cac_ratio_inv(PG_FUNCTION_ARGS)
{
	return gain_cost_apply(fcinfo, "lifetime_value", "acquisition_cost", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_roi_trans);
Datum
smarkpi_roi_trans(PG_FUNCTION_ARGS)
{
	return gain_cost_apply(fcinfo, "revenue", "cost", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_roi_inv);
Datum
smarkpi_roi_inv(PG_FUNCTION_ARGS)
{
	return gain_cost_apply(fcinfo, "revenue", "cost", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_roas_trans);
Datum
smarkpi_roas_trans(PG_FUNCTION_ARGS)
{
	return gain_cost_apply(fcinfo, "revenue", "spend", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_roas_inv);
Datum
smarkpi_roas_inv(PG_FUNCTION_ARGS)
{
	return gain_cost_apply(fcinfo, "revenue", "spend", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_quota_attainment_trans);
Datum
smarkpi_quota_attainment_trans(PG_FUNCTION_ARGS)
{
	return gain_cost_apply(fcinfo, "bookings", "quota", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_quota_attainment_inv);
Datum
smarkpi_quota_attainment_inv(PG_FUNCTION_ARGS)
{
	return gain_cost_apply(fcinfo, "bookings", "quota", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_avg_deal_size_trans);
Datum
smarkpi_avg_deal_size_trans(PG_FUNCTION_ARGS)
{
	return deal_size_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_avg_deal_size_inv);
Datum
smarkpi_avg_deal_size_inv(PG_FUNCTION_ARGS)
{
	return deal_size_apply(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(smarkpi_pipeline_value_trans);
Datum
smarkpi_pipeline_value_trans(PG_FUNCTION_ARGS)
{
	return pipeline_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_pipeline_value_inv);
Datum
smarkpi_pipeline_value_inv(PG_FUNCTION_ARGS)
{
	return pipeline_apply(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(smarkpi_open_pipeline_value_trans);
Datum
smarkpi_open_pipeline_value_trans(PG_FUNCTION_ARGS)
{
	return open_pipeline_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_open_pipeline_value_inv);
Datum
smarkpi_open_pipeline_value_inv(PG_FUNCTION_ARGS)
{
	return open_pipeline_apply(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(smarkpi_marketing_contribution_trans);
Datum
smarkpi_marketing_contribution_trans(PG_FUNCTION_ARGS)
{
	return contribution_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_marketing_contribution_inv);
Datum
smarkpi_marketing_contribution_inv(PG_FUNCTION_ARGS)
{
	return contribution_apply(fcinfo, -1);
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
	smarkpi_sumstate_unpack(&money_spec, state, &v);
	smarkpi_sumstate_unpack(&money_spec, DatumGetSumState(PG_GETARG_DATUM(1)), &o);
	smarkpi_kpi_check_same(v.kpi, o.kpi, money_spec.typname);
	v.ints[SMARKPI_M_ROWS] = smarkpi_add_count(v.ints[SMARKPI_M_ROWS], o.ints[SMARKPI_M_ROWS],
											   "number of rows");
	smarkpi_exactsum_combine(&v.sums[SMARKPI_M_NUM], &v.ints[SMARKPI_M_NUM_NMAX],
							 &o.sums[SMARKPI_M_NUM], o.ints[SMARKPI_M_NUM_NMAX]);
	smarkpi_exactsum_combine(&v.sums[SMARKPI_M_DEN], &v.ints[SMARKPI_M_DEN_NMAX],
							 &o.sums[SMARKPI_M_DEN], o.ints[SMARKPI_M_DEN_NMAX]);
	PG_RETURN_POINTER(smarkpi_sumstate_store(&money_spec, state, &v));
}

/* sum(num) / sum(den) as numeric, or NULL for no rows or a zero denominator. */
static Numeric
money_quotient(FunctionCallInfo fcinfo)
{
	SumValues	v;
	Numeric		num,
				den;

	smarkpi_sumstate_unpack(&money_spec, DatumGetSumState(PG_GETARG_DATUM(0)), &v);
	if (v.ints[SMARKPI_M_ROWS] == 0 || smarkpi_exactsum_sign(&v.sums[SMARKPI_M_DEN]) == 0)
		return NULL;
	num = smarkpi_exactsum_to_numeric(&v.sums[SMARKPI_M_NUM]);
	den = smarkpi_exactsum_to_numeric(&v.sums[SMARKPI_M_DEN]);
	return DatumGetNumeric(DirectFunctionCall2(numeric_div, NumericGetDatum(num),
											   NumericGetDatum(den)));
}

PG_FUNCTION_INFO_V1(smarkpi_money_numeric_final);
Datum
smarkpi_money_numeric_final(PG_FUNCTION_ARGS)
{
	Numeric		q = money_quotient(fcinfo);

	if (q == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(q);
}

PG_FUNCTION_INFO_V1(smarkpi_money_float8_final);
Datum
smarkpi_money_float8_final(PG_FUNCTION_ARGS)
{
	Numeric		q = money_quotient(fcinfo);

	if (q == NULL)
		PG_RETURN_NULL();
	return DirectFunctionCall1(numeric_float8, NumericGetDatum(q));
}

/*
 * roi = (sum(revenue) - sum(cost)) / sum(cost), as double precision: the
 * difference is taken exactly before dividing, so a near-zero ROI keeps all
 * its digits (sum/sum - 1 would round the quotient first).
 */
PG_FUNCTION_INFO_V1(smarkpi_roi_final);
Datum
smarkpi_roi_final(PG_FUNCTION_ARGS)
{
	SumValues	v;
	Numeric		cost;
	Datum		gain;

	smarkpi_sumstate_unpack(&money_spec, DatumGetSumState(PG_GETARG_DATUM(0)), &v);
	if (v.ints[SMARKPI_M_ROWS] == 0 || smarkpi_exactsum_sign(&v.sums[SMARKPI_M_DEN]) == 0)
		PG_RETURN_NULL();
	cost = smarkpi_exactsum_to_numeric(&v.sums[SMARKPI_M_DEN]);
	gain = DirectFunctionCall2(numeric_sub,
							   NumericGetDatum(smarkpi_exactsum_to_numeric(&v.sums[SMARKPI_M_NUM])),
							   NumericGetDatum(cost));
	return DirectFunctionCall1(numeric_float8,
							   DirectFunctionCall2(numeric_div, gain, NumericGetDatum(cost)));
}

/* The numerator sum itself (pipeline_value), NULL for no rows. */
PG_FUNCTION_INFO_V1(smarkpi_money_sum_final);
Datum
smarkpi_money_sum_final(PG_FUNCTION_ARGS)
{
	SumValues	v;
	Numeric		sum;

	smarkpi_sumstate_unpack(&money_spec, DatumGetSumState(PG_GETARG_DATUM(0)), &v);
	if (v.ints[SMARKPI_M_ROWS] == 0)
		PG_RETURN_NULL();
	/* a copy: in numeric mode the sum lives inside the transition state */
	sum = smarkpi_exactsum_to_numeric(&v.sums[SMARKPI_M_NUM]);
	PG_RETURN_NUMERIC(DatumGetNumericCopy(NumericGetDatum(sum)));
}

/* ---- summaries: rollup's inverse and the accessors ---- */

/* Removes a summary from a rolled-up money state; NULL recomputes the frame. */
PG_FUNCTION_INFO_V1(smarkpi_money_rollup_inv);
Datum
smarkpi_money_rollup_inv(PG_FUNCTION_ARGS)
{
	SumState   *state;
	SumValues	v,
				o;

	smarkpi_require_agg_context(fcinfo, "smarkpi_money_rollup_inv");
	state = DatumGetSumState(PG_GETARG_DATUM(0));
	smarkpi_sumstate_unpack(&money_spec, state, &v);
	smarkpi_sumstate_unpack(&money_spec, DatumGetSumState(PG_GETARG_DATUM(1)), &o);
	smarkpi_kpi_check_same(v.kpi, o.kpi, money_spec.typname);
	if (o.ints[SMARKPI_M_ROWS] >= v.ints[SMARKPI_M_ROWS] ||
		!smarkpi_exactsum_uncombine(&v.sums[SMARKPI_M_NUM], &v.ints[SMARKPI_M_NUM_NMAX],
									&o.sums[SMARKPI_M_NUM], o.ints[SMARKPI_M_NUM_NMAX]) ||
		!smarkpi_exactsum_uncombine(&v.sums[SMARKPI_M_DEN], &v.ints[SMARKPI_M_DEN_NMAX],
									&o.sums[SMARKPI_M_DEN], o.ints[SMARKPI_M_DEN_NMAX]))
		PG_RETURN_NULL();
	v.ints[SMARKPI_M_ROWS] -= o.ints[SMARKPI_M_ROWS];
	PG_RETURN_POINTER(smarkpi_sumstate_store(&money_spec, state, &v));
}

/* Checks which KPI made the summary, then reads it with that KPI's final function. */
static Datum
money_of_summary(FunctionCallInfo fcinfo, SmarkpiKpi want, const char *accessor, PGFunction final)
{
	smarkpi_kpi_expect(DatumGetSumState(PG_GETARG_DATUM(0))->kpi, want, want, accessor);
	return final(fcinfo);
}

PG_FUNCTION_INFO_V1(smarkpi_cac_of_summary);
Datum
smarkpi_cac_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_CAC, "cac", smarkpi_money_numeric_final);
}

PG_FUNCTION_INFO_V1(smarkpi_cac_ratio_of_summary);
Datum
smarkpi_cac_ratio_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_CAC_RATIO, "cac_ratio", smarkpi_money_float8_final);
}

PG_FUNCTION_INFO_V1(smarkpi_cpl_of_summary);
Datum
smarkpi_cpl_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_CPL, "cpl", smarkpi_money_numeric_final);
}

PG_FUNCTION_INFO_V1(smarkpi_roi_of_summary);
Datum
smarkpi_roi_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_ROI, "roi", smarkpi_roi_final);
}

PG_FUNCTION_INFO_V1(smarkpi_roas_of_summary);
Datum
smarkpi_roas_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_ROAS, "roas", smarkpi_money_float8_final);
}

PG_FUNCTION_INFO_V1(smarkpi_avg_deal_size_of_summary);
Datum
smarkpi_avg_deal_size_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_AVG_DEAL_SIZE, "avg_deal_size",
							smarkpi_money_numeric_final);
}

PG_FUNCTION_INFO_V1(smarkpi_pipeline_value_of_summary);
Datum
smarkpi_pipeline_value_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_PIPELINE_VALUE, "pipeline_value",
							smarkpi_money_sum_final);
}

PG_FUNCTION_INFO_V1(smarkpi_open_pipeline_value_of_summary);
Datum
smarkpi_open_pipeline_value_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_OPEN_PIPELINE_VALUE, "open_pipeline_value",
							smarkpi_money_sum_final);
}

PG_FUNCTION_INFO_V1(smarkpi_quota_attainment_of_summary);
Datum
smarkpi_quota_attainment_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_QUOTA_ATTAINMENT, "quota_attainment",
							smarkpi_money_float8_final);
}

PG_FUNCTION_INFO_V1(smarkpi_marketing_contribution_of_summary);
Datum
smarkpi_marketing_contribution_of_summary(PG_FUNCTION_ARGS)
{
	return money_of_summary(fcinfo, SMARKPI_KPI_MARKETING_CONTRIBUTION, "marketing_contribution",
							smarkpi_money_float8_final);
}
