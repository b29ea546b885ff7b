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

#include "core/validate.h"

#include "utils/numeric.h"

/*
 * numeric's on-disk header bits (src/backend/utils/adt/numeric.c).  Reading
 * them directly is safe because this format is frozen: pg_upgrade carries
 * numeric columns over byte for byte, so PostgreSQL cannot change it without
 * breaking every upgraded database (it has not changed since 9.1's short
 * form, and 14 only used a spare bit pattern for infinities).  A change
 * would not go unnoticed: sql/crosscheck.sql compares cac() with
 * sum(spend) / sum(new_customers) digit for digit over 300,000 random rows
 * of mixed scales, sql/money.sql does so at the 128-bit boundary, and the
 * test command runs both on the oldest and the newest supported major.
 */
#define SMARKPI_NUM_SIGN_MASK		0xC000
#define SMARKPI_NUM_NEG				0x4000
#define SMARKPI_NUM_SHORT			0x8000
#define SMARKPI_NUM_SPECIAL			0xC000
#define SMARKPI_NUM_EXT_SIGN_MASK	0xF000
#define SMARKPI_NUM_NAN				0xC000
#define SMARKPI_NUM_PINF			0xD000
#define SMARKPI_NUM_SHORT_SIGN		0x2000
#define SMARKPI_NUM_SHORT_DSCALE_MASK 0x1F80
#define SMARKPI_NUM_SHORT_DSCALE_SHIFT 7
#define SMARKPI_NUM_SHORT_WEIGHT_SIGN 0x0040
#define SMARKPI_NUM_SHORT_WEIGHT_MASK 0x003F
#define SMARKPI_NUM_DSCALE_MASK		0x3FFF

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
	Datum		datum;			/* the numeric itself; 0 for a value made
								 * here, which then fits */
} NumericParts;

/* value / 10^scale exactly; num is set (and value unused) once 128 bits overflowed. */
typedef struct ExactSum
{
	int128		value;
	int32		scale;
	Numeric		num;
} ExactSum;

extern void smarkpi_numeric_parts_general(Datum d, NumericParts *x);
extern bool smarkpi_numeric_datum_is_special(Datum d);
extern bool smarkpi_numeric_parts_mul(const NumericParts *a, const NumericParts *b,
									  NumericParts *product);

/* The weight (base-10000 exponent) of a short-format numeric's header, sign-extended. */
static inline int
smarkpi_numeric_short_weight(uint16 header)
{
	return (header & SMARKPI_NUM_SHORT_WEIGHT_SIGN) ?
		(int) (~SMARKPI_NUM_SHORT_WEIGHT_MASK | (header & SMARKPI_NUM_SHORT_WEIGHT_MASK)) :
		(int) (header & SMARKPI_NUM_SHORT_WEIGHT_MASK);
}

/* Base-10000 digit i of a short-format numeric with a 1-byte varlena header. */
static inline uint64
smarkpi_numeric_digit(const char *v, int i)
{
	int16		dig;

	memcpy(&dig, v + VARHDRSZ_SHORT + sizeof(uint16) + i * sizeof(int16), sizeof(int16));
	return (uint64) dig;
}

/*
 * A numeric taken apart.  Inline for the common case, a value as stored in
 * a row (a 1-byte varlena header, numeric's short format) of at most 16
 * decimal digits: a money amount costs a few integer operations.
 */
