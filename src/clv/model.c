/*
 * clv/model.c
 *		The "buy till you die" models behind clv(): BG/NBD for purchase counts
 *		(Fader, Hardie & Lee, 2005) and Gamma-Gamma for spend, with their
 *		maximum-likelihood fits and predictions.  Pure numerics, no SQL.
 *
 * Customer summary: x = repeat purchases, t_x = recency, T = age, m = mean
 * repeat spend, times in one unit (smarkpi uses days).
 *
 * BG/NBD log-likelihood of one customer, parameters r, alpha, a, b:
 *	A1 = lgamma(r + x) - lgamma(r) + r ln(alpha)
 *	A2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
 *	A3 = -(r + x) ln(alpha + T)
 *	A4 = ln(a) - ln(b + x - 1) - (r + x) ln(alpha + t_x)	(x > 0 only)
 *	LL = A1 + A2 + ln(exp(A3) + [x > 0] exp(A4))
 *
 * Gamma-Gamma log-likelihood of one repeat customer, parameters p, q, gamma:
 *	LL = lgamma(p x + q) - lgamma(p x) - lgamma(q) + q ln(gamma)
 *		 + (p x - 1) ln(m) + p x ln(x) - (p x + q) ln(gamma + m x)
 *
 * Both are maximised over the logarithms of the parameters with a
 * deterministic Nelder-Mead simplex until the relative spread of the
 * simplex's log-likelihoods is below 1e-10, then polished with Newton steps
 * on finite-difference derivatives until a step no longer improves the
 * log-likelihood by a relative 1e-15.  A fit that does not converge, or
 * converges to a boundary solution (a parameter a factor 1e6 or more from
 * its starting scale), is reported as not converged.
 */
#include "smarkpi.h"

#include <math.h>

#include "miscadmin.h"

#include "clv/model.h"

#define NM_MAX_EVALS 20000
#define NM_TOLERANCE 1e-10
#define NEWTON_STEPS 8
#define FD_STEP 1e-4
/*
 * A fitted parameter more than a factor 1e6 from its starting scale (1, or
 * the mean age or spend for alpha and gamma) is a boundary solution: the
 * likelihood runs off towards a degenerate model, so the fit has not
 * converged to one.
 */
#define BOUNDARY_LOG 13.815510557964274 /* ln(1e6) */

typedef double (*objective_fn) (const double *theta, void *arg);

/*
 * Minimises f over n <= 4 dimensions from start; returns the minimum in
 * best and whether the tolerance was reached within the evaluation budget.
 */
static bool
nelder_mead(objective_fn f, void *arg, int n, const double *start, double step,
			double *best, double *fbest)
{
	double		simplex[5][4];
	double		fx[5];
	int			evals = 0;
	int			i,
				j;

	for (i = 0; i <= n; i++)
	{
		for (j = 0; j < n; j++)
			simplex[i][j] = start[j] + (i == j + 1 ? step : 0.0);
		fx[i] = f(simplex[i], arg);
		evals++;
	}
	for (;;)
	{
		int			lo = 0,
					hi = 0,
					nh = 0;
		double		centroid[4] = {0},
					xr[4],
					xe[4],
					xc[4],
					fr,
					fe,
					fc;

		for (i = 1; i <= n; i++)
		{
			if (fx[i] < fx[lo])
				lo = i;
			if (fx[i] > fx[hi])
				hi = i;
		}
		nh = lo;
		for (i = 0; i <= n; i++)
			if (i != hi && fx[i] > fx[nh])
				nh = i;
		CHECK_FOR_INTERRUPTS();
		if (!isfinite(fx[lo]))
			return false;
		if (fabs(fx[hi] - fx[lo]) <= NM_TOLERANCE * Max(fabs(fx[lo]), 1e-300) ||
			evals >= NM_MAX_EVALS)
		{
			memcpy(best, simplex[lo], sizeof(double) * n);
			*fbest = fx[lo];
			return evals < NM_MAX_EVALS;
		}
		for (i = 0; i <= n; i++)
			if (i != hi)
				for (j = 0; j < n; j++)
					centroid[j] += simplex[i][j] / n;
		for (j = 0; j < n; j++)
			xr[j] = centroid[j] + (centroid[j] - simplex[hi][j]);
		fr = f(xr, arg);
		evals++;
		if (fr < fx[lo])
		{
			for (j = 0; j < n; j++)
				xe[j] = centroid[j] + 2.0 * (centroid[j] - simplex[hi][j]);
			fe = f(xe, arg);
			evals++;
			if (fe < fr)
			{
				memcpy(simplex[hi], xe, sizeof(double) * n);
				fx[hi] = fe;
			}
			else
			{
				memcpy(simplex[hi], xr, sizeof(double) * n);
				fx[hi] = fr;
			}
			continue;
		}
		if (fr < fx[nh])
		{
			memcpy(simplex[hi], xr, sizeof(double) * n);
			fx[hi] = fr;
			continue;
		}
		/* contract towards the better of the worst point and its reflection */
		for (j = 0; j < n; j++)
			xc[j] = fr < fx[hi] ? centroid[j] + 0.5 * (xr[j] - centroid[j])
				: centroid[j] + 0.5 * (simplex[hi][j] - centroid[j]);
		fc = f(xc, arg);
		evals++;
		if (fc < Min(fr, fx[hi]))
		{
			memcpy(simplex[hi], xc, sizeof(double) * n);
			fx[hi] = fc;
			continue;
		}
		/* shrink towards the best point */
		for (i = 0; i <= n; i++)
		{
			if (i == lo)
				continue;
			for (j = 0; j < n; j++)
				simplex[i][j] = simplex[lo][j] + 0.5 * (simplex[i][j] - simplex[lo][j]);
			fx[i] = f(simplex[i], arg);
			evals++;
		}
	}
}

