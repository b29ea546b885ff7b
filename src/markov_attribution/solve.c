/*
 * markov_attribution/solve.c
 *		The exact solve of the absorbing chain (see markov.h) and the readers:
 *		attribution_shares() and markov_conversion_probability().
 */
#include "markov_attribution/markov.h"

#include <math.h>

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

/* ---- the exact solve ---- */

/*
 * The chain of a summary as the scaled system A x = b: A = D (I - Q), D the
 * channels' outgoing counts, so A's off-diagonal entries are -n(i>j) and its
 * row sums exit[i] = n(i>(conversion)) + n(i>(null)).  Factored in place into
 * L U, subtraction-free (see the file header).  The diagonal is never stored
 * in a: each pivot is rebuilt from exit[] and the row's off-diagonal entries.
 */
typedef struct MarkovChain
{
	int32		C;
	double	   *a;				/* C x C, row-major: L below the diagonal, U
								 * above */
	double	   *diag;			/* U's diagonal */
	double	   *exit;			/* row sums while eliminating */
	double	   *conv;			/* n(i>(conversion)) */
	double	   *start;			/* n((start)>i) */
	double		start_conv;		/* n((start)>(conversion)) */
	double		journeys;
} MarkovChain;

static void
chain_build(const MarkovSummary *s, MarkovChain *m)
{
	int32		C = s->nchannels;
	int32		i;

	if (C > MARKOV_MAX_CHANNELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("markov attribution is limited to %d channels", MARKOV_MAX_CHANNELS),
				 errdetail("The summary has %d channels.", C),
				 errhint("Group rare channels into one (e.g. \"other\") before aggregating.")));
	m->C = C;
	m->a = palloc0(sizeof(double) * Max((Size) C * C, 1));
	m->diag = palloc0(sizeof(double) * (C + 1));
	m->exit = palloc0(sizeof(double) * (C + 1));
	m->conv = palloc0(sizeof(double) * (C + 1));
	m->start = palloc0(sizeof(double) * (C + 1));
	m->start_conv = 0;
	m->journeys = (double) s->journeys;
	for (i = 0; i < s->ntrans; i++)
	{
		const MarkovTrans *t = &s->trans[i];
		double		n = (double) t->count;

		if (t->from == 0)
		{
			if (t->to <= C)
				m->start[t->to - 1] = n;
			else if (t->to == C + 1)
				m->start_conv = n;
		}
		else if (t->to <= C)
		{
			if (t->to != t->from)	/* self-transitions only scale a row */
				m->a[(Size) (t->from - 1) * C + (t->to - 1)] = -n;
		}
		else
		{
			m->exit[t->from - 1] += n;
			if (t->to == C + 1)
				m->conv[t->from - 1] = n;
		}
	}
}

static void
chain_singular(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("markov chain cannot be solved in double precision"),
			 errdetail("A pivot underflowed or overflowed."),
			 errhint("Group channels or scale the counts down.")));
}

/* L U = A, keeping each remaining row's sum in exit[] (GTH). */
static void
chain_factor(MarkovChain *m)
{
	int32		C = m->C;
	int32		i,
				j,
				k;

	for (k = 0; k < C; k++)
	{
		double	   *rowk = m->a + (Size) k * C;
		double		d = m->exit[k];

		CHECK_FOR_INTERRUPTS(); /* O(C^3) in all: seconds at 2000 channels */
		for (j = k + 1; j < C; j++)
			d -= rowk[j];		/* rowk[j] <= 0: adds |rowk[j]| */
		if (!(d > 0) || !isfinite(d))
			chain_singular();
		m->diag[k] = d;
		for (i = k + 1; i < C; i++)
		{
			double	   *rowi = m->a + (Size) i * C;
			double		l;

			if (rowi[k] == 0)
				continue;
			l = rowi[k] / d;	/* <= 0 */
			rowi[k] = l;

			/*
			 * both terms <= 0; the diagonal slot is updated too but never
			 * read
			 */
			for (j = k + 1; j < C; j++)
				rowi[j] -= l * rowk[j];
			m->exit[i] -= l * m->exit[k];	/* both terms >= 0 */
		}
	}
}

/* x = A^-1 b for b >= 0, b[i] = 0 for i < first; every term non-negative. */
static void
chain_solve(const MarkovChain *m, const double *b, int32 first, double *x)
{
	int32		C = m->C;
	int32		i,
				j;

	for (i = 0; i < first; i++)
		x[i] = 0;
	for (i = first; i < C; i++)
	{
		const double *row = m->a + (Size) i * C;
		double		y = b[i];

		for (j = first; j < i; j++)
			y -= row[j] * x[j];
		x[i] = y;
	}
	for (i = C - 1; i >= 0; i--)
	{
		const double *row = m->a + (Size) i * C;
		double		y = x[i];

		for (j = i + 1; j < C; j++)
			y -= row[j] * x[j];
		x[i] = y / m->diag[i];
	}
}

/* columns of A^-1 solved together, so the matrix is read once per block */
#define SOLVE_BLOCK 32

/*
 * Columns c0 .. c0 + nb - 1 of A^-1 into x (C rows of nb), as chain_solve
 * would give them one by one (the same terms in the same order: zeros above
 * the unit entry add nothing).
 */
