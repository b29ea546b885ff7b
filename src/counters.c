/*
 * counters.c
 *		Text and binary I/O for fixed-size states made of int64 counters
 *		(smarkpi_rate_state, smarkpi_count_ratio_state, smarkpi_score_state).
 *
 * Text form "(c1,c2,...)", a summary's prefixed by its KPI's name
 * ("win_rate(3,5)"); binary form: a version byte, for a tagged type the KPI
 * tag as int32, then each counter as int64.  Input validates the syntax, the
 * exact length, the tag and the type's own consistency rule.
 */
#include "smarkpi.h"

#include "libpq/pqformat.h"

int64 *
smarkpi_counters_from_cstring(const CounterSpec *spec, char *str)
{
	char	   *fields[COUNTERS_MAX];
	int64	   *c = palloc0(sizeof(int64) * (spec->n + spec->tagged));
	char	   *rest = str;
	int			i;

	if (spec->tagged)
		rest = smarkpi_kpi_parse(str, spec->typname, &c[spec->n]);
	smarkpi_state_fields(rest, spec->typname, fields, spec->n);
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
	if (spec->tagged)
		appendStringInfoString(&buf, smarkpi_kpi_name(c[spec->n]));
	appendStringInfoChar(&buf, '(');
	for (i = 0; i < spec->n; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i > 0 ? "," : "", c[i]);
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

int64 *
smarkpi_counters_from_binary(const CounterSpec *spec, StringInfo buf)
{
	int64	   *c = palloc0(sizeof(int64) * (spec->n + spec->tagged));
	int			len = 1 + 4 * spec->tagged + 8 * spec->n;
	int			i;

	if (buf->len - buf->cursor != len)
		smarkpi_state_corrupt(spec->typname, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  psprintf("Expected %d bytes.", len));
	if (pq_getmsgbyte(buf) != SMARKPI_BINARY_VERSION)
		smarkpi_state_corrupt(spec->typname, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "Unsupported binary format version.");
	if (spec->tagged)
	{
		c[spec->n] = (int32) pq_getmsgint(buf, 4);
		if (!smarkpi_kpi_valid_for(c[spec->n], spec->typname))
			smarkpi_state_corrupt(spec->typname, ERRCODE_INVALID_BINARY_REPRESENTATION,
								  "Unknown KPI tag.");
	}
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
	if (spec->tagged)
		pq_sendint32(&buf, (int32) c[spec->n]);
	for (i = 0; i < spec->n; i++)
		pq_sendint64(&buf, c[i]);
	return pq_endtypsend(&buf);
}

/* Adds other's counters to c in place, raising 22003 on overflow. */
void
smarkpi_counters_add(const CounterSpec *spec, int64 *c, const int64 *other)
{
	int			i;

	if (spec->tagged)
		smarkpi_kpi_check_same(c[spec->n], other[spec->n], spec->typname);
	for (i = 0; i < spec->n; i++)
		c[i] = smarkpi_add_count(c[i], other[i], "count");
}

/*
 * Removes other's counters from c (rollup's moving-window inverse).  Returns
 * false, c untouched, when other is not part of c: the caller then has the
 * frame recomputed.
 */
bool
smarkpi_counters_sub(const CounterSpec *spec, int64 *c, const int64 *other)
{
	int			i;

	if (spec->tagged)
		smarkpi_kpi_check_same(c[spec->n], other[spec->n], spec->typname);
	for (i = 0; i < spec->n; i++)
		if (other[i] < 0 || other[i] > c[i])
			return false;
	for (i = 0; i < spec->n; i++)
		c[i] -= other[i];
	return true;
}
