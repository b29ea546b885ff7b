/*
 * clv/model.h
 *		BG/NBD and Gamma-Gamma model fitting and prediction (clv/model.c).
 */
#ifndef SMARKPI_CLV_MODEL_H
#define SMARKPI_CLV_MODEL_H

/* One distinct (x, t_x, T) summary with its number of customers. */
typedef struct BgnbdRow
{
	int			xi;				/* index into xs */
	int			txi;			/* index into times, for t_x */
	int			ti;				/* index into times, for T */
	double		weight;
} BgnbdRow;

typedef struct BgnbdData
{
	int			n;
	BgnbdRow   *rows;
	int			nxs;
	double	   *xs;				/* distinct frequencies */
	int			ntimes;
	double	   *times;			/* distinct recencies and ages */
	double		mean_T;
	double	   *weight_x;		/* per distinct x: sum of weights */
	/* scratch, one per distinct value */
	double	   *a4term;
	double	   *lntime;
} BgnbdData;

typedef struct BgnbdParams
{
	double		r,
				alpha,
				a,
				b,
				loglik;
} BgnbdParams;

typedef struct GammaGammaRow
{
	int			xi;				/* index into xs */
	double		m,
				ln_m,
				weight;
} GammaGammaRow;

typedef struct GammaGammaData
{
	int			n;
	GammaGammaRow *rows;
	int			nxs;
	double	   *xs;				/* distinct frequencies */
	double		mean_m;
	double	   *weight_x;		/* per distinct x: sum of weights */
	double	   *wlnm_x;			/* per distinct x: sum of weight x ln(m) */
} GammaGammaData;

typedef struct GammaGammaParams
{
	double		p,
				q,
				gamma,
				loglik;
} GammaGammaParams;

extern bool smarkpi_bgnbd_fit(BgnbdData *d, BgnbdParams *out);
extern double smarkpi_bgnbd_p_alive(const BgnbdParams *m, double x, double t_x, double T);
extern double smarkpi_bgnbd_expected(const BgnbdParams *m, double x, double t_x, double T,
									 double t);
extern bool smarkpi_gg_fit(GammaGammaData *d, GammaGammaParams *out);
extern double smarkpi_gg_expected_spend(const GammaGammaParams *m, double x, double mean_spend);
extern double smarkpi_clv_value(const BgnbdParams *bg, double spend, double x, double t_x, double T,
								int months, double discount);

#endif							/* SMARKPI_CLV_MODEL_H */
