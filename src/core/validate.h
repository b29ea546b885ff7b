/*
 * core/validate.h
 *		Checks of a row's own values, under smarkpi.invalid_rows.
 *
 * Promises: every check is a function of the row alone (so a moving frame's
 * inverse skips exactly the rows its forward transition skipped); it either
 * returns true, raises the error with SMARKPI_INVALID_ROWS_HINT, or -- under
 * smarkpi.invalid_rows = skip -- returns false and the caller leaves the row
 * out.  Checks only: taking a value apart is the caller's layer's job.
 */
#ifndef SMARKPI_CORE_VALIDATE_H
#define SMARKPI_CORE_VALIDATE_H

#include "compat.h"

#include "datatype/timestamp.h"
#include "utils/numeric.h"

typedef enum
{
	SMARKPI_INVALID_ROWS_ERROR,
	SMARKPI_INVALID_ROWS_SKIP
} SmarkpiInvalidRows;

extern int	smarkpi_invalid_rows;

#define SMARKPI_INVALID_ROWS_HINT \
	"Correct or filter out the row, or SET smarkpi.invalid_rows = 'skip' " \
	"to leave such rows out of smarkpi's KPIs."

extern void smarkpi_define_invalid_rows_guc(void);
extern bool smarkpi_row_rejected(int sqlstate, const char *message, const char *detail);

extern bool smarkpi_row_ts_ok(TimestampTz ts, const char *argname);
extern bool smarkpi_row_elapsed_us(TimestampTz from, TimestampTz to, const char *fromname,
								   const char *toname, int64 *elapsed);
extern bool smarkpi_row_money_ok(Numeric n, const char *argname, bool nonneg);
extern bool smarkpi_row_count_ok(int64 n, const char *argname);
extern bool smarkpi_row_float_ok(double v, const char *argname);
extern bool smarkpi_row_score_ok(int32 score, int32 lo, int32 hi, const char *what);
extern bool smarkpi_row_probability_ok(double p, const char *argname);

#endif							/* SMARKPI_CORE_VALIDATE_H */
