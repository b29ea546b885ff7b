/*
 * retention.c
 *		Retention: retention_rate(active_before, active_after), an aggregate
 *		over customers, and retention_rate(customers_start, customers_end,
 *		new_customers), a plain function over period counts.
 *
 *	retention_rate(before, after)	total: active before, hits: also after
 *									(smarkpi_rate_summary, as the funnel rates)
 *	retention_rate(S, E, N)			(E - N) / S
 */
#include "smarkpi.h"

#include "rate_summary.h"

/* retention_rate(active_before, active_after): counted when active before. */
PG_FUNCTION_INFO_V1(smarkpi_retention_rate_trans);
Datum
smarkpi_retention_rate_trans(PG_FUNCTION_ARGS)
{
	return smarkpi_rate_apply(fcinfo, PG_GETARG_BOOL(1), PG_GETARG_BOOL(2), 1);
}

PG_FUNCTION_INFO_V1(smarkpi_retention_rate_inv);
Datum
smarkpi_retention_rate_inv(PG_FUNCTION_ARGS)
{
	return smarkpi_rate_apply(fcinfo, PG_GETARG_BOOL(1), PG_GETARG_BOOL(2), -1);
}

/* retention_rate(customers_start, customers_end, new_customers) = (E - N) / S */
PG_FUNCTION_INFO_V1(smarkpi_retention_rate_counts);
Datum
smarkpi_retention_rate_counts(PG_FUNCTION_ARGS)
{
	int64		s = PG_GETARG_INT64(0);
	int64		e = PG_GETARG_INT64(1);
	int64		n = PG_GETARG_INT64(2);

	if (!smarkpi_row_count_ok(s, "customers_start") ||
		!smarkpi_row_count_ok(e, "customers_end") ||
		!smarkpi_row_count_ok(n, "new_customers"))
		PG_RETURN_NULL();
	if ((n > e || e - n > s) &&
		!smarkpi_row_rejected(ERRCODE_INVALID_PARAMETER_VALUE,
							  "customer counts give a retention rate outside [0, 1]",
							  psprintf("customers_start " INT64_FORMAT ", customers_end "
									   "" INT64_FORMAT
									   ", new_customers " INT64_FORMAT ": retained customers (end "
									   "- new) must be between 0 "
									   "and customers_start.",
									   s, e, n)))
		PG_RETURN_NULL();
	if (s == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) (e - n) / (double) s);
}

/* retention_rate(summary): the aggregate's result over the summarized rows. */
PG_FUNCTION_INFO_V1(smarkpi_retention_rate_of_summary);
Datum
smarkpi_retention_rate_of_summary(PG_FUNCTION_ARGS)
{
	return smarkpi_rate_of_summary(fcinfo, SMARKPI_KPI_RETENTION_RATE,
								   SMARKPI_KPI_RETENTION_RATE, "retention_rate");
}
