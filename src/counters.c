/*
 * counters.c
 *		Text and binary I/O for fixed-size states made of int64 counters
 *		(smarkpi_rate_state, smarkpi_count_ratio_state, smarkpi_score_state).
 *
 * Text form "(c1,c2,...)"; binary form: a version byte, then each counter
 * as int64.  Input validates the syntax, the exact length and the
 * type's own consistency rule.
 */
#include "smarkpi.h"

#include "libpq/pqformat.h"

int64 *
smarkpi_counters_from_cstring(const CounterSpec *spec, char *str)
{
	char	   *fields[COUNTERS_MAX];
	int64	   *c = palloc(sizeof(int64) * spec->n);
	int			i;

	smarkpi_state_fields(str, spec->typname, fields, spec->n);
	for (i = 0; i < spec->n; i++)
		c[i] = smarkpi_parse_int64_field(fields[i], spec->typname);
	spec->validate(c, ERRCODE_INVALID_TEXT_REPRESENTATION);
	return c;
}

char *
smarkpi_counters_to_cstring(const CounterSpec *spec, const int64 *c)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	for (i = 0; i < spec->n; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i > 0 ? "," : "", c[i]);
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

int64 *
smarkpi_counters_from_binary(const CounterSpec *spec, StringInfo buf)
{
	int64	   *c = palloc(sizeof(int64) * spec->n);
	int			i;

	if (buf->len - buf->cursor != 1 + 8 * spec->n)
		smarkpi_state_corrupt(spec->typname, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  psprintf("Expected %d bytes.", 1 + 8 * spec->n));
	if (pq_getmsgbyte(buf) != SMARKPI_BINARY_VERSION)
		smarkpi_state_corrupt(spec->typname, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "Unsupported binary format version.");
	for (i = 0; i < spec->n; i++)
		c[i] = pq_getmsgint64(buf);
	spec->validate(c, ERRCODE_INVALID_BINARY_REPRESENTATION);
	return c;
}

bytea *
smarkpi_counters_to_binary(const CounterSpec *spec, const int64 *c)
{
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SMARKPI_BINARY_VERSION);
	for (i = 0; i < spec->n; i++)
		pq_sendint64(&buf, c[i]);
	return pq_endtypsend(&buf);
}

/* Adds other's counters to c in place, raising 22003 on overflow. */
void
smarkpi_counters_add(const CounterSpec *spec, int64 *c, const int64 *other)
{
	int			i;

	for (i = 0; i < spec->n; i++)
		c[i] = smarkpi_add_count(c[i], other[i], "count");
}
