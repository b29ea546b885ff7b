/*
 * core/counters.h
 *		Fixed-size states made of int64 counters: their text and binary
 *		forms, adding and removing.
 *
 * Promises: text form "(c1,c2,...)", a tagged type's prefixed by its KPI's
 * name ("win_rate(3,5)"); binary form the version byte, a tagged type's KPI
 * tag (int32), then each counter (int64).  Input checks syntax, exact
 * length, tag and the type's own rule (spec->validate) before returning.
 * A tagged type keeps its tag as one more int64 after the n counters.
 */
#ifndef SMARKPI_CORE_COUNTERS_H
#define SMARKPI_CORE_COUNTERS_H

#include "compat.h"

#include "lib/stringinfo.h"

#define COUNTERS_MAX 4

typedef struct CounterSpec
{
	const char *typname;
	int			n;
	void		(*validate) (const int64 *c, int sqlstate);
	bool		tagged;
} CounterSpec;

extern int64 *smarkpi_counters_from_cstring(const CounterSpec *spec, char *str);
extern char *smarkpi_counters_to_cstring(const CounterSpec *spec, const int64 *c);
extern int64 *smarkpi_counters_from_binary(const CounterSpec *spec, StringInfo buf);
extern bytea *smarkpi_counters_to_binary(const CounterSpec *spec, const int64 *c);
extern void smarkpi_counters_add(const CounterSpec *spec, int64 *c, const int64 *other);
extern bool smarkpi_counters_sub(const CounterSpec *spec, int64 *c, const int64 *other);

#endif							/* SMARKPI_CORE_COUNTERS_H */
