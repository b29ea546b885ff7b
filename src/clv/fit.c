/*
 * clv/fit.c
 *		clv_fit(customer) and clv(customer[, months, rate]): fit BG/NBD and
 *		Gamma-Gamma to a group of customer summaries (and, for clv, average
 *		their predicted values).
 *
 * The state: one entry per distinct customer summary with its number of
 * customers -- memory is bounded by the distinct summaries, not the
 * customers -- in a hash table inside an expanded smarkpi_clv_summary
 * (core/xstate.h), flattened to the summary when it is shipped.
 */
#include "clv/clv.h"

#include <math.h>

#include "libpq/pqformat.h"

/* Below these the data cannot identify the model: not converged, NULL parameters. */
#define BGNBD_MIN_CUSTOMERS 10
#define GG_MIN_CUSTOMERS 10

/* ---- clv_fit(customer) and clv(customer[, months, rate]) ---- */

/* An empty state: the hash table in the current memory context (the state's own). */
void
smarkpi_clv_state_init(void *state)
{
	ClvState   *st = (ClvState *) state;
	HASHCTL		ctl;

	ctl.keysize = sizeof(ClvKey);
	ctl.entrysize = sizeof(ClvEntry);
	ctl.hcxt = CurrentMemoryContext;
	st->summaries = hash_create("smarkpi clv summaries", 64, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

void
smarkpi_clv_state_add(ClvState *st, const Rfm *c, int64 count)
{
	ClvKey		key;
	ClvEntry   *e;
	bool		found;

	memset(&key, 0, sizeof(key));
	key.x = (int32) c->x;
	key.t_x = c->t_x + 0.0;		/* folds -0 into 0 */
	key.T = c->T + 0.0;
	key.m = c->x > 0 ? c->m + 0.0 : 0.0;	/* spend is unused without repeats */
	e = hash_search(st->summaries, &key, HASH_ENTER, &found);
	/* stored summaries can be rolled up, so even customer counts are checked */
	e->count = smarkpi_add_count(found ? e->count : 0, count, "number of customers");
	st->customers = smarkpi_add_count(st->customers, count, "number of customers");
}

/* An entry of another state or of a summary: its customers, counted. */
void
smarkpi_clv_state_add_entry(ClvState *st, const ClvEntry *e)
{
	Rfm			c = {e->key.x, e->key.t_x, e->key.T, e->key.m};

	smarkpi_clv_state_add(st, &c, e->count);
}

void
smarkpi_clv_state_terms(ClvState *st, int32 months, double discount)
{
	smarkpi_clv_check_months_discount(months, discount);
	if (st->has_terms && (st->months != months || st->discount != discount))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("months and monthly_discount_rate must be the same in every row of clv")));
	st->months = months;
	st->discount = discount;
	st->has_terms = true;
}

/* Transition of clv_fit(customer) and clv(customer[, months, rate]). */
PG_FUNCTION_INFO_V1(smarkpi_clv_trans);
Datum
smarkpi_clv_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_clv_trans");
	ClvState   *st = smarkpi_xstate_update(fcinfo, &smarkpi_clv_state_kind, ctx);
	Rfm			c;

	if (PG_NARGS() > 2 && (PG_ARGISNULL(2) || PG_ARGISNULL(3)))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("months and monthly_discount_rate must not be NULL")));
	if (PG_ARGISNULL(1) || !smarkpi_clv_read_rfm(PG_GETARG_HEAPTUPLEHEADER(1), &c))
		return smarkpi_xstate_result(fcinfo, st);
	if (st == NULL)
		st = smarkpi_xstate_new(&smarkpi_clv_state_kind, ctx);
	if (PG_NARGS() > 2)
		smarkpi_clv_state_terms(st, PG_GETARG_INT32(2), PG_GETARG_FLOAT8(3));
	smarkpi_clv_state_add(st, &c, 1);
	return smarkpi_xstate_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(smarkpi_clv_combine);
