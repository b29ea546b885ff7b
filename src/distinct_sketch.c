/*
 * distinct_sketch.c
 *		distinct_sketch(value[, precision]): a HyperLogLog sketch of the
 *		distinct values, smarkpi_distinct_sketch; rollup() merges sketches
 *		(the union of their values); distinct_count(sketch) estimates it.
 *
 * Hashes are 64-bit XXH3 of a canonical byte form, so a value hashes the
 * same on every machine and major: integers (smallint, integer, bigint) as
 * one 8-byte big-endian number, so 7 is 7 whatever its type; floats as the
 * IEEE bits of a double (-0 as 0); numeric as its normalized text (1.0 and
 * 1.00 are one value); text, varchar and name as their bytes, char without
 * its trailing spaces; every other type as its binary send form.
 *
 * Two forms.  Sparse: the distinct hashes themselves, so the count is exact
 * (up to 64-bit collisions), while they take less room than the registers
 * would (m / 8 hashes for m = 2^precision one-byte registers).  Dense: the
 * registers, read with Ertl's improved raw estimator ("New cardinality
 * estimation algorithms for HyperLogLog sketches", 2017), which needs no
 * switch to linear counting and no bias table, so the error has no spike
 * where the sparse form ends.  The form is a function of the set of
 * hashes, so equal sets give equal sketches, whatever the order or plan.
 */
#include "smarkpi.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "core/wire.h"
#include "core/xxh3.h"
#include "core/xstate.h"
#include "libpq/pqformat.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/uuid.h"

#define SKETCH_TYPNAME "smarkpi_distinct_sketch"
#define LN2 0.693147180559945309417232121458
#define DEFAULT_PRECISION 14
#define MIN_PRECISION 4
#define MAX_PRECISION 18

typedef struct DistinctSketch
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		precision;
	bool		dense;
	bool		compacted;		/* sparse: hashes sorted and distinct */
	uint8		pad;
	int32		n;				/* sparse: hashes stored */
	uint64		data[FLEXIBLE_ARRAY_MEMBER];	/* sparse: hashes; dense: 2^p
												 * one-byte registers */
} DistinctSketch;

#define SKETCH_HEADER offsetof(DistinctSketch, data)
#define REGISTERS(st) ((uint8 *) (st)->data)

static inline int32
nregisters(int precision)
{
	return 1 << precision;
}

/* the most distinct hashes a sparse sketch keeps: as many bytes as the registers */
static inline int32
sparse_limit(int precision)
{
	return nregisters(precision) / 8;
}

/* ---- the canonical byte form of a value ---- */

typedef enum
{
	FORM_INTEGER, FORM_FLOAT, FORM_NUMERIC, FORM_TEXT, FORM_BPCHAR, FORM_NAME, FORM_UUID, FORM_SEND
} ValueForm;

/* How this call site hashes its argument's type, found once. */
typedef struct HashPlan
{
	Oid			type;
	Oid			base;			/* the type under its domains */
	ValueForm	form;
	FmgrInfo	send;			/* FORM_SEND */
} HashPlan;

static HashPlan *
hash_plan(FunctionCallInfo fcinfo)
{
	HashPlan   *plan = (HashPlan *) fcinfo->flinfo->fn_extra;
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	Oid			send;
	bool		varlena;

	if (plan && plan->type == type)
		return plan;
	if (!OidIsValid(type))
		elog(ERROR, "could not determine the type of distinct_sketch's value");
	plan = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(HashPlan));
	plan->type = type;
	plan->base = getBaseType(type);
	switch (plan->base)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			plan->form = FORM_INTEGER;
			break;
		case FLOAT4OID:
		case FLOAT8OID:
			plan->form = FORM_FLOAT;
			break;
		case NUMERICOID:
			plan->form = FORM_NUMERIC;
			break;
		case TEXTOID:
		case VARCHAROID:
			plan->form = FORM_TEXT;
			break;
		case BPCHAROID:
			plan->form = FORM_BPCHAR;
			break;
		case NAMEOID:
			plan->form = FORM_NAME;
			break;
		case UUIDOID:
			plan->form = FORM_UUID;
			break;
		default:
			plan->form = FORM_SEND;
			getTypeBinaryOutputInfo(type, &send, &varlena);
			fmgr_info_cxt(send, &plan->send, fcinfo->flinfo->fn_mcxt);
	}
	fcinfo->flinfo->fn_extra = plan;
	return plan;
}

