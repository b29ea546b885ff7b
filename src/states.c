/*
 * states.c
 *		Every state type's validation and text/binary I/O: the counter
 *		states (smarkpi_rate_state, smarkpi_count_ratio_state,
 *		smarkpi_score_state), smarkpi_duration_state, and the SumState types
 *		(smarkpi_money_state, smarkpi_velocity_state).
 *
 * How states are stored (parsing, printing, binary form, adding) is in
 * counters.c and sumstate.c; what a valid state is, per type, is here.  No
 * function here takes a row: the KPI families do that.
 */
#include "smarkpi.h"

#include "libpq/pqformat.h"

/* ---- smarkpi_rate_state: (hits, total) ---- */

static void
rate_validate(const int64 *c, int sqlstate)
{
	const RateState *st = (const RateState *) c;

	if (st->hits < 0 || st->total < 0 || st->hits > st->total)
		smarkpi_state_corrupt("smarkpi_rate_state", sqlstate,
							  "Counts must satisfy 0 <= hits <= total.");
}

const CounterSpec smarkpi_rate_spec = {"smarkpi_rate_state", 2, rate_validate, true};

PG_FUNCTION_INFO_V1(smarkpi_rate_state_in);
Datum
smarkpi_rate_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_cstring(&smarkpi_rate_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_rate_state_out);
Datum
smarkpi_rate_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_counters_to_cstring(&smarkpi_rate_spec, (int64 *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_rate_state_recv);
Datum
smarkpi_rate_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_binary(&smarkpi_rate_spec, (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_rate_state_send);
Datum
smarkpi_rate_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_counters_to_binary(&smarkpi_rate_spec, (int64 *) PG_GETARG_POINTER(0)));
}

/* ---- smarkpi_count_ratio_state: (numerator sum, denominator sum) ---- */

static void
count_ratio_validate(const int64 *c, int sqlstate)
{
	if (c[0] < 0 || c[1] < 0)
		smarkpi_state_corrupt("smarkpi_count_ratio_state", sqlstate,
							  "Sums of counts must not be negative.");
}

const CounterSpec smarkpi_count_ratio_spec = {"smarkpi_count_ratio_state", 2, count_ratio_validate, true};

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_state_in);
Datum
smarkpi_count_ratio_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_cstring(&smarkpi_count_ratio_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_state_out);
Datum
smarkpi_count_ratio_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_counters_to_cstring(&smarkpi_count_ratio_spec, (int64 *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_state_recv);
Datum
smarkpi_count_ratio_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_binary(&smarkpi_count_ratio_spec, (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_count_ratio_state_send);
Datum
smarkpi_count_ratio_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_counters_to_binary(&smarkpi_count_ratio_spec, (int64 *) PG_GETARG_POINTER(0)));
}

/* ---- smarkpi_score_state: (promoters, detractors, responses) ---- */

static void
score_validate(const int64 *c, int sqlstate)
{
	if (c[SMARKPI_S_PROMOTERS] < 0 || c[SMARKPI_S_DETRACTORS] < 0 || c[SMARKPI_S_RESPONSES] < 0 ||
		c[SMARKPI_S_PROMOTERS] > c[SMARKPI_S_RESPONSES] - c[SMARKPI_S_DETRACTORS])
		smarkpi_state_corrupt("smarkpi_score_state", sqlstate,
							  "Counts must satisfy 0 <= promoters + detractors <= responses.");
}

const CounterSpec smarkpi_score_spec = {"smarkpi_score_state", SMARKPI_S_N, score_validate, false};

PG_FUNCTION_INFO_V1(smarkpi_score_state_in);
Datum
smarkpi_score_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_cstring(&smarkpi_score_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_score_state_out);
Datum
smarkpi_score_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_counters_to_cstring(&smarkpi_score_spec, (int64 *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_score_state_recv);
Datum
smarkpi_score_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_counters_from_binary(&smarkpi_score_spec, (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_score_state_send);
Datum
smarkpi_score_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_counters_to_binary(&smarkpi_score_spec, (int64 *) PG_GETARG_POINTER(0)));
}

/* ---- smarkpi_duration_state: [kpi](sum of microseconds, count) ---- */

#define DURATION_TYPNAME "smarkpi_duration_state"

static void
duration_validate(const DurationState *st, int sqlstate)
{
	if (st->count < 0 || st->sum_us < 0 || (st->count == 0 && st->sum_us != 0))
		smarkpi_state_corrupt(DURATION_TYPNAME, sqlstate,
							  "The count and the sum must not be negative, and an empty state has a zero sum.");
}

PG_FUNCTION_INFO_V1(smarkpi_duration_state_in);
Datum
smarkpi_duration_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *fields[2];
	DurationState *st = palloc0(sizeof(DurationState));

	smarkpi_state_fields(smarkpi_kpi_parse(str, DURATION_TYPNAME, &st->kpi), DURATION_TYPNAME,
						 fields, 2);
	if (!smarkpi_cstring_to_int128(fields[0], &st->sum_us))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", DURATION_TYPNAME, str)));
	st->count = smarkpi_parse_int64_field(fields[1], DURATION_TYPNAME);
	duration_validate(st, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_state_out);
Datum
smarkpi_duration_state_out(PG_FUNCTION_ARGS)
{
	DurationState *st = (DurationState *) PG_GETARG_POINTER(0);

	PG_RETURN_CSTRING(psprintf("%s(%s," INT64_FORMAT ")", smarkpi_kpi_name(st->kpi),
							   smarkpi_int128_to_cstring(st->sum_us), st->count));
}

