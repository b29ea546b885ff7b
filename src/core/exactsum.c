/*
 * core/exactsum.c
 *		Exact running sums of numeric values, fast.
 *
 * A sum is kept as a 128-bit integer scaled by 10^scale, where scale is the
 * largest display scale among its inputs, so it equals PostgreSQL's own
 * numeric sum digit for digit and display scale for display scale.  Inputs
 * are read straight from numeric's stable on-disk format (base-10000 digits)
 * without detoasting or allocating.  When a value or scale no longer fits
 * 128 bits, the sum switches to numeric arithmetic for good: slower, still
 * exact.
 */
#include "core/exactsum.h"

#include "core/agg.h"
#include "core/validate.h"

#include "utils/builtins.h"

/* Largest scale kept in 128 bits: 10^38 < 2^127. */
#define FAST_MAX_SCALE 38

static const int128 *
pow10_table(void)
{
	static int128 p[FAST_MAX_SCALE + 1];

	if (p[0] == 0)
	{
		int			i;

		p[0] = 1;
		for (i = 1; i <= FAST_MAX_SCALE; i++)
			p[i] = p[i - 1] * 10;
	}
	return p;
}

/*
 * a x b into *r, false on overflow: one 64-bit multiply when both fit 64
 * bits (money amounts and powers of ten up to 10^18 do), as the checked
 * 128-bit multiply is a library call.
 */
static inline bool
mul128(int128 a, int128 b, int128 *r)
{
	if (a == (int64) a && b == (int64) b)
	{
		*r = (int128) (int64) a * (int64) b;
		return true;
	}
	return !__builtin_mul_overflow(a, b, r);
}

/* *v x 10^k, false on overflow */
static bool
mul_pow10(int128 *v, int k)
{
	if (k == 0)
		return true;
	if (k < 0 || k > FAST_MAX_SCALE)
		return false;
	return mul128(*v, pow10_table()[k], v);
}

/* smarkpi_numeric_parts for every value its inline fast path leaves. */
void
smarkpi_numeric_parts_general(Datum d, NumericParts *x)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	const char *p;
	int			len,
				weight,
				ndigits,
				i,
				exp;
	uint16		header;
	const char *digits;
	int128		acc = 0;

	/*
	 * out-of-line or compressed values must be fetched; short headers are
	 * read in place
	 */
	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		v = pg_detoast_datum_packed(v);
	x->datum = PointerGetDatum(v);
	p = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	memcpy(&header, p, sizeof(uint16));
	x->special = NUMERIC_PARTS_FINITE;
	x->negative = false;
	x->fits = false;
	if ((header & SMARKPI_NUM_SIGN_MASK) == SMARKPI_NUM_SPECIAL)
	{
		uint16		kind = header & SMARKPI_NUM_EXT_SIGN_MASK;

		x->special = kind == SMARKPI_NUM_NAN ? NUMERIC_PARTS_NAN :
			kind == SMARKPI_NUM_PINF ? NUMERIC_PARTS_PINF : NUMERIC_PARTS_NINF;
		x->negative = x->special == NUMERIC_PARTS_NINF;
		x->dscale = 0;
		return;
	}
	if (header & SMARKPI_NUM_SHORT)
	{
		x->negative = (header & SMARKPI_NUM_SHORT_SIGN) != 0;
		x->dscale = (header & SMARKPI_NUM_SHORT_DSCALE_MASK) >> SMARKPI_NUM_SHORT_DSCALE_SHIFT;
		weight = smarkpi_numeric_short_weight(header);
		digits = p + sizeof(uint16);
		ndigits = (len - sizeof(uint16)) / sizeof(int16);
	}
	else
	{
		int16		w;

		x->negative = (header & SMARKPI_NUM_SIGN_MASK) == SMARKPI_NUM_NEG;
		x->dscale = header & SMARKPI_NUM_DSCALE_MASK;
		memcpy(&w, p + sizeof(uint16), sizeof(int16));
		weight = w;
		digits = p + 2 * sizeof(uint16);
		ndigits = (len - 2 * sizeof(uint16)) / sizeof(int16);
	}
	if (x->dscale > FAST_MAX_SCALE)
		return;
	exp = ndigits == 0 ? 0 : x->dscale - 4 * (ndigits - 1 - weight);
	if (ndigits <= 4 && exp >= -FAST_MAX_SCALE)
	{
		/* common case: at most 16 decimal digits, in 64-bit arithmetic */
		uint64		small = 0;

		for (i = 0; i < ndigits; i++)
		{
			int16		dig;

			memcpy(&dig, digits + i * sizeof(int16), sizeof(int16));
			small = small * 10000 + dig;
		}
		/* exact: digits past dscale are 0; constant divisors avoid a division */
		switch (exp)
		{
			case -1:
				small /= 10;
				break;
			case -2:
				small /= 100;
				break;
			case -3:
				small /= 1000;
				break;
			default:
				if (exp < 0)
					small /= (uint64) pow10_table()[Min(-exp, 19)];
		}
		acc = (int128) small;
		if (exp > 0 && !mul_pow10(&acc, exp))
			return;
	}
	else
	{
		/* acc = |value| x 10000^(ndigits - 1 - weight) */
		for (i = 0; i < ndigits; i++)
		{
			int16		dig;

			memcpy(&dig, digits + i * sizeof(int16), sizeof(int16));
			if (__builtin_mul_overflow(acc, (int128) 10000, &acc) ||
				__builtin_add_overflow(acc, (int128) dig, &acc))
				return;
		}
		if (exp >= 0)
		{
			if (!mul_pow10(&acc, exp))
				return;
		}
		else
		{
			if (-exp > FAST_MAX_SCALE)
				return;
			acc /= pow10_table()[-exp]; /* exact: digits past dscale are 0 */
		}
	}
	x->unscaled = x->negative ? -acc : acc;
	x->fits = true;
}

