#!/usr/bin/env bash
# Validates clv_fit on the CDNOW data (Fader, Hardie & Lee, 2005) against the
# published fits, when ../shared/data/cdnow is present.  Without it the check
# is skipped with a message, except in CI (CI=true), where that is a failure.
# (sql/clv.sql also recovers known parameters from seeded simulated customers,
# so clv_fit is validated without outside data too.)  Times are in weeks, fed directly (so alpha is per week).
# Sourced by test/check.sh with a running cluster; sets CDNOW_PASSED/FAILED.
run_cdnow() {
	local dir="$SMARKPI_ROOT/../shared/data/cdnow" db=smarkpi_cdnow out
	CDNOW_PASSED=0
	CDNOW_FAILED=0
	if [ ! -f "$dir/cdnow_customers_summary.csv" ] || [ ! -f "$dir/cdnow_customers_summary_with_transactions.csv" ]; then
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
		-c "\\copy with_spend FROM '$dir/cdnow_customers_summary_with_transactions.csv' (FORMAT csv, HEADER)"
	out=$(psql -XAt -F '|' -d $db <<'SQL'
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
