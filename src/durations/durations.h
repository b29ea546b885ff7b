/*
 * durations/durations.h
 *		What the durations family's files share.
 *
 *	durations.c		mean durations (sales_cycle_length, lead_response_time), days()
 *	percentile.c	duration_percentile(started_at, ended_at, fraction), exact
 *	sketch.c		duration_sketch, rollup(summary), duration_percentile(summary, fraction)
 */
#ifndef SMARKPI_DURATIONS_H
#define SMARKPI_DURATIONS_H

#include "smarkpi.h"

/* A percentile's fraction must be in [0, 1] (22003, as percentile_cont). */
extern void smarkpi_check_percentile_fraction(double fraction);

#endif							/* SMARKPI_DURATIONS_H */