/* Solves the n x n system a x = b in place by Gaussian elimination; false if singular. */
static bool
solve(int n, double a[4][4], double *b)
{
	int			i,
				j,
				k;

	for (k = 0; k < n; k++)
	{
		int			piv = k;

		for (i = k + 1; i < n; i++)
			if (fabs(a[i][k]) > fabs(a[piv][k]))
				piv = i;
		if (fabs(a[piv][k]) < 1e-300)
			return false;
		for (j = 0; j < n; j++)
		{
			double		t = a[k][j];

			a[k][j] = a[piv][j];
			a[piv][j] = t;
		}
		{
			double		t = b[k];

			b[k] = b[piv];
			b[piv] = t;
		}
		for (i = k + 1; i < n; i++)
		{
			double		factor = a[i][k] / a[k][k];

			for (j = k; j < n; j++)
				a[i][j] -= factor * a[k][j];
			b[i] -= factor * b[k];
		}
	}
	for (i = n - 1; i >= 0; i--)
	{
		for (j = i + 1; j < n; j++)
			b[i] -= a[i][j] * b[j];
		b[i] /= a[i][i];
	}
	return true;
}

/*
 * Polishes a Nelder-Mead optimum with Newton steps on finite-difference
 * derivatives: the simplex stops once the log-likelihood is flat to 1e-10,
 * but along the likelihood's ridges the parameters are then still loose in
 * the 4th digit; Newton pins them down.
 */
static void
newton_polish(objective_fn f, void *arg, int n, double *theta, double *fbest)
{
	int			it,
				i,
				j;

	for (it = 0; it < NEWTON_STEPS; it++)
	{
		double		g[4],
					h[4][4],
					step[4],
					trial[4],
					fp[4],
					fm[4],
					ftrial,
					scale = 1.0,
					size = 0.0;
		double		f0 = *fbest;
		bool		improved = false;

		for (i = 0; i < n; i++)
		{
			memcpy(trial, theta, sizeof(double) * n);
			trial[i] = theta[i] + FD_STEP;
			fp[i] = f(trial, arg);
			trial[i] = theta[i] - FD_STEP;
			fm[i] = f(trial, arg);
			g[i] = (fp[i] - fm[i]) / (2 * FD_STEP);
			h[i][i] = (fp[i] - 2 * f0 + fm[i]) / (FD_STEP * FD_STEP);
		}
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
			{
				double		fpp,
							fpm,
							fmp,
							fmm;

				memcpy(trial, theta, sizeof(double) * n);
				trial[i] += FD_STEP;
				trial[j] += FD_STEP;
				fpp = f(trial, arg);
				trial[j] -= 2 * FD_STEP;
				fpm = f(trial, arg);
				trial[i] -= 2 * FD_STEP;
				fmm = f(trial, arg);
				trial[j] += 2 * FD_STEP;
				fmp = f(trial, arg);
				h[i][j] = h[j][i] = (fpp - fpm - fmp + fmm) / (4 * FD_STEP * FD_STEP);
			}
		for (i = 0; i < n; i++)
			step[i] = -g[i];
		if (!solve(n, h, step))
			return;
		for (i = 0; i < n; i++)
			size = Max(size, fabs(step[i]));
		if (!isfinite(size) || size < 1e-10)
			return;
		/* backtrack until the step improves the likelihood */
		for (j = 0; j < 20 && !improved; j++, scale /= 2)
		{
			for (i = 0; i < n; i++)
				trial[i] = theta[i] + scale * step[i];
			ftrial = f(trial, arg);
			if (ftrial < f0)
			{
				memcpy(theta, trial, sizeof(double) * n);
				*fbest = ftrial;
				improved = true;
			}
		}
		if (!improved || (f0 - *fbest) <= 1e-15 * fabs(f0))
			return;
	}
}

