/*
 * durations/durations.c
 *		Mean durations between two timestamps: sales_cycle_length,
 *		lead_response_time; and days(interval), any duration in days.
 *
 * The state sums exact microseconds in a 128-bit integer (no float drift,
 * no overflow for any realistic row count), so combining and removing rows
 * is exact.  The mean is rounded to the nearest microsecond and returned as
 * days plus time of day, the way timestamptz subtraction presents it.
 */
#include "durations/durations.h"

#include "core/tags.h"
#include "core/wire.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

/* Mean duration: sum_us / count, in microseconds; a summary's KPI tag. */
typedef struct DurationState
{
	int128		sum_us;
	int64		count;
	int64		kpi;
} DurationState;

StaticAssertDecl(sizeof(DurationState) == 32,
				 "smarkpi_duration_summary is declared with INTERNALLENGTH 32");

/* ---- smarkpi_duration_summary: [kpi](sum of microseconds, count) ---- */

#define DURATION_TYPNAME "smarkpi_duration_summary"

static void
duration_validate(const DurationState *st, int sqlstate)
{
	if (st->count < 0 || st->sum_us < 0 || (st->count == 0 && st->sum_us != 0))
		smarkpi_state_corrupt(DURATION_TYPNAME, sqlstate,
							  "The count and the sum must not be negative, and an empty state has "
							  "a zero sum.");
}

PG_FUNCTION_INFO_V1(smarkpi_duration_summary_in);
Datum
smarkpi_duration_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *fields[2];
	DurationState *st = palloc0(sizeof(DurationState));

	smarkpi_state_fields(smarkpi_kpi_parse(str, DURATION_TYPNAME, &st->kpi), DURATION_TYPNAME,
						 fields, 2);
	if (!smarkpi_cstring_to_int128(fields[0], &st->sum_us))
		smarkpi_text_syntax_error(DURATION_TYPNAME, str,
								  "The sum must be a whole number of microseconds.");
	st->count = smarkpi_parse_int64_field(fields[1], DURATION_TYPNAME);
	duration_validate(st, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_summary_out);
Datum
smarkpi_duration_summary_out(PG_FUNCTION_ARGS)
{
	DurationState *st = (DurationState *) PG_GETARG_POINTER(0);

	PG_RETURN_CSTRING(psprintf("%s(%s," INT64_FORMAT ")", smarkpi_kpi_name(st->kpi),
							   smarkpi_int128_to_cstring(st->sum_us), st->count));
}

PG_FUNCTION_INFO_V1(smarkpi_duration_summary_recv);
Datum
smarkpi_duration_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	DurationState *st = palloc0(sizeof(DurationState));

	smarkpi_wire_open(buf, DURATION_TYPNAME);
	st->kpi = smarkpi_wire_int32(buf, DURATION_TYPNAME);
	if (!smarkpi_kpi_valid_for(st->kpi, DURATION_TYPNAME))
		smarkpi_binary_corrupt(DURATION_TYPNAME,
							   "Unknown KPI tag.");
	st->sum_us = smarkpi_wire_int128(buf, DURATION_TYPNAME);
	st->count = smarkpi_wire_int64(buf, DURATION_TYPNAME);
	smarkpi_wire_end(buf, DURATION_TYPNAME);
	duration_validate(st, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_summary_send);
