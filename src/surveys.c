/*
 * surveys.c
 *		Net Promoter Score: nps(score).
 *
 *	nps = 100 x (promoters - detractors) / responses, in [-100, 100]
 *
 * promoters score 9-10, passives 7-8, detractors 0-6.  The state
 * (smarkpi_score_state) counts promoters, detractors and responses.
 * csat lives with the other rates in rates.c.
 */
#include "smarkpi.h"

enum
{
	S_PROMOTERS, S_DETRACTORS, S_RESPONSES, S_N
};

static void
score_validate(const int64 *c, int sqlstate)
{
	if (c[S_PROMOTERS] < 0 || c[S_DETRACTORS] < 0 || c[S_RESPONSES] < 0 ||
		c[S_PROMOTERS] > c[S_RESPONSES] - c[S_DETRACTORS])
		smarkpi_state_corrupt("smarkpi_score_state", sqlstate,
							  "Counts must satisfy 0 <= promoters + detractors <= responses.");
}

static const CounterSpec score_spec = {"smarkpi_score_state", S_N, score_validate};

SMARKPI_COUNTER_IO(score, score_spec)

static Datum
nps_apply(FunctionCallInfo fcinfo, int sign)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);
	int32		score = PG_GETARG_INT32(1);

	smarkpi_require_agg_context(fcinfo, "smarkpi nps transition");
	if (!smarkpi_row_score_ok(score, 0, 10, "NPS score"))
		PG_RETURN_POINTER(c);
	c[S_RESPONSES] = smarkpi_add_count(c[S_RESPONSES], sign, "number of responses");
	if (score >= 9)
		c[S_PROMOTERS] += sign;
	else if (score <= 6)
		c[S_DETRACTORS] += sign;
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

SMARKPI_COUNTER_COMBINE(score, score_spec)

PG_FUNCTION_INFO_V1(smarkpi_nps_final);
Datum
smarkpi_nps_final(PG_FUNCTION_ARGS)
{
	int64	   *c = (int64 *) PG_GETARG_POINTER(0);

	if (c[S_RESPONSES] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * (double) (c[S_PROMOTERS] - c[S_DETRACTORS]) /
					 (double) c[S_RESPONSES]);
}
