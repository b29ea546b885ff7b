/*
 * core/counters.c
 *		Text and binary forms of fixed-size counter states (see
 *		core/counters.h).
 */
#include "core/counters.h"

#include "core/agg.h"
#include "core/tags.h"
#include "core/wire.h"
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
	int			i;

	smarkpi_wire_open(buf, spec->typname);
	if (spec->tagged)
	{
		c[spec->n] = smarkpi_wire_int32(buf, spec->typname);
		if (!smarkpi_kpi_valid_for(c[spec->n], spec->typname))
			smarkpi_binary_corrupt(spec->typname,
								   "Unknown KPI tag.");
	}
	for (i = 0; i < spec->n; i++)
		c[i] = smarkpi_wire_int64(buf, spec->typname);
	smarkpi_wire_end(buf, spec->typname);
	spec->validate(c, ERRCODE_INVALID_BINARY_REPRESENTATION);
	return c;
}

bytea *
smarkpi_counters_to_binary(const CounterSpec *spec, const int64 *c)
{
	StringInfoData buf;
	int			i;

	smarkpi_wire_begin(&buf);
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
