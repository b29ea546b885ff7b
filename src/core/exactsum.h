/*
 * core/exactsum.h
 *		Exact running sums of numeric values, and numerics taken apart.
 *
 * Promises: a sum equals PostgreSQL's own numeric sum digit for digit and
 * display scale for display scale, whatever the row count and scales; it
 * is a 128-bit scaled integer while that holds it and a numeric after.
 * Inputs are read from numeric's on-disk format without detoasting short
 * values or allocating.
 */
#ifndef SMARKPI_CORE_EXACTSUM_H
#define SMARKPI_CORE_EXACTSUM_H

#include "compat.h"

#include "utils/numeric.h"

/* A numeric input taken apart: sign, display scale and, when it fits, value x 10^dscale. */
typedef enum
{
	NUMERIC_PARTS_FINITE, NUMERIC_PARTS_NAN, NUMERIC_PARTS_PINF, NUMERIC_PARTS_NINF
} NumericPartsSpecial;

typedef struct NumericParts
{
	NumericPartsSpecial special;
	bool		negative;
	int			dscale;
	bool		fits;			/* unscaled holds the value */
	int128		unscaled;		/* value x 10^dscale */
	Datum		datum;			/* the numeric itself; 0 for a whole number
								 * made here */
} NumericParts;

/* value / 10^scale exactly; num is set (and value unused) once 128 bits overflowed. */
typedef struct ExactSum
{
	int128		value;
	int32		scale;
	Numeric		num;
} ExactSum;

extern void smarkpi_numeric_parts(Datum d, NumericParts *x);
extern void smarkpi_numeric_parts_int64(int64 v, NumericParts *x);
extern bool smarkpi_numeric_datum_is_special(Datum d);

/* A row's money taken apart, after smarkpi_row_money_ok's checks (core/validate.h). */
extern bool smarkpi_row_money_parts(Datum d, const char *argname, bool nonneg, NumericParts *x);

extern void smarkpi_exactsum_zero(ExactSum *s);
extern void smarkpi_exactsum_from_numeric(ExactSum *s, Numeric n);
extern Numeric smarkpi_exactsum_to_numeric(const ExactSum *s);
extern int	smarkpi_exactsum_sign(const ExactSum *s);
extern bool smarkpi_scaled_track(int128 *value, int32 *scale, int64 *nmax, const NumericParts *x,
								 int sign, bool *restart);
extern void smarkpi_exactsum_addsub(ExactSum *s, const NumericParts *x, int sign);
extern void smarkpi_exactsum_add(ExactSum *s, int64 *nmax, const NumericParts *x);
extern bool smarkpi_exactsum_sub(ExactSum *s, int64 *nmax, const NumericParts *x);
extern void smarkpi_exactsum_plus(ExactSum *s, const ExactSum *o);
extern void smarkpi_exactsum_minus(ExactSum *s, const ExactSum *o);
extern void smarkpi_exactsum_combine(ExactSum *s, int64 *nmax, const ExactSum *o, int64 onmax);
extern bool smarkpi_exactsum_uncombine(ExactSum *s, int64 *nmax, const ExactSum *o, int64 onmax);

#endif							/* SMARKPI_CORE_EXACTSUM_H */