/* Minimises from start: Nelder-Mead, then Newton steps from its optimum. */
static bool
minimise(objective_fn f, void *arg, int n, double *theta, double *fbest)
{
	double		first[4];

	if (!nelder_mead(f, arg, n, theta, 0.5, first, fbest))
		return false;
	memcpy(theta, first, sizeof(double) * n);
	newton_polish(f, arg, n, theta, fbest);
	return isfinite(*fbest);
}

/* ---- BG/NBD ---- */

/*
 * Negative log-likelihood at log-parameters theta.  Terms that depend only
 * on x are computed once per distinct x, and ln(alpha + T), ln(alpha + t_x)
 * once per distinct time.
 */
static double
bgnbd_negll(const double *theta, void *arg)
{
	const BgnbdData *d = (const BgnbdData *) arg;
	double		r = exp(theta[0]),
				alpha = exp(theta[1]),
				a = exp(theta[2]),
				b = exp(theta[3]);
	double		common = -lgamma(r) + r * log(alpha) + lgamma(a + b) - lgamma(b);
	double		ll = 0.0;
	int			i,
				k;

	for (k = 0; k < d->ntimes; k++)
		d->lntime[k] = log(alpha + d->times[k]);
	for (k = 0; k < d->nxs; k++)
	{
		double		x = d->xs[k];

		ll += d->weight_x[k] * (common + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x));
		d->a4term[k] = x > 0 ? log(a) - log(b + x - 1) : 0.0;
	}
	for (i = 0; i < d->n; i++)
	{
		const BgnbdRow *row = &d->rows[i];
		double		rx = r + d->xs[row->xi];
		double		a3 = -rx * d->lntime[row->ti];
		double		v;

		if (d->xs[row->xi] > 0)
		{
			double		a4 = d->a4term[row->xi] - rx * d->lntime[row->txi];
			double		mx = Max(a3, a4);

			v = mx + log(exp(a3 - mx) + exp(a4 - mx));
		}
		else
			v = a3;
		ll += row->weight * v;
	}
	return isfinite(ll) ? -ll : INFINITY;
}

/* Whether every log-parameter stays within BOUNDARY_LOG of its start. */
static bool
inside_boundary(const double *theta, const double *start, int n)
{
	for (int i = 0; i < n; i++)
		if (fabs(theta[i] - start[i]) >= BOUNDARY_LOG)
			return false;
	return true;
}

bool
smarkpi_bgnbd_fit(BgnbdData *d, BgnbdParams *out)
{
	double		theta[4] = {0.0, log(Max(d->mean_T, 1e-6)), 0.0, 0.0};
	double		start[4] = {theta[0], theta[1], theta[2], theta[3]};
	double		f;

	if (!minimise(bgnbd_negll, d, 4, theta, &f) || !inside_boundary(theta, start, 4))
		return false;
	out->r = exp(theta[0]);
	out->alpha = exp(theta[1]);
	out->a = exp(theta[2]);
	out->b = exp(theta[3]);
	out->loglik = -f;
	return true;
}

double
smarkpi_bgnbd_p_alive(const BgnbdParams *m, double x, double t_x, double T)
{
	if (x <= 0)
		return 1.0;
	return 1.0 / (1.0 + m->a / (m->b + x - 1) *
				  exp((m->r + x) * (log(m->alpha + T) - log(m->alpha + t_x))));
}

