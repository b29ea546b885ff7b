/*
 * clv/summary.c
 *		smarkpi_clv_summary: the state of clv_fit() and clv() as a value, so
 *		that customer summaries can be stored per segment and fitted later on
 *		any union of segments.  clv_fit_summary() and clv_summary() make one,
 *		rollup() merges them, clv_fit(summary) and clv(summary) read them.
 *
 * A summary is what clv_fit() keeps: each distinct customer summary (x, t_x,
 * T, m) with its number of customers, and the CLV terms clv(customer,
 * months, rate) was given.  Entries are sorted, so equal summaries have
 * equal bytes; counts are integers, so merging and a moving frame's inverse
 * are exact, and a fit from merged summaries equals the fit over all the
 * customers.  clv_fit and clv share the type: both read the same data.
 *
 * Text form: (customers,months,monthly discount rate,{x t_x T m count,...}),
 * months and rate empty when no terms were given; binary form: version byte,
 * terms flag, months (int32), rate (float8), customers (int8), entry count
 * (int4), then each entry: x (int4), t_x, T, m (float8), count (int8).
 */
#include "clv/clv.h"

#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/memutils.h"

typedef struct ClvSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		has_terms;
	int32		months;
	int32		nentries;
	double		discount;
	int64		customers;
	ClvEntry	entries[FLEXIBLE_ARRAY_MEMBER];
} ClvSummary;

#define CLV_SUMMARY_TYPNAME "smarkpi_clv_summary"
/* version, terms flag, months, rate, customers, entry count */
#define CLV_SUMMARY_MAX_ENTRIES ((int32) ((MaxAllocSize - sizeof(ClvSummary)) / sizeof(ClvEntry)))

#define PG_GETARG_CLV_SUMMARY(n) ((ClvSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static ClvSummary *
summary_alloc(int32 nentries)
{
	Size		size = offsetof(ClvSummary, entries) + sizeof(ClvEntry) * nentries;
	ClvSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->nentries = nentries;
	return s;
}

/* ---- what a valid summary is (text and binary input) ---- */

static void
summary_corrupt(int sqlstate, const char *detail)
{
	smarkpi_state_corrupt(CLV_SUMMARY_TYPNAME, sqlstate, detail);
}

/* One entry as the clv state keys it: see smarkpi_clv_state_add. */
static void
check_entry(const ClvEntry *e, int sqlstate)
{
	const ClvKey *k = &e->key;

	if (k->x < 0 || !isfinite(k->t_x) || !isfinite(k->T) || !isfinite(k->m) ||
		k->t_x < 0 || k->t_x > k->T || k->T <= 0 || k->m < 0 || (k->x == 0 &&
																 k->m != 0) || k->pad != 0)
		summary_corrupt(sqlstate,
						"Each entry needs x >= 0, 0 <= t_x <= T, T > 0, m >= 0, and m = 0 when x = "
						"0.");
	if (e->count <= 0)
		summary_corrupt(sqlstate, "Each entry's customer count must be positive.");
}

/* A flat state's length must match its entry count before the entries are read. */
static void
check_summary_size(const ClvSummary *s, Size size, int sqlstate)
{
	if (size < offsetof(ClvSummary, entries) || s->nentries < 0 ||
		s->nentries > CLV_SUMMARY_MAX_ENTRIES ||
		size != offsetof(ClvSummary, entries) + sizeof(ClvEntry) * s->nentries)
		summary_corrupt(sqlstate, "The length does not match the entry count.");
}

static void
check_summary(const ClvSummary *s, int sqlstate)
{
	int64		total = 0;
	int32		i;

	if (s->has_terms && (s->months < 0 || s->months > CLV_MAX_MONTHS || !isfinite(s->discount) ||
						 s->discount <= -1.0))
		summary_corrupt(sqlstate,
						psprintf("months must be between 0 and %d and the discount rate greater "
								 "than -1.",
								 CLV_MAX_MONTHS));
	for (i = 0; i < s->nentries; i++)
	{
		check_entry(&s->entries[i], sqlstate);
		if (i > 0 && smarkpi_clv_cmp_entry(&s->entries[i - 1], &s->entries[i]) >= 0)
			summary_corrupt(sqlstate, "Entries must be sorted by (x, t_x, T, m) and distinct.");
		if (pg_add_s64_overflow(total, s->entries[i].count, &total))
			summary_corrupt(sqlstate, "The customer counts overflow.");
	}
	if (total != s->customers)
		summary_corrupt(sqlstate, "customers must be the sum of the entries' counts.");
}

