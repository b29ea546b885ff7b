/*
 * clv/clv.h
 *		What the customer lifetime value family's files share: reading smarkpi_rfm
 *		and smarkpi_clv_model values, argument checks and composite results.
 *
 *	rfm.c		the rfm() summary aggregate
 *	holdout.c	the rfm_holdout() aggregate and clv_backtest()
 *	fit.c		the clv_fit() and clv() aggregates
 *	predict.c	p_alive, expected_purchases, expected_spend and clv(model, ...)
 *	model.c		BG/NBD and Gamma-Gamma likelihoods, fitting and prediction
 */
#ifndef SMARKPI_CLV_H
#define SMARKPI_CLV_H

#include "smarkpi.h"

#include "access/htup_details.h"
#include "clv/model.h"
#include "core/wire.h"
#include "core/xstate.h"
#include "utils/hsearch.h"

/* A customer summary, read from a smarkpi_rfm value. */
typedef struct Rfm
{
	double		x,
				t_x,
				T,
				m;
} Rfm;

/* The two models of a smarkpi_clv_model value; a model is usable when *_ok. */
typedef struct Model
{
	bool		bg_ok;
	bool		gg_ok;
	BgnbdParams bg;
	GammaGammaParams gg;
} Model;

/*
 * The state of clv_fit() and clv(): one entry per distinct customer summary
 * with its number of customers (fit.c); smarkpi_clv_summary is its flat
 * form (summary.c).
 */
typedef struct ClvKey
{
	int32		x;
	int32		pad;			/* zero: keys are hashed as bytes */
	double		t_x;
	double		T;
	double		m;
} ClvKey;

typedef struct ClvEntry
{
	ClvKey		key;
	int64		count;
} ClvEntry;

typedef struct ClvState
{
	HTAB	   *summaries;
	int64		customers;
	int32		months;
	double		discount;
	bool		has_terms;
} ClvState;

/* One entry in binary form (clv_fit's serialized state and smarkpi_clv_summary). */
#define CLV_ENTRY_BINARY_SIZE \
	(SMARKPI_WIRE_INT32 + 3 * SMARKPI_WIRE_FLOAT8 + SMARKPI_WIRE_INT64)

extern void smarkpi_clv_entry_send(StringInfo buf, const ClvEntry *e);
extern void smarkpi_clv_entry_recv(StringInfo buf, ClvEntry *e, const char *typname);

/* The state is an expanded smarkpi_clv_summary (summary.c). */
extern const SmarkpiXStateKind smarkpi_clv_state_kind;

extern void smarkpi_clv_state_init(void *state);
extern void smarkpi_clv_state_add(ClvState *st, const Rfm *c, int64 count);
extern void smarkpi_clv_state_add_entry(ClvState *st, const ClvEntry *e);
extern void smarkpi_clv_state_terms(ClvState *st, int32 months, double discount);
extern int	smarkpi_clv_cmp_entry(const void *a, const void *b);
extern Datum smarkpi_clv_model_result(FunctionCallInfo fcinfo, ClvState *st);
extern Datum smarkpi_clv_mean_result(FunctionCallInfo fcinfo, ClvState *st);

/* 100 years of months: beyond that a CLV horizon is meaningless. */
#define CLV_MAX_MONTHS 1200

/* One order of a customer: its UTC day and its amount (a numeric). */
typedef struct RfmOrder
{
	int32		day;
	Datum		amount;
} RfmOrder;

extern int32 smarkpi_utc_day(TimestampTz ts);
extern void smarkpi_rfm_of_orders(RfmOrder *orders, int n, int32 observed_day, Datum *values);

extern bool smarkpi_clv_read_rfm(HeapTupleHeader th, Rfm *c);
extern void smarkpi_clv_read_model(HeapTupleHeader th, Model *m);
extern void smarkpi_clv_check_months_discount(int32 months, double discount);
extern Datum smarkpi_clv_finite_result(double v);
extern Datum smarkpi_clv_composite_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls);

#endif							/* SMARKPI_CLV_H */