/* NaN or an infinity, read from the header alone (no detoast of short values). */
bool
smarkpi_numeric_datum_is_special(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	uint16		header;

	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		return numeric_is_nan(DatumGetNumeric(d)) || numeric_is_inf(DatumGetNumeric(d));
	memcpy(&header, VARDATA_ANY(v), sizeof(uint16));
	return (header & SMARKPI_NUM_SIGN_MASK) == SMARKPI_NUM_SPECIAL;
}

/* The decimal text of value / 10^scale, with exactly scale fraction digits. */
static char *
scaled_to_cstring(int128 value, int scale)
{
	char	   *digits = smarkpi_int128_to_cstring(value);	/* "-" first when
															 * negative */
	int			n = strlen(digits);
	StringInfoData buf;

	initStringInfo(&buf);
	if (value < 0)
	{
		/* |INT128_MIN| has no int128, so take the sign off the text instead */
		appendStringInfoChar(&buf, '-');
		digits++;
		n--;
	}
	if (n <= scale)
	{
		int			i;

		appendStringInfoString(&buf, "0.");
		for (i = n; i < scale; i++)
			appendStringInfoChar(&buf, '0');
		appendStringInfoString(&buf, digits);
	}
	else
	{
		appendBinaryStringInfo(&buf, digits, n - scale);
		if (scale > 0)
		{
			appendStringInfoChar(&buf, '.');
			appendStringInfoString(&buf, digits + n - scale);
		}
	}
	return buf.data;
}

/* A value without a datum was made here and fits: built from its digits and scale. */
static Numeric
parts_to_numeric(const NumericParts *x)
{
	if (x->datum != (Datum) 0)
		return DatumGetNumeric(x->datum);	/* detoasts a short header */
	Assert(x->fits);
	if (x->dscale == 0)
		return smarkpi_int128_to_numeric(x->unscaled);
	return smarkpi_cstring_to_numeric(scaled_to_cstring(x->unscaled, x->dscale));
}

/*
 * a x b as numeric_mul computes it (the exact product at display scale
 * a.dscale + b.dscale), in 128 bits; false when it does not fit.
 */
