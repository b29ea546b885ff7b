/*
 * durations/sketch.c
 *		duration_sketch(started_at, ended_at[, relative_error]): a mergeable,
 *		bounded-memory summary of ended_at - started_at (a DDSketch-style
 *		log-bucket sketch); rollup(summary) merges sketches, and
 *		duration_percentile(summary, fraction) reads a percentile from one.
 *
 * With relative error a and gamma = (1 + a) / (1 - a), a duration of x > 0
 * microseconds is counted in bucket i = ceil(ln x / ln gamma), which covers
 * (gamma^(i-1), gamma^i]; zero durations are counted apart.  The bucket's
 * representative 2 gamma^i / (gamma + 1) is within a x of every x in it, so
 * the k-th smallest duration is estimated within a x, plus 0.5 us for the
 * rounding to the microsecond.
 *
 * Counts are integers, so merging (bucket addition) and a moving frame's
 * inverse (bucket subtraction) are exact: a sketch does not depend on the
 * order or grouping of merges, nor on how parallel query splits the rows.
 *
 * Memory: durations are at most 2^63 us, so the buckets of a given a lie in
 * [0, ceil(63 ln 2 / ln gamma)] (2,185 buckets at a = 0.01), and a value holds
 * the buckets from its lowest to its highest non-empty one, 8 bytes each.
 *
 * The transition state is the sketch type itself, updated in place in the
 * aggregate context.  When a duration falls outside its bucket range, a
 * bigger value with slack replaces it: the executor copies the new value in
 * and frees the old one.  A state may so carry empty buckets at its ends; the
 * final and input functions return the canonical form, trimmed, so that
 * equal contents give equal bytes.
 */
#include "durations/durations.h"

#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"
#include "core/wire.h"
#include "libpq/pqformat.h"
#include "utils/float.h"

typedef struct DurationSketch
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		first;			/* bucket index of counts[0] */
	double		alpha;			/* relative error */
	int64		count;			/* durations counted, zeros included */
	int64		zeros;			/* durations of zero */
	int32		nbuckets;
	int32		padding;		/* zero, so that equal sketches have equal
								 * bytes */
	int64		counts[FLEXIBLE_ARRAY_MEMBER];
} DurationSketch;

#define SKETCH_TYPNAME "smarkpi_duration_sketch"
#define SKETCH_MIN_ALPHA 0.0001
#define SKETCH_MAX_ALPHA 0.5
#define SKETCH_DEFAULT_ALPHA 0.01
/* version byte, alpha, count, zeros, first, nbuckets */

#define PG_GETARG_SKETCH(n) ((DurationSketch *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* What a relative error implies, computed once per alpha. */
typedef struct SketchParams
{
	double		alpha;
	double		ln_gamma;
	int32		max_index;		/* the bucket of the longest duration, 2^63 us */
} SketchParams;

/* The one place a duration's bucket is computed: x > 0 microseconds. */
static int32
bucket_index(int64 x, double ln_gamma)
{
	Assert(x > 0);
	return (int32) ceil(log((double) x) / ln_gamma);
}

static void
params_init(SketchParams *p, double alpha)
{
	p->alpha = alpha;
	p->ln_gamma = log((1.0 + alpha) / (1.0 - alpha));
	p->max_index = bucket_index(PG_INT64_MAX, p->ln_gamma);
}

/* The parameters of alpha, cached across the rows of a query. */
static const SketchParams *
sketch_params(FunctionCallInfo fcinfo, double alpha)
{
	SketchParams *p = fcinfo->flinfo ? (SketchParams *) fcinfo->flinfo->fn_extra : NULL;

	if (p != NULL && p->alpha == alpha)
		return p;
	if (p == NULL)
		p = fcinfo->flinfo ?
			MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(SketchParams)) :
			palloc(sizeof(SketchParams));
	params_init(p, alpha);
	if (fcinfo->flinfo)
		fcinfo->flinfo->fn_extra = p;
	return p;
}