Datum
smarkpi_duration_summary_send(PG_FUNCTION_ARGS)
{
	DurationState *st = (DurationState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	smarkpi_wire_begin(&buf);
	pq_sendint32(&buf, (int32) st->kpi);
	smarkpi_wire_put_int128(&buf, st->sum_us);
	pq_sendint64(&buf, st->count);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Stored states can be re-aggregated, so even 128 bits are checked. */
static int128
add_us(int128 a, int128 b)
{
	int128		r;

	if (__builtin_add_overflow(a, b, &r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of durations out of range")));
	return r;
}

static Datum
duration_apply(FunctionCallInfo fcinfo, const char *fromname, const char *toname, int sign)
{
	DurationState *st = (DurationState *) PG_GETARG_POINTER(0);
	int64		elapsed;

	smarkpi_require_agg_context(fcinfo, "smarkpi duration transition");
	if (!smarkpi_row_elapsed_us(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TIMESTAMPTZ(2),
								fromname, toname, &elapsed))
		PG_RETURN_POINTER(st);
	st->count = smarkpi_add_count(st->count, sign, "number of rows");
	st->sum_us = add_us(st->sum_us, sign * (int128) elapsed);
	Assert(st->count >= 0 && st->sum_us >= 0);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_sales_cycle_length_trans);
Datum
smarkpi_sales_cycle_length_trans(PG_FUNCTION_ARGS)
{
	return duration_apply(fcinfo, "created_at", "closed_at", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_sales_cycle_length_inv);
Datum
smarkpi_sales_cycle_length_inv(PG_FUNCTION_ARGS)
{
	return duration_apply(fcinfo, "created_at", "closed_at", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_lead_response_time_trans);
Datum
smarkpi_lead_response_time_trans(PG_FUNCTION_ARGS)
{
	return duration_apply(fcinfo, "created_at", "responded_at", 1);
}

PG_FUNCTION_INFO_V1(smarkpi_lead_response_time_inv);
Datum
smarkpi_lead_response_time_inv(PG_FUNCTION_ARGS)
{
	return duration_apply(fcinfo, "created_at", "responded_at", -1);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_combine);
Datum
smarkpi_duration_combine(PG_FUNCTION_ARGS)
{
	DurationState *st = (DurationState *) PG_GETARG_POINTER(0);
	DurationState *other = (DurationState *) PG_GETARG_POINTER(1);

	smarkpi_require_agg_context(fcinfo, "smarkpi_duration_combine");
	smarkpi_kpi_check_same(st->kpi, other->kpi, "smarkpi_duration_summary");
	st->count = smarkpi_add_count(st->count, other->count, "number of rows");
	st->sum_us = add_us(st->sum_us, other->sum_us);
	PG_RETURN_POINTER(st);
}

/* Mean in microseconds, rounded half away from zero, as days + time. */
PG_FUNCTION_INFO_V1(smarkpi_duration_final);
Datum
smarkpi_duration_final(PG_FUNCTION_ARGS)
{
	DurationState *st = (DurationState *) PG_GETARG_POINTER(0);
	int128		mean;

	if (st->count == 0)
		PG_RETURN_NULL();
	mean = (st->sum_us + st->count / 2) / st->count;
	if (mean > PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	PG_RETURN_INTERVAL_P(smarkpi_us_to_interval((int64) mean));
}

/* ---- summaries: rollup's inverse and the accessors ---- */

/* Removes a summary from a rolled-up duration state; NULL recomputes the frame. */
PG_FUNCTION_INFO_V1(smarkpi_duration_rollup_inv);
Datum
smarkpi_duration_rollup_inv(PG_FUNCTION_ARGS)
{
	DurationState *st = (DurationState *) PG_GETARG_POINTER(0);
	DurationState *other = (DurationState *) PG_GETARG_POINTER(1);

	smarkpi_require_agg_context(fcinfo, "smarkpi_duration_rollup_inv");
	smarkpi_kpi_check_same(st->kpi, other->kpi, "smarkpi_duration_summary");
	if (other->count > st->count || other->sum_us > st->sum_us)
		PG_RETURN_NULL();
	st->count -= other->count;
	st->sum_us -= other->sum_us;
	PG_RETURN_POINTER(st);
}

static Datum
duration_of_summary(FunctionCallInfo fcinfo, SmarkpiKpi want, const char *accessor)
{
	smarkpi_kpi_expect(((DurationState *) PG_GETARG_POINTER(0))->kpi, want, want, accessor);
	return smarkpi_duration_final(fcinfo);
}

PG_FUNCTION_INFO_V1(smarkpi_sales_cycle_length_of_summary);
Datum
smarkpi_sales_cycle_length_of_summary(PG_FUNCTION_ARGS)
{
	return duration_of_summary(fcinfo, SMARKPI_KPI_SALES_CYCLE_LENGTH, "sales_cycle_length");
}

PG_FUNCTION_INFO_V1(smarkpi_lead_response_time_of_summary);
Datum
smarkpi_lead_response_time_of_summary(PG_FUNCTION_ARGS)
{
	return duration_of_summary(fcinfo, SMARKPI_KPI_LEAD_RESPONSE_TIME, "lead_response_time");
}

/*
 * days(interval): the interval in days as numeric, for tools that cannot
 * chart an interval.  Exact up to numeric division's precision; months count
 * as 30 days, as in interval comparison.
 */
PG_FUNCTION_INFO_V1(smarkpi_days);
Datum
smarkpi_days(PG_FUNCTION_ARGS)
{
	Interval   *iv = PG_GETARG_INTERVAL_P(0);
	Numeric		us,
				day;

	if (INTERVAL_NOT_FINITE(iv))
		return NumericGetDatum(smarkpi_cstring_to_numeric(INTERVAL_IS_NOBEGIN(iv) ?
														  "-Infinity" : "Infinity"));
	us = smarkpi_int128_to_numeric(smarkpi_interval_us(iv));
	day = int64_to_numeric(USECS_PER_DAY);
	/* trailing zeros trimmed: 36 hours is 1.5 days, not 1.5000000000000000 */
	return DirectFunctionCall1(numeric_trim_scale,
							   DirectFunctionCall2(numeric_div, NumericGetDatum(us),
												   NumericGetDatum(day)));
}
