/*
 * core/tags.h
 *		Which KPI made a summary, for the state types several KPIs share.
 *
 * Promises: a tag is stored in states and in both outside forms, so the
 * numbers are append only; accessors, rollup() and combine functions refuse
 * another KPI's summary with 42804.  The plain KPI aggregates keep tag 0.
 */
#ifndef SMARKPI_CORE_TAGS_H
#define SMARKPI_CORE_TAGS_H

#include "compat.h"

typedef enum SmarkpiKpi
{
	SMARKPI_KPI_NONE,
	SMARKPI_KPI_CONVERSION_RATE,
	SMARKPI_KPI_CONVERSION_RATE_WITHIN,
	SMARKPI_KPI_MQL_SAL_RATE,
	SMARKPI_KPI_MQL_SAL_RATE_WITHIN,
	SMARKPI_KPI_WIN_RATE,
	SMARKPI_KPI_RETENTION_RATE,
	SMARKPI_KPI_CSAT,
	SMARKPI_KPI_CAC,
	SMARKPI_KPI_CAC_RATIO,
	SMARKPI_KPI_CPL,
	SMARKPI_KPI_ROI,
	SMARKPI_KPI_ROAS,
	SMARKPI_KPI_AVG_DEAL_SIZE,
	SMARKPI_KPI_PIPELINE_VALUE,
	SMARKPI_KPI_OPEN_PIPELINE_VALUE,
	SMARKPI_KPI_QUOTA_ATTAINMENT,
	SMARKPI_KPI_MARKETING_CONTRIBUTION,
	SMARKPI_KPI_SALES_CYCLE_LENGTH,
	SMARKPI_KPI_LEAD_RESPONSE_TIME,
	SMARKPI_KPI_OPEN_RATE,
	SMARKPI_KPI_CLICK_THROUGH_RATE,
	SMARKPI_KPI_ENGAGEMENT_RATE,
	SMARKPI_KPI_N
} SmarkpiKpi;

extern const char *smarkpi_kpi_name(int64 kpi);
extern bool smarkpi_kpi_valid_for(int64 kpi, const char *typname);
extern char *smarkpi_kpi_parse(char *str, const char *typname, int64 *kpi);
extern void smarkpi_kpi_check_same(int64 kpi, int64 other, const char *typname);
extern void smarkpi_kpi_expect(int64 kpi, int64 want, int64 also, const char *accessor);

#endif							/* SMARKPI_CORE_TAGS_H */
