/*
 * common.c
 *		Aggregate-context checks, counters and conversions shared by every
 *		KPI family.
 */
#include "smarkpi.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

/* The aggregate's memory context; support functions refuse to run outside one. */
MemoryContext
smarkpi_agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", fname)));
	return ctx;
}

/*
 * States are updated in place, which is only safe when the aggregate
 * executor owns them.
 */
void
smarkpi_require_agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	smarkpi_agg_context(fcinfo, fname);
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s called with a null state", fname)));
}

int64
smarkpi_add_count(int64 a, int64 b, const char *what)
{
	int64		result;

	if (pg_add_s64_overflow(a, b, &result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range", what)));
	return result;
}

Numeric
smarkpi_numeric_zero(void)
{
	return int64_to_numeric(0);
}

char *
smarkpi_int128_to_cstring(int128 v)
{
	char		buf[48];
	char	   *p = buf + sizeof(buf) - 1;
	uint128		u = v < 0 ? -(uint128) v : (uint128) v;

	*p = '\0';
	do
	{
		*--p = '0' + (int) (u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	return pstrdup(p);
}

/* Parses an optionally signed decimal integer; false on syntax or overflow. */
bool
smarkpi_cstring_to_int128(const char *s, int128 *result)
{
	bool		neg = false;
	uint128		u = 0;
	const uint128 limit = ((uint128) 1) << 127;	/* |INT128_MIN| */

	while (isspace((unsigned char) *s))
		s++;
	if (*s == '-' || *s == '+')
		neg = (*s++ == '-');
	if (!isdigit((unsigned char) *s))
		return false;
	for (; isdigit((unsigned char) *s); s++)
	{
		int			d = *s - '0';

		if (u > (limit - d) / 10)
			return false;
		u = u * 10 + d;
	}
	while (isspace((unsigned char) *s))
		s++;
	if (*s != '\0' || (!neg && u == limit))
		return false;
	*result = neg ? (int128) (-u) : (int128) u;
	return true;
}

/* A numeric from its text (numeric_in, no typmod): errors as numeric's own. */
Numeric
smarkpi_cstring_to_numeric(const char *s)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

Numeric
smarkpi_int128_to_numeric(int128 v)
{
	if (v >= PG_INT64_MIN && v <= PG_INT64_MAX)
		return int64_to_numeric((int64) v);
	return smarkpi_cstring_to_numeric(smarkpi_int128_to_cstring(v));
}

void
smarkpi_state_corrupt(const char *typname, int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid value for type %s", typname),
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
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", typname, str),
			 errdetail("Expected %d comma-separated fields in parentheses.", nfields)));
	return NULL;				/* keep compiler quiet */
}

int64
smarkpi_parse_int64_field(const char *field, const char *typname)
{
	int128		v;

	if (!smarkpi_cstring_to_int128(field, &v) || v < PG_INT64_MIN || v > PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", typname, field),
				 errdetail("Counters must be integers between %lld and %lld.",
						   (long long) PG_INT64_MIN, (long long) PG_INT64_MAX)));
	return (int64) v;
}

bool
smarkpi_numeric_is_zero(Numeric n)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(n),
											 NumericGetDatum(smarkpi_numeric_zero()))) == 0;
}

bool
smarkpi_numeric_is_negative(Numeric n)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(n),
											 NumericGetDatum(smarkpi_numeric_zero()))) < 0;
}

/* Interval as microseconds, with interval comparison's 30-day months. */
int128
smarkpi_interval_us(const Interval *iv)
{
	return (int128) iv->time
		+ (int128) iv->day * USECS_PER_DAY
		+ (int128) iv->month * DAYS_PER_MONTH * USECS_PER_DAY;
}

/* Non-negative microseconds as days plus time of day, like timestamptz subtraction. */
Interval *
smarkpi_us_to_interval(int64 us)
{
	Interval   *result = palloc0(sizeof(Interval));

	result->day = (int32) (us / USECS_PER_DAY);
	result->time = us % USECS_PER_DAY;
	return result;
}

/* An interval as PostgreSQL prints it, for the DETAIL of an error. */
char *
smarkpi_interval_text(const Interval *iv)
{
	return DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(iv)));
}

/*
 * The serialized form of every internal state (duration_percentile, rfm,
 * clv_fit/clv) starts the same way: a version byte, then the state's fields,
 * then a count of items and the items.  These three functions are the one
 * place that form is written and checked.
 */

/* Starts a serialized internal state: the version byte. */
void
smarkpi_state_writer(StringInfo buf)
{
	pq_begintypsend(buf);
	pq_sendbyte(buf, SMARKPI_BINARY_VERSION);
}

/*
 * Checks a serialized state's item count n against the bytes left in buf:
 * exactly n items of item_size bytes (exact), or at least item_size bytes
 * each (items of varying size).  n is bounded before it is multiplied.
 */
void
smarkpi_state_check_count(StringInfo buf, int64 n, int item_size, bool exact, const char *what)
{
	int64		left = buf->len - buf->cursor;

	Assert(item_size > 0);
	if (n < 0 || n > left / item_size || (exact && n * item_size != left))
		smarkpi_state_corrupt(what, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "The item count does not match the data.");
}

/*
 * Points buf at a serialized internal state and checks its version byte and
 * minimum length (what the caller reads next is checked by the caller).
 */
void
smarkpi_state_reader(bytea *b, StringInfo buf, int min_len, const char *what)
{
	buf->data = VARDATA_ANY(b);
	buf->len = VARSIZE_ANY_EXHDR(b);
	buf->maxlen = buf->len;
	buf->cursor = 0;
	if (buf->len < min_len || (uint8) buf->data[0] != SMARKPI_BINARY_VERSION)
		smarkpi_state_corrupt(what, ERRCODE_INVALID_BINARY_REPRESENTATION,
							  "Unsupported or truncated binary state.");
	buf->cursor = 1;
}