/* ---- between the aggregates' internal state and the value ---- */

/* The summary of a state (NULL state: an empty summary), entries sorted. */
static ClvSummary *
summary_of_state(ClvState *st)
{
	HASH_SEQ_STATUS seq;
	ClvEntry   *e;
	ClvSummary *s;
	int32		k = 0;

	if (st == NULL)
		return summary_alloc(0);
	s = summary_alloc((int32) hash_get_num_entries(st->summaries));
	hash_seq_init(&seq, st->summaries);
	while ((e = hash_seq_search(&seq)) != NULL)
		s->entries[k++] = *e;
	qsort(s->entries, s->nentries, sizeof(ClvEntry), smarkpi_clv_cmp_entry);
	s->customers = st->customers;
	s->has_terms = st->has_terms;
	s->months = st->has_terms ? st->months : 0;
	s->discount = st->has_terms ? st->discount : 0.0;
	return s;
}

/* Adds (sign 1) or removes (sign -1) a summary's customers to or from a state. */
static void
state_apply_summary(ClvState *st, const ClvSummary *s, int sign)
{
	int32		i;

	if (s->has_terms)
		smarkpi_clv_state_terms(st, s->months, s->discount);
	for (i = 0; i < s->nentries; i++)
	{
		const ClvEntry *e = &s->entries[i];
		ClvEntry   *have;

		if (sign > 0)
		{
			smarkpi_clv_state_add_entry(st, e);
			continue;
		}
		have = hash_search(st->summaries, &e->key, HASH_FIND, NULL);
		if (have == NULL || have->count < e->count)
			elog(ERROR, "clv summary: removed customers not found in the frame");
		have->count -= e->count;
		st->customers -= e->count;
		if (have->count == 0)
			hash_search(st->summaries, &e->key, HASH_REMOVE, NULL);
	}
}

/* ---- the expanded state: a hash table whose flat form is the summary ---- */

static void
clv_state_load(void *st, struct varlena *flat)
{
	ClvSummary *s = (ClvSummary *) flat;

	check_summary_size(s, VARSIZE(s), ERRCODE_INVALID_BINARY_REPRESENTATION);
	check_summary(s, ERRCODE_INVALID_BINARY_REPRESENTATION);
	state_apply_summary((ClvState *) st, s, 1);
}

static struct varlena *
clv_state_flatten(void *st)
{
	return (struct varlena *) summary_of_state((ClvState *) st);
}

const SmarkpiXStateKind smarkpi_clv_state_kind = {
	.typname = CLV_SUMMARY_TYPNAME,
	.size = sizeof(ClvState),
	.init = smarkpi_clv_state_init,
	.load = clv_state_load,
	.flatten = clv_state_flatten,
};

/* Final function of clv_fit_summary() and clv_summary(): an empty summary for no rows. */
PG_FUNCTION_INFO_V1(smarkpi_clv_summary_final);
Datum
smarkpi_clv_summary_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(summary_of_state(smarkpi_xstate_read(fcinfo, 0, &smarkpi_clv_state_kind)));
}

/* Final function of rollup(): NULL for no rows or only NULLs. */
PG_FUNCTION_INFO_V1(smarkpi_clv_rollup_final);
Datum
smarkpi_clv_rollup_final(PG_FUNCTION_ARGS)
{
	ClvState   *st = smarkpi_xstate_read(fcinfo, 0, &smarkpi_clv_state_kind);

	if (st == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(summary_of_state(st));
}

static Datum
rollup_apply(FunctionCallInfo fcinfo, int sign)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi clv rollup transition");
	ClvState   *st = smarkpi_xstate_update(fcinfo, &smarkpi_clv_state_kind, ctx);

	if (PG_ARGISNULL(1))
		return smarkpi_xstate_result(fcinfo, st);
	if (st == NULL)
		st = smarkpi_xstate_new(&smarkpi_clv_state_kind, ctx);
	state_apply_summary(st, PG_GETARG_CLV_SUMMARY(1), sign);
	return smarkpi_xstate_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_rollup);