static uint64
hash_be64(uint64 v)
{
	unsigned char b[8];
	int			i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char) (v >> (56 - 8 * i));
	return smarkpi_xxh3_64(b, 8);
}

static uint64
hash_value(const HashPlan *plan, Datum d)
{
	switch (plan->form)
	{
		case FORM_INTEGER:
			{
				int64		v = plan->base == INT2OID ? DatumGetInt16(d) :
					plan->base == INT4OID ? DatumGetInt32(d) : DatumGetInt64(d);

				return hash_be64((uint64) v);
			}
		case FORM_FLOAT:
			{
				double		v = plan->base == FLOAT4OID ?
					(double) DatumGetFloat4(d) : DatumGetFloat8(d);
				uint64		bits;

				if (v == 0)
					v = 0;		/* -0 is 0 */
				if (isnan(v))
					v = NAN;	/* one NaN */
				memcpy(&bits, &v, sizeof(bits));
				return hash_be64(bits);
			}
		case FORM_NUMERIC:
			{
				char	   *s = numeric_normalize(DatumGetNumeric(d));

				return smarkpi_xxh3_64((unsigned char *) s, strlen(s));
			}
		case FORM_TEXT:
			{
				struct varlena *t = (struct varlena *) DatumGetPointer(d);

				/*
				 * DatumGetTextPP's test, inline: most values are short and
				 * plain
				 */
				if (unlikely(VARATT_IS_EXTERNAL(t) || VARATT_IS_COMPRESSED(t)))
					t = pg_detoast_datum_packed(t);
				return smarkpi_xxh3_64((unsigned char *) VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
			}
		case FORM_BPCHAR:
			{
				text	   *t = DatumGetTextPP(d);
				const char *s = VARDATA_ANY(t);
				int			len = VARSIZE_ANY_EXHDR(t);

				while (len > 0 && s[len - 1] == ' ')
					len--;
				return smarkpi_xxh3_64((const unsigned char *) s, len);
			}
		case FORM_NAME:
			{
				const char *s = NameStr(*DatumGetName(d));

				return smarkpi_xxh3_64((const unsigned char *) s, strlen(s));
			}
		case FORM_UUID:
			/* its send form: the 16 bytes */
			return smarkpi_xxh3_64(DatumGetUUIDP(d)->data, UUID_LEN);
		case FORM_SEND:
			{
				bytea	   *b = SendFunctionCall((FmgrInfo *) &plan->send, d);

				return smarkpi_xxh3_64((unsigned char *) VARDATA(b), VARSIZE(b) - VARHDRSZ);
			}
	}
	return 0;
}

/* ---- the two forms ---- */

static int
precision_arg(FunctionCallInfo fcinfo, int argno)
{
	int32		p = PG_NARGS() > argno && !PG_ARGISNULL(argno) ? PG_GETARG_INT32(argno) :
		DEFAULT_PRECISION;

	if (p < MIN_PRECISION || p > MAX_PRECISION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("distinct_sketch precision must be between %d and %d", MIN_PRECISION,
						MAX_PRECISION),
				 errdetail("Got %d.", p),
				 errhint("14 (the default) gives 2^14 registers and a relative standard error of "
						 "0.8 %%; each step up halves the error's square and doubles the size.")));
	return p;
}

static DistinctSketch *
sketch_new(int precision, int32 capacity)
{
	DistinctSketch *st = smarkpi_flat_new(SKETCH_HEADER + sizeof(uint64) * capacity);

	st->precision = precision;
	st->compacted = true;
	return st;
}

static DistinctSketch *
dense_new(int precision)
{
	DistinctSketch *st = smarkpi_flat_new(SKETCH_HEADER + nregisters(precision));

	st->precision = precision;
	st->dense = true;
	st->compacted = true;
	return st;
}

