/* smarkpi 1.0 -> 1.1: the last definitions of issue 24, pipeline history (issue 25), CLV backtests, cohort retention and distinct sketches (issue 26) */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION smarkpi UPDATE TO '1.1'" to load this file. \quit

-- ---- Growth: magic_number checks the spend of every row, the last one's too ----
COMMENT ON FUNCTION magic_number(numeric, numeric) IS
	'Window function over quarterly rows: SaaS magic number = (revenue - previous revenue) x 4 / previous sales_marketing_spend, double precision. NULL on the first row, with NULL inputs, or when the previous spend is 0. Errors: NaN or infinite amounts, a negative spend on any row, the last one included (22023).';

-- ---- Customer lifetime value: every cause of an unfitted model ----
COMMENT ON AGGREGATE clv_fit(smarkpi_rfm) IS
	'Maximum-likelihood BG/NBD fit over all customers and Gamma-Gamma fit over customers with frequency > 0 and a positive monetary value; returns a smarkpi_clv_model. A model that cannot be fitted has NULL parameters and converged false: fewer than 10 customers or no repeat buyer (BG/NBD), fewer than 10 repeat buyers with a positive monetary value or all with the same one (Gamma-Gamma), or a likelihood maximisation that does not converge or ends on a boundary solution (a parameter a factor 1e6 or more from its starting scale). Memory grows with distinct summaries, not customers. Errors: negative frequency, recency outside [0, t], t <= 0, negative monetary value (22023).';
COMMENT ON AGGREGATE clv(smarkpi_rfm) IS
	'Mean predicted customer lifetime value of the group over the next 12 months of 30 days at a monthly discount rate of 0.01, fitting BG/NBD and Gamma-Gamma on the group itself (currency). NULL when either model cannot be fitted (as clv_fit: too few customers or repeat buyers, no convergence, a boundary solution).';
COMMENT ON AGGREGATE clv(smarkpi_rfm, integer, double precision) IS
	'Mean predicted customer lifetime value of the group over the next months months of 30 days at monthly_discount_rate, fitting the models on the group itself (currency). NULL when either model cannot be fitted (as clv_fit: too few customers or repeat buyers, no convergence, a boundary solution). Errors: months < 0, discount rate <= -1, arguments differing between rows (22023).';