static bool
alpha_ok(double alpha)
{
	return !isnan(alpha) && alpha >= SKETCH_MIN_ALPHA && alpha < SKETCH_MAX_ALPHA;
}

/* An empty sketch of nbuckets buckets from first, in the current context. */
static DurationSketch *
sketch_alloc(double alpha, int32 first, int32 nbuckets)
{
	Size		size = offsetof(DurationSketch, counts) + sizeof(int64) * nbuckets;
	DurationSketch *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->alpha = alpha;
	s->first = first;
	s->nbuckets = nbuckets;
	return s;
}

/* The non-empty buckets' index range [*lo, *hi]; false when there is none. */
static bool
sketch_span(const DurationSketch *s, int32 *lo, int32 *hi)
{
	int32		a = 0,
				b = s->nbuckets - 1;

	while (a <= b && s->counts[a] == 0)
		a++;
	while (b >= a && s->counts[b] == 0)
		b--;
	*lo = s->first + a;
	*hi = s->first + b;
	return a <= b;
}

/* The canonical form: no empty bucket at either end, first 0 when empty. */
static DurationSketch *
sketch_canonical(const DurationSketch *s)
{
	int32		lo,
				hi;
	DurationSketch *r;

	if (!sketch_span(s, &lo, &hi))
		lo = 0, hi = -1;
	r = sketch_alloc(s->alpha, lo, hi - lo + 1);
	r->count = s->count;
	r->zeros = s->zeros;
	if (r->nbuckets > 0)
		memcpy(r->counts, s->counts + (lo - s->first), sizeof(int64) * r->nbuckets);
	return r;
}

/*
 * A copy of s whose range also covers buckets [lo, hi], with slack on each
 * side that grows (half the range, at least 16 buckets), so that a growing
 * range is copied O(log n) times.  The range never leaves [0, max_index].
 */
static DurationSketch *
sketch_widen(const DurationSketch *s, int32 lo, int32 hi, const SketchParams *p)
{
	int32		first = s->nbuckets > 0 ? Min(s->first, lo) : lo;
	int32		last = s->nbuckets > 0 ? Max(s->first + s->nbuckets - 1, hi) : hi;
	int32		slack = Max(16, (last - first + 1) / 2);
	DurationSketch *r;

	Assert(lo >= 0 && hi <= p->max_index && lo <= hi);
	if (s->nbuckets == 0 || lo < s->first)
		first = Max(0, first - slack);
	if (s->nbuckets == 0 || hi > s->first + s->nbuckets - 1)
		last = Min(p->max_index, last + slack);
	r = sketch_alloc(s->alpha, first, last - first + 1);
	r->count = s->count;
	r->zeros = s->zeros;
	if (s->nbuckets > 0)
		memcpy(r->counts + (s->first - first), s->counts, sizeof(int64) * s->nbuckets);
	return r;
}

/* The counter of duration us in s, or NULL when its bucket is outside s's range. */
static int64 *
sketch_slot(DurationSketch *s, int64 us, const SketchParams *p)
{
	int32		i;

	if (us == 0)
		return &s->zeros;
	i = bucket_index(us, p->ln_gamma);
	if (i < s->first || i >= s->first + s->nbuckets)
		return NULL;
	return &s->counts[i - s->first];
}

/* ---- checks of values from outside (text, binary): 22P02 / 22P03 ---- */

