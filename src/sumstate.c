/*
 * sumstate.c
 *		The SumState varlena layout: int64 counters followed by numeric sums,
 *		with its text and binary representations.
 *
 * Text form: "(c1,c2,...,n1,n2)" -- counters, then sums, in declaration
 * order.  Binary form: a version byte, the counters as int64, then each sum
 * in numeric's own binary format.  Both inputs validate everything, since
 * states arrive from other servers and from stored tables.
 */
#include "smarkpi.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

static Size
sumstate_header_size(const SumStateSpec *spec)
{
	return offsetof(SumState, ints) + sizeof(int64) * spec->nints;
}

void
sumstate_unpack(const SumStateSpec *spec, SumState *state, SumValues *vals)
{
	char	   *p;
	int			i;

	if (state->nints != spec->nints || state->nnums != spec->nnums)
		elog(ERROR, "corrupt %s state", spec->typname);
	memcpy(vals->ints, state->ints, sizeof(int64) * spec->nints);
	p = (char *) state + sumstate_header_size(spec);
	for (i = 0; i < spec->nnums; i++)
	{
		vals->nums[i] = (Numeric) p;
		p += INTALIGN(VARSIZE(p));
	}
}

SumState *
sumstate_pack(const SumStateSpec *spec, const SumValues *vals)
{
	Size		size = sumstate_header_size(spec);
	SumState   *state;
	char	   *p;
	int			i;

	for (i = 0; i < spec->nnums; i++)
		size += INTALIGN(VARSIZE(vals->nums[i]));
	state = palloc0(size);
	SET_VARSIZE(state, size);
	state->nints = spec->nints;
	state->nnums = spec->nnums;
	memcpy(state->ints, vals->ints, sizeof(int64) * spec->nints);
	p = (char *) state + sumstate_header_size(spec);
	for (i = 0; i < spec->nnums; i++)
	{
		memcpy(p, vals->nums[i], VARSIZE(vals->nums[i]));
		p += INTALIGN(VARSIZE(vals->nums[i]));
	}
	return state;
}

/*
 * Returns the updated state as the transition value.  When every sum keeps
 * its size (the common case: a running total rarely gains a digit) the
 * state is rewritten in place, saving the executor a copy per row; the
 * caller has checked that the executor owns the state.
 */
Datum
sumstate_store(FunctionCallInfo fcinfo, const SumStateSpec *spec,
			   SumState *state, const SumValues *vals)
{
	SumValues	old;
	int			i;

	sumstate_unpack(spec, state, &old);
	for (i = 0; i < spec->nnums; i++)
		if (VARSIZE(old.nums[i]) != VARSIZE(vals->nums[i]))
			PG_RETURN_POINTER(sumstate_pack(spec, vals));
	memcpy(state->ints, vals->ints, sizeof(int64) * spec->nints);
	for (i = 0; i < spec->nnums; i++)
		memmove(old.nums[i], vals->nums[i], VARSIZE(vals->nums[i]));
	PG_RETURN_POINTER(state);
}

void
sumstate_empty(const SumStateSpec *spec, SumValues *vals)
{
	int			i;

	memset(vals, 0, sizeof(SumValues));
	for (i = 0; i < spec->nnums; i++)
		vals->nums[i] = smarkpi_numeric_zero();
}

static void
check_sum_finite(const SumStateSpec *spec, Numeric n, int sqlstate)
{
	if (numeric_is_nan(n) || numeric_is_inf(n))
		smarkpi_state_corrupt(spec->typname, sqlstate, "Sums must be finite.");
}

SumState *
sumstate_from_cstring(const SumStateSpec *spec, char *str)
{
	char	   *fields[SUMSTATE_MAX_INTS + SUMSTATE_MAX_NUMS];
	SumValues	vals;
	int			i;

	smarkpi_state_fields(str, spec->typname, fields, spec->nints + spec->nnums);
	for (i = 0; i < spec->nints; i++)
		vals.ints[i] = smarkpi_parse_int64_field(fields[i], spec->typname);
	for (i = 0; i < spec->nnums; i++)
	{
		vals.nums[i] = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														   CStringGetDatum(fields[spec->nints + i]),
														   ObjectIdGetDatum(InvalidOid),
														   Int32GetDatum(-1)));
		check_sum_finite(spec, vals.nums[i], ERRCODE_INVALID_TEXT_REPRESENTATION);
	}
	spec->validate(&vals, ERRCODE_INVALID_TEXT_REPRESENTATION);
	return sumstate_pack(spec, &vals);
}

char *
sumstate_to_cstring(const SumStateSpec *spec, SumState *state)
{
	StringInfoData buf;
	SumValues	vals;
	int			i;

	sumstate_unpack(spec, state, &vals);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	for (i = 0; i < spec->nints; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i > 0 ? "," : "", vals.ints[i]);
	for (i = 0; i < spec->nnums; i++)
		appendStringInfo(&buf, ",%s",
						 DatumGetCString(DirectFunctionCall1(numeric_out,
															 NumericGetDatum(vals.nums[i]))));
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

static void
require_bytes(const SumStateSpec *spec, StringInfo buf, int n)
{
	if (n < 0 || buf->len - buf->cursor < n)
		smarkpi_state_corrupt(spec->typname, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "The binary value is truncated.");
}

/* numeric_recv would report truncation as a protocol violation; check first. */
static Numeric
recv_numeric(const SumStateSpec *spec, StringInfo buf)
{
	uint16		ndigits;

	require_bytes(spec, buf, 8);
	memcpy(&ndigits, buf->data + buf->cursor, sizeof(uint16));
	require_bytes(spec, buf, 8 + 2 * (int) pg_ntoh16(ndigits));
	return DatumGetNumeric(DirectFunctionCall3(numeric_recv,
											   PointerGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

SumState *
sumstate_from_binary(const SumStateSpec *spec, StringInfo buf)
{
	SumValues	vals;
	int			i;

	require_bytes(spec, buf, 1 + 8 * spec->nints);
	if (pq_getmsgbyte(buf) != SMARKPI_BINARY_VERSION)
		smarkpi_state_corrupt(spec->typname, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "Unsupported binary format version.");
	for (i = 0; i < spec->nints; i++)
		vals.ints[i] = pq_getmsgint64(buf);
	for (i = 0; i < spec->nnums; i++)
	{
		vals.nums[i] = recv_numeric(spec, buf);
		check_sum_finite(spec, vals.nums[i], ERRCODE_INVALID_BINARY_REPRESENTATION);
	}
	if (buf->cursor != buf->len)
		smarkpi_state_corrupt(spec->typname, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "The binary value has trailing bytes.");
	spec->validate(&vals, ERRCODE_INVALID_BINARY_REPRESENTATION);
	return sumstate_pack(spec, &vals);
}

bytea *
sumstate_to_binary(const SumStateSpec *spec, SumState *state)
{
	StringInfoData buf;
	SumValues	vals;
	int			i;

	sumstate_unpack(spec, state, &vals);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SMARKPI_BINARY_VERSION);
	for (i = 0; i < spec->nints; i++)
		pq_sendint64(&buf, vals.ints[i]);
	for (i = 0; i < spec->nnums; i++)
	{
		bytea	   *b = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
															NumericGetDatum(vals.nums[i])));

		pq_sendbytes(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	}
	return pq_endtypsend(&buf);
}