------------------------------------------------------------------------------
-- Pipeline history: stage_history, stage_durations, current_stage,
-- backward_moves, pipeline_waterfall, waterfall_buckets, pipeline_coverage
-- (src/pipeline_history/).  Both aggregates keep their group's rows (a deal's
-- history is read whole, in time order) in a flat state; no rollup: two
-- summaries of one deal cannot be merged without its rows.
------------------------------------------------------------------------------
CREATE TYPE smarkpi_stage_history;
CREATE FUNCTION smarkpi_stage_history_in(cstring) RETURNS smarkpi_stage_history
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_stage_history_out(smarkpi_stage_history) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_stage_history_recv(internal) RETURNS smarkpi_stage_history
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_stage_history_send(smarkpi_stage_history) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STORAGE extended: a stored value may be larger than a page (TOAST); a
-- transition reads a toasted value from a copy (core/xstate.h)
CREATE TYPE smarkpi_stage_history (
	INPUT = smarkpi_stage_history_in,
	OUTPUT = smarkpi_stage_history_out,
	RECEIVE = smarkpi_stage_history_recv,
	SEND = smarkpi_stage_history_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE smarkpi_stage_history IS 'One deal''s stage changes, the result of stage_history: the stages, as_of and every change (changed_at, stage); read with stage_durations(), current_stage(), backward_moves(); text form \x and the hex digits of its binary form (version byte, NULL-parameters flag, as_of flag, as_of int8, stage count int4, each stage: length int4 and bytes, rows int8, change count int8, then each change: changed_at int8, stage index int4).';
COMMENT ON FUNCTION smarkpi_stage_history_in(cstring) IS 'smarkpi_stage_history text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_stage_history_out(smarkpi_stage_history) IS 'smarkpi_stage_history text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_stage_history_recv(internal) IS 'smarkpi_stage_history binary input';
COMMENT ON FUNCTION smarkpi_stage_history_send(smarkpi_stage_history) IS 'smarkpi_stage_history binary output';

CREATE FUNCTION smarkpi_stage_history_trans(smarkpi_stage_history, timestamptz, text, text[]) RETURNS smarkpi_stage_history
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_stage_history_trans(smarkpi_stage_history, timestamptz, text, text[], timestamptz) RETURNS smarkpi_stage_history
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_stage_history_combine(smarkpi_stage_history, smarkpi_stage_history) RETURNS smarkpi_stage_history
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_stage_history_final(smarkpi_stage_history) RETURNS smarkpi_stage_history
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- no inverse: a history is read in time order, so a moving frame is recomputed
CREATE AGGREGATE stage_history(changed_at timestamptz, stage text, stages text[]) (
	SFUNC = smarkpi_stage_history_trans, STYPE = smarkpi_stage_history, SSPACE = 256,
	COMBINEFUNC = smarkpi_stage_history_combine,
	FINALFUNC = smarkpi_stage_history_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE stage_history(changed_at timestamptz, stage text, stages text[], as_of timestamptz) (
	SFUNC = smarkpi_stage_history_trans, STYPE = smarkpi_stage_history, SSPACE = 256,
	COMBINEFUNC = smarkpi_stage_history_combine,
	FINALFUNC = smarkpi_stage_history_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

CREATE FUNCTION stage_durations(h smarkpi_stage_history)
	RETURNS TABLE(stage text, stage_order integer, entered_at timestamptz, exited_at timestamptz,
				  days double precision, visits integer, skipped boolean)
	AS 'MODULE_PATHNAME', 'smarkpi_stage_durations' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
CREATE FUNCTION current_stage(h smarkpi_stage_history) RETURNS text
	AS 'MODULE_PATHNAME', 'smarkpi_current_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION backward_moves(h smarkpi_stage_history) RETURNS integer
	AS 'MODULE_PATHNAME', 'smarkpi_backward_moves' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE stage_history(timestamptz, text, text[]) IS
	'Stage history of one deal (GROUP BY deal) = its changes, each row "the deal entered stage at changed_at", as a smarkpi_stage_history read in time order, changes at one instant in the order of stages; the stage the deal is in at the end is open-ended (its days unknown). Rows with a NULL changed_at or stage ignored; NULL when no row is taken (no rows, only ignored or skipped ones) or stages is NULL. Errors: stages empty, with a NULL, a duplicate or over 256 stages, or varying between rows (22023); a stage not in stages (22023), infinite changed_at (22008).';
COMMENT ON AGGREGATE stage_history(timestamptz, text, text[], timestamptz) IS
	'Stage history of one deal (GROUP BY deal) at as_of = its changes at or before as_of, each row "the deal entered stage at changed_at", as a smarkpi_stage_history read in time order, changes at one instant in the order of stages; the stage the deal is in at as_of counts up to as_of. Rows with a NULL changed_at or stage, or after as_of, ignored; NULL when no row is taken (no rows, only ignored or skipped ones) or stages or as_of is NULL. Errors: stages empty, with a NULL, a duplicate or over 256 stages, stages or as_of varying between rows, infinite as_of (22023); a stage not in stages (22023), infinite changed_at (22008).';
COMMENT ON FUNCTION stage_durations(smarkpi_stage_history) IS
	'Stage durations = one row per stage of stages, in order: entered_at the first entry, exited_at the last exit (NULL while the deal is in it), days = the total time in the stage over all visits in days of 24 hours (the current stage up to as_of; NULL without as_of), visits = entries (a change to the stage the deal is in continues the visit), skipped = never entered while a later stage was. entered_at, exited_at and days NULL for a stage never entered; no rows for a NULL history.';
COMMENT ON FUNCTION current_stage(smarkpi_stage_history) IS
	'Current stage = the stage of the last change (at or before as_of), text. NULL for a NULL history.';
COMMENT ON FUNCTION backward_moves(smarkpi_stage_history) IS
	'Backward moves = the number of entries into a stage earlier in stages than the stage left, integer. NULL for a NULL history.';
COMMENT ON FUNCTION smarkpi_stage_history_trans(smarkpi_stage_history, timestamptz, text, text[]) IS 'transition function of stage_history';
COMMENT ON FUNCTION smarkpi_stage_history_trans(smarkpi_stage_history, timestamptz, text, text[], timestamptz) IS 'transition function of stage_history with as_of';
COMMENT ON FUNCTION smarkpi_stage_history_combine(smarkpi_stage_history, smarkpi_stage_history) IS 'combines two partial states of stage_history';
COMMENT ON FUNCTION smarkpi_stage_history_final(smarkpi_stage_history) IS 'final function of stage_history: the changes sorted by time';

CREATE TYPE smarkpi_pipeline_waterfall;
CREATE FUNCTION smarkpi_pipeline_waterfall_in(cstring) RETURNS smarkpi_pipeline_waterfall
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_pipeline_waterfall_out(smarkpi_pipeline_waterfall) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_pipeline_waterfall_recv(internal) RETURNS smarkpi_pipeline_waterfall
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_pipeline_waterfall_send(smarkpi_pipeline_waterfall) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE smarkpi_pipeline_waterfall (
	INPUT = smarkpi_pipeline_waterfall_in,
	OUTPUT = smarkpi_pipeline_waterfall_out,
	RECEIVE = smarkpi_pipeline_waterfall_recv,
	SEND = smarkpi_pipeline_waterfall_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE smarkpi_pipeline_waterfall IS 'Deal-history rows of a group with t0, t1 and period, the result of pipeline_waterfall; read with waterfall_buckets(); text form \x and the hex digits of its binary form (version byte, flags byte: NULL parameters 1, empty period 2, period unbounded below 4 and above 8, t0 int8, t1 int8, period lower and upper day int4 as [lower, upper), rows int8, row count int8, then each row: deal_id int8, valid_from int8, amount x 10^scale int8, close date int4, scale byte, flags byte: NULL amount 1, NULL close date 2, outcome byte: open 0, won 1, lost 2, NULL 3).';
COMMENT ON FUNCTION smarkpi_pipeline_waterfall_in(cstring) IS 'smarkpi_pipeline_waterfall text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_pipeline_waterfall_out(smarkpi_pipeline_waterfall) IS 'smarkpi_pipeline_waterfall text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_pipeline_waterfall_recv(internal) IS 'smarkpi_pipeline_waterfall binary input';
COMMENT ON FUNCTION smarkpi_pipeline_waterfall_send(smarkpi_pipeline_waterfall) IS 'smarkpi_pipeline_waterfall binary output';

CREATE FUNCTION smarkpi_pipeline_waterfall_trans(smarkpi_pipeline_waterfall, bigint, timestamptz, numeric, date, text,
												 timestamptz, timestamptz, daterange) RETURNS smarkpi_pipeline_waterfall
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_pipeline_waterfall_combine(smarkpi_pipeline_waterfall, smarkpi_pipeline_waterfall) RETURNS smarkpi_pipeline_waterfall
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_pipeline_waterfall_final(smarkpi_pipeline_waterfall) RETURNS smarkpi_pipeline_waterfall
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- no inverse and no rollup: a deal's snapshots are read whole, in time order
CREATE AGGREGATE pipeline_waterfall(deal_id bigint, valid_from timestamptz, amount numeric, close_date date,
									outcome text, t0 timestamptz, t1 timestamptz, period daterange) (
	SFUNC = smarkpi_pipeline_waterfall_trans, STYPE = smarkpi_pipeline_waterfall, SSPACE = 1024,
	COMBINEFUNC = smarkpi_pipeline_waterfall_combine,
	FINALFUNC = smarkpi_pipeline_waterfall_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE FUNCTION waterfall_buckets(w smarkpi_pipeline_waterfall)
	RETURNS TABLE(bucket text, amount numeric, deals bigint)
	AS 'MODULE_PATHNAME', 'smarkpi_waterfall_buckets' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 9;
CREATE FUNCTION pipeline_coverage(open_pipeline numeric, quota numeric, bookings numeric) RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_pipeline_coverage' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE pipeline_waterfall(bigint, timestamptz, numeric, date, text, timestamptz, timestamptz, daterange) IS
	'Pipeline waterfall of a group = its deal-history rows, each a deal''s snapshot (amount, close_date, outcome open, won or lost) from valid_from until the deal''s next row, as a smarkpi_pipeline_waterfall read by waterfall_buckets(); a deal is in the pipeline at t when its snapshot at t is open with a known amount and a close date inside period. A NULL amount, close date or outcome keeps the deal''s previous value (none: the snapshot is not in the pipeline); rows with a NULL deal_id or valid_from, or after t1, ignored; NULL when no row is taken (no rows, only ignored or skipped ones) or t0, t1 or period is NULL. Errors: t0 after t1, infinite t0 or t1, t0, t1 or period varying between rows (22023); outcome not open, won or lost, a negative, NaN or infinite amount (22023), an amount over 18 digits (22003), infinite valid_from (22008).';
COMMENT ON FUNCTION waterfall_buckets(smarkpi_pipeline_waterfall) IS
	'Waterfall buckets = start (in the pipeline at t0), created, pulled_in, increased, decreased, pushed_out, lost, won, end (in at t1), rows in that order: each change of a deal''s snapshot at s, t0 < s <= t1, moves out -> in to created (the deal''s first row) or pulled_in with the new amount, in -> out to won, lost (new outcome) or pushed_out (still open) with the old amount, in -> in to increased or decreased by the difference; start + created + pulled_in + increased - decreased - pushed_out - lost - won = end exactly. amount numeric exact, deals = the deals with a movement in the bucket (start, end: the deals in). No rows for a NULL waterfall.';
COMMENT ON FUNCTION pipeline_coverage(numeric, numeric, numeric) IS
	'Pipeline coverage = open_pipeline / (quota - bookings), double precision (a multiple). NULL when quota - bookings <= 0 (nothing left to book) or an argument is NULL. Errors: a negative, NaN or infinite amount (22023).';
COMMENT ON FUNCTION smarkpi_pipeline_waterfall_trans(smarkpi_pipeline_waterfall, bigint, timestamptz, numeric, date, text, timestamptz, timestamptz, daterange) IS 'transition function of pipeline_waterfall';
COMMENT ON FUNCTION smarkpi_pipeline_waterfall_combine(smarkpi_pipeline_waterfall, smarkpi_pipeline_waterfall) IS 'combines two partial states of pipeline_waterfall';
COMMENT ON FUNCTION smarkpi_pipeline_waterfall_final(smarkpi_pipeline_waterfall) IS 'final function of pipeline_waterfall: the rows sorted by deal and time, each deal from its snapshot at t0';

------------------------------------------------------------------------------
-- Customer lifetime value (1.1): rfm_holdout, clv_backtest, p_no_purchase
-- (src/clv/holdout.c, backtest.c, predict.c).  rfm_holdout keeps a
-- customer's orders in a flat state, as rfm() does; clv_backtest keeps
-- counts and 128-bit fixed-point sums, so its moving frames have an exact
-- inverse and every plan gives the same bits.
------------------------------------------------------------------------------
CREATE TYPE smarkpi_rfm_holdout AS (calibration smarkpi_rfm, holdout_purchases integer,
									holdout_spend numeric, holdout_days double precision);
CREATE TYPE smarkpi_clv_backtest AS (customers bigint, predicted_purchases double precision,
									 actual_purchases bigint, mae double precision, rmse double precision,
									 bias double precision, predicted_spend double precision,
									 actual_spend numeric);
COMMENT ON TYPE smarkpi_rfm_holdout IS
	'A customer split at calibration_end: calibration = rfm(..., calibration_end), holdout_purchases = distinct UTC days with an order in (calibration_end, holdout_end], holdout_spend = their amounts (currency), holdout_days = UTC day of holdout_end - UTC day of calibration_end';
COMMENT ON TYPE smarkpi_clv_backtest IS
	'A model''s holdout predictions against what happened: customers, predicted_purchases = sum of expected_purchases(model, calibration, holdout_days), actual_purchases = sum of holdout_purchases, mae, rmse and bias (mean predicted - actual) per customer, predicted_spend = sum of predicted x expected_spend, actual_spend = sum of holdout_spend (currency)';

CREATE TYPE smarkpi_rfm_holdout_summary;
CREATE FUNCTION smarkpi_rfm_holdout_summary_in(cstring) RETURNS smarkpi_rfm_holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_holdout_summary_out(smarkpi_rfm_holdout_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_holdout_summary_recv(internal) RETURNS smarkpi_rfm_holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_holdout_summary_send(smarkpi_rfm_holdout_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STORAGE extended: a stored value may be larger than a page (TOAST); a
-- transition reads a toasted value from a copy (core/xstate.h)
CREATE TYPE smarkpi_rfm_holdout_summary (
	INPUT = smarkpi_rfm_holdout_summary_in,
	OUTPUT = smarkpi_rfm_holdout_summary_out,
	RECEIVE = smarkpi_rfm_holdout_summary_recv,
	SEND = smarkpi_rfm_holdout_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE smarkpi_rfm_holdout_summary IS 'State of rfm_holdout: calibration_end, holdout_end and every order up to holdout_end; text form \x and the hex digits of its binary form (version byte, ends flag, calibration_end int8, holdout_end int8 microseconds, order count int8, then each order: UTC day int4, holdout flag byte, scale byte, amount x 10^scale int8; an amount over 18 digits: scale byte 255, the length int4 and bytes of its numeric binary form).';
COMMENT ON FUNCTION smarkpi_rfm_holdout_summary_in(cstring) IS 'smarkpi_rfm_holdout_summary text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_rfm_holdout_summary_out(smarkpi_rfm_holdout_summary) IS 'smarkpi_rfm_holdout_summary text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_rfm_holdout_summary_recv(internal) IS 'smarkpi_rfm_holdout_summary binary input';
COMMENT ON FUNCTION smarkpi_rfm_holdout_summary_send(smarkpi_rfm_holdout_summary) IS 'smarkpi_rfm_holdout_summary binary output';

CREATE TYPE smarkpi_clv_backtest_summary;
CREATE FUNCTION smarkpi_clv_backtest_summary_in(cstring) RETURNS smarkpi_clv_backtest_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_backtest_summary_out(smarkpi_clv_backtest_summary) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_backtest_summary_recv(internal) RETURNS smarkpi_clv_backtest_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_backtest_summary_send(smarkpi_clv_backtest_summary) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE smarkpi_clv_backtest_summary (
	INPUT = smarkpi_clv_backtest_summary_in,
	OUTPUT = smarkpi_clv_backtest_summary_out,
	RECEIVE = smarkpi_clv_backtest_summary_recv,
	SEND = smarkpi_clv_backtest_summary_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE smarkpi_clv_backtest_summary IS 'State of clv_backtest: the model and the customers'' counts and sums; text form \x and the hex digits of its binary form (version byte, flags byte: model 1, BG/NBD fit 2, Gamma-Gamma fit 4, the 7 model parameters float8, customers, actual purchases and customers without an expected spend int8, then x 2^48 as int128: predicted purchases, absolute error, squared error, error, predicted spend; actual spend x 10^scale int128, scale int4).';
COMMENT ON FUNCTION smarkpi_clv_backtest_summary_in(cstring) IS 'smarkpi_clv_backtest_summary text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_clv_backtest_summary_out(smarkpi_clv_backtest_summary) IS 'smarkpi_clv_backtest_summary text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_clv_backtest_summary_recv(internal) IS 'smarkpi_clv_backtest_summary binary input';
COMMENT ON FUNCTION smarkpi_clv_backtest_summary_send(smarkpi_clv_backtest_summary) IS 'smarkpi_clv_backtest_summary binary output';

CREATE FUNCTION smarkpi_rfm_holdout_trans(smarkpi_rfm_holdout_summary, timestamptz, numeric, timestamptz, timestamptz)
	RETURNS smarkpi_rfm_holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_holdout_combine(smarkpi_rfm_holdout_summary, smarkpi_rfm_holdout_summary)
	RETURNS smarkpi_rfm_holdout_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_rfm_holdout_final(smarkpi_rfm_holdout_summary) RETURNS smarkpi_rfm_holdout
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- no inverse: a customer's orders are read whole (purchase days, first day)
CREATE AGGREGATE rfm_holdout(ordered_at timestamptz, amount numeric, calibration_end timestamptz,
							 holdout_end timestamptz) (
	SFUNC = smarkpi_rfm_holdout_trans, STYPE = smarkpi_rfm_holdout_summary, SSPACE = 256,
	COMBINEFUNC = smarkpi_rfm_holdout_combine,
	FINALFUNC = smarkpi_rfm_holdout_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

CREATE FUNCTION smarkpi_clv_backtest_trans(smarkpi_clv_backtest_summary, smarkpi_clv_model, smarkpi_rfm_holdout)
	RETURNS smarkpi_clv_backtest_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_backtest_inv(smarkpi_clv_backtest_summary, smarkpi_clv_model, smarkpi_rfm_holdout)
	RETURNS smarkpi_clv_backtest_summary
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_backtest_combine(smarkpi_clv_backtest_summary, smarkpi_clv_backtest_summary)
	RETURNS smarkpi_clv_backtest_summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_clv_backtest_final(smarkpi_clv_backtest_summary) RETURNS smarkpi_clv_backtest
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE clv_backtest(model smarkpi_clv_model, customer smarkpi_rfm_holdout) (
	SFUNC = smarkpi_clv_backtest_trans, STYPE = smarkpi_clv_backtest_summary, SSPACE = 256,
	COMBINEFUNC = smarkpi_clv_backtest_combine,
	FINALFUNC = smarkpi_clv_backtest_final, FINALFUNC_MODIFY = READ_ONLY,
	MSFUNC = smarkpi_clv_backtest_trans, MINVFUNC = smarkpi_clv_backtest_inv,
	MSTYPE = smarkpi_clv_backtest_summary, MSSPACE = 256,
	MFINALFUNC = smarkpi_clv_backtest_final, MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

CREATE FUNCTION p_no_purchase(model smarkpi_clv_model, customer smarkpi_rfm, horizon_days double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'smarkpi_p_no_purchase' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE rfm_holdout(timestamptz, numeric, timestamptz, timestamptz) IS
	'Per-customer calibration and holdout summary (smarkpi_rfm_holdout): calibration = rfm(ordered_at, amount, calibration_end) exactly, holdout_purchases = distinct UTC days with an order in (calibration_end, holdout_end], holdout_spend = their amounts summed exactly (currency), holdout_days = UTC day of holdout_end - UTC day of calibration_end (days, the unit of the calibration''s t). Rows with a NULL argument or after holdout_end ignored; NULL without an order up to calibration_end. Errors: calibration_end after holdout_end, infinite or varying between rows (22023); a negative, NaN or infinite amount (22023), infinite ordered_at (22008); amounts of any size and scale are kept exactly, as rfm takes them.';
COMMENT ON AGGREGATE clv_backtest(smarkpi_clv_model, smarkpi_rfm_holdout) IS
	'Backtest of a CLV model on a holdout (smarkpi_clv_backtest): per customer predicted = expected_purchases(model, calibration, holdout_days), error = predicted - holdout_purchases; customers, predicted and actual purchases (sums), mae = mean |error|, rmse = sqrt(mean error^2), bias = mean error (purchases per customer), predicted_spend = sum of predicted x expected_spend (currency; NULL when a customer has none: no Gamma-Gamma fit), actual_spend = sum of holdout_spend (currency, exact). Rows with a NULL model, customer or field ignored, customers without a prediction (no BG/NBD fit) not counted; NULL when no customer counts. Sums in 2^-48 fixed point: the same result in every plan and moving frame. Errors: the model varying between rows, or not positive and finite (22023); negative holdout_purchases, holdout_days or holdout_spend, NaN or infinite ones, a calibration summary clv_fit rejects (22023).';
COMMENT ON FUNCTION p_no_purchase(smarkpi_clv_model, smarkpi_rfm, double precision) IS
	'BG/NBD probability of no purchase in the next horizon_days days: 1 - p_alive + p_alive x ((alpha + t) / (alpha + t + horizon_days))^(r + frequency), a churn score (p_alive is 1 for every one-time buyer, this is not). NULL when the model has no BG/NBD fit. Errors: negative, NaN or infinite horizon (22023).';
COMMENT ON FUNCTION smarkpi_rfm_holdout_trans(smarkpi_rfm_holdout_summary, timestamptz, numeric, timestamptz, timestamptz) IS 'transition function of rfm_holdout';
COMMENT ON FUNCTION smarkpi_rfm_holdout_combine(smarkpi_rfm_holdout_summary, smarkpi_rfm_holdout_summary) IS 'combines two partial states of rfm_holdout';
COMMENT ON FUNCTION smarkpi_rfm_holdout_final(smarkpi_rfm_holdout_summary) IS 'final function of rfm_holdout: the calibration summary and the holdout''s purchase days, spend and length';
COMMENT ON FUNCTION smarkpi_clv_backtest_trans(smarkpi_clv_backtest_summary, smarkpi_clv_model, smarkpi_rfm_holdout) IS 'transition function of clv_backtest';
COMMENT ON FUNCTION smarkpi_clv_backtest_inv(smarkpi_clv_backtest_summary, smarkpi_clv_model, smarkpi_rfm_holdout) IS 'inverse transition function of clv_backtest (moving frames)';
COMMENT ON FUNCTION smarkpi_clv_backtest_combine(smarkpi_clv_backtest_summary, smarkpi_clv_backtest_summary) IS 'combines two partial states of clv_backtest';
COMMENT ON FUNCTION smarkpi_clv_backtest_final(smarkpi_clv_backtest_summary) IS 'final function of clv_backtest: the counts, means and sums';

------------------------------------------------------------------------------
-- Cohort retention: cohort_retention, retention_matrix, rollup
-- (src/cohort_retention.c).  The state keeps each customer's active periods
-- with a count, so rollup merges a customer seen in two summaries and
-- moving frames take rows away exactly.
------------------------------------------------------------------------------
CREATE TYPE smarkpi_cohort_retention;
CREATE FUNCTION smarkpi_cohort_retention_in(cstring) RETURNS smarkpi_cohort_retention
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cohort_retention_out(smarkpi_cohort_retention) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cohort_retention_recv(internal) RETURNS smarkpi_cohort_retention
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_cohort_retention_send(smarkpi_cohort_retention) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STORAGE extended: a stored value may be larger than a page (TOAST); a
-- transition reads a toasted value from a copy (core/xstate.h)
CREATE TYPE smarkpi_cohort_retention (
	INPUT = smarkpi_cohort_retention_in,
	OUTPUT = smarkpi_cohort_retention_out,
	RECEIVE = smarkpi_cohort_retention_recv,
	SEND = smarkpi_cohort_retention_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE smarkpi_cohort_retention IS 'Customers'' active periods with period, time zone and observed_until, the result of cohort_retention and rollup; read with retention_matrix(); text form \x and the hex digits of its binary form (version byte, period byte: day 1, week 2, month 3, time zone name length int4 and bytes, observed_until int8, entry count int8, then each entry: customer_id int8, period index int4 (days, ISO weeks or months from 2000-01), count int8).';
COMMENT ON FUNCTION smarkpi_cohort_retention_in(cstring) IS 'smarkpi_cohort_retention text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_cohort_retention_out(smarkpi_cohort_retention) IS 'smarkpi_cohort_retention text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_cohort_retention_recv(internal) IS 'smarkpi_cohort_retention binary input';
COMMENT ON FUNCTION smarkpi_cohort_retention_send(smarkpi_cohort_retention) IS 'smarkpi_cohort_retention binary output';

CREATE FUNCTION smarkpi_cohort_retention_trans(smarkpi_cohort_retention, bigint, timestamptz, text, timestamptz)
	RETURNS smarkpi_cohort_retention
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_cohort_retention_inv(smarkpi_cohort_retention, bigint, timestamptz, text, timestamptz)
	RETURNS smarkpi_cohort_retention
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_cohort_retention_trans(smarkpi_cohort_retention, bigint, timestamptz, text, timestamptz, text)
	RETURNS smarkpi_cohort_retention
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_cohort_retention_inv(smarkpi_cohort_retention, bigint, timestamptz, text, timestamptz, text)
	RETURNS smarkpi_cohort_retention
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_cohort_retention_combine(smarkpi_cohort_retention, smarkpi_cohort_retention)
	RETURNS smarkpi_cohort_retention
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_cohort_retention_rollup_inv(smarkpi_cohort_retention, smarkpi_cohort_retention)
	RETURNS smarkpi_cohort_retention
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_cohort_retention_final(smarkpi_cohort_retention) RETURNS smarkpi_cohort_retention
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE cohort_retention(customer_id bigint, active_at timestamptz, period text, observed_until timestamptz) (
	SFUNC = smarkpi_cohort_retention_trans, STYPE = smarkpi_cohort_retention, SSPACE = 1024,
	COMBINEFUNC = smarkpi_cohort_retention_combine,
	FINALFUNC = smarkpi_cohort_retention_final, FINALFUNC_MODIFY = READ_ONLY,
	MSFUNC = smarkpi_cohort_retention_trans, MINVFUNC = smarkpi_cohort_retention_inv,
	MSTYPE = smarkpi_cohort_retention, MSSPACE = 1024,
	MFINALFUNC = smarkpi_cohort_retention_final, MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE cohort_retention(customer_id bigint, active_at timestamptz, period text, observed_until timestamptz,
								  time_zone text) (
	SFUNC = smarkpi_cohort_retention_trans, STYPE = smarkpi_cohort_retention, SSPACE = 1024,
	COMBINEFUNC = smarkpi_cohort_retention_combine,
	FINALFUNC = smarkpi_cohort_retention_final, FINALFUNC_MODIFY = READ_ONLY,
	MSFUNC = smarkpi_cohort_retention_trans, MINVFUNC = smarkpi_cohort_retention_inv,
	MSTYPE = smarkpi_cohort_retention, MSSPACE = 1024,
	MFINALFUNC = smarkpi_cohort_retention_final, MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(summary smarkpi_cohort_retention) (
	SFUNC = smarkpi_cohort_retention_combine, STYPE = smarkpi_cohort_retention, SSPACE = 1024,
	COMBINEFUNC = smarkpi_cohort_retention_combine,
	FINALFUNC = smarkpi_cohort_retention_final, FINALFUNC_MODIFY = READ_ONLY,
	MSFUNC = smarkpi_cohort_retention_combine, MINVFUNC = smarkpi_cohort_retention_rollup_inv,
	MSTYPE = smarkpi_cohort_retention, MSSPACE = 1024,
	MFINALFUNC = smarkpi_cohort_retention_final, MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

CREATE FUNCTION retention_matrix(r smarkpi_cohort_retention)
	RETURNS TABLE(cohort date, period_offset integer, cohort_size bigint, eligible bigint, retained bigint,
				  retention double precision)
	AS 'MODULE_PATHNAME', 'smarkpi_retention_matrix' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
CREATE FUNCTION retention_matrix(r smarkpi_cohort_retention, mode text)
	RETURNS TABLE(cohort date, period_offset integer, cohort_size bigint, eligible bigint, retained bigint,
				  retention double precision)
	AS 'MODULE_PATHNAME', 'smarkpi_retention_matrix' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;

COMMENT ON AGGREGATE cohort_retention(bigint, timestamptz, text, timestamptz) IS
	'Cohort retention of a group = its customers'' activity (customer_id active at active_at) as a smarkpi_cohort_retention read by retention_matrix(), in periods of day, week (ISO, from Monday) or month of UTC. Rows with a NULL argument, or after observed_until, ignored; NULL without rows. Errors: period not day, week or month, observed_until infinite, period or observed_until varying between rows (22023); infinite active_at (22008).';
COMMENT ON AGGREGATE cohort_retention(bigint, timestamptz, text, timestamptz, text) IS
	'Cohort retention of a group = its customers'' activity (customer_id active at active_at) as a smarkpi_cohort_retention read by retention_matrix(), in periods of day, week (ISO, from Monday) or month of the calendar of time_zone (never the session''s TimeZone). Rows with a NULL argument, or after observed_until, ignored; NULL without rows. Errors: period not day, week or month, an unknown time_zone, observed_until infinite, period, observed_until or time_zone varying between rows (22023); infinite active_at (22008).';
COMMENT ON AGGREGATE rollup(smarkpi_cohort_retention) IS
	'Merged cohort retention = the union of the summaries'' activity: a customer active in two summaries is merged, not added (exact). NULL summaries ignored; NULL without one. Errors: period, observed_until or time zone differing between summaries (22023).';
COMMENT ON FUNCTION retention_matrix(smarkpi_cohort_retention) IS
	'Retention matrix = one row per cohort (the period of a customer''s first activity, as its first day) and period_offset k from 0: cohort_size = its customers, eligible = cohort_size when period cohort + k has ended by observed_until (else no row; a cohort whose period has not ended has one row at k = 0 with eligible 0), retained = the eligible customers active in period cohort + k, retention = retained / eligible, double precision (a fraction; NULL when eligible = 0). No rows for a NULL summary.';
COMMENT ON FUNCTION retention_matrix(smarkpi_cohort_retention, text) IS
	'Retention matrix = one row per cohort (the period of a customer''s first activity, as its first day) and period_offset k from 0: cohort_size = its customers, eligible = cohort_size when period cohort + k has ended by observed_until (else no row), retained = the eligible customers active in period cohort + k (mode on) or in any period from cohort + k on, up to observed_until (mode on_or_after), retention = retained / eligible, double precision (a fraction; NULL when eligible = 0). No rows for a NULL summary or mode. Errors: mode not on or on_or_after (22023).';
COMMENT ON FUNCTION smarkpi_cohort_retention_trans(smarkpi_cohort_retention, bigint, timestamptz, text, timestamptz) IS 'transition function of cohort_retention';
COMMENT ON FUNCTION smarkpi_cohort_retention_inv(smarkpi_cohort_retention, bigint, timestamptz, text, timestamptz) IS 'inverse transition function of cohort_retention (moving frames)';
COMMENT ON FUNCTION smarkpi_cohort_retention_trans(smarkpi_cohort_retention, bigint, timestamptz, text, timestamptz, text) IS 'transition function of cohort_retention with time_zone';
COMMENT ON FUNCTION smarkpi_cohort_retention_inv(smarkpi_cohort_retention, bigint, timestamptz, text, timestamptz, text) IS 'inverse transition function of cohort_retention with time_zone (moving frames)';
COMMENT ON FUNCTION smarkpi_cohort_retention_combine(smarkpi_cohort_retention, smarkpi_cohort_retention) IS 'combines two partial states of cohort_retention; transition function of rollup';
COMMENT ON FUNCTION smarkpi_cohort_retention_rollup_inv(smarkpi_cohort_retention, smarkpi_cohort_retention) IS 'inverse transition function of rollup(smarkpi_cohort_retention) (moving frames)';
COMMENT ON FUNCTION smarkpi_cohort_retention_final(smarkpi_cohort_retention) IS 'final function of cohort_retention and rollup: the activity compacted';

------------------------------------------------------------------------------
-- Distinct sketch: distinct_sketch, rollup, distinct_count
-- (src/distinct_sketch.c).  HyperLogLog with an exact sparse form; the
-- state is the sketch itself, merged by register maximum, so daily sketches
-- roll up to any period exactly as the rows would have.
------------------------------------------------------------------------------
CREATE TYPE smarkpi_distinct_sketch;
CREATE FUNCTION smarkpi_distinct_sketch_in(cstring) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_out(smarkpi_distinct_sketch) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_recv(internal) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_send(smarkpi_distinct_sketch) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STORAGE extended: a stored value may be larger than a page (TOAST); a
-- transition reads a toasted value from a copy (core/xstate.h)
CREATE TYPE smarkpi_distinct_sketch (
	INPUT = smarkpi_distinct_sketch_in,
	OUTPUT = smarkpi_distinct_sketch_out,
	RECEIVE = smarkpi_distinct_sketch_recv,
	SEND = smarkpi_distinct_sketch_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE smarkpi_distinct_sketch IS 'HyperLogLog sketch of distinct values, the result of distinct_sketch and rollup; read with distinct_count(); text form \x and the hex digits of its binary form (version byte, precision byte p, form byte: sparse 0, dense 1; sparse: hash count int4, then the sorted distinct 64-bit XXH3 hashes int8; dense: 2^p one-byte registers).';
COMMENT ON FUNCTION smarkpi_distinct_sketch_in(cstring) IS 'smarkpi_distinct_sketch text input (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_distinct_sketch_out(smarkpi_distinct_sketch) IS 'smarkpi_distinct_sketch text output (\x and hex digits of the binary form)';
COMMENT ON FUNCTION smarkpi_distinct_sketch_recv(internal) IS 'smarkpi_distinct_sketch binary input';
COMMENT ON FUNCTION smarkpi_distinct_sketch_send(smarkpi_distinct_sketch) IS 'smarkpi_distinct_sketch binary output';

CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, anyelement) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, anyelement, integer) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, text) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, text, integer) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, smallint) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, smallint, integer) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, integer) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, integer, integer) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, bigint) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, bigint, integer) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, uuid) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_uuid' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, uuid, integer) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_sketch_trans_uuid' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_combine(smarkpi_distinct_sketch, smarkpi_distinct_sketch)
	RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION smarkpi_distinct_sketch_final(smarkpi_distinct_sketch) RETURNS smarkpi_distinct_sketch
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- no inverse: a sketch cannot forget a value
CREATE AGGREGATE distinct_sketch(value anyelement) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value anyelement, "precision" integer) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
-- the common key types: Citus distributes an aggregate only when its declared
-- argument types are the actual ones, never anyelement (the same sketches)
CREATE AGGREGATE distinct_sketch(value text) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value text, "precision" integer) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value smallint) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value smallint, "precision" integer) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value integer) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value integer, "precision" integer) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value bigint) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value bigint, "precision" integer) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value uuid) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE distinct_sketch(value uuid, "precision" integer) (
	SFUNC = smarkpi_distinct_sketch_trans, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(summary smarkpi_distinct_sketch) (
	SFUNC = smarkpi_distinct_sketch_combine, STYPE = smarkpi_distinct_sketch, SSPACE = 2048,
	COMBINEFUNC = smarkpi_distinct_sketch_combine,
	FINALFUNC = smarkpi_distinct_sketch_final, FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
CREATE FUNCTION distinct_count(sketch smarkpi_distinct_sketch) RETURNS bigint
	AS 'MODULE_PATHNAME', 'smarkpi_distinct_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON AGGREGATE distinct_sketch(anyelement) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values, precision 14 (2^14 registers, relative standard error 1.04 / sqrt(2^14) = 0.8 %), read by distinct_count(): exact while it holds at most 2^14 / 8 distinct values (a sparse form of their 64-bit hashes). Values hash by a canonical byte form, the same on every machine and major. NULL values ignored; a sketch of no value without rows with one; NULL without rows.';
COMMENT ON AGGREGATE distinct_sketch(anyelement, integer) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values with 2^precision registers (relative standard error 1.04 / sqrt(2^precision)), read by distinct_count(): exact while it holds at most 2^precision / 8 distinct values (a sparse form of their 64-bit hashes). Values hash by a canonical byte form, the same on every machine and major. NULL values ignored; NULL without rows; a NULL precision is 14. Errors: precision outside 4..18 or varying between rows (22023).';
COMMENT ON AGGREGATE distinct_sketch(text) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values, precision 14 (2^14 registers, relative standard error 1.04 / sqrt(2^14) = 0.8 %), read by distinct_count(): exact while it holds at most 2^14 / 8 distinct values (a sparse form of their 64-bit hashes). The text form of distinct_sketch(anyelement), the same sketch, for Citus. NULL values ignored; NULL without rows.';
COMMENT ON AGGREGATE distinct_sketch(text, integer) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values with 2^precision registers (relative standard error 1.04 / sqrt(2^precision)), read by distinct_count(): exact while it holds at most 2^precision / 8 distinct values (a sparse form of their 64-bit hashes). The text form of distinct_sketch(anyelement, integer), the same sketch, for Citus. NULL values ignored; NULL without rows; a NULL precision is 14. Errors: precision outside 4..18 or varying between rows (22023).';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, text) IS 'transition function of distinct_sketch(text)';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, text, integer) IS 'transition function of distinct_sketch(text, integer)';
COMMENT ON AGGREGATE distinct_sketch(smallint) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values, precision 14 (2^14 registers, relative standard error 1.04 / sqrt(2^14) = 0.8 %), read by distinct_count(): exact while it holds at most 2^14 / 8 distinct values (a sparse form of their 64-bit hashes). The smallint form of distinct_sketch(anyelement), the same sketch, for Citus. NULL values ignored; NULL without rows.';
COMMENT ON AGGREGATE distinct_sketch(smallint, integer) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values with 2^precision registers (relative standard error 1.04 / sqrt(2^precision)), read by distinct_count(): exact while it holds at most 2^precision / 8 distinct values (a sparse form of their 64-bit hashes). The smallint form of distinct_sketch(anyelement, integer), the same sketch, for Citus. NULL values ignored; NULL without rows; a NULL precision is 14. Errors: precision outside 4..18 or varying between rows (22023).';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, smallint) IS 'transition function of distinct_sketch(smallint)';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, smallint, integer) IS 'transition function of distinct_sketch(smallint, integer)';
COMMENT ON AGGREGATE distinct_sketch(integer) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values, precision 14 (2^14 registers, relative standard error 1.04 / sqrt(2^14) = 0.8 %), read by distinct_count(): exact while it holds at most 2^14 / 8 distinct values (a sparse form of their 64-bit hashes). The integer form of distinct_sketch(anyelement), the same sketch, for Citus. NULL values ignored; NULL without rows.';
COMMENT ON AGGREGATE distinct_sketch(integer, integer) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values with 2^precision registers (relative standard error 1.04 / sqrt(2^precision)), read by distinct_count(): exact while it holds at most 2^precision / 8 distinct values (a sparse form of their 64-bit hashes). The integer form of distinct_sketch(anyelement, integer), the same sketch, for Citus. NULL values ignored; NULL without rows; a NULL precision is 14. Errors: precision outside 4..18 or varying between rows (22023).';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, integer) IS 'transition function of distinct_sketch(integer)';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, integer, integer) IS 'transition function of distinct_sketch(integer, integer)';
COMMENT ON AGGREGATE distinct_sketch(bigint) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values, precision 14 (2^14 registers, relative standard error 1.04 / sqrt(2^14) = 0.8 %), read by distinct_count(): exact while it holds at most 2^14 / 8 distinct values (a sparse form of their 64-bit hashes). The bigint form of distinct_sketch(anyelement), the same sketch, for Citus. NULL values ignored; NULL without rows.';
COMMENT ON AGGREGATE distinct_sketch(bigint, integer) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values with 2^precision registers (relative standard error 1.04 / sqrt(2^precision)), read by distinct_count(): exact while it holds at most 2^precision / 8 distinct values (a sparse form of their 64-bit hashes). The bigint form of distinct_sketch(anyelement, integer), the same sketch, for Citus. NULL values ignored; NULL without rows; a NULL precision is 14. Errors: precision outside 4..18 or varying between rows (22023).';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, bigint) IS 'transition function of distinct_sketch(bigint)';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, bigint, integer) IS 'transition function of distinct_sketch(bigint, integer)';
COMMENT ON AGGREGATE distinct_sketch(uuid) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values, precision 14 (2^14 registers, relative standard error 1.04 / sqrt(2^14) = 0.8 %), read by distinct_count(): exact while it holds at most 2^14 / 8 distinct values (a sparse form of their 64-bit hashes). The uuid form of distinct_sketch(anyelement), the same sketch, for Citus. NULL values ignored; NULL without rows.';
COMMENT ON AGGREGATE distinct_sketch(uuid, integer) IS
	'Distinct sketch = a HyperLogLog sketch of the distinct values with 2^precision registers (relative standard error 1.04 / sqrt(2^precision)), read by distinct_count(): exact while it holds at most 2^precision / 8 distinct values (a sparse form of their 64-bit hashes). The uuid form of distinct_sketch(anyelement, integer), the same sketch, for Citus. NULL values ignored; NULL without rows; a NULL precision is 14. Errors: precision outside 4..18 or varying between rows (22023).';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, uuid) IS 'transition function of distinct_sketch(uuid)';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, uuid, integer) IS 'transition function of distinct_sketch(uuid, integer)';
COMMENT ON AGGREGATE rollup(smarkpi_distinct_sketch) IS
	'Merged distinct sketch = the sketch of the union of the sketches'' values (register maximum; sparse hashes united), as the rows together would have given. NULL sketches ignored; NULL without one. Errors: sketches of different precision (22023).';
COMMENT ON FUNCTION distinct_count(smarkpi_distinct_sketch) IS
	'Distinct count = the number of distinct values of a sketch, bigint: exact in the sparse form, Ertl''s improved raw HyperLogLog estimate in the dense form. NULL for a NULL sketch.';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, anyelement) IS 'transition function of distinct_sketch';
COMMENT ON FUNCTION smarkpi_distinct_sketch_trans(smarkpi_distinct_sketch, anyelement, integer) IS 'transition function of distinct_sketch with precision';
COMMENT ON FUNCTION smarkpi_distinct_sketch_combine(smarkpi_distinct_sketch, smarkpi_distinct_sketch) IS 'combines two distinct sketches: transition and combine function of rollup, combine function of distinct_sketch';
COMMENT ON FUNCTION smarkpi_distinct_sketch_final(smarkpi_distinct_sketch) IS 'final function of distinct_sketch and rollup: the sketch settled (sparse hashes sorted and distinct, or dense)';