static pg_attribute_always_inline void
smarkpi_numeric_parts(Datum d, NumericParts *x)
{
	static const uint64 pow10_small[] = {1, 10, 100, 1000};
	const char *v = DatumGetPointer(d);
	uint16		header;
	int			ndigits,
				weight,
				exp;
	uint64		small = 0;

	/* TOAST and expanded pointers have 1-byte headers too */
	if (!VARATT_IS_SHORT(v) || VARATT_IS_EXTERNAL(v))
	{
		smarkpi_numeric_parts_general(d, x);
		return;
	}
	memcpy(&header, v + VARHDRSZ_SHORT, sizeof(uint16));
	ndigits = (int) (VARSIZE_SHORT(v) - VARHDRSZ_SHORT - sizeof(uint16)) / (int) sizeof(int16);
	if ((header & SMARKPI_NUM_SIGN_MASK) != SMARKPI_NUM_SHORT || ndigits > 4)
	{
		smarkpi_numeric_parts_general(d, x);
		return;
	}
	x->dscale = (header & SMARKPI_NUM_SHORT_DSCALE_MASK) >> SMARKPI_NUM_SHORT_DSCALE_SHIFT;
	weight = smarkpi_numeric_short_weight(header);
	exp = ndigits == 0 ? 0 : x->dscale - 4 * (ndigits - 1 - weight);
	if (exp < -3 || exp > 2)
	{
		smarkpi_numeric_parts_general(d, x);
		return;
	}
	/* unrolled: a loop's exit mispredicts as often as the digit count changes */
	switch (ndigits)
	{
		case 4:
			small = smarkpi_numeric_digit(v, 0);
			/* FALLTHROUGH */
		case 3:
			small = small * 10000 + smarkpi_numeric_digit(v, ndigits - 3);
			/* FALLTHROUGH */
		case 2:
			small = small * 10000 + smarkpi_numeric_digit(v, ndigits - 2);
			/* FALLTHROUGH */
		case 1:
			small = small * 10000 + smarkpi_numeric_digit(v, ndigits - 1);
	}

	/*
	 * exact: digits past dscale are 0; constant divisors, no division
	 * instruction
	 */
	switch (exp)
	{
		case -3:
			small /= 1000;
			break;
		case -2:
			small /= 100;
			break;
		case -1:
			small /= 10;
			break;
		default:
			small *= pow10_small[exp];	/* < 10^16 x 100, no overflow */
	}
	x->special = NUMERIC_PARTS_FINITE;
	x->negative = (header & SMARKPI_NUM_SHORT_SIGN) != 0;
	x->fits = true;
	x->unscaled = x->negative ? -(int128) small : (int128) small;
	x->datum = d;
}

/*
 * A row's money taken apart, when smarkpi_row_money_ok (core/validate.h)
 * accepts it; the common case, finite and of the allowed sign, is decided
 * from the parts.
 */
static inline bool
smarkpi_row_money_parts(Datum d, const char *argname, bool nonneg, NumericParts *x)
{
	smarkpi_numeric_parts(d, x);
	if (likely(x->special == NUMERIC_PARTS_FINITE && !(nonneg && x->negative)))
		return true;
	return smarkpi_row_money_ok(DatumGetNumeric(x->datum), argname, nonneg);
}

/* A whole number as parts (no datum: made here). */
static inline void
smarkpi_numeric_parts_int64(int64 v, NumericParts *x)
{
	x->special = NUMERIC_PARTS_FINITE;
	x->negative = v < 0;
	x->dscale = 0;
	x->fits = true;
	x->unscaled = v;
	x->datum = (Datum) 0;
}

/* the most decimals (and digits) a 64-bit scaled amount keeps */
#define SMARKPI_INT64_MONEY_DIGITS 18

/*
 * A row's money as unscaled / 10^dscale in 64 bits: finite, not negative, at
 * most 18 digits, 18 of them decimals; false when the row is left out
 * (smarkpi.invalid_rows), kpi naming the aggregate in the error.
 */
extern bool smarkpi_row_money_int64(Datum d, const char *argname, const char *kpi,
									int64 *unscaled, int16 *dscale);

/* unscaled / 10^dscale as parts (no datum: made here). */
static inline void
smarkpi_numeric_parts_scaled(int128 unscaled, int dscale, NumericParts *x)
{
	x->special = NUMERIC_PARTS_FINITE;
	x->negative = unscaled < 0;
	x->dscale = dscale;
	x->fits = true;
	x->unscaled = unscaled;
	x->datum = (Datum) 0;
}

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