static void
chain_inverse_columns(const MarkovChain *m, int32 c0, int32 nb, double *x)
{
	int32		C = m->C;
	int32		i,
				j,
				b;

	memset(x, 0, sizeof(double) * (Size) C * nb);
	for (b = 0; b < nb; b++)
		x[(Size) (c0 + b) * nb + b] = 1;
	for (i = c0 + 1; i < C; i++)
	{
		const double *row = m->a + (Size) i * C;
		double	   *xi = x + (Size) i * nb;

		for (j = c0; j < i; j++)
		{
			const double *xj = x + (Size) j * nb;
			double		l = row[j];

			if (l == 0)
				continue;
			for (b = 0; b < nb; b++)
				xi[b] -= l * xj[b];
		}
	}
	for (i = C - 1; i >= 0; i--)
	{
		const double *row = m->a + (Size) i * C;
		double	   *xi = x + (Size) i * nb;

		for (j = i + 1; j < C; j++)
		{
			const double *xj = x + (Size) j * nb;
			double		u = row[j];

			if (u == 0)
				continue;
			for (b = 0; b < nb; b++)
				xi[b] -= u * xj[b];
		}
		for (b = 0; b < nb; b++)
			xi[b] /= m->diag[i];
	}
}

/* P(conversion) and, when re is given, each channel's removal effect. */
static double
chain_removal_effects(const MarkovSummary *s, double *re)
{
	MarkovChain m;
	double	   *x,
			   *g;
	double		hits,
				p;
	int32		C,
				c0,
				b,
				nb,
				j;

	chain_build(s, &m);
	C = m.C;
	chain_factor(&m);
	x = palloc(sizeof(double) * (C + 1));
	chain_solve(&m, m.conv, 0, x);
	hits = m.start_conv;
	for (j = 0; j < C; j++)
		hits += m.start[j] * x[j];
	p = hits / m.journeys;
	if (re == NULL || hits == 0)
		return p;
	g = palloc(sizeof(double) * (Size) Max(C, 1) * SOLVE_BLOCK);
	for (c0 = 0; c0 < C; c0 += SOLVE_BLOCK)
	{
		CHECK_FOR_INTERRUPTS();
		nb = Min(SOLVE_BLOCK, C - c0);

		/*
		 * column c of A^-1: visits to c from each channel, in units of 1 /
		 * n(c>.)
		 */
		chain_inverse_columns(&m, c0, nb, g);
		for (b = 0; b < nb; b++)
		{
			int32		c = c0 + b;
			double		visits = 0;

			for (j = 0; j < C; j++)
				visits += m.start[j] * g[(Size) j * nb + b];
			/* h_c x_c / x_start, h_c = visits from start / visits from c */
			re[c] = (visits / g[(Size) c * nb + b]) * x[c] / hits;
			if (!isfinite(re[c]))
				chain_singular();
		}
	}
	return p;
}

/* ---- the readers ---- */

/* The total value x share, rounded to the total's display scale. */
static Numeric
value_share(Numeric total, double share)
{
	Numeric		sh = smarkpi_cstring_to_numeric(psprintf("%.17g", share));
	Datum		product = DirectFunctionCall2(numeric_mul, NumericGetDatum(total),
											  NumericGetDatum(sh));
	Datum		scale = DirectFunctionCall1(numeric_scale, NumericGetDatum(total));

	return DatumGetNumeric(DirectFunctionCall2(numeric_round, product, scale));
}

PG_FUNCTION_INFO_V1(smarkpi_attribution_shares);
Datum
smarkpi_attribution_shares(PG_FUNCTION_ARGS)
{
	MarkovSummary *s = PG_GETARG_MARKOV_SUMMARY(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char **names = smarkpi_markov_summary_names(s);
	int32		C = s->nchannels;
	double	   *re = palloc0(sizeof(double) * (C + 1));
	double		total_re = 0;
	bool		have_re = s->conversions > 0;
	int32		c;

	InitMaterializedSRF(fcinfo, 0);
	if (C == 0)
		return (Datum) 0;
	if (have_re)
	{
		chain_removal_effects(s, re);
		for (c = 0; c < C; c++)
			total_re += re[c];
	}
	for (c = 0; c < C; c++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		bool		have_share = have_re && total_re > 0;
		double		share = have_share ? re[c] / total_re : 0;

		values[0] = CStringGetTextDatum(names[c]);
		values[1] = Float8GetDatum(re[c]);
		nulls[1] = !have_re;
		values[2] = Float8GetDatum(share);
		nulls[2] = !have_share;
		/* no conversions: none to distribute */
		values[3] = Float8GetDatum(s->conversions == 0 ? 0.0 : share * (double) s->conversions);
		nulls[3] = s->conversions > 0 && !have_share;
		nulls[4] = s->valued == 0 || !have_share;
		if (!nulls[4])
			values[4] = NumericGetDatum(value_share(summary_value(s), share));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(smarkpi_markov_conversion_probability);
Datum
smarkpi_markov_conversion_probability(PG_FUNCTION_ARGS)
{
	MarkovSummary *s = PG_GETARG_MARKOV_SUMMARY(0);

	if (s->journeys == 0)
		PG_RETURN_NULL();
	if (s->conversions == 0)
		PG_RETURN_FLOAT8(0.0);
	PG_RETURN_FLOAT8(chain_removal_effects(s, NULL));
}
