/*
 * ordered_funnels/ordered_funnels.h
 *		What the ordered funnels family's files share.
 *
 *	window_funnel.c		window_funnel, window_funnel_times: how deep an entity
 *						got through ordered steps within a time window
 *	funnel_counts.c		funnel_counts: entities that reached at least each step
 */
#ifndef SMARKPI_ORDERED_FUNNELS_H
#define SMARKPI_ORDERED_FUNNELS_H

#include "smarkpi.h"

/* Steps are numbered 1..FUNNEL_MAX_STEPS (0 in a depth: no step reached). */
#define FUNNEL_MAX_STEPS 64

#endif							/* SMARKPI_ORDERED_FUNNELS_H */