Datum
smarkpi_clv_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = smarkpi_agg_context(fcinfo, "smarkpi_clv_combine");
	ClvState   *st = smarkpi_xstate_update(fcinfo, &smarkpi_clv_state_kind, ctx);
	ClvState   *other = smarkpi_xstate_read(fcinfo, 1, &smarkpi_clv_state_kind);
	HASH_SEQ_STATUS seq;
	ClvEntry   *e;

	if (other == NULL)
		return smarkpi_xstate_result(fcinfo, st);
	if (st == NULL)
		st = smarkpi_xstate_new(&smarkpi_clv_state_kind, ctx);
	if (other->has_terms)
		smarkpi_clv_state_terms(st, other->months, other->discount);
	hash_seq_init(&seq, other->summaries);
	while ((e = hash_seq_search(&seq)) != NULL)
		smarkpi_clv_state_add_entry(st, e);
	return smarkpi_xstate_result(fcinfo, st);
}

/* x (int4), t_x, T, m (float8), count (int8); -0 read as 0, as the state keys it */
void
smarkpi_clv_entry_send(StringInfo buf, const ClvEntry *e)
{
	pq_sendint32(buf, e->key.x);
	pq_sendfloat8(buf, e->key.t_x);
	pq_sendfloat8(buf, e->key.T);
	pq_sendfloat8(buf, e->key.m);
	pq_sendint64(buf, e->count);
}

