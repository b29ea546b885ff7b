#!/usr/bin/env bash
# Validates clv_fit, rfm_holdout and clv_backtest on the CDNOW data (Fader,
# Hardie & Lee, 2005) against the published fits and holdout, when
# ../shared/data/cdnow is present.  Without it the check
# is skipped with a message, except in CI (CI=true), where that is a failure.
# (sql/clv.sql also recovers known parameters from seeded simulated customers,
# so clv_fit is validated without outside data too.)  Times are in weeks, fed directly (so alpha is per week).
# Sourced by test/check.sh with a running cluster; sets CDNOW_PASSED/FAILED.
run_cdnow() {
	local dir="$SMARKPI_ROOT/../shared/data/cdnow" db=smarkpi_cdnow out
	CDNOW_PASSED=0
	CDNOW_FAILED=0
	if [ ! -f "$dir/cdnow_customers_summary.csv" ] || [ ! -f "$dir/cdnow_customers_summary_with_transactions.csv" ] ||
		[ ! -f "$dir/CDNOW_sample.txt" ]; then
		if [ "${CI:-}" = true ]; then
			CDNOW_FAILED=1
			echo "not ok - CDNOW: the data is missing from $dir, and CI must validate clv_fit on it"
		else
			echo "skipped: CDNOW validation (no $dir; in CI, CI=true, this is a failure)"
		fi
		return 0
	fi
	psql_q -c "CREATE DATABASE $db"
	psql_q -d $db -c "CREATE EXTENSION smarkpi" \
		-c "CREATE TABLE summary (id int, frequency int, recency float8, t float8)" \
		-c "CREATE TABLE with_spend (id int, x int, t_x float8, t float8, zbar float8)" \
		-c "\\copy summary FROM '$dir/cdnow_customers_summary.csv' (FORMAT csv, HEADER)" \
		-c "\\copy with_spend FROM '$dir/cdnow_customers_summary_with_transactions.csv' (FORMAT csv, HEADER)" \
		-c "CREATE TABLE sample_lines (line text)" \
		-c "\\copy sample_lines FROM '$dir/CDNOW_sample.txt'"
	out=$(psql -XqAt -F '|' -d $db <<'SQL'
SELECT count(*) = 2357, 'customers loaded' FROM summary;
WITH f AS (SELECT clv_fit(ROW(frequency, recency, t, 0)::smarkpi_rfm) AS m FROM summary)
SELECT (m).bgnbd_converged AND round((m).r::numeric, 3) = 0.243 AND round((m).alpha::numeric, 3) = 4.414
	   AND round((m).a::numeric, 3) = 0.793 AND round((m).b::numeric, 3) = 2.426
	   AND round((m).bgnbd_loglik::numeric, 1) = -9582.4,
	   format('BG/NBD reproduces r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 (fitted r = %s, alpha = %s, a = %s, b = %s, LL = %s)',
			  round((m).r::numeric, 5), round((m).alpha::numeric, 5), round((m).a::numeric, 5),
			  round((m).b::numeric, 5), round((m).bgnbd_loglik::numeric, 3))
FROM f;
WITH f AS (SELECT clv_fit(ROW(x, t_x, t, zbar)::smarkpi_rfm) AS m FROM with_spend)
-- The Gamma-Gamma likelihood is flat along a ridge in (q, gamma): the exact
-- optimum, gamma = 15.4477, has a higher log-likelihood (-4055.9232) than the
-- published, rounded-off point (-4055.9247 at 6.25, 3.74, 15.44), so the check
-- allows 0.01 on each parameter.
SELECT (m).gg_converged AND abs((m).p - 6.25) < 0.01 AND abs((m).q - 3.74) < 0.01
	   AND abs((m).gamma - 15.44) < 0.01 AND (m).repeat_customers = 946,
	   format('Gamma-Gamma reproduces p = 6.25, q = 3.74, gamma = 15.44 within 0.01 on %s repeat buyers (fitted p = %s, q = %s, gamma = %s)',
			  (m).repeat_customers, round((m).p::numeric, 4), round((m).q::numeric, 4), round((m).gamma::numeric, 4))
FROM f;
-- The backtest: the 2,357 customers' transactions (CDNOW_sample.txt: sample
-- id, yyyymmdd, CDs, dollars), calibration 1997-01-01 .. 1997-09-30 (39
-- weeks), holdout to 1998-06-30 (39 weeks), in days.
SET timezone = 'UTC';
CREATE TEMP TABLE orders AS
SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD')::timestamptz AS ordered_at, f[5]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM sample_lines) l;
CREATE TEMP TABLE holdout AS
SELECT customer, rfm_holdout(ordered_at, amount, '1997-09-30', '1998-06-30') AS c FROM orders GROUP BY customer;
SELECT count(*) = 2357 AND count(*) FILTER (WHERE ((h.c).calibration).frequency = s.frequency
						  AND round((((h.c).calibration).recency / 7)::numeric, 2) = round(s.recency::numeric, 2)
						  AND round((((h.c).calibration).t / 7)::numeric, 2) = round(s.t::numeric, 2)
						  AND (h.c).holdout_days = 273) = 2357,
	   format('rfm_holdout reproduces the published calibration summary (x, t_x, T in weeks) of all %s customers from their transactions, holdout 273 days', count(*))
FROM holdout h JOIN summary s ON s.id = h.customer;
-- Holdout means by calibration frequency 0 .. 7+: actual as published for
-- this data (BTYD's walkthrough, McCarthy & Wadsworth), predicted as the
-- BG/NBD conditional expectation (Fader, Hardie & Lee 2005, eq. 10) at the
-- published r, alpha, a, b, evaluated independently (a Python 2F1 series).
CREATE TEMP TABLE model AS SELECT clv_fit((c).calibration) AS m FROM holdout;
WITH by_x AS (
	SELECT least(((c).calibration).frequency, 7) AS x, (clv_backtest(m, c)).*
	FROM holdout, model GROUP BY 1),
published(x, actual, predicted) AS (VALUES (0, 0.237, 0.225), (1, 0.697, 0.523), (2, 1.393, 1.044),
	(3, 1.560, 1.520), (4, 2.532, 2.164), (5, 2.947, 2.654), (6, 3.862, 3.504), (7, 6.359, 6.157))
SELECT count(*) = 8 AND bool_and(round(actual_purchases::numeric / customers, 3) = p.actual
								 AND abs(predicted_purchases / customers - p.predicted::float8) < 0.005),
	   'clv_backtest by calibration frequency 0 .. 7+: actual holdout purchases per customer ' ||
	   string_agg(round(actual_purchases::numeric / customers, 3)::text, ', ' ORDER BY x) ||
	   ' as published; predicted ' || string_agg(round((predicted_purchases / customers)::numeric, 3)::text, ', ' ORDER BY x) ||
	   ' as eq. 10 at the published parameters (within 0.005)'
FROM by_x JOIN published p USING (x);
SELECT b.customers = 2357 AND b.actual_purchases = 1882 AND abs(b.predicted_purchases - 1653.9) < 1
	   AND b.bias < 0 AND b.actual_spend > 0,
	   format('clv_backtest over all: %s customers, %s actual and %s predicted holdout purchases (eq. 10: 1653.9), mae %s, rmse %s, bias %s',
			  b.customers, b.actual_purchases, round(b.predicted_purchases::numeric, 1), round(b.mae::numeric, 3),
			  round(b.rmse::numeric, 3), round(b.bias::numeric, 3))
FROM (SELECT (clv_backtest(m, c)).* FROM holdout, model) b;
SQL
)
	while IFS='|' read -r result label; do
		if [ "$result" = t ]; then
			CDNOW_PASSED=$((CDNOW_PASSED + 1)); echo "ok - CDNOW: $label"
		else
			CDNOW_FAILED=$((CDNOW_FAILED + 1)); echo "not ok - CDNOW: $label"
		fi
	done <<<"$out"
	psql_q -c "DROP DATABASE $db"
}
