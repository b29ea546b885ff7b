/*
 * channel_rates.c
 *		Channel rates, ratios of summed counts: open_rate(opened, delivered),
 *		click_through_rate(clicks, impressions), engagement_rate(engagements,
 *		reach) = sum(numerator) / sum(denominator).
 *
 * State: smarkpi_count_ratio_summary (numerator sum, denominator sum).  A rate
 * may exceed 1: a source that counts every open or click, not unique ones,
 * says so.
 */
#include "smarkpi.h"

#include "core/counters.h"
#include "core/tags.h"
#include "core/wire.h"

/* smarkpi_count_ratio_summary's counters; a summary's KPI tag follows them */
enum
{
	CR_NUM, CR_DEN, CR_N
};

/* ---- smarkpi_count_ratio_summary: (numerator sum, denominator sum) ---- */

static void
count_ratio_validate(const int64 *c, int sqlstate)
{
	if (c[CR_NUM] < 0 || c[CR_DEN] < 0)
		smarkpi_state_corrupt("smarkpi_count_ratio_summary", sqlstate,
							  "Sums of counts must not be negative.");
}

static const CounterSpec count_ratio_spec = {
	.typname = "smarkpi_count_ratio_summary",
	.n = CR_N,
	.validate = count_ratio_validate,
	.tagged = true,
};

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_summary_in);
Datum
smarkpi_count_ratio_summary_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_cstring(&count_ratio_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_summary_out);
Datum
smarkpi_count_ratio_summary_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_counters_to_cstring(&count_ratio_spec,
												  (int64 *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_summary_recv);
Datum
smarkpi_count_ratio_summary_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_binary(&count_ratio_spec,
												   (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_summary_send);
Datum
smarkpi_count_ratio_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_counters_to_binary(&count_ratio_spec,
												 (int64 *) PG_GETARG_POINTER(0)));
}

/*
 * Adds or removes one row's counts.  Both must be non-negative.  The
 * numerator may exceed the denominator: ad platforms report more clicks than
 * impressions on some rows, and email tools count every open and click, not
 * unique ones, so a rate above 1 is the data's answer, not an error.
 */
static Datum
count_ratio_apply(FunctionCallInfo fcinfo, const char *numname, const char *denname, int sign)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);
	int64		num = PG_GETARG_INT64(1);
	int64		den = PG_GETARG_INT64(2);

	smarkpi_require_agg_context(fcinfo, "smarkpi count ratio transition");
	if (!smarkpi_row_count_ok(num, numname) || !smarkpi_row_count_ok(den, denname))
		PG_RETURN_POINTER(c);
	c[CR_NUM] = sign > 0 ? smarkpi_add_count(c[CR_NUM], num, numname) : c[CR_NUM] - num;
	c[CR_DEN] = sign > 0 ? smarkpi_add_count(c[CR_DEN], den, denname) : c[CR_DEN] - den;
	PG_RETURN_POINTER(c);
}

/* Entry points: each KPI's forward (trans) and inverse (inv) transition. */

PG_FUNCTION_INFO_V1(smarkpi_open_rate_trans);
Datum
smarkpi_open_rate_trans(PG_FUNCTION_ARGS)
{
	return count_ratio_apply(fcinfo, "opened", "delivered", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_open_rate_inv);
Datum
smarkpi_open_rate_inv(PG_FUNCTION_ARGS)
{
	return count_ratio_apply(fcinfo, "opened", "delivered", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_click_through_rate_trans);
Datum
smarkpi_click_through_rate_trans(PG_FUNCTION_ARGS)
{
	return count_ratio_apply(fcinfo, "clicks", "impressions", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_click_through_rate_inv);
Datum
smarkpi_click_through_rate_inv(PG_FUNCTION_ARGS)
{
	return count_ratio_apply(fcinfo, "clicks", "impressions", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_engagement_rate_trans);
Datum
smarkpi_engagement_rate_trans(PG_FUNCTION_ARGS)
{
	return count_ratio_apply(fcinfo, "engagements", "reach", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_engagement_rate_inv);
Datum
smarkpi_engagement_rate_inv(PG_FUNCTION_ARGS)
{
	return count_ratio_apply(fcinfo, "engagements", "reach", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_combine);
Datum
smarkpi_count_ratio_combine(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi_count_ratio_combine");
	smarkpi_counters_add(&count_ratio_spec, c, (int64 *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(c);
}

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_final);
Datum
smarkpi_count_ratio_final(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	if (c[CR_DEN] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) c[CR_NUM] / (double) c[CR_DEN]);
}

/* ---- summaries ---- */

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_rollup_inv);
Datum
smarkpi_count_ratio_rollup_inv(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi_count_ratio_rollup_inv");
	if (!smarkpi_counters_sub(&count_ratio_spec, c, (int64 *) PG_GETARG_POINTER(1)))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(c);
}

static Datum
count_ratio_of_summary(FunctionCallInfo fcinfo, SmarkpiKpi want, const char *accessor)
{
	smarkpi_kpi_expect(((int64 *) PG_GETARG_POINTER(0))[CR_N], want, want, accessor);
	return smarkpi_count_ratio_final(fcinfo);
}

PG_FUNCTION_INFO_V1(smarkpi_open_rate_of_summary);
Datum
smarkpi_open_rate_of_summary(PG_FUNCTION_ARGS)
{
	return count_ratio_of_summary(fcinfo, SMARKPI_KPI_OPEN_RATE, "open_rate");
}

PG_FUNCTION_INFO_V1(smarkpi_click_through_rate_of_summary);
Datum
smarkpi_click_through_rate_of_summary(PG_FUNCTION_ARGS)
{
	return count_ratio_of_summary(fcinfo, SMARKPI_KPI_CLICK_THROUGH_RATE, "click_through_rate");
}

PG_FUNCTION_INFO_V1(smarkpi_engagement_rate_of_summary);
Datum
smarkpi_engagement_rate_of_summary(PG_FUNCTION_ARGS)
{
	return count_ratio_of_summary(fcinfo, SMARKPI_KPI_ENGAGEMENT_RATE, "engagement_rate");
}
