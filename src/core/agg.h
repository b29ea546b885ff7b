/*
 * core/agg.h
 *		The lowest shared layer: the aggregate context, checked counts, and
 *		conversions between Datums, intervals, int128 and numeric.
 *
 * Promises: no function here knows a KPI, a state type or a row rule; every
 * error is raised in PostgreSQL's style with its SQLSTATE.
 */
#ifndef SMARKPI_CORE_AGG_H
#define SMARKPI_CORE_AGG_H

#include "compat.h"

#include "fmgr.h"
#include "nodes/nodes.h"
#include "datatype/timestamp.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

/* The aggregate's memory context; support functions refuse to run outside one. */
extern MemoryContext smarkpi_agg_context(FunctionCallInfo fcinfo, const char *fname);

/* As above, and the state (argument 0) must not be NULL: it is updated in place. */
extern void smarkpi_require_agg_context_general(FunctionCallInfo fcinfo, const char *fname);

/* Inline for the transitions' every row: a plain aggregate needs no more than a tag test. */
static inline void
smarkpi_require_agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	if (likely(fcinfo->context != NULL && IsA(fcinfo->context, AggState) && !PG_ARGISNULL(0)))
		return;
	smarkpi_require_agg_context_general(fcinfo, fname);
}

/*
 * Argument aggargno (0-based, of the aggregate's own arguments) of a plain
 * aggregate call is a constant or a query parameter: the same in every row.
 */
extern bool smarkpi_agg_arg_is_constant(FunctionCallInfo fcinfo, int aggargno);

/* a + b, or 22003 naming what overflowed */
extern int64 smarkpi_add_count(int64 a, int64 b, const char *what);

extern Interval *smarkpi_us_to_interval(int64 us);
extern char *smarkpi_interval_text(const Interval *iv);
extern int128 smarkpi_interval_us(const Interval *iv);

extern Numeric smarkpi_numeric_zero(void);
extern Numeric smarkpi_cstring_to_numeric(const char *s);
extern Numeric smarkpi_int128_to_numeric(int128 v);
extern char *smarkpi_int128_to_cstring(int128 v);
extern bool smarkpi_cstring_to_int128(const char *s, int128 *result);
extern bool smarkpi_numeric_is_zero(Numeric n);

#endif							/* SMARKPI_CORE_AGG_H */
