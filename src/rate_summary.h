/*
 * rate_summary.h
 *		smarkpi_rate_summary, hits / total: the state of the funnel rates
 *		(funnel_rates.c), csat (customer_voice.c) and retention_rate
 *		(retention.c).
 *
 * Invariant: 0 <= hits <= total.  A summary carries its KPI's tag
 * (core/tags.h); a KPI's own aggregate keeps 0.
 */
#ifndef SMARKPI_RATE_SUMMARY_H
#define SMARKPI_RATE_SUMMARY_H

#include "compat.h"

#include "core/tags.h"
#include "fmgr.h"

typedef struct RateState
{
	int64		hits;
	int64		total;
	int64		kpi;			/* SmarkpiKpi of a summary, 0 in a KPI's own
								 * aggregate */
} RateState;

StaticAssertDecl(sizeof(RateState) == 24,
				 "smarkpi_rate_summary is declared with INTERNALLENGTH 24");

/* Adds (sign 1) or removes (sign -1) a row: counted in total, and a hit or not. */
extern Datum smarkpi_rate_apply(FunctionCallInfo fcinfo, bool counted, bool hit, int sign);

/* hits / total of a summary, after checking that KPI want (or also) made it. */
extern Datum smarkpi_rate_of_summary(FunctionCallInfo fcinfo, SmarkpiKpi want, SmarkpiKpi also,
									 const char *accessor);

#endif							/* SMARKPI_RATE_SUMMARY_H */
