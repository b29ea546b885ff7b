/*
 * smarkpi.h
 *		State types and helpers shared by every smarkpi KPI family.
 *
 * Most aggregates keep their running state in a real SQL type, so that
 * partial aggregates can travel as text or binary (e.g. between Citus
 * workers and coordinator) and states can be stored and re-aggregated.  Two
 * layouts exist:
 *
 *	- fixed-size states (RateState, DurationState, counter arrays): updated in
 *	  place;
 *	- SumState: a varlena of int64 counters followed by numeric sums, used
 *	  where money must stay exact for any scale and any row count.
 *
 * The aggregates that must remember every value -- duration_percentile,
 * rfm, clv_fit and clv -- keep "internal" states instead (a by-value type
 * would be copied whole at every row), serialized for parallel query.
 *
 * Layers: storage (counters.c, sumstate.c, exactsum.c) knows nothing of
 * fcinfo or Datums of rows; states.c owns every state type's I/O and
 * validation; validate.c checks a row's values under smarkpi.invalid_rows;
 * each KPI family's file maps rows to state updates.
 */
#ifndef SMARKPI_H
#define SMARKPI_H

#include "compat.h"

#include "fmgr.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

/* Version byte leading every binary state representation. */
#define SMARKPI_BINARY_VERSION 1

/* ---- fixed-size states ---- */

/* Share of rows that are hits: hits / total. */
typedef struct RateState
{
	int64		hits;
	int64		total;
	int64		kpi;			/* SmarkpiKpi of a summary, 0 in a KPI's own aggregate */
} RateState;

/* Mean duration: sum_us / count, in microseconds. */
typedef struct DurationState
{
	int128		sum_us;
	int64		count;
	int64		kpi;
} DurationState;

StaticAssertDecl(sizeof(RateState) == 24, "smarkpi_rate_state is declared with INTERNALLENGTH 24");
StaticAssertDecl(sizeof(DurationState) == 32, "smarkpi_duration_state is declared with INTERNALLENGTH 32");

/*
 * Which KPI made a summary (summaries.c), for the state types several KPIs
 * share.  Stored in states and binary forms: append only.
 */
typedef enum SmarkpiKpi
{
	SMARKPI_KPI_NONE,
	SMARKPI_KPI_CONVERSION_RATE,
	SMARKPI_KPI_CONVERSION_RATE_WITHIN,
	SMARKPI_KPI_MQL_SAL_RATE,
	SMARKPI_KPI_MQL_SAL_RATE_WITHIN,
	SMARKPI_KPI_WIN_RATE,
	SMARKPI_KPI_RETENTION_RATE,
	SMARKPI_KPI_CSAT,
	SMARKPI_KPI_CAC,
	SMARKPI_KPI_CAC_RATIO,
	SMARKPI_KPI_CPL,
	SMARKPI_KPI_ROI,
	SMARKPI_KPI_ROAS,
	SMARKPI_KPI_AVG_DEAL_SIZE,
	SMARKPI_KPI_PIPELINE_VALUE,
	SMARKPI_KPI_OPEN_PIPELINE_VALUE,
	SMARKPI_KPI_QUOTA_ATTAINMENT,
	SMARKPI_KPI_MARKETING_CONTRIBUTION,
	SMARKPI_KPI_SALES_CYCLE_LENGTH,
	SMARKPI_KPI_LEAD_RESPONSE_TIME,
	SMARKPI_KPI_OPEN_RATE,
	SMARKPI_KPI_CLICK_THROUGH_RATE,
	SMARKPI_KPI_ENGAGEMENT_RATE,
	SMARKPI_KPI_N
} SmarkpiKpi;

extern const char *smarkpi_kpi_name(int64 kpi);
extern bool smarkpi_kpi_valid_for(int64 kpi, const char *typname);
extern char *smarkpi_kpi_parse(char *str, const char *typname, int64 *kpi);
extern void smarkpi_kpi_check_same(int64 kpi, int64 other, const char *typname);
extern void smarkpi_kpi_expect(int64 kpi, int64 want, int64 also, const char *accessor);

/*
 * Shared I/O of fixed states made of int64 counters (counters.c).  A tagged
 * type keeps its KPI tag after the n counters.
 */
