/*
 * markov_attribution/summary.c
 *		smarkpi_markov_summary: the canonical layout, what a valid summary is,
 *		and the text and binary forms.
 */
#include "markov_attribution/markov.h"

#include "common/int.h"
#include "funcapi.h"
#include "core/exactsum.h"
#include "core/wire.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"

/* ---- the summary value ---- */

/* The names, in order, as pointers into s. */
const char **
smarkpi_markov_summary_names(const MarkovSummary *s)
{
	const char **names = palloc(sizeof(char *) * (s->nchannels + 1));
	const char *p = (const char *) s + s->names_off;
	int32		i;

	for (i = 0; i < s->nchannels; i++)
	{
		names[i] = p;
		p += strlen(p) + 1;
	}
	return names;
}

/* Lays out a summary; names sorted, transitions sorted, value exact. */
MarkovSummary *
smarkpi_markov_summary_build(int32 nchannels, const char *const *names, int32 ntrans,
							 const MarkovTrans *trans,
							 const int64 *counts, Numeric value)
{
	Size		names_len = 0;
	Size		voff = value_offset(ntrans);
	Size		size;
	MarkovSummary *s;
	char	   *p;
	int32		i;

	for (i = 0; i < nchannels; i++)
		names_len += strlen(names[i]) + 1;
	size = voff + VARSIZE_ANY(value) + names_len;
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is too large", MARKOV_TYPNAME),
				 errdetail("%d channels and %d transitions.", nchannels, ntrans)));
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->nchannels = nchannels;
	s->ntrans = ntrans;
	s->names_off = (int32) (voff + VARSIZE_ANY(value));
	s->journeys = counts[0];
	s->conversions = counts[1];
	s->valued = counts[2];
	s->value_nmax = counts[3];
	if (ntrans > 0)
		memcpy(s->trans, trans, sizeof(MarkovTrans) * ntrans);
	memcpy((char *) s + voff, value, VARSIZE_ANY(value));
	p = (char *) s + s->names_off;
	for (i = 0; i < nchannels; i++)
	{
		Size		len = strlen(names[i]) + 1;

		memcpy(p, names[i], len);
		p += len;
	}
	return s;
}

int
smarkpi_markov_cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

int
smarkpi_markov_cmp_trans(const void *a, const void *b)
{
	const MarkovTrans *x = a;
	const MarkovTrans *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return (x->to > y->to) - (x->to < y->to);
}

/* ---- what a valid summary is (text and binary input) ---- */

static void
summary_corrupt(int sqlstate, const char *detail)
{
	smarkpi_state_corrupt(MARKOV_TYPNAME, sqlstate, detail);
}

static void
add_checked(int64 *sum, int64 v, int sqlstate)
{
	if (pg_add_s64_overflow(*sum, v, sum))
		summary_corrupt(sqlstate, "The transition counts overflow.");
}

/*
 * Everything journeys imply: counts consistent, each channel entered as
 * often as left, and reachable from (start) -- which makes I - Q invertible.
 */