static inline void
register_add(DistinctSketch *st, uint64 h)
{
	int			p = st->precision;
	uint32		idx = (uint32) (h >> (64 - p));
	uint64		rest = h << p;

	/* leading zeros of the rest, plus one; all zeros: 64 - p + 1 */
	uint8		rank = rest == 0 ? (uint8) (64 - p + 1) :
		(uint8) (63 - pg_leftmost_one_pos64(rest)) + 1;

	if (REGISTERS(st)[idx] < rank)
		REGISTERS(st)[idx] = rank;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64		x = *(const uint64 *) a;
	uint64		y = *(const uint64 *) b;

	return (x > y) - (x < y);
}

/* The bytes st uses (its hashes or registers). */
static Size
sketch_size(const DistinctSketch *st)
{
	return SKETCH_HEADER + (st->dense ? nregisters(st->precision) : sizeof(uint64) * st->n);
}

/* A copy of st in the current memory context, to settle without touching st. */
static DistinctSketch *
sketch_copy(const DistinctSketch *st)
{
	Size		size = sketch_size(st);
	DistinctSketch *copy = palloc(size);

	memcpy(copy, st, size);
	SET_VARSIZE(copy, size);
	return copy;
}

/* Sorts the sparse hashes and drops repeats. */
static void
compact(DistinctSketch *st)
{
	int32		i,
				out = 0;

	if (st->compacted)
		return;
	qsort(st->data, st->n, sizeof(uint64), cmp_u64);
	for (i = 0; i < st->n; i++)
		if (out == 0 || st->data[out - 1] != st->data[i])
			st->data[out++] = st->data[i];
	st->n = out;
	st->compacted = true;
}

/* The dense form of a sparse sketch, a new value. */
static DistinctSketch *
densify(const DistinctSketch *st)
{
	DistinctSketch *d = dense_new(st->precision);
	int32		i;

	for (i = 0; i < st->n; i++)
		register_add(d, st->data[i]);
	return d;
}

/* st, compacted, in the form its hashes call for: sparse up to sparse_limit */
static DistinctSketch *
settle(DistinctSketch *st)
{
	if (st->dense)
		return st;
	compact(st);
	return st->n > sparse_limit(st->precision) ? densify(st) : st;
}

/* Adds hashes to st; returns st or the value that replaced it. */
static DistinctSketch *
add_hashes(FunctionCallInfo fcinfo, DistinctSketch *st, const uint64 *h, int32 count)
{
	int32		i;

	if (st->dense)
	{
		for (i = 0; i < count; i++)
			register_add(st, h[i]);
		return st;
	}
	for (i = 0; i < count; i++)
	{
		/* room for repeats before compacting: twice the limit */
		if (st->n >= 2 * sparse_limit(st->precision))
		{
			st = settle(st);
			if (st->dense)
				return add_hashes(fcinfo, st, h + i, count - i);
		}
		st = smarkpi_flat_reserve(fcinfo, st, SKETCH_HEADER + sizeof(uint64) * st->n,
								  SKETCH_HEADER + sizeof(uint64) * (st->n + 1));
		if (st->n > 0 && st->data[st->n - 1] >= h[i])
			st->compacted = false;
		st->data[st->n++] = h[i];
	}
	return st;
}

/* Adds other (any form) to st; returns st or the value that replaced it. */
static DistinctSketch *
merge(FunctionCallInfo fcinfo, DistinctSketch *st, const DistinctSketch *other)
{
	int32		i;

	if (st->precision != other->precision)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge distinct sketches of different precision"),
				 errdetail("Precision %d and %d.", st->precision, other->precision),
				 errhint("Build the sketches to be merged with the same precision.")));
	if (!other->dense)
		return add_hashes(fcinfo, st, other->data, other->n);
	if (!st->dense)
	{
		compact(st);
		st = densify(st);
	}
	for (i = 0; i < nregisters(st->precision); i++)
		REGISTERS(st)[i] = Max(REGISTERS(st)[i], REGISTERS(other)[i]);
	return st;
}

/* ---- aggregates ---- */

