/*
 * core/agg.c
 *		The aggregate context, checked counts, and conversions between
 *		Datums, intervals, int128 and numeric (see core/agg.h).
 */
#include "core/agg.h"

#include <ctype.h>

#include "common/int.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"

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
smarkpi_require_agg_context_general(FunctionCallInfo fcinfo, const char *fname)
{
	smarkpi_agg_context(fcinfo, fname);
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s called with a null state", fname)));
}

bool
smarkpi_agg_arg_is_constant(FunctionCallInfo fcinfo, int aggargno)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	Node	   *arg;

	if (aggref == NULL || aggargno < 0 || aggargno >= list_length(aggref->args))
		return false;
	arg = (Node *) ((TargetEntry *) list_nth(aggref->args, aggargno))->expr;
	return IsA(arg, Const) ||
		(IsA(arg, Param) && ((Param *) arg)->paramkind == PARAM_EXTERN);
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
	const uint128 limit = ((uint128) 1) << 127; /* |INT128_MIN| */

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

bool
smarkpi_numeric_is_zero(Numeric n)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(n),
											 NumericGetDatum(smarkpi_numeric_zero()))) == 0;
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
