/*
 * attribution.c
 *		Rule-based multi-touch attribution: the window function
 *		attribution_credit, the share of a conversion credited to each touch.
 *
 * One window partition is one conversion, its rows the touches in the
 * window's order.  With n touches and a touch at position p (0-based):
 *
 *	first_touch		1 for p = 0, else 0
 *	last_touch		1 for p = n - 1, else 0
 *	linear			1 / n
 *	position_based	first_share (default 0.4) at p = 0, last_share (0.4) at
 *					p = n - 1, (1 - first_share - last_share) / (n - 2) in the
 *					middle; n = 1: 1; n = 2: first_share / (first_share +
 *					last_share) and last_share / (first_share + last_share)
 *	time_decay		2^(-(converted_at - touched_at) / half_life) / the sum of
 *					these weights over the counting touches
 *
 * The timestamp forms count only the touches at or before their row's
 * converted_at: later touches get 0, NULL timestamps get NULL, and the
 * position-based models rank the counting touches only.  Their credits need
 * the whole partition, so they are computed once per partition (O(n)) and
 * kept in partition-local memory; the other forms are O(1) per row from the
 * position and the row count.  The model and the other parameters are read
 * once per partition and must be the same on every row of it, or the shares
 * would not sum to 1.
 */
#include "smarkpi.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "windowapi.h"

typedef enum AttributionModel
{
	MODEL_FIRST_TOUCH,
	MODEL_LAST_TOUCH,
	MODEL_LINEAR,
	MODEL_POSITION_BASED,
	MODEL_TIME_DECAY,
	MODEL_N
} AttributionModel;

static const char *const model_names[MODEL_N] = {
	"first_touch", "last_touch", "linear", "position_based", "time_decay"
};

#define MODEL_LIST "first_touch, last_touch, linear, position_based, time_decay"

#define DEFAULT_END_SHARE 0.4
#define DEFAULT_HALF_LIFE_US (7 * USECS_PER_DAY)

/* first_share + last_share may exceed 1 by rounding (0.7 + 0.3) */
#define SHARE_SUM_SLACK 1e-12

/* Which form of attribution_credit is running: its arguments. */
typedef enum CreditForm
{
	FORM_MODEL,					/* (model) */
	FORM_SHARES,				/* (model, first_share, last_share) */
	FORM_TIMED					/* (model, touched_at, converted_at[,
								 * half_life]) */
} CreditForm;

/* The query parameters of a call, as read from one row. */
typedef struct CreditParams
{
	bool		model_null;
	char	   *model_name;
	bool		shares_null;
	float8		first_share;
	float8		last_share;
	bool		half_life_null;
	float8		half_life_us;
} CreditParams;

/* Partition-local memory (zeroed by the executor at each new partition). */
typedef struct PartitionState
{
	bool		ready;			/* parameters read and checked */
	bool		null_credit;	/* a NULL parameter: every credit is NULL */
	bool		params_stable;	/* all parameters are constants of the query */
	AttributionModel model;
	CreditParams params;		/* as read on the partition's first row */
	int64		n;				/* rows in the partition */
	bool		computed;		/* FORM_TIMED: credits (below) filled in */
	float8	   *credits;		/* FORM_TIMED: each row's credit ... */
	bool	   *nulls;			/* ... or NULL */
} PartitionState;

/* A row of a timestamp form. */
typedef enum TouchKind
{
	TOUCH_NULL,					/* NULL or skipped timestamp: NULL, not
								 * counted */
	TOUCH_AFTER,				/* after its conversion: credit 0, not counted */
	TOUCH_COUNTS
} TouchKind;

static AttributionModel
parse_model(const char *name)
{
	int			m;

	for (m = 0; m < MODEL_N; m++)
		if (strcmp(name, model_names[m]) == 0)
			return (AttributionModel) m;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown attribution model \"%s\"", name),
			 errdetail("The valid models are " MODEL_LIST "."),
			 errhint("Write the model name exactly, in lower case, e.g. 'position_based'.")));
	return MODEL_N;				/* keep compiler quiet */
}

/* Argument argno at partition row pos (the current row when current). */
static Datum
arg_at(WindowObject winobj, int argno, int64 pos, bool current, bool *isnull)
{
	bool		isout;
	Datum		d;

	if (current)
		return WinGetFuncArgCurrent(winobj, argno, isnull);
	d = WinGetFuncArgInPartition(winobj, argno, (int) pos, WINDOW_SEEK_HEAD, false,
								 isnull, &isout);
	Assert(!isout);
	return d;
}