/* distinct_sketch(value[, precision]); NULL values are ignored */
static Datum
sketch_step(FunctionCallInfo fcinfo, const HashPlan *plan)
{
	DistinctSketch *st;
	uint64		h;

	if (PG_ARGISNULL(0))
	{
		smarkpi_agg_context(fcinfo, "distinct_sketch transition");
		st = sketch_new(precision_arg(fcinfo, 2), 16);
	}
	else
	{
		/* every row: the inline context test, the precision only when given */
		smarkpi_require_agg_context(fcinfo, "distinct_sketch transition");
		st = smarkpi_flat_arg(fcinfo, 0);
		if (PG_NARGS() > 2 && st->precision != precision_arg(fcinfo, 2))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("distinct_sketch precision must be the same in every row"),
					 errdetail("Got %d after %d.", precision_arg(fcinfo, 2), st->precision),
					 errhint("Pass the precision as a constant.")));
	}
	if (PG_ARGISNULL(1))
		return smarkpi_flat_result(fcinfo, st);
	h = hash_value(plan ? plan : hash_plan(fcinfo), PG_GETARG_DATUM(1));
	if (likely(st->dense))
	{
		register_add(st, h);
		return smarkpi_flat_result(fcinfo, st);
	}
	st = add_hashes(fcinfo, st, &h, 1);
	return smarkpi_flat_result(fcinfo, st);
}

/* anyelement: the type from the call's expression */
PG_FUNCTION_INFO_V1(smarkpi_distinct_sketch_trans);
Datum
smarkpi_distinct_sketch_trans(PG_FUNCTION_ARGS)
{
	return sketch_step(fcinfo, NULL);
}

/*
 * The common key types have their own signatures: Citus distributes an
 * aggregate only when its declared argument types are the actual ones (no
 * anyelement), and a transition called by Citus has no call expression.
 */
