#!/usr/bin/env bash
# The sample company (examples/): its headline numbers land where companies
# report theirs (test/sample_company/headlines.sql), its tables are consistent
# and the dashboard's summaries equal the raw rows (checks.sql), the generator
# gives the same rows on every run and major (fingerprint.txt), and the demo's
# dashboard runs through without an error.  Sourced by test/check.sh with a
# running cluster; sets SAMPLE_PASSED and SAMPLE_FAILED.
#
#   bash test/sample_company.sh [--print-fingerprint]   (alone: sets up a cluster)

# md5 of every table the generator writes, one line per table
sample_fingerprint() {
	local t sum
	for t in campaigns channels customers invoices leads mrr opportunities opportunity_history \
		opportunity_stage_history quotas sm_spend stages subscription_terms surveys touches; do
		sum=$("$PG_BINDIR/psql" -XAt -v ON_ERROR_STOP=1 -d "$1" \
			-c "SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM $t x") || return 1
		echo "$t $sum"
	done
}

sample_load() {
	PGOPTIONS="-c client_min_messages=warning" psql_q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" &&
		psql_q -d "$1" -c "CREATE EXTENSION smarkpi" -f "$SMARKPI_ROOT/examples/sample_crm.sql" >/dev/null
}

run_sample_company_check() {
	local db=smarkpi_sample out="$SMARKPI_TMP/sample_company.out" started seconds
	SAMPLE_PASSED=0
	SAMPLE_FAILED=0
	: >"$out"
	started=$(date +%s)
	if ! sample_load $db; then
		echo "not ok - sample company: examples/sample_crm.sql does not load" | tee -a "$out"
		SAMPLE_FAILED=1
		return 0
	fi
	for f in headlines checks; do
		psql -X -v ON_ERROR_STOP=1 -d $db -f "$SMARKPI_ROOT/test/sample_company/$f.sql" >>"$out" 2>&1 ||
			echo "not ok - sample company: test/sample_company/$f.sql stopped with an error" >>"$out"
	done
	if diff -u "$SMARKPI_ROOT/test/sample_company/fingerprint.txt" <(sample_fingerprint $db) >"$SMARKPI_TMP/fingerprint.diff"; then
		echo "ok - sample company: the generator wrote the recorded rows (fingerprint.txt)" >>"$out"
	else
		cat "$SMARKPI_TMP/fingerprint.diff" >>"$out"
		echo "not ok - sample company: the generator's rows differ from fingerprint.txt" >>"$out"
	fi
	# the demo's dashboard: every section printed, no error
	if psql_q -d $db -f "$SMARKPI_ROOT/examples/dashboard.sql" >"$SMARKPI_TMP/dashboard.out" 2>&1 &&
		[ "$(grep -cE '^[1-7]\. (PIPELINE|FUNNEL|DEALS|CUSTOMERS|EFFICIENCY|ATTRIBUTION|PIPELINE REVIEW) - ' "$SMARKPI_TMP/dashboard.out")" -eq 7 ] &&
		grep -qE '^7\. PIPELINE REVIEW - ' "$SMARKPI_TMP/dashboard.out"; then
		seconds=$(($(date +%s) - started))
		echo "ok - sample company: the dashboard prints its seven sections, the pipeline review last (load and dashboard in ${seconds} s)" >>"$out"
	else
		tail -20 "$SMARKPI_TMP/dashboard.out" >>"$out"
		echo "not ok - sample company: examples/dashboard.sql failed" >>"$out"
	fi
	psql_q -c "DROP DATABASE $db" >/dev/null
	cat "$out"
	SAMPLE_PASSED=$(grep -c '^ok - ' "$out" || true)
	SAMPLE_FAILED=$(grep -c '^not ok - ' "$out" || true)
	[ "$SAMPLE_PASSED" -gt 0 ] || { echo "not ok - sample company: no check ran"; SAMPLE_FAILED=$((SAMPLE_FAILED + 1)); }
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	source "$(dirname "$0")/pg_env.sh"
	ensure_cluster
	if [ "${1:-}" = --print-fingerprint ]; then
		sample_load smarkpi_sample && sample_fingerprint smarkpi_sample
		exit
	fi
	run_sample_company_check
	[ "$SAMPLE_FAILED" -eq 0 ]
fi