#define COUNTERS_MAX 4

typedef struct CounterSpec
{
	const char *typname;
	int			n;
	void		(*validate) (const int64 *c, int sqlstate);
	bool		tagged;
} CounterSpec;

extern int64 *smarkpi_counters_from_cstring(const CounterSpec *spec, char *str);
extern char *smarkpi_counters_to_cstring(const CounterSpec *spec, const int64 *c);
extern int64 *smarkpi_counters_from_binary(const CounterSpec *spec, StringInfo buf);
extern bytea *smarkpi_counters_to_binary(const CounterSpec *spec, const int64 *c);
extern void smarkpi_counters_add(const CounterSpec *spec, int64 *c, const int64 *other);
extern bool smarkpi_counters_sub(const CounterSpec *spec, int64 *c, const int64 *other);

/* ---- exact numeric sums (exactsum.c) ---- */

/* A numeric input taken apart: sign, display scale and, when it fits, value x 10^dscale. */
typedef enum
{
	NUMERIC_PARTS_FINITE, NUMERIC_PARTS_NAN, NUMERIC_PARTS_PINF, NUMERIC_PARTS_NINF
} NumericPartsSpecial;

typedef struct NumericParts
{
	NumericPartsSpecial special;
	bool		negative;
	int			dscale;
	bool		fits;			/* unscaled holds the value */
	int128		unscaled;		/* value x 10^dscale */
	Datum		datum;			/* the numeric itself; 0 for a whole number made here */
} NumericParts;

/* value / 10^scale exactly; num is set (and value unused) once 128 bits overflowed. */
typedef struct ExactSum
{
	int128		value;
	int32		scale;
	Numeric		num;
} ExactSum;

extern void smarkpi_numeric_parts(Datum d, NumericParts *x);
extern void smarkpi_numeric_parts_int64(int64 v, NumericParts *x);
extern bool smarkpi_numeric_datum_is_special(Datum d);
extern void smarkpi_exactsum_zero(ExactSum *s);
extern void smarkpi_exactsum_from_numeric(ExactSum *s, Numeric n);
extern Numeric smarkpi_exactsum_to_numeric(const ExactSum *s);
extern bool smarkpi_scaled_addsub(int128 *value, int32 *scale, const NumericParts *x, int sign);
extern bool smarkpi_scaled_track(int128 *value, int32 *scale, int64 *nmax, const NumericParts *x,
						 int sign, bool *restart);
extern void smarkpi_exactsum_addsub(ExactSum *s, const NumericParts *x, int sign);
extern void smarkpi_exactsum_add(ExactSum *s, int64 *nmax, const NumericParts *x);
extern bool smarkpi_exactsum_sub(ExactSum *s, int64 *nmax, const NumericParts *x);
extern void smarkpi_exactsum_plus(ExactSum *s, const ExactSum *o);
extern void smarkpi_exactsum_combine(ExactSum *s, int64 *nmax, const ExactSum *o, int64 onmax);
extern void smarkpi_exactsum_minus(ExactSum *s, const ExactSum *o);
extern bool smarkpi_exactsum_uncombine(ExactSum *s, int64 *nmax, const ExactSum *o, int64 onmax);
extern int	smarkpi_exactsum_sign(const ExactSum *s);

/* ---- SumState: counters plus exact sums, one varlena ---- */

#define SUMSTATE_MAX_INTS 8
#define SUMSTATE_MAX_NUMS 2

typedef struct SumValues
{
	int32		kpi;			/* SmarkpiKpi tag, kept through unpack and pack */
	int64		ints[SUMSTATE_MAX_INTS];
	ExactSum	sums[SUMSTATE_MAX_NUMS];
} SumValues;

/*
 * Describes one SumState-based SQL type.  validate() raises an error (with
 * the SQLSTATE passed in) when counters and sums contradict each other.
 */
typedef struct SumStateSpec
{
	const char *typname;
	int			nints;
	int			nnums;
	void		(*validate) (const SumValues *vals, int sqlstate);
	bool		tagged;			/* summaries of several KPIs share the type */
} SumStateSpec;

/* A sum as stored: the 128-bit value, or a numeric that follows the sums. */
typedef struct PackedSum
{
	int128		value;
	int32		scale;
	int32		is_numeric;
} PackedSum;

