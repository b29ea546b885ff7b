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
 *
 * Layers only include headers below them: compat.h, then agg, validate,
 * wire and tags, then exactsum, then counters and sumstate, then the
 * families (rate_state.h is shared by three of them).
 */
#ifndef SMARKPI_H
#define SMARKPI_H

#include "compat.h"

#include "core/agg.h"
#include "core/validate.h"
#include "fmgr.h"

#endif							/* SMARKPI_H */
