/*
 * core/wire.c
 *		Reading and writing the outside forms of states (see core/wire.h).
 */
#include "core/wire.h"

#include <ctype.h>

#include "core/agg.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

void
smarkpi_state_corrupt(const char *typname, int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid value for type %s", typname),
			 errdetail("%s", detail)));
}

void
smarkpi_binary_corrupt(const char *typname, const char *detail)
{
	smarkpi_state_corrupt(typname, ERRCODE_INVALID_BINARY_REPRESENTATION, detail);
}

void
smarkpi_text_syntax_error(const char *typname, const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", typname, str),
			 errdetail("%s", detail)));
}

/*
 * Splits the text form "(f1,f2,...)" of a state into exactly nfields
 * fields, in place in a copy of str.  Returns the copy.
 */
char *
smarkpi_state_fields(char *str, const char *typname, char **fields, int nfields)
{
	char	   *copy = pstrdup(str);
	char	   *p = copy;
	char	   *end;
	int			i;

	while (isspace((unsigned char) *p))
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char) end[-1]))
		end--;
	if (*p != '(' || end - p < 2 || end[-1] != ')')
		goto syntax_error;
	end[-1] = '\0';
	p++;
	for (i = 0; i < nfields; i++)
	{
		char	   *comma = strchr(p, ',');

		if ((comma == NULL) != (i == nfields - 1))
			goto syntax_error;
		if (comma)
			*comma = '\0';
		fields[i] = p;
		p = comma ? comma + 1 : p + strlen(p);
	}
	return copy;

syntax_error:
	smarkpi_text_syntax_error(typname, str,
							  psprintf("Expected %d comma-separated fields in parentheses.",
									   nfields));
	return NULL;				/* keep compiler quiet */
}

int64
smarkpi_parse_int64_field(const char *field, const char *typname)
{
	int128		v;

	if (!smarkpi_cstring_to_int128(field, &v) || v < PG_INT64_MIN || v > PG_INT64_MAX)
		smarkpi_text_syntax_error(typname, field,
								  psprintf("Counters must be integers between %lld and %lld.",
										   (long long) PG_INT64_MIN, (long long) PG_INT64_MAX));
	return (int64) v;
}

/* Starts a binary form: the version byte. */
void
smarkpi_wire_begin(StringInfo buf)
{
	pq_begintypsend(buf);
	pq_sendbyte(buf, SMARKPI_BINARY_VERSION);
}

/* High 64 bits, then low 64 bits. */
void
smarkpi_wire_put_int128(StringInfo buf, int128 v)
{
	uint128		u = (uint128) v;

	pq_sendint64(buf, (int64) (uint64) (u >> 64));
	pq_sendint64(buf, (int64) (uint64) u);
}

void
smarkpi_wire_put_varuint(StringInfo buf, uint64 v)
{
	while (v >= 0x80)
	{
		pq_sendbyte(buf, (uint8) (v | 0x80));
		v >>= 7;
	}
	pq_sendbyte(buf, (uint8) v);
}

/* Reads and checks the version byte of a binary value that buf points at. */
void
smarkpi_wire_open(StringInfo buf, const char *typname)
{
	if (smarkpi_wire_byte(buf, typname) != SMARKPI_BINARY_VERSION)
		smarkpi_binary_corrupt(typname,
							   "Unsupported binary format version.");
}