typedef struct SumState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		nints;
	int32		nnums;
	int32		kpi;			/* SmarkpiKpi tag */
	int64		ints[FLEXIBLE_ARRAY_MEMBER];	/* then nnums PackedSums, then numerics */
} SumState;

#define DatumGetSumState(d)		((SumState *) PG_DETOAST_DATUM(d))

/*
 * The hot path of a transition, part of the SumState layer but inline so
 * that a caller's constant layout (nints, nnums) unrolls it: every sum still
 * fits 128 bits, so the row is added (sign 1) or removed (sign -1) where the
 * state lies, without unpacking.  x[i] is the row's value for sum i (NULL
 * leaves that sum as it is), nmax_at[i] the index of sum i's max-scale
 * counter, rows_at that of the row counter.  Returns false, with the state
 * untouched, when the general path must run; sets *restart when a removal
 * needs the moving frame recomputed (see smarkpi_exactsum_sub).
 */
static inline bool
smarkpi_sumstate_apply_in_place(SumState *state, int nints, int nnums, int rows_at,
								const int *nmax_at, const NumericParts *const *x,
								int sign, bool *restart)
{
	PackedSum  *ps = (PackedSum *) ((char *) state + offsetof(SumState, ints) + sizeof(int64) * nints);
	PackedSum	next[SUMSTATE_MAX_NUMS];
	int64		nmax[SUMSTATE_MAX_NUMS];
	int64		rows = state->ints[rows_at];
	bool		restart_any = false;
	int			i;

	Assert(nints == state->nints && nnums == state->nnums && nnums <= SUMSTATE_MAX_NUMS);
	*restart = false;
	if (rows == PG_INT64_MAX || rows + sign <= 0)
		return false;
	for (i = 0; i < nnums; i++)
	{
		bool		restart_i = false;

		next[i] = ps[i];
		nmax[i] = state->ints[nmax_at[i]];
		if (next[i].is_numeric)
			return false;
		if (x[i] && !smarkpi_scaled_track(&next[i].value, &next[i].scale, &nmax[i], x[i], sign,
										  &restart_i))
			return false;
		restart_any |= restart_i;
	}
	if (restart_any)
	{
		*restart = true;
		return true;
	}
	state->ints[rows_at] += sign;
	for (i = 0; i < nnums; i++)
	{
		ps[i] = next[i];
		state->ints[nmax_at[i]] = nmax[i];
	}
	return true;
}

extern PackedSum *smarkpi_sumstate_packed_sums(const SumStateSpec *spec, SumState *state);
extern void smarkpi_sumstate_unpack(const SumStateSpec *spec, SumState *state, SumValues *vals);
extern SumState *smarkpi_sumstate_pack(const SumStateSpec *spec, const SumValues *vals);
extern SumState *smarkpi_sumstate_store(const SumStateSpec *spec, SumState *state,
										const SumValues *vals);
extern SumState *smarkpi_sumstate_from_cstring(const SumStateSpec *spec, char *str);
extern char *smarkpi_sumstate_to_cstring(const SumStateSpec *spec, SumState *state);
extern SumState *smarkpi_sumstate_from_binary(const SumStateSpec *spec, StringInfo buf);
extern bytea *smarkpi_sumstate_to_binary(const SumStateSpec *spec, SumState *state);
extern void smarkpi_sumstate_empty(const SumStateSpec *spec, SumValues *vals);
extern void smarkpi_sumstate_validate_sum(const SumStateSpec *spec, const ExactSum *s, int64 nmax,
								  int64 rows, int sqlstate);

/* ---- checks of a row's own values, under smarkpi.invalid_rows (validate.c) ---- */

typedef enum
{
	SMARKPI_INVALID_ROWS_ERROR,
	SMARKPI_INVALID_ROWS_SKIP
} SmarkpiInvalidRows;

extern int	smarkpi_invalid_rows;

#define SMARKPI_INVALID_ROWS_HINT \
	"Correct or filter out the row, or SET smarkpi.invalid_rows = 'skip' to leave such rows out of smarkpi's KPIs."