static void
check_summary(const MarkovSummary *s, int sqlstate)
{
	int32		C = s->nchannels;
	int64	   *in = palloc0(sizeof(int64) * (C + 3));
	int64	   *out = palloc0(sizeof(int64) * (C + 3));
	bool	   *reached = palloc0(sizeof(bool) * (C + 3));
	const char **names = smarkpi_markov_summary_names(s);
	NumericParts v;
	bool		grew;
	int32		i;

	if (s->journeys < 0 || s->conversions < 0 || s->conversions > s->journeys)
		summary_corrupt(sqlstate, "Counts must satisfy 0 <= conversions <= journeys.");
	if (s->valued < 0 || s->valued > s->conversions || s->value_nmax < 0 ||
		s->value_nmax > s->valued || (s->valued > 0) != (s->value_nmax > 0))
		summary_corrupt(sqlstate,
						"Counts of values must satisfy 0 < value_nmax <= valued <= conversions, or "
						"both 0.");
	smarkpi_numeric_parts(NumericGetDatum(summary_value(s)), &v);
	if (v.special != NUMERIC_PARTS_FINITE)
		summary_corrupt(sqlstate, "The value must be a finite number.");
	if (s->valued == 0 && !(v.fits && v.unscaled == 0 && v.dscale == 0))
		summary_corrupt(sqlstate, "The value must be 0 when no journey has one.");
	for (i = 0; i < C; i++)
		if (names[i][0] == '\0' || (i > 0 && strcmp(names[i - 1], names[i]) >= 0))
			summary_corrupt(sqlstate,
							"Channel names must be non-empty, distinct and in byte order.");
	for (i = 0; i < s->ntrans; i++)
	{
		const MarkovTrans *t = &s->trans[i];

		if (t->from < 0 || t->from > C || t->to < 1 || t->to > C + 2 || t->count <= 0)
			summary_corrupt(sqlstate,
							"Each transition goes from (start) or a channel to a channel, "
							"(conversion) or (null), with a positive count.");
		if (i > 0 && smarkpi_markov_cmp_trans(&s->trans[i - 1], t) >= 0)
			summary_corrupt(sqlstate, "Transitions must be sorted by (from, to) and distinct.");
		add_checked(&out[t->from], t->count, sqlstate);
		add_checked(&in[t->to], t->count, sqlstate);
	}
	if (out[0] != s->journeys || in[C + 1] != s->conversions ||
		in[C + 2] != s->journeys - s->conversions)
		summary_corrupt(sqlstate,
						"Transitions out of (start) must add up to journeys, into (conversion) to "
						"conversions, into (null) to the other journeys.");
	for (i = 1; i <= C; i++)
		if (in[i] == 0 || in[i] != out[i])
			summary_corrupt(sqlstate,
							psprintf("Channel \"%s\" must be entered as often as it is left, at "
									 "least once.", names[i - 1]));

	/*
	 * reachability from (start): transitions are sorted by from, so sweep
	 * until nothing grows
	 */
	reached[0] = true;
	do
	{
		CHECK_FOR_INTERRUPTS(); /* a long path against byte order needs one
								 * sweep per channel */
		grew = false;
		for (i = 0; i < s->ntrans; i++)
			if (reached[s->trans[i].from] && !reached[s->trans[i].to])
				reached[s->trans[i].to] = grew = true;
	} while (grew);
	for (i = 1; i <= C; i++)
		if (!reached[i])
			summary_corrupt(sqlstate, psprintf("Channel \"%s\" cannot be reached from (start).",
											   names[i - 1]));
}

/* ---- text form ---- */

/*
 * (journeys,conversions,value,valued,value_nmax,{from>to=count,...}) with
 * from (start) or a channel, to a channel, (conversion) or (null); channel
 * names in double quotes, " and \ escaped by a backslash.
 */

static void
expect(const char **p, char c, const char *str)
{
	if (**p != c)
		smarkpi_text_syntax_error(MARKOV_TYPNAME, str, psprintf("Expected \"%c\".", c));
	(*p)++;
}

static int64
parse_int(const char **p, const char *str)
{
	int64		v = 0;
	bool		neg = (**p == '-');

	if (neg)
		(*p)++;
	if (!isdigit((unsigned char) **p))
		smarkpi_text_syntax_error(MARKOV_TYPNAME, str, "Expected a whole number.");
	while (isdigit((unsigned char) **p))
	{
		if (pg_mul_s64_overflow(v, 10, &v) ||
			pg_add_s64_overflow(v, neg ? -(**p - '0') : (**p - '0'), &v))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value out of range for type %s: \"%s\"", MARKOV_TYPNAME, str),
					 errdetail("Counts must fit a bigint.")));
		(*p)++;
	}
	return v;
}