Datum
smarkpi_clv_rollup(PG_FUNCTION_ARGS)
{
	return rollup_apply(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_rollup_inv);
Datum
smarkpi_clv_rollup_inv(PG_FUNCTION_ARGS)
{
	return rollup_apply(fcinfo, -1);
}

/* ---- the accessors: clv_fit(summary), clv(summary) ---- */

static ClvState *
state_of_summary(FunctionCallInfo fcinfo)
{
	ClvState   *st = palloc0(sizeof(ClvState));

	smarkpi_clv_state_init(st);
	state_apply_summary(st, PG_GETARG_CLV_SUMMARY(0), 1);
	return st;
}

PG_FUNCTION_INFO_V1(smarkpi_clv_fit_of_summary);
Datum
smarkpi_clv_fit_of_summary(PG_FUNCTION_ARGS)
{
	return smarkpi_clv_model_result(fcinfo, state_of_summary(fcinfo));
}

PG_FUNCTION_INFO_V1(smarkpi_clv_of_summary);
Datum
smarkpi_clv_of_summary(PG_FUNCTION_ARGS)
{
	return smarkpi_clv_mean_result(fcinfo, state_of_summary(fcinfo));
}

/* ---- text form ---- */

/* A double field, ending at *end (which must then be the delimiter expected). */
static double
parse_double(char **p, const char *str)
{
	char	   *end;
	double		v;

	errno = 0;
	v = strtod(*p, &end);
	if (end == *p || errno == ERANGE || !isfinite(v))
		smarkpi_text_syntax_error(CLV_SUMMARY_TYPNAME, str, "Expected a finite number.");
	*p = end;
	return v;
}

static int64
parse_int(char **p, const char *str)
{
	char	   *end;
	long long	v;

	errno = 0;
	v = strtoll(*p, &end, 10);
	if (end == *p || errno == ERANGE)
		smarkpi_text_syntax_error(CLV_SUMMARY_TYPNAME, str, "Expected a whole number.");
	*p = end;
	return (int64) v;
}

static void
expect(char **p, char c, const char *str)
{
	if (**p != c)
		smarkpi_text_syntax_error(CLV_SUMMARY_TYPNAME, str, psprintf("Expected \"%c\".", c));
	(*p)++;
}

PG_FUNCTION_INFO_V1(smarkpi_clv_summary_in);
Datum
smarkpi_clv_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *p = str;
	ClvSummary *s;
	int64		customers,
				months = 0;
	double		discount = 0.0;
	bool		has_terms;
	int32		n = 0,
				i;
	char	   *c;

	expect(&p, '(', str);
	customers = parse_int(&p, str);
	expect(&p, ',', str);
	has_terms = *p != ',';
	if (has_terms)
	{
		months = parse_int(&p, str);
		expect(&p, ',', str);
		discount = parse_double(&p, str);
	}
	else
		expect(&p, ',', str);
	expect(&p, ',', str);
	expect(&p, '{', str);
	/* counted before anything is allocated */
	for (c = p; *c && *c != '}'; c++)
		n += (*c == ',');
	n += (*p != '}');
	if (n > CLV_SUMMARY_MAX_ENTRIES)
		smarkpi_text_syntax_error(CLV_SUMMARY_TYPNAME, str, "Too many entries.");
	s = summary_alloc(n);
	for (i = 0; i < n; i++)
	{
		ClvEntry   *e = &s->entries[i];
		int64		x;

		if (i > 0)
			expect(&p, ',', str);
		x = parse_int(&p, str);
		if (x < 0 || x > PG_INT32_MAX)
			smarkpi_text_syntax_error(CLV_SUMMARY_TYPNAME, str,
									  "x must be a non-negative integer.");
		e->key.x = (int32) x;
		expect(&p, ' ', str);
		e->key.t_x = parse_double(&p, str) + 0.0;
		expect(&p, ' ', str);
		e->key.T = parse_double(&p, str) + 0.0;
		expect(&p, ' ', str);
		e->key.m = parse_double(&p, str) + 0.0;
		expect(&p, ' ', str);
		e->count = parse_int(&p, str);
	}
	expect(&p, '}', str);
	expect(&p, ')', str);
	if (*p != '\0')
		smarkpi_text_syntax_error(CLV_SUMMARY_TYPNAME, str,
								  "Unexpected text after the closing parenthesis.");
	if (months > PG_INT32_MAX || months < PG_INT32_MIN)
		smarkpi_text_syntax_error(CLV_SUMMARY_TYPNAME, str, "months out of range.");
	s->customers = customers;
	s->has_terms = has_terms;
	s->months = (int32) months;
	s->discount = discount;
	check_summary(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_summary_out);
Datum
smarkpi_clv_summary_out(PG_FUNCTION_ARGS)
{
	ClvSummary *s = PG_GETARG_CLV_SUMMARY(0);
	StringInfoData buf;
	int32		i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(" INT64_FORMAT ",", s->customers);
	if (s->has_terms)
		appendStringInfo(&buf, "%d,%s", s->months, double_to_shortest_decimal(s->discount));
	else
		appendStringInfoChar(&buf, ',');
	appendStringInfoString(&buf, ",{");
	for (i = 0; i < s->nentries; i++)
	{
		const ClvEntry *e = &s->entries[i];

		appendStringInfo(&buf, "%s%d %s", i > 0 ? "," : "", e->key.x,
						 double_to_shortest_decimal(e->key.t_x));
		appendStringInfo(&buf, " %s", double_to_shortest_decimal(e->key.T));
		appendStringInfo(&buf, " %s " INT64_FORMAT, double_to_shortest_decimal(e->key.m), e->count);
	}
	appendStringInfoString(&buf, "})");
	PG_RETURN_CSTRING(buf.data);
}

/* ---- binary form ---- */

PG_FUNCTION_INFO_V1(smarkpi_clv_summary_recv);
Datum
smarkpi_clv_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ClvSummary *s;
	bool		has_terms;
	int32		months,
				n,
				i;
	double		discount;
	int64		customers;

	smarkpi_wire_open(buf, CLV_SUMMARY_TYPNAME);
	has_terms = smarkpi_wire_byte(buf, CLV_SUMMARY_TYPNAME) != 0;
	months = smarkpi_wire_int32(buf, CLV_SUMMARY_TYPNAME);
	discount = smarkpi_wire_float8(buf, CLV_SUMMARY_TYPNAME);
	customers = smarkpi_wire_int64(buf, CLV_SUMMARY_TYPNAME);
	n = smarkpi_wire_int32(buf, CLV_SUMMARY_TYPNAME);
	smarkpi_wire_check_count(buf, n, CLV_ENTRY_BINARY_SIZE, true, CLV_SUMMARY_TYPNAME);
	if (n > CLV_SUMMARY_MAX_ENTRIES)
		summary_corrupt(ERRCODE_INVALID_BINARY_REPRESENTATION, "Too many entries.");
	s = summary_alloc(n);
	for (i = 0; i < n; i++)
		smarkpi_clv_entry_recv(buf, &s->entries[i], CLV_SUMMARY_TYPNAME);
	s->customers = customers;
	s->has_terms = has_terms;
	s->months = has_terms ? months : 0;
	s->discount = has_terms ? discount : 0.0;
	check_summary(s, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_summary_send);
Datum
smarkpi_clv_summary_send(PG_FUNCTION_ARGS)
{
	ClvSummary *s = PG_GETARG_CLV_SUMMARY(0);
	StringInfoData buf;
	int32		i;

	smarkpi_wire_begin(&buf);
	pq_sendbyte(&buf, s->has_terms ? 1 : 0);
	pq_sendint32(&buf, s->months);
	pq_sendfloat8(&buf, s->discount);
	pq_sendint64(&buf, s->customers);
	pq_sendint32(&buf, s->nentries);
	for (i = 0; i < s->nentries; i++)
		smarkpi_clv_entry_send(&buf, &s->entries[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
