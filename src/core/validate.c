/*
 * core/validate.c
 *		Checks of a row's own values, under smarkpi.invalid_rows.
 *
 * A value that a KPI's definition makes impossible (a close before the
 * create, NaN or infinite money, an infinite timestamp, a negative count or
 * spend, an out-of-range score) is a data error.  With the setting 'error'
 * (the default) it is raised, with a HINT naming the setting; with 'skip' the
 * check returns false and the caller leaves the row out as if it were absent.
 * Every check is a function of the row alone, so a moving frame's inverse
 * transition skips exactly the rows its forward transition skipped.
 *
 * Errors about the query itself (a negative SLA, a fraction outside [0, 1])
 * are not row checks: they are raised whatever the setting.
 */
#include "core/validate.h"

#include <math.h>

#include "common/int.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

int			smarkpi_invalid_rows = SMARKPI_INVALID_ROWS_ERROR;

static const struct config_enum_entry invalid_rows_options[] = {
	{"error", SMARKPI_INVALID_ROWS_ERROR, false},
	{"skip", SMARKPI_INVALID_ROWS_SKIP, false},
	{NULL, 0, false}
};

void
smarkpi_define_invalid_rows_guc(void)
{
	DefineCustomEnumVariable("smarkpi.invalid_rows",
							 "What smarkpi does with a row whose own values are impossible for a "
							 "KPI.",
							 "error raises the error; skip leaves the row out of the KPI, as if "
							 "absent.",
							 &smarkpi_invalid_rows,
							 SMARKPI_INVALID_ROWS_ERROR,
							 invalid_rows_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}

/* True when invalid rows are to be left out rather than raised. */
static bool
skip_invalid_rows(void)
{
	return smarkpi_invalid_rows == SMARKPI_INVALID_ROWS_SKIP;
}

/* timestamptz_to_str() returns a static buffer: copy each value out. */
static char *
ts_text(TimestampTz ts)
{
	return pstrdup(timestamptz_to_str(ts));
}

/*
 * A row-level rule the caller found broken: raises the error (with the
 * HINT), or returns false when such rows are skipped.  detail may be NULL.
 */
bool
smarkpi_row_rejected(int sqlstate, const char *message, const char *detail)
{
	if (skip_invalid_rows())
		return false;
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg_internal("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 errhint(SMARKPI_INVALID_ROWS_HINT)));
	return false;
}

bool
smarkpi_row_ts_ok(TimestampTz ts, const char *argname)
{
	return !TIMESTAMP_NOT_FINITE(ts) ||
		smarkpi_row_rejected(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
							 psprintf("%s must be a finite timestamp", argname),
							 psprintf("Got %s.",
									  TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity"));
}

/*
 * Microseconds from "from" to "to" into *elapsed: both finite, in order, and
 * the span must fit an interval (the extreme timestamps are ~2^63 us apart).
 */
bool
smarkpi_row_elapsed_us(TimestampTz from, TimestampTz to, const char *fromname,
					   const char *toname, int64 *elapsed)
{
	if (!smarkpi_row_ts_ok(from, fromname) || !smarkpi_row_ts_ok(to, toname))
		return false;
	if (to < from)
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									psprintf("%s must not be earlier than %s", toname, fromname),
									psprintf("%s is %s, %s is %s.", fromname, ts_text(from),
											 toname, ts_text(to)));
	if (pg_sub_s64_overflow(to, from, elapsed))
		return smarkpi_row_rejected(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE, "interval out of range",
									psprintf("The span from %s to %s is too long.",
											 ts_text(from), ts_text(to)));
	return true;
}

/* Money must be a finite number; nonneg: and not negative (spend, cost). */
bool
smarkpi_row_money_ok(Numeric n, const char *argname, bool nonneg)
{
	if (numeric_is_nan(n))
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									psprintf("%s must not be NaN", argname), NULL);
	if (numeric_is_inf(n))
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									psprintf("%s must be finite", argname),
									psprintf("Got %s.", numeric_normalize(n)));
	/* a comparison with zero, so only where the sign matters */
	if (nonneg && DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(n),
													NumericGetDatum(int64_to_numeric(0)))) < 0)
		return smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
									psprintf("%s must not be negative", argname),
									psprintf("Got %s.", numeric_normalize(n)));
	return true;
}

bool
smarkpi_row_count_ok(int64 n, const char *argname)
{
	return n >= 0 ||
		smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
							 psprintf("%s must not be negative", argname),
							 psprintf("Got " INT64_FORMAT ".", n));
}

bool
smarkpi_row_float_ok(double v, const char *argname)
{
	return (!isnan(v) && !isinf(v)) ||
		smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
							 psprintf("%s must be a finite number", argname),
							 psprintf("Got %s.", float8out_internal(v)));
}

/* An integer score on a closed scale (NPS 0-10, CSAT 1-scale). */
bool
smarkpi_row_score_ok(int32 score, int32 lo, int32 hi, const char *what)
{
	return (score >= lo && score <= hi) ||
		smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
							 psprintf("%s must be between %d and %d", what, lo, hi),
							 psprintf("Got %d.", score));
}

/* A probability in [0, 1] (pipeline_value's deal probability). */
bool
smarkpi_row_probability_ok(double p, const char *argname)
{
	return (!isnan(p) && p >= 0.0 && p <= 1.0) ||
		smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
							 psprintf("%s must be between 0 and 1", argname),
							 psprintf("Got %s.", float8out_internal(p)));
}
