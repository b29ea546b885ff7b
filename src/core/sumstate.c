/*
 * core/sumstate.c
 *		The packed sum's layout and outside forms (see core/sumstate.h).
 *
 * In memory each sum is a PackedSum (a 128-bit scaled integer) followed,
 * for sums that outgrew 128 bits, by a numeric.
 */
#include "core/sumstate.h"

#include "core/agg.h"
#include "core/tags.h"
#include "core/wire.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

static PackedSum *
packed_sums(const SumStateSpec *spec, SumState *state)
{
	return smarkpi_sumstate_sums(state, spec->nints);
}

static Size
fixed_size(const SumStateSpec *spec)
{
	return offsetof(SumState, ints) + sizeof(int64) * spec->nints + sizeof(PackedSum) * spec->nnums;
}

void
smarkpi_sumstate_unpack(const SumStateSpec *spec, SumState *state, SumValues *vals)
{
	PackedSum  *ps = packed_sums(spec, state);
	char	   *p = (char *) state + fixed_size(spec);
	int			i;

	Assert(spec->nints <= SUMSTATE_MAX_INTS && spec->nnums <= SUMSTATE_MAX_NUMS);
	Assert(VARSIZE(state) >= fixed_size(spec));
	if (state->nints != spec->nints || state->nnums != spec->nnums)
		elog(ERROR, "corrupt %s state", spec->typname);
	vals->kpi = state->kpi;
	memcpy(vals->ints, state->ints, sizeof(int64) * spec->nints);
	for (i = 0; i < spec->nnums; i++)
	{
		vals->sums[i].value = ps[i].value;
		vals->sums[i].scale = ps[i].scale;
		vals->sums[i].num = NULL;
		if (ps[i].is_numeric)
		{
			vals->sums[i].num = (Numeric) p;
			p += INTALIGN(VARSIZE(p));
		}
	}
}

static void
write_sums(const SumStateSpec *spec, SumState *state, const SumValues *vals, bool with_numerics)
{
	PackedSum  *ps = packed_sums(spec, state);
	char	   *p = (char *) state + fixed_size(spec);
	int			i;

	Assert(state->kpi == vals->kpi || state->kpi == 0);
	state->kpi = vals->kpi;
	memcpy(state->ints, vals->ints, sizeof(int64) * spec->nints);
	for (i = 0; i < spec->nnums; i++)
	{
		ps[i].value = vals->sums[i].num ? 0 : vals->sums[i].value;
		ps[i].scale = vals->sums[i].scale;
		ps[i].is_numeric = vals->sums[i].num != NULL;
		if (vals->sums[i].num && with_numerics)
		{
			memmove(p, vals->sums[i].num, VARSIZE(vals->sums[i].num));
			p += INTALIGN(VARSIZE(vals->sums[i].num));
		}
	}
}

static SumState *
sumstate_pack(const SumStateSpec *spec, const SumValues *vals)
{
	Size		size = fixed_size(spec);
	SumState   *state;
	int			i;

	for (i = 0; i < spec->nnums; i++)
		if (vals->sums[i].num)
			size += INTALIGN(VARSIZE(vals->sums[i].num));
	state = palloc0(size);
	SET_VARSIZE(state, size);
	state->nints = spec->nints;
	state->nnums = spec->nnums;
	write_sums(spec, state, vals, true);
	return state;
}

/*
 * Returns the updated state as the transition value.  While every sum fits
 * 128 bits (or keeps its numeric size) the state is rewritten in place: no
 * allocation and no copy by the executor.  The caller has checked that the
 * executor owns the state.
 */
SumState *
smarkpi_sumstate_store(const SumStateSpec *spec, SumState *state, const SumValues *vals)
{
	PackedSum  *ps = packed_sums(spec, state);
	char	   *p = (char *) state + fixed_size(spec);
	int			i;

	for (i = 0; i < spec->nnums; i++)
	{
		Numeric		n = vals->sums[i].num;

		if (ps[i].is_numeric != (n != NULL))
			return sumstate_pack(spec, vals);
		if (n)
		{
			if (VARSIZE(p) != VARSIZE(n))
				return sumstate_pack(spec, vals);
			p += INTALIGN(VARSIZE(p));
		}
	}
	write_sums(spec, state, vals, true);
	return state;
}

void
smarkpi_sumstate_empty(const SumStateSpec *spec, SumValues *vals)
{
	int			i;

	memset(vals->ints, 0, sizeof(vals->ints));
	for (i = 0; i < spec->nnums; i++)
		smarkpi_exactsum_zero(&vals->sums[i]);
}

