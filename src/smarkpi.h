/*
 * smarkpi.h
 *		What every KPI family file needs: the aggregate helpers and the row
 *		checks.  A family includes the other core layers it uses by name:
 *
 *	core/agg.h			aggregate context, checked counts, Datum conversions
 *	core/validate.h		a row's own values under smarkpi.invalid_rows
 *	core/wire.h			outside forms: binary reader and writer, input errors
 *	core/tags.h			which KPI made a summary
 *	core/exactsum.h		exact numeric sums, numerics taken apart
 *	core/counters.h		fixed states of int64 counters
 *	core/sumstate.h		the packed sum: counters then exact sums, one varlena
 *	core/xstate.h		states that grow with their rows: expanded or flat
 *
 * Floors, from the bottom; a file includes only headers on floors below its
 * own: compat.h; agg and validate; wire (uses agg); tags and xstate (use
 * wire);
 * exactsum (uses agg and validate); counters and sumstate (use agg, wire,
 * tags; sumstate also exactsum); rate_summary.h, shared by three families;
 * the families.
 */
#ifndef SMARKPI_H
#define SMARKPI_H

#include "compat.h"

#include "core/agg.h"
#include "core/validate.h"
#include "fmgr.h"

#endif							/* SMARKPI_H */