static float8
interval_param_us(Interval *iv, bool *finite)
{
	*finite = !INTERVAL_NOT_FINITE(iv);
	return *finite ? (float8) smarkpi_interval_us(iv) : 0.0;
}

/*
 * The parameters of row pos.  Values are copied out at once: a by-reference
 * argument of another row lives in a slot that the next fetch overwrites.
 */
static void
read_params(WindowObject winobj, CreditForm form, int nargs, int64 pos, bool current,
			CreditParams *p)
{
	Datum		d;
	bool		isnull;

	memset(p, 0, sizeof(*p));
	d = arg_at(winobj, 0, pos, current, &p->model_null);
	if (!p->model_null)
		p->model_name = text_to_cstring(DatumGetTextPP(d));
	p->first_share = p->last_share = DEFAULT_END_SHARE;
	p->half_life_us = DEFAULT_HALF_LIFE_US;
	if (form == FORM_SHARES)
	{
		d = arg_at(winobj, 1, pos, current, &isnull);
		p->shares_null = isnull;
		p->first_share = isnull ? 0.0 : DatumGetFloat8(d);
		d = arg_at(winobj, 2, pos, current, &isnull);
		p->shares_null |= isnull;
		p->last_share = isnull ? 0.0 : DatumGetFloat8(d);
	}
	else if (form == FORM_TIMED && nargs == 4)
	{
		d = arg_at(winobj, 3, pos, current, &p->half_life_null);
		if (!p->half_life_null)
		{
			Interval   *iv = DatumGetIntervalP(d);
			bool		finite;

			p->half_life_us = interval_param_us(iv, &finite);
			if (!finite || p->half_life_us <= 0.0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("half_life must be a positive finite interval"),
						 errdetail("Got %s.", smarkpi_interval_text(iv)),
						 errhint("A touch half_life before the conversion weighs half as much as "
								 "one at the conversion, e.g. interval '7 days'.")));
		}
	}
}

static void
check_share(float8 share, const char *name)
{
	if (isnan(share) || share < 0.0 || share > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between 0 and 1", name),
				 errdetail("Got %s.", float8out_internal(share)),
				 errhint("Shares are fractions of the conversion, e.g. 0.4 for 40%%.")));
}

/* The first row's parameters: the model fits the form, the shares are valid. */
static AttributionModel
check_params(CreditForm form, const CreditParams *p)
{
	AttributionModel model = parse_model(p->model_name);

	if (model == MODEL_TIME_DECAY && form != FORM_TIMED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution model \"time_decay\" needs the touch and conversion "
						"timestamps"),
				 errdetail("Its weights depend on the time from each touch to its conversion."),
				 errhint("Call attribution_credit('time_decay', touched_at, converted_at) or "
						 "attribution_credit('time_decay', touched_at, converted_at, "
						 "half_life).")));
	if (form == FORM_SHARES && model != MODEL_POSITION_BASED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("first_share and last_share apply only to the position_based model"),
				 errdetail("Got model \"%s\".", p->model_name),
				 errhint("Call attribution_credit('%s') without shares.", p->model_name)));
	if (form == FORM_SHARES && !p->shares_null)
	{
		check_share(p->first_share, "first_share");
		check_share(p->last_share, "last_share");
		if (p->first_share + p->last_share > 1.0 + SHARE_SUM_SLACK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("first_share + last_share must not exceed 1"),
					 errdetail("Got first_share %s and last_share %s.",
							   float8out_internal(p->first_share),
							   float8out_internal(p->last_share)),
					 errhint("The middle touches share 1 - first_share - last_share.")));
	}
	return model;
}

/* Raises an error when row params differ from the partition's first row's. */
static void
check_same_params(const CreditParams *first, const CreditParams *row)
{
	if (first->model_null != row->model_null ||
		(!row->model_null && strcmp(first->model_name, row->model_name) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution model must be the same on every row of a partition"),
				 errdetail("Got \"%s\" and \"%s\".",
						   first->model_null ? "NULL" : first->model_name,
						   row->model_null ? "NULL" : row->model_name),
				 errhint("Pass the model as a constant, or add the model column to PARTITION "
						 "BY.")));
	if (first->shares_null != row->shares_null ||
		first->first_share != row->first_share || first->last_share != row->last_share)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("first_share and last_share must be the same on every row of a partition"),
				 errdetail("Got %s and %s, then %s and %s.",
						   first->shares_null ? "NULL" : float8out_internal(first->first_share),
						   first->shares_null ? "NULL" : float8out_internal(first->last_share),
						   row->shares_null ? "NULL" : float8out_internal(row->first_share),
						   row->shares_null ? "NULL" : float8out_internal(row->last_share)),
				 errhint("Pass the shares as constants, or add their columns to PARTITION BY.")));
	if (first->half_life_null != row->half_life_null ||
		first->half_life_us != row->half_life_us)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("half_life must be the same on every row of a partition"),
				 errdetail("Got half-lives of %s and %s days.",
						   first->half_life_null ? "NULL" :
						   float8out_internal(first->half_life_us / USECS_PER_DAY),
						   row->half_life_null ? "NULL" :
						   float8out_internal(row->half_life_us / USECS_PER_DAY)),
				 errhint("Pass half_life as a constant, or add its column to PARTITION BY.")));
}