extern void smarkpi_define_invalid_rows_guc(void);
extern bool smarkpi_skip_invalid_rows(void);
extern bool smarkpi_row_ts_ok(TimestampTz ts, const char *argname);
extern bool smarkpi_row_elapsed_us(TimestampTz from, TimestampTz to, const char *fromname,
								   const char *toname, int64 *elapsed);
extern bool smarkpi_row_money_ok(Numeric n, const char *argname, bool nonneg);
extern bool smarkpi_row_money_parts(Datum d, const char *argname, bool nonneg, NumericParts *x);
extern bool smarkpi_row_count_ok(int64 n, const char *argname);
extern bool smarkpi_row_float_ok(double v, const char *argname);
extern bool smarkpi_row_score_ok(int32 score, int32 lo, int32 hi, const char *what);
extern bool smarkpi_row_probability_ok(double p, const char *argname);
extern bool smarkpi_row_rejected(int sqlstate, const char *message, const char *detail);

/* ---- helpers (common.c) ---- */

extern MemoryContext smarkpi_agg_context(FunctionCallInfo fcinfo, const char *fname);
extern void smarkpi_require_agg_context(FunctionCallInfo fcinfo, const char *fname);
extern int64 smarkpi_add_count(int64 a, int64 b, const char *what);
extern Interval *smarkpi_us_to_interval(int64 us);
extern char *smarkpi_interval_text(const Interval *iv);
extern int128 smarkpi_interval_us(const Interval *iv);
extern Numeric smarkpi_numeric_zero(void);
extern Numeric smarkpi_cstring_to_numeric(const char *s);
extern Numeric smarkpi_int128_to_numeric(int128 v);
extern char *smarkpi_int128_to_cstring(int128 v);
extern bool smarkpi_cstring_to_int128(const char *s, int128 *result);
extern char *smarkpi_state_fields(char *str, const char *typname, char **fields,
								  int nfields);
extern int64 smarkpi_parse_int64_field(const char *field, const char *typname);
extern void smarkpi_state_corrupt(const char *typname, int sqlstate, const char *detail);
extern void smarkpi_state_reader(bytea *b, StringInfo buf, int min_len, const char *what);
extern void smarkpi_state_writer(StringInfo buf);
extern void smarkpi_state_check_count(StringInfo buf, int64 n, int item_size, bool exact,
									  const char *what);

extern bool smarkpi_numeric_is_zero(Numeric n);
extern bool smarkpi_numeric_is_negative(Numeric n);

/* ---- the state types (states.c) ---- */

/* The counter state types (states.c) */
extern const CounterSpec smarkpi_rate_spec;
extern const CounterSpec smarkpi_count_ratio_spec;
extern const CounterSpec smarkpi_score_spec;

/* smarkpi_score_state's counters */
enum
{
	SMARKPI_S_PROMOTERS, SMARKPI_S_DETRACTORS, SMARKPI_S_RESPONSES, SMARKPI_S_N
};

/* The SumState types (states.c) and their fields */
extern const SumStateSpec smarkpi_money_spec;
extern const SumStateSpec smarkpi_velocity_spec;

enum
{
	SMARKPI_M_ROWS, SMARKPI_M_NUM_NMAX, SMARKPI_M_DEN_NMAX, SMARKPI_M_NINTS
};
enum
{
	SMARKPI_M_NUM, SMARKPI_M_DEN, SMARKPI_M_NNUMS
};

enum
{
	SMARKPI_V_N, SMARKPI_V_CLOSED, SMARKPI_V_WON, SMARKPI_V_WON_AMT, SMARKPI_V_AMT_NMAX, SMARKPI_V_NINTS
};
enum
{
	SMARKPI_V_AMOUNT, SMARKPI_V_CYCLE_US, SMARKPI_V_NNUMS
};

/* Adds (sign 1) or removes (sign -1) a row of a rate state (funnel_rates.c). */
extern Datum smarkpi_rate_apply(FunctionCallInfo fcinfo, bool counted, bool hit, int sign);
/* A rate summary's hits / total, after checking which KPI made it (funnel_rates.c). */
extern Datum smarkpi_rate_of_summary(FunctionCallInfo fcinfo, SmarkpiKpi want, SmarkpiKpi also,
									 const char *accessor);

#endif							/* SMARKPI_H */