/* A plain decimal, as numeric_out writes it: -?digits(.digits)? */
static bool
decimal_syntax_ok(const char *s, int len)
{
	int			i = 0,
				digits = 0;

	if (i < len && s[i] == '-')
		i++;
	for (; i < len && isdigit((unsigned char) s[i]); i++)
		digits++;
	if (digits == 0)
		return false;
	if (i < len && s[i] == '.')
	{
		for (i++, digits = 0; i < len && isdigit((unsigned char) s[i]); i++)
			digits++;
		if (digits == 0)
			return false;
	}
	return i == len;
}

/* One end of a transition: a quoted channel name, or a (special) state. */
static char *
parse_end(const char **p, const char *str, int32 *special)
{
	StringInfoData name;

	*special = 0;
	if (**p == '(')
	{
		static const char *const words[] = {"(start)", "(conversion)", "(null)"};
		static const int32 ids[] = {ID_START, ID_CONV, ID_NULL};
		int			i;

		for (i = 0; i < 3; i++)
			if (strncmp(*p, words[i], strlen(words[i])) == 0)
			{
				*p += strlen(words[i]);
				*special = ids[i];
				return NULL;
			}
		smarkpi_text_syntax_error(MARKOV_TYPNAME, str,
								  "Expected (start), (conversion), (null) or a quoted channel "
								  "name.");
	}
	expect(p, '"', str);
	initStringInfo(&name);
	while (**p != '"')
	{
		if (**p == '\\')
			(*p)++;
		if (**p == '\0')
			smarkpi_text_syntax_error(MARKOV_TYPNAME, str, "Unterminated channel name.");
		appendStringInfoChar(&name, **p);
		(*p)++;
	}
	(*p)++;
	if (name.len == 0)
		smarkpi_text_syntax_error(MARKOV_TYPNAME, str, "Channel names must not be empty.");
	return name.data;
}

typedef struct ParsedTrans
{
	char	   *from_name;
	char	   *to_name;
	int32		from_special;
	int32		to_special;
	int64		count;
} ParsedTrans;

static int32
name_index(const char *const *names, int32 n, const char *name)
{
	const char *const *hit = bsearch(&name, names, n, sizeof(char *), smarkpi_markov_cmp_name);

	return (int32) (hit - names) + 1;
}