void
smarkpi_clv_entry_recv(StringInfo buf, ClvEntry *e, const char *typname)
{
	memset(&e->key, 0, sizeof(e->key));
	e->key.x = smarkpi_wire_int32(buf, typname);
	e->key.t_x = smarkpi_wire_float8(buf, typname) + 0.0;
	e->key.T = smarkpi_wire_float8(buf, typname) + 0.0;
	e->key.m = smarkpi_wire_float8(buf, typname) + 0.0;
	e->count = smarkpi_wire_int64(buf, typname);
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Index of v in the sorted, distinct array vals[0..n). */
static int
find_double(const double *vals, int n, double v)
{
	int			lo = 0,
				hi = n - 1;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (vals[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
distinct_sorted(double *vals, int n)
{
	int			k = 0,
				i;

	qsort(vals, n, sizeof(double), cmp_double);
	for (i = 0; i < n; i++)
		if (k == 0 || vals[i] != vals[k - 1])
			vals[k++] = vals[i];
	return k;
}

/* Orders summaries so a fit does not depend on hash or arrival order. */
int
smarkpi_clv_cmp_entry(const void *a, const void *b)
{
	const ClvKey *x = &((const ClvEntry *) a)->key;
	const ClvKey *y = &((const ClvEntry *) b)->key;

	if (x->x != y->x)
		return (x->x > y->x) - (x->x < y->x);
	if (x->t_x != y->t_x)
		return (x->t_x > y->t_x) - (x->t_x < y->t_x);
	if (x->T != y->T)
		return (x->T > y->T) - (x->T < y->T);
	return (x->m > y->m) - (x->m < y->m);
}

typedef struct ClvFit
{
	int64		customers;
	int64		repeat_customers;
	bool		bg_ok;
	bool		gg_ok;
	BgnbdParams bg;
	GammaGammaParams gg;
	ClvEntry   *entries;
	int			nentries;
} ClvFit;

/* Fits both models on the distinct summaries of a state. */
static void
clv_fit_state(ClvState *st, ClvFit *fit)
{
	int			n = hash_get_num_entries(st->summaries);
	HASH_SEQ_STATUS seq;
	ClvEntry   *e;
	BgnbdData	bd;
	GammaGammaData gd;
	double		sum_T = 0.0,
				sum_m = 0.0;
	int			i,
				k = 0;

	memset(fit, 0, sizeof(ClvFit));
	fit->entries = palloc(sizeof(ClvEntry) * Max(n, 1));
	hash_seq_init(&seq, st->summaries);
	while ((e = hash_seq_search(&seq)) != NULL)
		fit->entries[k++] = *e;
	qsort(fit->entries, n, sizeof(ClvEntry), smarkpi_clv_cmp_entry);
	fit->nentries = n;
	fit->customers = st->customers;

	/*
	 * BG/NBD on (x, t_x, T): the spend does not matter, duplicates just add
	 * weight
	 */
	memset(&bd, 0, sizeof(bd));
	bd.n = n;
	bd.rows = palloc(sizeof(BgnbdRow) * Max(n, 1));
	bd.xs = palloc(sizeof(double) * Max(n, 1));
	bd.times = palloc(sizeof(double) * Max(2 * n, 1));
	for (i = 0; i < n; i++)
	{
		bd.xs[i] = fit->entries[i].key.x;
		bd.times[2 * i] = fit->entries[i].key.t_x;
		bd.times[2 * i + 1] = fit->entries[i].key.T;
		sum_T += fit->entries[i].key.T * fit->entries[i].count;
		if (fit->entries[i].key.x > 0)
			fit->repeat_customers += fit->entries[i].count;
	}
	bd.nxs = distinct_sorted(bd.xs, n);
	bd.ntimes = distinct_sorted(bd.times, 2 * n);

	/*
	 * entries are sorted by (x, t_x, T, m): equal triples are adjacent, merge
	 * them
	 */
	bd.n = 0;
	for (i = 0; i < n; i++)
	{
		const ClvKey *key = &fit->entries[i].key;
		BgnbdRow   *row;

		if (i > 0 && key->x == fit->entries[i - 1].key.x &&
			key->t_x == fit->entries[i - 1].key.t_x && key->T == fit->entries[i - 1].key.T)
		{
			bd.rows[bd.n - 1].weight += (double) fit->entries[i].count;
			continue;
		}
		row = &bd.rows[bd.n++];
		row->xi = find_double(bd.xs, bd.nxs, key->x);
		row->txi = find_double(bd.times, bd.ntimes, key->t_x);
		row->ti = find_double(bd.times, bd.ntimes, key->T);
		row->weight = (double) fit->entries[i].count;
	}
	bd.weight_x = palloc0(sizeof(double) * Max(bd.nxs, 1));
	for (i = 0; i < bd.n; i++)
		bd.weight_x[bd.rows[i].xi] += bd.rows[i].weight;
	bd.a4term = palloc(sizeof(double) * Max(bd.nxs, 1));
	bd.lntime = palloc(sizeof(double) * Max(bd.ntimes, 1));
	bd.mean_T = fit->customers > 0 ? sum_T / fit->customers : 1.0;
	fit->bg_ok = fit->customers >= BGNBD_MIN_CUSTOMERS && fit->repeat_customers > 0 &&
		smarkpi_bgnbd_fit(&bd, &fit->bg);

	/* Gamma-Gamma on the repeat customers with a positive mean spend */
	gd.rows = palloc(sizeof(GammaGammaRow) * Max(n, 1));
	gd.xs = palloc(sizeof(double) * Max(n, 1));
	gd.n = 0;
	for (i = 0; i < n; i++)
		if (fit->entries[i].key.x > 0 && fit->entries[i].key.m > 0)
			gd.xs[gd.n++] = fit->entries[i].key.x;
	gd.nxs = distinct_sorted(gd.xs, gd.n);
	gd.weight_x = palloc0(sizeof(double) * Max(gd.nxs, 1));
	gd.wlnm_x = palloc0(sizeof(double) * Max(gd.nxs, 1));
	gd.n = 0;
	for (i = 0; i < n; i++)
	{
		const ClvKey *key = &fit->entries[i].key;
		GammaGammaRow *row;

		if (key->x <= 0 || key->m <= 0)
			continue;
		row = &gd.rows[gd.n++];
		row->xi = find_double(gd.xs, gd.nxs, key->x);
		row->m = key->m;
		row->ln_m = log(key->m);
		row->weight = (double) fit->entries[i].count;
		gd.weight_x[row->xi] += row->weight;
		gd.wlnm_x[row->xi] += row->weight * row->ln_m;
		sum_m += key->m * fit->entries[i].count;
	}
	{
		double		gg_customers = 0.0;
		bool		varied = false;

		for (i = 0; i < gd.n; i++)
		{
			gg_customers += gd.rows[i].weight;
			varied |= gd.rows[i].m != gd.rows[0].m;
		}
		gd.mean_m = gg_customers > 0 ? sum_m / gg_customers : 1.0;
		fit->gg_ok = gg_customers >= GG_MIN_CUSTOMERS && varied && smarkpi_gg_fit(&gd, &fit->gg);
	}
}

PG_FUNCTION_INFO_V1(smarkpi_clv_fit_final);
Datum
smarkpi_clv_fit_final(PG_FUNCTION_ARGS)
{
	ClvState   *st = smarkpi_xstate_read(fcinfo, 0, &smarkpi_clv_state_kind);

	if (st == NULL)
		PG_RETURN_NULL();
	return smarkpi_clv_model_result(fcinfo, st);
}

/* The fitted smarkpi_clv_model of a state, as the result of fcinfo's function. */
Datum
smarkpi_clv_model_result(FunctionCallInfo fcinfo, ClvState *st)
{
	ClvFit		fit;
	Datum		values[13];
	bool		nulls[13];
	int			i;

	clv_fit_state(st, &fit);
	memset(nulls, 0, sizeof(nulls));
	values[0] = Float8GetDatum(fit.bg.r);
	values[1] = Float8GetDatum(fit.bg.alpha);
	values[2] = Float8GetDatum(fit.bg.a);
	values[3] = Float8GetDatum(fit.bg.b);
	values[4] = Float8GetDatum(fit.gg.p);
	values[5] = Float8GetDatum(fit.gg.q);
	values[6] = Float8GetDatum(fit.gg.gamma);
	values[7] = Int64GetDatum(fit.customers);
	values[8] = Int64GetDatum(fit.repeat_customers);
	values[9] = Float8GetDatum(fit.bg.loglik);
	values[10] = Float8GetDatum(fit.gg.loglik);
	values[11] = BoolGetDatum(fit.bg_ok);
	values[12] = BoolGetDatum(fit.gg_ok);
	for (i = 0; i < 4; i++)
		nulls[i] = !fit.bg_ok;
	for (i = 4; i < 7; i++)
		nulls[i] = !fit.gg_ok;
	nulls[9] = !fit.bg_ok;
	nulls[10] = !fit.gg_ok;
	return smarkpi_clv_composite_result(fcinfo, values, nulls);
}

/* clv(customer[, months, rate]) aggregate: the mean predicted CLV of the group. */
PG_FUNCTION_INFO_V1(smarkpi_clv_mean_final);
Datum
smarkpi_clv_mean_final(PG_FUNCTION_ARGS)
{
	ClvState   *st = smarkpi_xstate_read(fcinfo, 0, &smarkpi_clv_state_kind);

	if (st == NULL)
		PG_RETURN_NULL();
	return smarkpi_clv_mean_result(fcinfo, st);
}

/* The mean predicted CLV of a state's customers, NULL without customers or a model. */
Datum
smarkpi_clv_mean_result(FunctionCallInfo fcinfo, ClvState *st)
{
	ClvFit		fit;
	int32		months;
	double		discount,
				total = 0.0;
	int			i;

	if (st->customers == 0)
		PG_RETURN_NULL();
	months = st->has_terms ? st->months : 12;
	discount = st->has_terms ? st->discount : 0.01;
	clv_fit_state(st, &fit);
	if (!fit.bg_ok || !fit.gg_ok || fit.bg.a == 1.0 || fit.gg.q <= 1.0)
		PG_RETURN_NULL();
	for (i = 0; i < fit.nentries; i++)
	{
		const ClvKey *k = &fit.entries[i].key;
		double		spend = smarkpi_gg_expected_spend(&fit.gg, k->x, k->m);

		total += fit.entries[i].count *
			smarkpi_clv_value(&fit.bg, spend, k->x, k->t_x, k->T, months, discount);
	}
	return smarkpi_clv_finite_result(total / fit.customers);
}