/*
 * Gauss hypergeometric 2F1(a, b; c; z) for 0 <= z < 1, by its series; NAN
 * when the series has not converged within its budget (z too close to 1,
 * i.e. a horizon far longer than the customers' history), so that no
 * inaccurate value is ever returned.
 */
static double
hyp2f1(double a, double b, double c, double z)
{
	double		term = 1.0,
				sum = 1.0;
	int			k;

	for (k = 0; k < 1000000; k++)
	{
		term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
		sum += term;
		if (fabs(term) <= 1e-15 * fabs(sum))
			return sum;
		if ((k & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return NAN;
}

/* Expected purchases in (T, T + t] given the customer's history. */
double
smarkpi_bgnbd_expected(const BgnbdParams *m, double x, double t_x, double T, double t)
{
	double		r = m->r,
				alpha = m->alpha,
				a = m->a,
				b = m->b;
	double		num,
				den;

	if (t <= 0)
		return 0.0;
	num = (a + b + x - 1) / (a - 1) *
		(1.0 - exp((r + x) * (log(alpha + T) - log(alpha + T + t))) *
		 hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t)));
	den = 1.0;
	if (x > 0)
		den += a / (b + x - 1) * exp((r + x) * (log(alpha + T) - log(alpha + t_x)));
	return num / den;
}

/* ---- Gamma-Gamma ---- */

/*
 * Negative log-likelihood at log-parameters theta.  Only ln(gamma + m x)
 * needs every summary; the lgamma and (p x - 1) ln(m) terms are summed per
 * distinct x.
 */
static double
gg_negll(const double *theta, void *arg)
{
	const GammaGammaData *d = (const GammaGammaData *) arg;
	double		p = exp(theta[0]),
				q = exp(theta[1]),
				g = exp(theta[2]);
	double		common = -lgamma(q) + q * log(g);
	double		ll = 0.0;
	int			i,
				k;

	for (k = 0; k < d->nxs; k++)
	{
		double		x = d->xs[k];
		double		px = p * x;

		ll += d->weight_x[k] * (common + lgamma(px + q) - lgamma(px) + px * log(x)) +
			(px - 1) * d->wlnm_x[k];
	}
	for (i = 0; i < d->n; i++)
	{
		const GammaGammaRow *row = &d->rows[i];
		double		x = d->xs[row->xi];

		ll -= row->weight * (p * x + q) * log(g + row->m * x);
	}
	return isfinite(ll) ? -ll : INFINITY;
}

bool
smarkpi_gg_fit(GammaGammaData *d, GammaGammaParams *out)
{
	double		theta[3] = {0.0, 0.0, log(Max(d->mean_m, 1e-6))};
	double		start[3] = {theta[0], theta[1], theta[2]};
	double		f;

	if (!minimise(gg_negll, d, 3, theta, &f) || !inside_boundary(theta, start, 3))
		return false;
	out->p = exp(theta[0]);
	out->q = exp(theta[1]);
	out->gamma = exp(theta[2]);
	out->loglik = -f;
	return true;
}

/* Conditional expected spend per purchase; NAN when q <= 1 (no finite mean). */
double
smarkpi_gg_expected_spend(const GammaGammaParams *m, double x, double mean_spend)
{
	if (m->q <= 1.0)
		return NAN;
	return m->p * (m->gamma + x * mean_spend) / (m->p * x + m->q - 1.0);
}

/*
 * Discounted value of the next `months` months of 30 time units:
 * sum over i of spend x (E[purchases by 30 i] - E[by 30 (i - 1)]) / (1 + d)^i.
 */
double
smarkpi_clv_value(const BgnbdParams *bg, double spend, double x, double t_x, double T,
				  int months, double discount)
{
	double		value = 0.0,
				prev = 0.0;
	int			i;

	for (i = 1; i <= months; i++)
	{
		double		cum = smarkpi_bgnbd_expected(bg, x, t_x, T, 30.0 * i);

		CHECK_FOR_INTERRUPTS();
		if (!isfinite(cum))
			return NAN;			/* the caller reports it; later months would
								 * not converge either */

		value += spend * (cum - prev) / pow(1.0 + discount, i);
		prev = cum;
	}
	return value;
}