/* True when every parameter argument of the form is a constant of the query. */
static bool
params_stable(FunctionCallInfo fcinfo, CreditForm form)
{
	FmgrInfo   *fl = fcinfo->flinfo;

	if (!get_fn_expr_arg_stable(fl, 0))
		return false;
	if (form == FORM_SHARES)
		return get_fn_expr_arg_stable(fl, 1) && get_fn_expr_arg_stable(fl, 2);
	if (form == FORM_TIMED && PG_NARGS() == 4)
		return get_fn_expr_arg_stable(fl, 3);
	return true;
}

/*
 * The partition's state: on its first call, reads and checks the parameters
 * on the current row; on later calls, when a parameter is not a constant,
 * checks that the current row's are the same.
 */
static PartitionState *
partition_state(FunctionCallInfo fcinfo, WindowObject winobj, CreditForm form)
{
	PartitionState *ps = WinGetPartitionLocalMemory(winobj, sizeof(PartitionState));
	CreditParams row;

	if (!ps->ready)
	{
		MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(ps));

		read_params(winobj, form, PG_NARGS(), 0, true, &ps->params);
		MemoryContextSwitchTo(old);
		ps->null_credit = ps->params.model_null;
		if (!ps->null_credit)
			ps->model = check_params(form, &ps->params);
		ps->null_credit |= ps->params.shares_null | ps->params.half_life_null;
		ps->params_stable = params_stable(fcinfo, form);
		ps->n = WinGetPartitionRowCount(winobj);
		ps->ready = true;
	}
	else if (form != FORM_TIMED && !ps->params_stable)
	{
		read_params(winobj, form, PG_NARGS(), 0, true, &row);
		check_same_params(&ps->params, &row);
	}
	return ps;
}

/* Position-based share of the touch of rank r among k counting touches. */
static float8
position_share(int64 r, int64 k, float8 first, float8 last)
{
	if (k == 1)
		return 1.0;
	if (k == 2)
	{
		if (first + last == 0.0)
			return 0.5;
		return (r == 0 ? first : last) / (first + last);
	}
	if (r == 0)
		return first;
	if (r == k - 1)
		return last;
	return fmax(0.0, 1.0 - first - last) / (float8) (k - 2);
}

/* Credit of the touch of rank r among k under a model of positions only. */
static float8
rule_credit(AttributionModel model, int64 r, int64 k, float8 first, float8 last)
{
	switch (model)
	{
		case MODEL_FIRST_TOUCH:
			return r == 0 ? 1.0 : 0.0;
		case MODEL_LAST_TOUCH:
			return r == k - 1 ? 1.0 : 0.0;
		case MODEL_LINEAR:
			return 1.0 / (float8) k;
		case MODEL_POSITION_BASED:
			return position_share(r, k, first, last);
		default:
			elog(ERROR, "attribution model %d has no rule by position", (int) model);
	}
	return 0.0;					/* keep compiler quiet */
}

/* attribution_credit(model) and attribution_credit(model, first_share, last_share) */
static Datum
credit_by_position(FunctionCallInfo fcinfo, CreditForm form)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	PartitionState *ps = partition_state(fcinfo, winobj, form);

	int64		pos = WinGetCurrentPosition(winobj);

	/* no earlier row is read again: the executor may drop them */
	WinSetMarkPosition(winobj, pos);
	if (ps->null_credit)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(rule_credit(ps->model, pos, ps->n,
								 ps->params.first_share, ps->params.last_share));
}

PG_FUNCTION_INFO_V1(smarkpi_attribution_credit);
Datum
smarkpi_attribution_credit(PG_FUNCTION_ARGS)
{
	return credit_by_position(fcinfo, FORM_MODEL);
}

PG_FUNCTION_INFO_V1(smarkpi_attribution_credit_shares);
Datum
smarkpi_attribution_credit_shares(PG_FUNCTION_ARGS)
{
	return credit_by_position(fcinfo, FORM_SHARES);
}