bool
smarkpi_numeric_parts_mul(const NumericParts *a, const NumericParts *b, NumericParts *product)
{
	Assert(a->special == NUMERIC_PARTS_FINITE && b->special == NUMERIC_PARTS_FINITE);
	if (!a->fits || !b->fits || a->dscale + b->dscale > FAST_MAX_SCALE ||
		!mul128(a->unscaled, b->unscaled, &product->unscaled))
		return false;
	product->special = NUMERIC_PARTS_FINITE;
	product->negative = product->unscaled < 0;
	product->dscale = a->dscale + b->dscale;
	product->fits = true;
	product->datum = (Datum) 0;
	return true;
}

Numeric
smarkpi_exactsum_to_numeric(const ExactSum *s)
{
	if (s->num)
		return s->num;
	return smarkpi_cstring_to_numeric(scaled_to_cstring(s->value, s->scale));
}

void
smarkpi_exactsum_zero(ExactSum *s)
{
	s->value = 0;
	s->scale = 0;
	s->num = NULL;
}

void
smarkpi_exactsum_from_numeric(ExactSum *s, Numeric n)
{
	NumericParts x;

	smarkpi_numeric_parts(NumericGetDatum(n), &x);
	s->scale = x.dscale;
	s->value = x.fits ? x.unscaled : 0;
	s->num = x.fits ? NULL : n;
}

static void
to_numeric_mode(ExactSum *s)
{
	if (s->num == NULL)
		s->num = smarkpi_exactsum_to_numeric(s);
}

/*
 * value/10^scale += sign x x, in 128 bits; false (nothing changed) when x
 * or the result does not fit.
 */
static bool
scaled_addsub(int128 *value, int32 *scale, const NumericParts *x, int sign)
{
	int128		sum = *value;
	int128		xv = x->unscaled;
	int			s = Max(*scale, x->dscale);

	if (!x->fits || !mul_pow10(&sum, s - *scale) || !mul_pow10(&xv, s - x->dscale) ||
		(sign > 0 ? __builtin_add_overflow(sum, xv, &sum) : __builtin_sub_overflow(sum, xv, &sum)))
		return false;
	*value = sum;
	*scale = s;
	return true;
}

/*
 * The display-scale rule, the one place it is written: the display scale of
 * a running numeric sum is the largest input scale, which a subtraction
 * cannot lower.  So each sum counts, in nmax, the inputs that carry its
 * scale.  Returns that count after adding (sign 1) or removing (sign -1) an
 * input of scale dscale from a sum of scale `scale`; 0 after a removal means
 * the last max-scale input left, and the caller asks the window executor to
 * recompute the frame (as core's sum(numeric) does).
 */
static int64
max_scale_count(int64 nmax, int32 scale, int dscale, int sign)
{
	if (sign > 0)
		return (dscale > scale || nmax == 0) ? 1 : nmax + (dscale == scale);
	return dscale == scale ? nmax - 1 : nmax;
}

/*
 * scaled_addsub with the count of max-scale inputs; false with
 * nothing changed when it does not fit, and *restart when a removal needs
 * the frame recomputed.
 */
bool
smarkpi_scaled_track(int128 *value, int32 *scale, int64 *nmax, const NumericParts *x, int sign,
					 bool *restart)
{
	int64		n = max_scale_count(*nmax, *scale, x->dscale, sign);

	*restart = sign < 0 && n <= 0;
	if (*restart)
		return true;
	if (!scaled_addsub(value, scale, x, sign))
		return false;
	*nmax = n;
	return true;
}

/* s += sign x value, exact; switches to numeric when 128 bits no longer hold it. */
void
smarkpi_exactsum_addsub(ExactSum *s, const NumericParts *x, int sign)
{
	if (s->num == NULL && scaled_addsub(&s->value, &s->scale, x, sign))
		return;
	to_numeric_mode(s);
	s->num = DatumGetNumeric(DirectFunctionCall2(sign > 0 ? numeric_add : numeric_sub,
												 NumericGetDatum(s->num),
												 NumericGetDatum(parts_to_numeric(x))));
	s->scale = Max(s->scale, x->dscale);
}