/* The fields before the counts; bounds nbuckets before anything is allocated. */
static void
check_header(double alpha, int64 count, int64 zeros, int64 first, int64 nbuckets, int sqlstate)
{
	SketchParams p;

	if (!alpha_ok(alpha))
		smarkpi_state_corrupt(SKETCH_TYPNAME, sqlstate,
							  psprintf("The relative error must be at least %g and less than %g; "
									   "got %s.",
									   SKETCH_MIN_ALPHA, SKETCH_MAX_ALPHA,
									   double_to_shortest_decimal(alpha)));
	if (count < 0 || zeros < 0 || zeros > count)
		smarkpi_state_corrupt(SKETCH_TYPNAME, sqlstate,
							  psprintf("Counts must satisfy 0 <= zeros <= count; got zeros "
									   "" INT64_FORMAT ", count " INT64_FORMAT ".",
									   zeros, count));
	params_init(&p, alpha);
	if (first < 0 || first > p.max_index || nbuckets < 0 || nbuckets > p.max_index + 1 - first)
		smarkpi_state_corrupt(SKETCH_TYPNAME, sqlstate,
							  psprintf("Got " INT64_FORMAT " buckets from bucket " INT64_FORMAT
									   "; at relative error %s, durations up to 2^63 microseconds "
									   "fill buckets 0 to %d.",
									   nbuckets, first, double_to_shortest_decimal(alpha),
									   p.max_index));
}

/* A sketch with the header's fields, once they are checked; the counts are the caller's. */
static DurationSketch *
sketch_from_header(double alpha, int64 count, int64 zeros, int64 first, int64 nbuckets,
				   int sqlstate)
{
	DurationSketch *s;

	check_header(alpha, count, zeros, first, nbuckets, sqlstate);
	s = sketch_alloc(alpha, (int32) first, (int32) nbuckets);
	s->count = count;
	s->zeros = zeros;
	return s;
}

static void
check_counts(const DurationSketch *s, int sqlstate)
{
	int64		sum = s->zeros;
	int32		j;

	for (j = 0; j < s->nbuckets; j++)
		if (s->counts[j] < 0 || pg_add_s64_overflow(sum, s->counts[j], &sum))
			smarkpi_state_corrupt(SKETCH_TYPNAME, sqlstate,
								  "Bucket counts must not be negative, and their sum must fit a "
								  "bigint.");
	if (sum != s->count)
		smarkpi_state_corrupt(SKETCH_TYPNAME, sqlstate,
							  psprintf("The zeros and the bucket counts sum to " INT64_FORMAT
									   ", but count is " INT64_FORMAT ".",
									   sum, s->count));
}

/* ---- text form: (relative error,count,zeros,first bucket,{bucket counts}) ---- */

#define SKETCH_TEXT_FORM "Expected (relative error,count,zeros,first bucket,{bucket counts})."

/* Cuts *p at the next sep: returns the field, moves *p past sep; NULL when none. */
static char *
next_field(char **p, char sep)
{
	char	   *field = *p;
	char	   *end = strchr(field, sep);

	if (end == NULL)
		return NULL;
	*end = '\0';
	*p = end + 1;
	return field;
}

/* What p holds between open and close, surrounding white space aside (p is modified). */
static char *
enclosed(char *p, char open, char close, const char *str)
{
	char	   *end;

	while (isspace((unsigned char) *p))
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char) end[-1]))
		end--;
	if (*p != open || end - p < 2 || end[-1] != close)
		smarkpi_text_syntax_error(SKETCH_TYPNAME, str, SKETCH_TEXT_FORM);
	end[-1] = '\0';
	return p + 1;
}

static double
parse_alpha(const char *field, const char *str)
{
	char	   *end;
	double		alpha = strtod(field, &end);

	while (isspace((unsigned char) *end))
		end++;
	if (end == field || *end != '\0')
		smarkpi_text_syntax_error(SKETCH_TYPNAME, str, SKETCH_TEXT_FORM);
	return alpha;
}

PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_in);
Datum
smarkpi_duration_sketch_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *p = enclosed(pstrdup(str), '(', ')', str);
	char	   *f[4];
	double		alpha;
	int64		count,
				zeros,
				first,
				nbuckets = 0;
	DurationSketch *s;
	int			i;

	for (i = 0; i < 4; i++)
		if ((f[i] = next_field(&p, ',')) == NULL)
			smarkpi_text_syntax_error(SKETCH_TYPNAME, str, SKETCH_TEXT_FORM);
	p = enclosed(p, '{', '}', str);
	/* counted before anything is allocated, and bounded by check_header */
	for (char *c = p; *c; c++)
		nbuckets += (*c == ',');
	nbuckets += (strspn(p, " \t\n\r\f\v") != strlen(p));
	alpha = parse_alpha(f[0], str);
	count = smarkpi_parse_int64_field(f[1], SKETCH_TYPNAME);
	zeros = smarkpi_parse_int64_field(f[2], SKETCH_TYPNAME);
	first = smarkpi_parse_int64_field(f[3], SKETCH_TYPNAME);
	s = sketch_from_header(alpha, count, zeros, first, nbuckets,
						   ERRCODE_INVALID_TEXT_REPRESENTATION);
	for (i = 0; i < s->nbuckets; i++)
		s->counts[i] = smarkpi_parse_int64_field(i < s->nbuckets - 1 ? next_field(&p, ',') : p,
												 SKETCH_TYPNAME);
	check_counts(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(sketch_canonical(s));
}

/* The relative error with the fewest digits that read back to the same double. */
PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_out);
Datum
smarkpi_duration_sketch_out(PG_FUNCTION_ARGS)
{
	DurationSketch *s = sketch_canonical(PG_GETARG_SKETCH(0));
	StringInfoData buf;
	int32		j;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(%s," INT64_FORMAT "," INT64_FORMAT ",%d,{",
					 double_to_shortest_decimal(s->alpha), s->count, s->zeros, s->first);
	for (j = 0; j < s->nbuckets; j++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, j > 0 ? "," : "", s->counts[j]);
	appendStringInfoString(&buf, "})");
	PG_RETURN_CSTRING(buf.data);
}

/* ---- binary form: version, alpha, count, zeros, first, nbuckets, counts ---- */

PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_recv);
Datum
smarkpi_duration_sketch_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	double		alpha;
	int64		count,
				zeros;
	int32		first,
				nbuckets,
				j;
	DurationSketch *s;

	smarkpi_wire_open(buf, SKETCH_TYPNAME);
	alpha = smarkpi_wire_float8(buf, SKETCH_TYPNAME);
	count = smarkpi_wire_int64(buf, SKETCH_TYPNAME);
	zeros = smarkpi_wire_int64(buf, SKETCH_TYPNAME);
	first = smarkpi_wire_int32(buf, SKETCH_TYPNAME);
	nbuckets = smarkpi_wire_int32(buf, SKETCH_TYPNAME);
	smarkpi_wire_check_count(buf, nbuckets, SMARKPI_WIRE_INT64, true, SKETCH_TYPNAME);
	s = sketch_from_header(alpha, count, zeros, first, nbuckets,
						   ERRCODE_INVALID_BINARY_REPRESENTATION);
	for (j = 0; j < nbuckets; j++)
		s->counts[j] = smarkpi_wire_int64(buf, SKETCH_TYPNAME);
	check_counts(s, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(sketch_canonical(s));
}

PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_send);
Datum
smarkpi_duration_sketch_send(PG_FUNCTION_ARGS)
{
	DurationSketch *s = sketch_canonical(PG_GETARG_SKETCH(0));
	StringInfoData buf;
	int32		j;

	smarkpi_wire_begin(&buf);
	pq_sendfloat8(&buf, s->alpha);
	pq_sendint64(&buf, s->count);
	pq_sendint64(&buf, s->zeros);
	pq_sendint32(&buf, s->first);
	pq_sendint32(&buf, s->nbuckets);
	for (j = 0; j < s->nbuckets; j++)
		pq_sendint64(&buf, s->counts[j]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---- the duration_sketch aggregates ---- */

/*
 * relative_error is a query parameter, not a row value: NULL, NaN or out of
 * range is an error whatever smarkpi.invalid_rows says.
 */
static double
relative_error_arg(FunctionCallInfo fcinfo, int argno)
{
	double		alpha;

	if (PG_NARGS() <= argno)
		return SKETCH_DEFAULT_ALPHA;
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("relative_error of duration_sketch must not be null"),
				 errhint("Pass a relative error such as 0.01, or call duration_sketch(started_at, "
						 "ended_at) for 0.01.")));
	alpha = PG_GETARG_FLOAT8(argno);
	if (!alpha_ok(alpha))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("relative_error of duration_sketch must be at least %g and less than %g",
						SKETCH_MIN_ALPHA, SKETCH_MAX_ALPHA),
				 errdetail("Got %s.", float8out_internal(alpha)),
				 errhint("0.01 keeps every percentile within 1 %% of the exact value.")));
	return alpha;
}

/*
 * The state of a row: a new empty sketch (in the current context; the
 * executor copies it into the aggregate context) when there is none yet, so
 * that a moving-aggregate transition never returns NULL.
 */
static DurationSketch *
trans_state(FunctionCallInfo fcinfo, double alpha)
{
	DurationSketch *st;

	if (PG_ARGISNULL(0))
		return sketch_alloc(alpha, 0, 0);
	st = PG_GETARG_SKETCH(0);
	if (st->alpha != alpha)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("relative_error must be the same in every row of duration_sketch"),
				 errdetail("Got %s after %s.", float8out_internal(alpha),
						   float8out_internal(st->alpha)),
				 errhint("Pass relative_error as a constant.")));
	return st;
}

/*
 * Adds (sign 1) or removes (sign -1) a row's duration.  A row with a NULL
 * timestamp, or an invalid row skipped under smarkpi.invalid_rows, leaves
 * the state as it is (both directions skip the same rows).
 */
static Datum
sketch_apply(FunctionCallInfo fcinfo, int sign)
{
	double		alpha;
	const SketchParams *p;
	DurationSketch *st;
	int64		us;
	int64	   *slot;

	smarkpi_agg_context(fcinfo, "duration_sketch transition");
	alpha = relative_error_arg(fcinfo, 3);
	st = trans_state(fcinfo, alpha);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		!smarkpi_row_elapsed_us(PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_TIMESTAMPTZ(2),
								"started_at", "ended_at", &us))
		PG_RETURN_POINTER(st);
	p = sketch_params(fcinfo, alpha);
	slot = sketch_slot(st, us, p);
	if (slot == NULL && sign > 0)
	{
		int32		i = bucket_index(us, p->ln_gamma);

		st = sketch_widen(st, i, i, p);
		slot = sketch_slot(st, us, p);
	}
	if (slot == NULL || *slot + sign < 0)
		elog(ERROR, "duration_sketch: removed duration not found in the frame");
	st->count = smarkpi_add_count(st->count, sign, "number of durations");
	*slot += sign;
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_trans);
Datum
smarkpi_duration_sketch_trans(PG_FUNCTION_ARGS)
{
	return sketch_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_inv);
Datum
smarkpi_duration_sketch_inv(PG_FUNCTION_ARGS)
{
	return sketch_apply(fcinfo, -1);
}

/* ---- merging: rollup's transition and inverse, the combine function ---- */

static void
check_same_alpha(const DurationSketch *a, const DurationSketch *b)
{
	if (a->alpha != b->alpha)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge duration sketches of different relative errors"),
				 errdetail("One sketch has relative error %s, the other %s.",
						   double_to_shortest_decimal(a->alpha),
						   double_to_shortest_decimal(b->alpha)),
				 errhint("Build every sketch that is rolled up together with the same "
						 "relative_error.")));
}

/*
 * a + sign x b, bucket by bucket.  An empty sketch is neutral, whatever its
 * relative error (empty sketches behave as empty input).  In an aggregate a
 * is the state and is updated in place; called directly, a is copied first.
 */
