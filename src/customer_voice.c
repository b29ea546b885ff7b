/*
 * customer_voice.c
 *		Customer voice: nps(score) and csat(score[, scale]).
 *
 *	nps = 100 x (promoters - detractors) / responses, in [-100, 100];
 *		  promoters score 9-10, passives 7-8, detractors 0-6
 *		  (smarkpi_score_summary: promoters, detractors, responses)
 *	csat = share of responses in the top two boxes (score >= scale - 1)
 *		  (smarkpi_rate_summary, as the funnel rates)
 */
#include "smarkpi.h"

#include "core/counters.h"
#include "core/wire.h"
#include "rate_summary.h"

/* smarkpi_score_summary's counters */
enum
{
	SMARKPI_S_PROMOTERS, SMARKPI_S_DETRACTORS, SMARKPI_S_RESPONSES, SMARKPI_S_N
};

/* ---- smarkpi_score_summary: (promoters, detractors, responses) ---- */

static void
score_validate(const int64 *c, int sqlstate)
{
	if (c[SMARKPI_S_PROMOTERS] < 0 || c[SMARKPI_S_DETRACTORS] < 0 || c[SMARKPI_S_RESPONSES] < 0 ||
		c[SMARKPI_S_PROMOTERS] > c[SMARKPI_S_RESPONSES] - c[SMARKPI_S_DETRACTORS])
		smarkpi_state_corrupt("smarkpi_score_summary", sqlstate,
							  "Counts must satisfy 0 <= promoters + detractors <= responses.");
}

static const CounterSpec score_spec = {"smarkpi_score_summary", SMARKPI_S_N, score_validate, false};

PG_FUNCTION_INFO_V1(smarkpi_score_summary_in);
Datum
smarkpi_score_summary_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_cstring(&score_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_score_summary_out);
Datum
smarkpi_score_summary_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_counters_to_cstring(&score_spec, (int64 *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_score_summary_recv);
Datum
smarkpi_score_summary_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_binary(&score_spec, (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_score_summary_send);
Datum
smarkpi_score_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_counters_to_binary(&score_spec, (int64 *) PG_GETARG_POINTER(0)));
}

static Datum
nps_apply(FunctionCallInfo fcinfo, int sign)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);
	int32		score = PG_GETARG_INT32(1);

	smarkpi_require_agg_context(fcinfo, "smarkpi nps transition");
	if (!smarkpi_row_score_ok(score, 0, 10, "NPS score"))
		PG_RETURN_POINTER(c);
	c[SMARKPI_S_RESPONSES] = smarkpi_add_count(c[SMARKPI_S_RESPONSES], sign, "number of responses");
	if (score >= 9)
		c[SMARKPI_S_PROMOTERS] += sign;
	else if (score <= 6)
		c[SMARKPI_S_DETRACTORS] += sign;
	PG_RETURN_POINTER(c);
}

PG_FUNCTION_INFO_V1(smarkpi_nps_trans);
Datum
smarkpi_nps_trans(PG_FUNCTION_ARGS)
{
	return nps_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_nps_inv);
Datum
smarkpi_nps_inv(PG_FUNCTION_ARGS)
{
	return nps_apply(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(smarkpi_score_combine);
Datum
smarkpi_score_combine(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi_score_combine");
	smarkpi_counters_add(&score_spec, c, (int64 *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(c);
}

PG_FUNCTION_INFO_V1(smarkpi_nps_final);
Datum
smarkpi_nps_final(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	if (c[SMARKPI_S_RESPONSES] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * (double) (c[SMARKPI_S_PROMOTERS] - c[SMARKPI_S_DETRACTORS]) /
					 (double) c[SMARKPI_S_RESPONSES]);
}

/* ---- csat: share of responses in the top two boxes ---- */

static Datum
csat_apply(FunctionCallInfo fcinfo, int sign)
{
	int32		score = PG_GETARG_INT32(1);
	int32		scale = PG_NARGS() > 2 ? PG_GETARG_INT32(2) : 5;

	if (scale < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("csat scale must be at least 2"),
				 errdetail("Got %d.", scale)));
	if (!smarkpi_row_score_ok(score, 1, scale, "csat score"))
		return smarkpi_rate_apply(fcinfo, false, false, sign);
	return smarkpi_rate_apply(fcinfo, true, score >= scale - 1, sign);
}

PG_FUNCTION_INFO_V1(smarkpi_csat_trans);
Datum
smarkpi_csat_trans(PG_FUNCTION_ARGS)
{
	return csat_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_csat_inv);
Datum
smarkpi_csat_inv(PG_FUNCTION_ARGS)
{
	return csat_apply(fcinfo, -1);
}

/* ---- summaries ---- */

PG_FUNCTION_INFO_V1(smarkpi_csat_of_summary);
Datum
smarkpi_csat_of_summary(PG_FUNCTION_ARGS)
{
	return smarkpi_rate_of_summary(fcinfo, SMARKPI_KPI_CSAT, SMARKPI_KPI_CSAT, "csat");
}

/* Removes a summary from a rolled-up nps state; NULL recomputes the frame. */
PG_FUNCTION_INFO_V1(smarkpi_score_rollup_inv);
Datum
smarkpi_score_rollup_inv(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	smarkpi_require_agg_context(fcinfo, "smarkpi_score_rollup_inv");
	if (!smarkpi_counters_sub(&score_spec, c, (int64 *) PG_GETARG_POINTER(1)))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(c);
}