/* s += x, counting max-scale inputs (see max_scale_count). */
void
smarkpi_exactsum_add(ExactSum *s, int64 *nmax, const NumericParts *x)
{
	*nmax = max_scale_count(*nmax, s->scale, x->dscale, 1);
	smarkpi_exactsum_addsub(s, x, 1);
}

/* s -= x; false when the frame must be recomputed (see max_scale_count). */
bool
smarkpi_exactsum_sub(ExactSum *s, int64 *nmax, const NumericParts *x)
{
	*nmax = max_scale_count(*nmax, s->scale, x->dscale, -1);
	if (*nmax <= 0)
		return false;
	smarkpi_exactsum_addsub(s, x, -1);
	return true;
}

/* A sum as an input value, to add or remove it. */
static void
sum_parts(const ExactSum *o, NumericParts *x)
{
	if (o->num)
		smarkpi_numeric_parts(NumericGetDatum(o->num), x);
	else
	{
		x->special = NUMERIC_PARTS_FINITE;
		x->negative = o->value < 0;
		x->dscale = o->scale;
		x->fits = true;
		x->unscaled = o->value;
		x->datum = (Datum) 0;
	}
}

/* s += o, exact. */
void
smarkpi_exactsum_plus(ExactSum *s, const ExactSum *o)
{
	NumericParts x;

	sum_parts(o, &x);
	smarkpi_exactsum_addsub(s, &x, 1);
}

/* s += o for two partial states, merging their max-scale counts. */
void
smarkpi_exactsum_combine(ExactSum *s, int64 *nmax, const ExactSum *o, int64 onmax)
{
	if (onmax == 0)
		return;					/* o has no inputs: it is exactly 0 at scale 0 */
	if (*nmax == 0 || o->scale > s->scale)
		*nmax = onmax;
	else if (o->scale == s->scale)
		*nmax = smarkpi_add_count(*nmax, onmax, "number of rows");
	smarkpi_exactsum_plus(s, o);
}

int
smarkpi_exactsum_sign(const ExactSum *s)
{
	if (s->num)
		return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(s->num),
												 NumericGetDatum(int64_to_numeric(0))));
	return (s->value > 0) - (s->value < 0);
}

void
smarkpi_exactsum_minus(ExactSum *s, const ExactSum *o)
{
	NumericParts x;

	sum_parts(o, &x);
	smarkpi_exactsum_addsub(s, &x, -1);
}

/*
 * Removes o, a sum over onmax inputs at its scale, from s: the inverse of
 * smarkpi_exactsum_combine, for rollup() in moving windows.  Returns false,
 * s untouched, when s's display scale could drop (its last inputs at that
 * scale leave) or o cannot be part of s: the frame is then recomputed.
 */
bool
smarkpi_exactsum_uncombine(ExactSum *s, int64 *nmax, const ExactSum *o, int64 onmax)
{
	if (onmax == 0)
		return true;
	if (o->scale > s->scale || (o->scale == s->scale && onmax >= *nmax))
		return false;
	if (o->scale == s->scale)
		*nmax -= onmax;
	smarkpi_exactsum_minus(s, o);
	return true;
}

bool
smarkpi_row_money_int64(Datum d, const char *argname, const char *kpi, int64 *unscaled,
						int16 *dscale)
{
	NumericParts x;

	if (!smarkpi_row_money_parts(d, argname, true, &x))
		return false;
	if (!x.fits || x.dscale > SMARKPI_INT64_MONEY_DIGITS || x.unscaled > PG_INT64_MAX)
		return smarkpi_row_rejected(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
									psprintf("%s has too many digits for %s", argname, kpi),
									psprintf("Got %s; at most 18 digits, 18 of them decimals, fit.",
											 numeric_normalize(DatumGetNumeric(d))));
	*unscaled = (int64) x.unscaled;
	*dscale = (int16) x.dscale;
	return true;
}