/*
 * Reads touched_at and converted_at of every row in one forward pass and
 * classifies each row; lag_us[i] is the counting row's converted_at -
 * touched_at.  One pass: rewinding the tuplestore for a second pass costs a
 * file read per row once the partition has spilled to disk (a BufFile reads
 * backwards one buffer load per tuple), while re-reading the same row for
 * the second argument stays within the loaded buffer.
 */
static void
classify_touches(WindowObject winobj, int64 n, TouchKind *kind, float8 *lag_us)
{
	int64		i;

	for (i = 0; i < n; i++)
	{
		bool		touched_null,
					converted_null;
		TimestampTz touched = DatumGetTimestampTz(arg_at(winobj, 1, i, false, &touched_null));
		TimestampTz converted = DatumGetTimestampTz(arg_at(winobj, 2, i, false, &converted_null));

		if (touched_null || converted_null ||
			!smarkpi_row_ts_ok(touched, "touched_at") ||
			!smarkpi_row_ts_ok(converted, "converted_at"))
			kind[i] = TOUCH_NULL;
		else if (touched > converted)
			kind[i] = TOUCH_AFTER;
		else
		{
			kind[i] = TOUCH_COUNTS;
			lag_us[i] = (float8) ((int128) converted - (int128) touched);
		}
	}
}

/*
 * Every credit of the partition.  Time-decay weights are taken relative to
 * the smallest lag, so they lie in [0, 1] with a maximum of exactly 1 and
 * their sum (>= 1) never underflows: only touches more than ~1074 half-lives
 * older than the latest one round to 0.
 */
static void
compute_timed_credits(PartitionState *ps, WindowObject winobj)
{
	int64		n = ps->n;
	TouchKind  *kind = palloc_extended(n * sizeof(TouchKind), MCXT_ALLOC_HUGE);
	float8	   *lag_us = palloc_extended(n * sizeof(float8), MCXT_ALLOC_HUGE);
	MemoryContext partcxt = GetMemoryChunkContext(ps);
	float8		min_lag = 0.0,
				weight_sum = 0.0;
	int64		i,
				k = 0,
				r = 0;

	ps->credits = MemoryContextAllocExtended(partcxt, n * sizeof(float8), MCXT_ALLOC_HUGE);
	ps->nulls = MemoryContextAllocExtended(partcxt, n * sizeof(bool), MCXT_ALLOC_HUGE);
	classify_touches(winobj, n, kind, lag_us);
	for (i = 0; i < n; i++)
		if (kind[i] == TOUCH_COUNTS && (k++ == 0 || lag_us[i] < min_lag))
			min_lag = lag_us[i];
	for (i = 0; i < n; i++)
	{
		ps->nulls[i] = (kind[i] == TOUCH_NULL);
		ps->credits[i] = 0.0;
		if (kind[i] != TOUCH_COUNTS)
			continue;
		if (ps->model == MODEL_TIME_DECAY)
		{
			ps->credits[i] = exp2(-(lag_us[i] - min_lag) / ps->params.half_life_us);
			weight_sum += ps->credits[i];
		}
		else
			ps->credits[i] = rule_credit(ps->model, r++, k, DEFAULT_END_SHARE, DEFAULT_END_SHARE);
	}
	if (ps->model == MODEL_TIME_DECAY && k > 0)
		for (i = 0; i < n; i++)
			ps->credits[i] /= weight_sum;
	pfree(kind);
	pfree(lag_us);
}

/* Checks every row's parameters against the first row's (not constants). */
static void
check_partition_params(FunctionCallInfo fcinfo, WindowObject winobj, PartitionState *ps)
{
	int64		i;
	CreditParams row;

	for (i = 1; i < ps->n; i++)
	{
		read_params(winobj, FORM_TIMED, PG_NARGS(), i, false, &row);
		check_same_params(&ps->params, &row);
	}
}

/* attribution_credit(model, touched_at, converted_at[, half_life]) */
PG_FUNCTION_INFO_V1(smarkpi_attribution_credit_timed);
Datum
smarkpi_attribution_credit_timed(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	PartitionState *ps = partition_state(fcinfo, winobj, FORM_TIMED);
	int64		pos = WinGetCurrentPosition(winobj);

	if (!ps->computed)
	{
		if (ps->n > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("attribution partition too large"),
					 errdetail("A conversion has " INT64_FORMAT " touches; the limit is %d.",
							   ps->n, PG_INT32_MAX)));
		if (!ps->params_stable)
			check_partition_params(fcinfo, winobj, ps);
		if (!ps->null_credit)
			compute_timed_credits(ps, winobj);
		ps->computed = true;
	}
	WinSetMarkPosition(winobj, pos);
	if (ps->null_credit || ps->nulls[pos])
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(ps->credits[pos]);
}