PG_FUNCTION_INFO_V1(smarkpi_duration_state_recv);
Datum
smarkpi_duration_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	DurationState *st = palloc0(sizeof(DurationState));
	uint64		hi,
				lo;

	if (buf->len - buf->cursor != 29)
		smarkpi_state_corrupt(DURATION_TYPNAME, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "Expected 29 bytes.");
	if (pq_getmsgbyte(buf) != SMARKPI_BINARY_VERSION)
		smarkpi_state_corrupt(DURATION_TYPNAME, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "Unsupported binary format version.");
	st->kpi = (int32) pq_getmsgint(buf, 4);
	if (!smarkpi_kpi_valid_for(st->kpi, DURATION_TYPNAME))
		smarkpi_state_corrupt(DURATION_TYPNAME, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "Unknown KPI tag.");
	hi = (uint64) pq_getmsgint64(buf);
	lo = (uint64) pq_getmsgint64(buf);
	st->sum_us = (int128) (((uint128) hi << 64) | lo);
	st->count = pq_getmsgint64(buf);
	duration_validate(st, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_state_send);
Datum
smarkpi_duration_state_send(PG_FUNCTION_ARGS)
{
	DurationState *st = (DurationState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	uint128		u = (uint128) st->sum_us;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SMARKPI_BINARY_VERSION);
	pq_sendint32(&buf, (int32) st->kpi);
	pq_sendint64(&buf, (int64) (uint64) (u >> 64));
	pq_sendint64(&buf, (int64) (uint64) u);
	pq_sendint64(&buf, st->count);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---- smarkpi_money_state: rows, max-scale counts, numerator and denominator sums ---- */

static void money_validate(const SumValues *v, int sqlstate);

const SumStateSpec smarkpi_money_spec = {
	"smarkpi_money_state", SMARKPI_M_NINTS, SMARKPI_M_NNUMS, money_validate, true
};

static void
money_validate(const SumValues *v, int sqlstate)
{
	if (v->ints[SMARKPI_M_ROWS] < 0)
		smarkpi_state_corrupt(smarkpi_money_spec.typname, sqlstate, "The row count must not be negative.");
	smarkpi_sumstate_validate_sum(&smarkpi_money_spec, &v->sums[SMARKPI_M_NUM], v->ints[SMARKPI_M_NUM_NMAX], v->ints[SMARKPI_M_ROWS], sqlstate);
	smarkpi_sumstate_validate_sum(&smarkpi_money_spec, &v->sums[SMARKPI_M_DEN], v->ints[SMARKPI_M_DEN_NMAX], v->ints[SMARKPI_M_ROWS], sqlstate);
}

PG_FUNCTION_INFO_V1(smarkpi_money_state_in);
Datum
smarkpi_money_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_sumstate_from_cstring(&smarkpi_money_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_money_state_out);
Datum
smarkpi_money_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_sumstate_to_cstring(&smarkpi_money_spec, DatumGetSumState(PG_GETARG_DATUM(0))));
}

PG_FUNCTION_INFO_V1(smarkpi_money_state_recv);
Datum
smarkpi_money_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_sumstate_from_binary(&smarkpi_money_spec, (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_money_state_send);
Datum
smarkpi_money_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_sumstate_to_binary(&smarkpi_money_spec, DatumGetSumState(PG_GETARG_DATUM(0))));
}

/* ---- smarkpi_velocity_state: funnel_velocity's counters and sums ---- */

static void velocity_validate(const SumValues *v, int sqlstate);

const SumStateSpec smarkpi_velocity_spec = {
	"smarkpi_velocity_state", SMARKPI_V_NINTS, SMARKPI_V_NNUMS, velocity_validate, false
};

static void
velocity_validate(const SumValues *v, int sqlstate)
{
	const int64 *c = v->ints;

	if (c[SMARKPI_V_WON_AMT] < 0 || c[SMARKPI_V_WON_AMT] > c[SMARKPI_V_WON] || c[SMARKPI_V_WON] > c[SMARKPI_V_CLOSED] ||
		c[SMARKPI_V_CLOSED] > c[SMARKPI_V_N] || smarkpi_exactsum_sign(&v->sums[SMARKPI_V_CYCLE_US]) < 0 ||
		v->sums[SMARKPI_V_CYCLE_US].scale != 0 ||
		(c[SMARKPI_V_CLOSED] == 0 && smarkpi_exactsum_sign(&v->sums[SMARKPI_V_CYCLE_US]) != 0))
		smarkpi_state_corrupt(smarkpi_velocity_spec.typname, sqlstate,
							  "Counts must satisfy 0 <= won with amount <= won <= closed <= rows, and the cycle sum must be a whole, non-negative number of microseconds.");
	smarkpi_sumstate_validate_sum(&smarkpi_velocity_spec, &v->sums[SMARKPI_V_AMOUNT], c[SMARKPI_V_AMT_NMAX], c[SMARKPI_V_WON_AMT], sqlstate);
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_state_in);
Datum
smarkpi_velocity_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_sumstate_from_cstring(&smarkpi_velocity_spec, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_state_out);
Datum
smarkpi_velocity_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smarkpi_sumstate_to_cstring(&smarkpi_velocity_spec, DatumGetSumState(PG_GETARG_DATUM(0))));
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_state_recv);
Datum
smarkpi_velocity_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(smarkpi_sumstate_from_binary(&smarkpi_velocity_spec, (StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(smarkpi_velocity_state_send);
Datum
smarkpi_velocity_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_sumstate_to_binary(&smarkpi_velocity_spec, DatumGetSumState(PG_GETARG_DATUM(0))));
}