/* Points buf at the bytes of b (not copied), then as smarkpi_wire_open. */
void
smarkpi_wire_open_bytea(bytea *b, StringInfo buf, const char *typname)
{
	initReadOnlyStringInfo(buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	smarkpi_wire_open(buf, typname);
}

/* At least n more bytes, or 22P03. */
void
smarkpi_wire_need(StringInfo buf, int64 n, const char *typname)
{
	if (n < 0 || n > buf->len - buf->cursor)
		smarkpi_binary_corrupt(typname,
							   "The binary value is truncated.");
}

int
smarkpi_wire_byte(StringInfo buf, const char *typname)
{
	smarkpi_wire_need(buf, SMARKPI_WIRE_BYTE, typname);
	return pq_getmsgbyte(buf);
}

int32
smarkpi_wire_int32(StringInfo buf, const char *typname)
{
	smarkpi_wire_need(buf, SMARKPI_WIRE_INT32, typname);
	return (int32) pq_getmsgint(buf, SMARKPI_WIRE_INT32);
}

int64
smarkpi_wire_int64(StringInfo buf, const char *typname)
{
	smarkpi_wire_need(buf, SMARKPI_WIRE_INT64, typname);
	return pq_getmsgint64(buf);
}

double
smarkpi_wire_float8(StringInfo buf, const char *typname)
{
	smarkpi_wire_need(buf, SMARKPI_WIRE_FLOAT8, typname);
	return pq_getmsgfloat8(buf);
}

int128
smarkpi_wire_int128(StringInfo buf, const char *typname)
{
	uint64		hi = (uint64) smarkpi_wire_int64(buf, typname);
	uint64		lo = (uint64) smarkpi_wire_int64(buf, typname);

	return (int128) (((uint128) hi << 64) | lo);
}

/* len bytes as a NUL-terminated string (which may hold NULs: the caller checks). */
char *
smarkpi_wire_cstring(StringInfo buf, int32 len, const char *typname)
{
	char	   *s;

	smarkpi_wire_need(buf, len, typname);
	s = palloc(len + 1);
	pq_copymsgbytes(buf, s, len);
	s[len] = '\0';
	return s;
}

/*
 * Checks an item count n against the bytes left: exactly n items of
 * item_size bytes (exact), or at least item_size bytes each (items of
 * varying size).  n is bounded before it is multiplied.
 */
void
smarkpi_wire_check_count(StringInfo buf, int64 n, int item_size, bool exact, const char *typname)
{
	int64		left = buf->len - buf->cursor;

	Assert(item_size > 0);
	if (n < 0 || n > left / item_size || (exact && n * item_size != left))
		smarkpi_binary_corrupt(typname,
							   "The item count does not match the data.");
}

/* numeric_recv would report truncation as a protocol violation (08P01): check first. */
Datum
smarkpi_wire_numeric(StringInfo buf, const char *typname)
{
	uint16		ndigits;

	smarkpi_wire_need(buf, 8, typname);
	memcpy(&ndigits, buf->data + buf->cursor, sizeof(uint16));
	smarkpi_wire_need(buf, 8 + 2 * (int) pg_ntoh16(ndigits), typname);
	return DirectFunctionCall3(numeric_recv, PointerGetDatum(buf),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

void
smarkpi_wire_send_sized_numeric(StringInfo buf, Datum num)
{
	bytea	   *b = DatumGetByteaPP(DirectFunctionCall1(numeric_send, num));

	pq_sendint32(buf, VARSIZE_ANY_EXHDR(b));
	pq_sendbytes(buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

Datum
smarkpi_wire_sized_numeric(StringInfo buf, const char *typname)
{
	int32		len = smarkpi_wire_int32(buf, typname);
	int			start = buf->cursor;
	Datum		d;

	smarkpi_wire_need(buf, len, typname);
	d = smarkpi_wire_numeric(buf, typname);
	if (buf->cursor - start != len)
		smarkpi_binary_corrupt(typname,
							   "A numeric does not fill its length.");
	return d;
}

/* Every byte was read. */
void
smarkpi_wire_end(StringInfo buf, const char *typname)
{
	if (buf->cursor != buf->len)
		smarkpi_binary_corrupt(typname,
							   "The binary value has trailing bytes.");
}

/* A varint of at most 10 bytes whose value fits in 64 bits, or 22P03. */
uint64
smarkpi_wire_varuint(StringInfo buf, const char *typname)
{
	uint64		v = 0;
	int			shift;

	for (shift = 0; shift < 64; shift += 7)
	{
		int			b = smarkpi_wire_byte(buf, typname);

		if (shift == 63 && b > 1)
			break;
		v |= (uint64) (b & 0x7f) << shift;
		if ((b & 0x80) == 0)
			return v;
	}
	smarkpi_binary_corrupt(typname,
						   "A variable-length integer overflows 64 bits.");
	return 0;					/* keep compiler quiet */
}
