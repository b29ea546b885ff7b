/*
 * pipeline_history/pipeline_history.h
 *		What the pipeline history family's files share.
 *
 *	stage_history.c		stage_history, stage_durations, current_stage,
 *						backward_moves: one deal's stage changes as time in
 *						each stage
 *	waterfall.c			pipeline_waterfall, waterfall_buckets: why the
 *						pipeline moved between two instants;
 *						pipeline_coverage
 *
 * Both aggregates keep every row of the group (a deal's history must be
 * seen whole, in time order): their states are flat values grown in place
 * (core/xstate.h), sorted once by the final function, which returns a
 * sorted copy.  Neither has a rollup: two summaries of one deal's rows
 * cannot be merged without its rows.
 */
#ifndef SMARKPI_PIPELINE_HISTORY_H
#define SMARKPI_PIPELINE_HISTORY_H

#include "smarkpi.h"

#endif							/* SMARKPI_PIPELINE_HISTORY_H */