#define SKETCH_TRANS_OF(suffix, oid, valueform) \
	PG_FUNCTION_INFO_V1(smarkpi_distinct_sketch_trans_##suffix); \
	Datum smarkpi_distinct_sketch_trans_##suffix(PG_FUNCTION_ARGS) \
	{ \
		static const HashPlan plan = {oid, oid, valueform}; \
		return sketch_step(fcinfo, &plan); \
	} \
	extern int smarkpi_sketch_trans_end_

SKETCH_TRANS_OF(text, TEXTOID, FORM_TEXT);
SKETCH_TRANS_OF(int2, INT2OID, FORM_INTEGER);
SKETCH_TRANS_OF(int4, INT4OID, FORM_INTEGER);
SKETCH_TRANS_OF(int8, INT8OID, FORM_INTEGER);
SKETCH_TRANS_OF(uuid, UUIDOID, FORM_UUID);

/* rollup's transition and both aggregates' combine: the union */
PG_FUNCTION_INFO_V1(smarkpi_distinct_sketch_combine);
Datum
smarkpi_distinct_sketch_combine(PG_FUNCTION_ARGS)
{
	DistinctSketch *st;
	DistinctSketch *other;

	smarkpi_agg_context(fcinfo, "distinct_sketch combine");
	st = smarkpi_flat_arg(fcinfo, 0);
	other = smarkpi_flat_arg(fcinfo, 1);
	if (other == NULL)
		return smarkpi_flat_result(fcinfo, st);
	if (st == NULL)
		st = other->dense ? dense_new(other->precision) : sketch_new(other->precision, 16);
	st = merge(fcinfo, st, other);
	return smarkpi_flat_result(fcinfo, st);
}

/* The value: a settled copy (the state may still grow in a window). */
PG_FUNCTION_INFO_V1(smarkpi_distinct_sketch_final);
Datum
smarkpi_distinct_sketch_final(PG_FUNCTION_ARGS)
{
	DistinctSketch *st = smarkpi_flat_arg(fcinfo, 0);
	DistinctSketch *copy;

	if (st == NULL)
		PG_RETURN_NULL();
	copy = settle(sketch_copy(st));
	SET_VARSIZE(copy, sketch_size(copy));
	PG_RETURN_POINTER(copy);
}

/* ---- the estimate: Ertl's improved raw estimator ---- */

static double
sigma(double x)
{
	double		y = 1,
				z = x,
				prev;

	if (x == 1)
		return INFINITY;
	do
	{
		x *= x;
		prev = z;
		z += x * y;
		y += y;
	} while (z != prev);
	return z;
}

static double
tau(double x)
{
	double		y = 1,
				z = 1 - x,
				prev;

	if (x == 0 || x == 1)
		return 0;
	do
	{
		x = sqrt(x);
		prev = z;
		y *= 0.5;
		z -= (1 - x) * (1 - x) * y;
	} while (z != prev);
	return z / 3;
}

static double
dense_estimate(const DistinctSketch *st)
{
	int			p = st->precision,
				q = 64 - p,
				k;
	double		m = nregisters(p);
	int64		counts[66] = {0};
	int32		i;
	double		z;

	for (i = 0; i < nregisters(p); i++)
		counts[REGISTERS(st)[i]]++;
	z = m * tau(1 - counts[q + 1] / m);
	for (k = q; k >= 1; k--)
		z = 0.5 * (z + counts[k]);
	z += m * sigma(counts[0] / m);
	return m * m / (2 * LN2 * z);
}

PG_FUNCTION_INFO_V1(smarkpi_distinct_count);
Datum
smarkpi_distinct_count(PG_FUNCTION_ARGS)
{
	DistinctSketch *st = smarkpi_flat_arg(fcinfo, 0);

	if (!st->dense)
	{
		if (!st->compacted)
		{
			DistinctSketch *copy = sketch_copy(st);

			compact(copy);
			st = copy;
		}
		PG_RETURN_INT64(st->n);
	}
	PG_RETURN_INT64((int64) llround(dense_estimate(st)));
}

/* ---- outside forms: version, precision, form, then n hashes or 2^p registers ---- */

static bytea *
sketch_send(const void *state)
{
	const DistinctSketch *st = state;
	StringInfoData buf;
	int32		i;

	/* a transition state (Citus ships them) in its settled form */
	if (!st->dense && (!st->compacted || st->n > sparse_limit(st->precision)))
		st = settle(sketch_copy(st));

	smarkpi_wire_begin(&buf);
	pq_sendbyte(&buf, st->precision);
	pq_sendbyte(&buf, st->dense ? 1 : 0);
	if (st->dense)
		pq_sendbytes(&buf, (const char *) REGISTERS(st), nregisters(st->precision));
	else
	{
		pq_sendint32(&buf, st->n);
		for (i = 0; i < st->n; i++)
			pq_sendint64(&buf, (int64) st->data[i]);
	}
	return pq_endtypsend(&buf);
}

static void *
sketch_recv(StringInfo buf)
{
	const char *what = SKETCH_TYPNAME;
	int			p = smarkpi_wire_byte(buf, what);
	int			dense = smarkpi_wire_byte(buf, what);
	DistinctSketch *st;
	int32		i,
				n;

	if (p < MIN_PRECISION || p > MAX_PRECISION || dense > 1)
		smarkpi_binary_corrupt(SKETCH_TYPNAME, "Invalid precision or form.");
	if (dense)
	{
		st = dense_new(p);
		smarkpi_wire_need(buf, nregisters(p), what);
		pq_copymsgbytes(buf, (char *) REGISTERS(st), nregisters(p));
		for (i = 0; i < nregisters(p); i++)
			if (REGISTERS(st)[i] > 64 - p + 1)
				smarkpi_binary_corrupt(SKETCH_TYPNAME, "A register is out of range.");
		return st;
	}
	n = smarkpi_wire_int32(buf, what);
	if (n < 0 || n > sparse_limit(p))
		smarkpi_binary_corrupt(SKETCH_TYPNAME, "Invalid number of hashes.");
	smarkpi_wire_check_count(buf, n, SMARKPI_WIRE_INT64, true, what);
	st = sketch_new(p, Max(n, 1));
	for (i = 0; i < n; i++)
	{
		st->data[i] = (uint64) smarkpi_wire_int64(buf, what);
		if (i > 0 && st->data[i] <= st->data[i - 1])
			smarkpi_binary_corrupt(SKETCH_TYPNAME, "The hashes are not sorted and distinct.");
	}
	st->n = n;
	return st;
}

static const SmarkpiFlatKind sketch_kind = {SKETCH_TYPNAME, sketch_send, sketch_recv};

SMARKPI_FLAT_TYPE_IO(smarkpi_distinct_sketch, sketch_kind);