static Datum
sketch_merge(FunctionCallInfo fcinfo, int sign)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL) != 0;
	DurationSketch *a = in_agg ? PG_GETARG_SKETCH(0) :
		(DurationSketch *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	DurationSketch *b = PG_GETARG_SKETCH(1);
	int32		lo,
				hi,
				i;

	if (b->count == 0)
		PG_RETURN_POINTER(a);
	if (a->count == 0 && sign > 0)
		PG_RETURN_POINTER(sketch_canonical(b));
	check_same_alpha(a, b);
	if (sketch_span(b, &lo, &hi) && (lo < a->first || hi >= a->first + a->nbuckets))
	{
		if (sign < 0)
			elog(ERROR, "duration_sketch: removed sketch not found in the frame");
		a = sketch_widen(a, lo, hi, sketch_params(fcinfo, a->alpha));
	}
	a->count = smarkpi_add_count(a->count, sign * b->count, "number of durations");
	a->zeros = smarkpi_add_count(a->zeros, sign * b->zeros, "number of durations");
	for (i = lo; i <= hi; i++)
		a->counts[i - a->first] = smarkpi_add_count(a->counts[i - a->first],
													sign * b->counts[i - b->first],
													"number of durations");
	if (a->count < 0 || a->zeros < 0)
		elog(ERROR, "duration_sketch: removed sketch not found in the frame");
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_combine);
Datum
smarkpi_duration_sketch_combine(PG_FUNCTION_ARGS)
{
	return sketch_merge(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_rollup_inv);
Datum
smarkpi_duration_sketch_rollup_inv(PG_FUNCTION_ARGS)
{
	return sketch_merge(fcinfo, -1);
}

/*
 * Final function of duration_sketch and rollup: the canonical form, a new
 * value (the state is left as it is, for window use); NULL when no duration
 * is counted.
 */
PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_final);
Datum
smarkpi_duration_sketch_final(PG_FUNCTION_ARGS)
{
	DurationSketch *st = PG_GETARG_SKETCH(0);

	if (st->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(sketch_canonical(st));
}

/* ---- duration_percentile(summary, fraction) ---- */

/* Bucket i's representative, 2 gamma^i / (gamma + 1), to the microsecond. */
static int64
representative_us(int32 i, double alpha)
{
	double		gamma = (1.0 + alpha) / (1.0 - alpha);
	double		v = 2.0 * pow(gamma, i) / (gamma + 1.0);

	return v >= (double) PG_INT64_MAX ? PG_INT64_MAX : (int64) rint(v);
}

/*
 * Estimates percentile_disc(fraction): the k-th smallest duration, k =
 * max(1, ceil(fraction x n)), read as its bucket's representative (0 for
 * the zero durations).  NULL for an empty sketch.
 */
PG_FUNCTION_INFO_V1(smarkpi_duration_sketch_percentile);
Datum
smarkpi_duration_sketch_percentile(PG_FUNCTION_ARGS)
{
	DurationSketch *s = PG_GETARG_SKETCH(0);
	double		fraction = PG_GETARG_FLOAT8(1);
	int64		k;
	int32		j;

	smarkpi_check_percentile_fraction(fraction);
	if (s->count == 0)
		PG_RETURN_NULL();
	/* as percentile_disc computes it; a product rounded past n is n */
	k = Min(Max(1, (int64) ceil(fraction * s->count)), s->count);
	if (k <= s->zeros)
		PG_RETURN_INTERVAL_P(smarkpi_us_to_interval(0));
	k -= s->zeros;
	for (j = 0; j < s->nbuckets - 1 && k > s->counts[j]; j++)
		k -= s->counts[j];
	Assert(k <= s->counts[j]);
	PG_RETURN_INTERVAL_P(smarkpi_us_to_interval(representative_us(s->first + j, s->alpha)));
}