/* A sum over at most "rows" inputs, nmax of them at its scale; no inputs means exactly 0. */
void
smarkpi_sumstate_validate_sum(const SumStateSpec *spec, const ExactSum *s, int64 nmax,
							  int64 rows, int sqlstate)
{
	if (nmax < 0 || nmax > rows || (nmax == 0 && (smarkpi_exactsum_sign(s) != 0 || s->scale != 0)))
		smarkpi_state_corrupt(spec->typname, sqlstate,
							  "A sum and its count of maximum-scale inputs do not match the row "
							  "count.");
}

static void
set_sum(const SumStateSpec *spec, ExactSum *s, Numeric n, int sqlstate)
{
	if (numeric_is_nan(n) || numeric_is_inf(n))
		smarkpi_state_corrupt(spec->typname, sqlstate, "Sums must be finite.");
	smarkpi_exactsum_from_numeric(s, n);
}

SumState *
smarkpi_sumstate_from_cstring(const SumStateSpec *spec, char *str)
{
	char	   *fields[SUMSTATE_MAX_INTS + SUMSTATE_MAX_NUMS];
	SumValues	vals;
	int64		kpi = SMARKPI_KPI_NONE;
	int			i;

	if (spec->tagged)
		str = smarkpi_kpi_parse(str, spec->typname, &kpi);
	vals.kpi = (int32) kpi;
	smarkpi_state_fields(str, spec->typname, fields, spec->nints + spec->nnums);
	for (i = 0; i < spec->nints; i++)
		vals.ints[i] = smarkpi_parse_int64_field(fields[i], spec->typname);
	for (i = 0; i < spec->nnums; i++)
		set_sum(spec, &vals.sums[i], smarkpi_cstring_to_numeric(fields[spec->nints + i]),
				ERRCODE_INVALID_TEXT_REPRESENTATION);
	spec->validate(&vals, ERRCODE_INVALID_TEXT_REPRESENTATION);
	return sumstate_pack(spec, &vals);
}

char *
smarkpi_sumstate_to_cstring(const SumStateSpec *spec, SumState *state)
{
	StringInfoData buf;
	SumValues	vals;
	int			i;

	smarkpi_sumstate_unpack(spec, state, &vals);
	initStringInfo(&buf);
	appendStringInfoString(&buf, smarkpi_kpi_name(vals.kpi));
	appendStringInfoChar(&buf, '(');
	for (i = 0; i < spec->nints; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i > 0 ? "," : "", vals.ints[i]);
	for (i = 0; i < spec->nnums; i++)
	{
		Numeric		sum = smarkpi_exactsum_to_numeric(&vals.sums[i]);

		appendStringInfo(&buf, ",%s",
						 DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(sum))));
	}
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

static Numeric
recv_numeric(const SumStateSpec *spec, StringInfo buf)
{
	return DatumGetNumeric(smarkpi_wire_numeric(buf, spec->typname));
}

SumState *
smarkpi_sumstate_from_binary(const SumStateSpec *spec, StringInfo buf)
{
	SumValues	vals;
	int			i;

	smarkpi_wire_open(buf, spec->typname);
	vals.kpi = spec->tagged ? smarkpi_wire_int32(buf, spec->typname) : SMARKPI_KPI_NONE;
	if (!smarkpi_kpi_valid_for(vals.kpi, spec->typname))
		smarkpi_binary_corrupt(spec->typname,
							   "Unknown KPI tag.");
	for (i = 0; i < spec->nints; i++)
		vals.ints[i] = smarkpi_wire_int64(buf, spec->typname);
	for (i = 0; i < spec->nnums; i++)
		set_sum(spec, &vals.sums[i], recv_numeric(spec, buf),
				ERRCODE_INVALID_BINARY_REPRESENTATION);
	smarkpi_wire_end(buf, spec->typname);
	spec->validate(&vals, ERRCODE_INVALID_BINARY_REPRESENTATION);
	return sumstate_pack(spec, &vals);
}

bytea *
smarkpi_sumstate_to_binary(const SumStateSpec *spec, SumState *state)
{
	StringInfoData buf;
	SumValues	vals;
	int			i;

	smarkpi_sumstate_unpack(spec, state, &vals);
	smarkpi_wire_begin(&buf);
	if (spec->tagged)
		pq_sendint32(&buf, vals.kpi);
	for (i = 0; i < spec->nints; i++)
		pq_sendint64(&buf, vals.ints[i]);
	for (i = 0; i < spec->nnums; i++)
	{
		Numeric		sum = smarkpi_exactsum_to_numeric(&vals.sums[i]);
		bytea	   *b = DatumGetByteaPP(DirectFunctionCall1(numeric_send, NumericGetDatum(sum)));

		pq_sendbytes(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	}
	return pq_endtypsend(&buf);
}