PG_FUNCTION_INFO_V1(smarkpi_markov_summary_in);
Datum
smarkpi_markov_summary_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	const char *vstart;
	char	   *vtext;
	int64		counts[4];
	Numeric		value;
	ParsedTrans *pt;
	const char **names;
	MarkovTrans *trans;
	int32		n = 0,
				maxn = 16,
				nnames = 0,
				i,
				k;
	MarkovSummary *s;

	expect(&p, '(', str);
	counts[0] = parse_int(&p, str);
	expect(&p, ',', str);
	counts[1] = parse_int(&p, str);
	expect(&p, ',', str);
	vstart = p;
	while (*p && *p != ',')
		p++;
	if (!decimal_syntax_ok(vstart, (int) (p - vstart)))
		smarkpi_text_syntax_error(MARKOV_TYPNAME, str, "The value must be a plain decimal number.");
	vtext = pnstrdup(vstart, p - vstart);
	value = smarkpi_cstring_to_numeric(vtext);
	expect(&p, ',', str);
	counts[2] = parse_int(&p, str);
	expect(&p, ',', str);
	counts[3] = parse_int(&p, str);
	expect(&p, ',', str);
	expect(&p, '{', str);
	pt = palloc(sizeof(ParsedTrans) * maxn);
	while (*p != '}')
	{
		if (n > 0)
			expect(&p, ',', str);
		if (n == maxn)
		{
			if (maxn >= MARKOV_MAX_TRANS / 2)
				smarkpi_text_syntax_error(MARKOV_TYPNAME, str, "Too many transitions.");
			maxn *= 2;
			pt = repalloc(pt, sizeof(ParsedTrans) * maxn);
		}
		pt[n].from_name = parse_end(&p, str, &pt[n].from_special);
		expect(&p, '>', str);
		pt[n].to_name = parse_end(&p, str, &pt[n].to_special);
		expect(&p, '=', str);
		pt[n].count = parse_int(&p, str);
		if (pt[n].from_special == ID_CONV || pt[n].from_special == ID_NULL ||
			pt[n].to_special == ID_START)
			smarkpi_text_syntax_error(MARKOV_TYPNAME, str,
									  "Transitions go from (start) or a channel to a channel, "
									  "(conversion) or (null).");
		n++;
	}
	expect(&p, '}', str);
	expect(&p, ')', str);
	if (*p != '\0')
		smarkpi_text_syntax_error(MARKOV_TYPNAME, str,
								  "Unexpected text after the closing parenthesis.");

	/* the channels: every name used, sorted, distinct */
	names = palloc(sizeof(char *) * (2 * n + 1));
	for (i = 0; i < n; i++)
	{
		if (pt[i].from_name)
			names[nnames++] = pt[i].from_name;
		if (pt[i].to_name)
			names[nnames++] = pt[i].to_name;
	}
	qsort(names, nnames, sizeof(char *), smarkpi_markov_cmp_name);
	for (i = 0, k = 0; i < nnames; i++)
		if (k == 0 || strcmp(names[k - 1], names[i]) != 0)
			names[k++] = names[i];
	nnames = k;
	trans = palloc(sizeof(MarkovTrans) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		trans[i].from = pt[i].from_name ? name_index(names, nnames, pt[i].from_name) : 0;
		trans[i].to = pt[i].to_name ? name_index(names, nnames, pt[i].to_name) :
			pt[i].to_special == ID_CONV ? nnames + 1 : nnames + 2;
		trans[i].count = pt[i].count;
	}
	s = smarkpi_markov_summary_build(nnames, names, n, trans, counts, value);
	check_summary(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

static void
append_end(StringInfo buf, const MarkovSummary *s, const char **names, int32 idx)
{
	const char *c;

	if (idx == 0)
		appendStringInfoString(buf, "(start)");
	else if (idx == s->nchannels + 1)
		appendStringInfoString(buf, "(conversion)");
	else if (idx == s->nchannels + 2)
		appendStringInfoString(buf, "(null)");
	else
	{
		appendStringInfoChar(buf, '"');
		for (c = names[idx - 1]; *c; c++)
		{
			if (*c == '"' || *c == '\\')
				appendStringInfoChar(buf, '\\');
			appendStringInfoChar(buf, *c);
		}
		appendStringInfoChar(buf, '"');
	}
}

PG_FUNCTION_INFO_V1(smarkpi_markov_summary_out);
Datum
smarkpi_markov_summary_out(PG_FUNCTION_ARGS)
{
	MarkovSummary *s = PG_GETARG_MARKOV_SUMMARY(0);
	const char **names = smarkpi_markov_summary_names(s);
	StringInfoData buf;
	int32		i;

	initStringInfo(&buf);
	appendStringInfo(&buf,
					 "(" INT64_FORMAT "," INT64_FORMAT ",%s," INT64_FORMAT "," INT64_FORMAT ",{",
					 s->journeys, s->conversions,
					 DatumGetCString(DirectFunctionCall1(numeric_out,
														 NumericGetDatum(summary_value(s)))),
					 s->valued, s->value_nmax);
	for (i = 0; i < s->ntrans; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		append_end(&buf, s, names, s->trans[i].from);
		appendStringInfoChar(&buf, '>');
		append_end(&buf, s, names, s->trans[i].to);
		appendStringInfo(&buf, "=" INT64_FORMAT, s->trans[i].count);
	}
	appendStringInfoString(&buf, "})");
	PG_RETURN_CSTRING(buf.data);
}

/* ---- binary form ---- */

/*
 * Version byte; journeys, conversions, valued, value_nmax (int8); the value
 * as decimal text (int4 length, bytes); channel count (int4) and each name
 * (int4 length, bytes in the database encoding); transition count (int4)
 * and each transition: from, to (int4), count (int8).  Also the serialized
 * state of the aggregates.
 */

MarkovSummary *
smarkpi_markov_summary_from_binary(StringInfo buf)
{
	int64		counts[4];
	int32		len,
				nchannels,
				ntrans,
				i;
	char	   *vtext;
	const char **names;
	MarkovTrans *trans;
	MarkovSummary *s;

	smarkpi_wire_open(buf, MARKOV_TYPNAME);
	for (i = 0; i < 4; i++)
		counts[i] = smarkpi_wire_int64(buf, MARKOV_TYPNAME);
	len = smarkpi_wire_int32(buf, MARKOV_TYPNAME);
	vtext = smarkpi_wire_cstring(buf, len, MARKOV_TYPNAME);
	if (!decimal_syntax_ok(vtext, len))
		summary_corrupt(ERRCODE_INVALID_BINARY_REPRESENTATION,
						"The value must be a plain decimal number.");
	nchannels = smarkpi_wire_int32(buf, MARKOV_TYPNAME);
	smarkpi_wire_check_count(buf, nchannels, 5, false, MARKOV_TYPNAME);
	names = palloc(sizeof(char *) * (nchannels + 1));
	for (i = 0; i < nchannels; i++)
	{
		len = smarkpi_wire_int32(buf, MARKOV_TYPNAME);
		names[i] = smarkpi_wire_cstring(buf, len, MARKOV_TYPNAME);
		if (memchr(names[i], '\0', len) != NULL ||
			!pg_verify_mbstr(GetDatabaseEncoding(), names[i], len, true))
			summary_corrupt(ERRCODE_INVALID_BINARY_REPRESENTATION,
							"Channel names must be valid text in the database encoding.");
	}
	ntrans = smarkpi_wire_int32(buf, MARKOV_TYPNAME);
	smarkpi_wire_check_count(buf, ntrans, 16, true, MARKOV_TYPNAME);
	trans = palloc(sizeof(MarkovTrans) * Max(ntrans, 1));
	for (i = 0; i < ntrans; i++)
	{
		trans[i].from = smarkpi_wire_int32(buf, MARKOV_TYPNAME);
		trans[i].to = smarkpi_wire_int32(buf, MARKOV_TYPNAME);
		trans[i].count = smarkpi_wire_int64(buf, MARKOV_TYPNAME);
	}
	s = smarkpi_markov_summary_build(nchannels, names, ntrans, trans, counts,
									 smarkpi_cstring_to_numeric(vtext));
	check_summary(s, ERRCODE_INVALID_BINARY_REPRESENTATION);
	return s;
}

bytea *
smarkpi_markov_summary_to_binary(const MarkovSummary *s)
{
	const char **names = smarkpi_markov_summary_names(s);
	char	   *vtext = DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(summary_value(s))));
	StringInfoData buf;
	int32		i;

	smarkpi_wire_begin(&buf);
	pq_sendint64(&buf, s->journeys);
	pq_sendint64(&buf, s->conversions);
	pq_sendint64(&buf, s->valued);
	pq_sendint64(&buf, s->value_nmax);
	pq_sendint32(&buf, (int32) strlen(vtext));
	pq_sendbytes(&buf, vtext, strlen(vtext));
	pq_sendint32(&buf, s->nchannels);
	for (i = 0; i < s->nchannels; i++)
	{
		pq_sendint32(&buf, (int32) strlen(names[i]));
		pq_sendbytes(&buf, names[i], strlen(names[i]));
	}
	pq_sendint32(&buf, s->ntrans);
	for (i = 0; i < s->ntrans; i++)
	{
		pq_sendint32(&buf, s->trans[i].from);
		pq_sendint32(&buf, s->trans[i].to);
		pq_sendint64(&buf, s->trans[i].count);
	}
	return pq_endtypsend(&buf);
}

PG_FUNCTION_INFO_V1(smarkpi_markov_summary_recv);
Datum
smarkpi_markov_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_POINTER(smarkpi_markov_summary_from_binary(buf));
}

PG_FUNCTION_INFO_V1(smarkpi_markov_summary_send);
Datum
smarkpi_markov_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smarkpi_markov_summary_to_binary(PG_GETARG_MARKOV_SUMMARY(0)));
}
