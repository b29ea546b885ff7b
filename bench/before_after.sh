#!/usr/bin/env bash
# Before and after: the hot paths of issue 21 (the money KPIs' numeric input,
# pipeline_value, markov_attribution) under two builds of smarkpi in one
# PostgreSQL 15 server: REV (default 1d267ec, the commit before) installed as
# the extension smarkpi_old in database bench_old (bench/lib.sh
# install_old_build), the working tree as smarkpi in bench_new, both cloned
# from one template with the same data.  Before timing, each query's result
# must be the same text in both; a difference is printed and the script
# exits non-zero after writing bench/BEFORE_AFTER.md.  K interleaved runs
# (default 5), old then new (new then old every other run), each in a fresh
# session that runs every query once before timing; medians, and each query
# against its floor (count(*) or count(col) over the same rows, timed the
# same way).
#
#   bash bench/before_after.sh [--old REV] [--runs K]
#
# A benchmark, not a test: it never fails on a timing.
source "$(dirname "$0")/../test/pg_env.sh"

OLD=1d267ec
RUNS=5
while [ $# -gt 0 ]; do
	case "$1" in
		--old) OLD=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		*) echo "usage: bash bench/before_after.sh [--old REV] [--runs K]" >&2; exit 2 ;;
	esac
done
BENCH=$SMARKPI_ROOT/bench
OUT=$BENCH/BEFORE_AFTER.md
OLD_COMMIT=$(git -C "$SMARKPI_ROOT" rev-parse --verify "$OLD^{commit}")

use_pg_config_or_packages 15
start_bench_database "-c shared_buffers=2GB -c work_mem=1GB -c max_parallel_workers_per_gather=0 -c jit=off -c huge_pages=try" pg_prewarm
source "$BENCH/lib.sh"
install_old_build "$OLD_COMMIT"

say "generating 3,000,000 narrow CRM rows and 1,000,000 journeys"
psql_q -d postgres -c "CREATE DATABASE bench_tmpl"
psql_q -d bench_tmpl >/dev/null <<'SQL'
CREATE TABLE crm AS
SELECT i AS id, round((i % 10007) * 1.37, 2) AS amount, (i % 7)::bigint AS n,
	   round((i % 5003) * 0.91, 2) AS cost, ((i % 101) / 100.0)::float8 AS probability,
	   CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS won
FROM generate_series(1, 3000000) i;
VACUUM ANALYZE crm;
SQL
psql_q -d bench_tmpl -v rows=1000000 -f "$BENCH/journeys.sql" >/dev/null
for side in old new; do
	ext=smarkpi; [ $side = old ] && ext=smarkpi_old
	psql_q -d postgres -c "CREATE DATABASE bench_$side TEMPLATE bench_tmpl"
	psql_q -d "bench_$side" -c "CREATE EXTENSION $ext" -c "CREATE EXTENSION pg_prewarm" \
		-c "SELECT pg_prewarm('crm'), pg_prewarm('journeys')" >/dev/null
done

# key | floor key | query
QUERIES=("count_star|count_star|SELECT count(*) FROM crm"
	"count_amount|count_amount|SELECT count(amount) FROM crm"
	"count_won|count_won|SELECT count(won) FROM crm"
	"sum_amount|count_amount|SELECT sum(amount) FROM crm"
	"cac|count_amount|SELECT cac(amount, n) FROM crm"
	"roas|count_amount|SELECT roas(amount, cost) FROM crm"
	"avg_deal_size|count_amount|SELECT avg_deal_size(amount, won) FROM crm"
	"open_pipeline_value|count_amount|SELECT open_pipeline_value(amount, won) FROM crm"
	"pipeline_value|count_amount|SELECT pipeline_value(amount, probability) FROM crm"
	"win_rate|count_won|SELECT win_rate(won) FROM crm"
	"journeys|journeys|SELECT count(*) FROM journeys"
	"markov|journeys|SELECT markov_attribution(path, converted) FROM journeys"
	"markov_value|journeys|SELECT markov_attribution(path, converted, value) FROM journeys")

say "the same results in both builds"
DIFFER=""
for q in "${QUERIES[@]}"; do
	IFS='|' read -r key _ sql <<<"$q"
	a=$(psql -XAt -d bench_old -c "$sql") b=$(psql -XAt -d bench_new -c "$sql")
	[ "$a" = "$b" ] || { DIFFER="$DIFFER $key"; echo "RESULTS DIFFER: $key" >&2; }
done

say "$RUNS interleaved runs"
{
	echo '\timing on'; echo '\o /dev/null'
	for run in $(seq "$RUNS"); do
		sides="old new"; [ $((run % 2)) -eq 0 ] && sides="new old"
		for side in $sides; do
			# a session per side and run, warmed before timing: its first pass maps the
			# shared buffers and loads the library (a first markov_attribution ran up to
			# twice as long as the next in one session)
			echo "\\c bench_$side"
			for q in "${QUERIES[@]}"; do echo "${q##*|};"; done
			for q in "${QUERIES[@]}"; do
				IFS='|' read -r key _ sql <<<"$q"
				echo "\\echo @$side:$key"; echo "$sql;"
			done
		done
	done
} | timed | medians > "$SMARKPI_TMP/med.txt"

say "writing $OUT"
{
	echo "# Before and after issue 21: money KPIs, pipeline_value, markov_attribution"
	echo
	echo "Written by \`bash bench/before_after.sh --old $OLD --runs $RUNS\` on $(date -u +%Y-%m-%d)."
	echo
	echo "- old: \`$OLD\` = ${OLD_COMMIT:0:7} as smarkpi_old in bench_old; new: the working tree at $(git -C "$SMARKPI_ROOT" rev-parse --short HEAD)$(git -C "$SMARKPI_ROOT" diff --quiet HEAD -- src sql || echo ' (with uncommitted changes)') as smarkpi in bench_new; one server"
	echo "- CPU: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo) ($(nproc) cores); PostgreSQL: $(psql -XAt -c 'SELECT version()')"
	echo "- \`crm\`: 3,000,000 narrow rows (amount numeric with 2 decimals, n bigint, cost, probability float8 with 101 distinct values, won); \`journeys\`: 1,000,000 journeys of bench/journeys.sql (4.5 touches on average over 10 channels)"
	echo "- serial, JIT off, tables in shared_buffers; medians of $RUNS interleaved runs, in milliseconds; a fresh session per build and run, every query run once in it before timing"
	echo "- results: $([ -z "$DIFFER" ] && echo 'every query gives the same text in both builds' || echo "DIFFER for:$DIFFER")"
	echo
	echo "| query | floor | old ms | old / floor | new ms | new / floor | new / old |"
	echo "|---|---|---:|---:|---:|---:|---:|"
	for q in "${QUERIES[@]}"; do
		IFS='|' read -r key floor sql <<<"$q"
		o=$(get "$SMARKPI_TMP/med.txt" "old:$key"); n=$(get "$SMARKPI_TMP/med.txt" "new:$key")
		of=$(get "$SMARKPI_TMP/med.txt" "old:$floor"); nf=$(get "$SMARKPI_TMP/med.txt" "new:$floor")
		echo "| \`${sql#SELECT }\` | $floor | $(ms "$o") | $(ratio "$o" "$of") | $(ms "$n") | $(ratio "$n" "$nf") | $(ratio "$n" "$o") |"
	done
} > "$OUT"
cat "$OUT"
[ -z "$DIFFER" ]
