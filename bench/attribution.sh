#!/usr/bin/env bash
# Rule-based attribution benchmark (issue 14), writes bench/ATTRIBUTION.md.
#
#   bash bench/attribution.sh [--conversions N] [--runs K]
#
# attribution_credit (position_based; time_decay) against the plain SQL a
# user writes for the same credits (row_number()/count() OVER arithmetic;
# sum(power(2, ...)) OVER), with count(*) and a plain row_number() over the
# same window as the floors, on ~7.5 touches per conversion (default 200,000
# conversions, ~1.5 M touches).  Each query sums the credits, so only one row
# is sent.  Medians of K interleaved runs (default 5) in one session, serial;
# the plain SQL in numeric (15x slower than the rest) runs once.
# Also checks, once, that the credits equal the plain SQL's row by row.
# Uses $PG_CONFIG when set (any PostgreSQL 15-18), else the Debian
# PostgreSQL 15.  A benchmark, not a test: it prints figures, never fails on them.
source "$(dirname "$0")/../test/pg_env.sh"

CONVERSIONS=200000
RUNS=5
while [ $# -gt 0 ]; do
	case "$1" in
		--conversions) CONVERSIONS=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		*) echo "usage: bash bench/attribution.sh [--conversions N] [--runs K]" >&2; exit 2 ;;
	esac
done
BENCH=$SMARKPI_ROOT/bench
OUT=$BENCH/ATTRIBUTION.md
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

use_pg_config_or_packages 15
start_bench_database "-c shared_buffers=1GB -c work_mem=1GB -c max_parallel_workers_per_gather=0 -c jit=off -c timezone=UTC" pg_prewarm

say "generating touches of $CONVERSIONS conversions"
psql_q -v conversions="$CONVERSIONS" -f "$BENCH/attribution_data.sql" >/dev/null
psql_q -c "SELECT pg_prewarm('touches')" >/dev/null
source "$BENCH/lib.sh"

W="PARTITION BY conversion_id ORDER BY touched_at, touch_id"
P="PARTITION BY conversion_id"
PB_PLAIN="CASE WHEN count(*) OVER p = 1 THEN 1.0::float8 WHEN count(*) OVER p = 2 THEN 0.5::float8 WHEN row_number() OVER w IN (1, count(*) OVER p) THEN 0.4::float8 ELSE 0.2::float8 / (count(*) OVER p - 2) END"
TD_EXTRACT="CASE WHEN touched_at <= converted_at THEN power(2, -extract(epoch FROM converted_at - touched_at) / 604800) ELSE 0 END"
TD_DATEPART="CASE WHEN touched_at <= converted_at THEN power(2::float8, -date_part('epoch', converted_at - touched_at) / 604800) ELSE 0 END"

# key | label | query (one line each)
QUERIES=("count|\`count(*)\` (floor: the scan)|SELECT count(*) FROM touches"
	"rn_w|\`row_number() OVER w\` (floor: sort + ordered window)|SELECT sum(c) FROM (SELECT row_number() OVER w AS c FROM touches WINDOW w AS ($W)) s"
	"pb|\`attribution_credit('position_based') OVER w\`|SELECT sum(c) FROM (SELECT attribution_credit('position_based') OVER w AS c FROM touches WINDOW w AS ($W)) s"
	"pb_plain|plain SQL: \`row_number()\`/\`count(*) OVER\` arithmetic|SELECT sum(c) FROM (SELECT $PB_PLAIN AS c FROM touches WINDOW p AS ($P), w AS ($W)) s"
	"rn_w_ts|\`row_number() OVER w\` carrying both timestamps (floor for the timestamp form)|SELECT sum(c) FROM (SELECT row_number() OVER w + (converted_at < touched_at)::int AS c FROM touches WINDOW w AS ($W)) s"
	"pb_t|\`attribution_credit('position_based', touched_at, converted_at) OVER w\` (after-conversion touches left out)|SELECT sum(c) FROM (SELECT attribution_credit('position_based', touched_at, converted_at) OVER w AS c FROM touches WINDOW w AS ($W)) s"
	"rn_p|\`row_number() OVER p\` (floor: sort + unordered window)|SELECT sum(c) FROM (SELECT row_number() OVER p AS c FROM touches WINDOW p AS ($P)) s"
	"rn_p_ts|\`row_number() OVER p\` carrying both timestamps (floor for time decay)|SELECT sum(c) FROM (SELECT row_number() OVER p + (converted_at < touched_at)::int AS c FROM touches WINDOW p AS ($P)) s"
	"td|\`attribution_credit('time_decay', touched_at, converted_at) OVER p\`|SELECT sum(c) FROM (SELECT attribution_credit('time_decay', touched_at, converted_at) OVER p AS c FROM touches WINDOW p AS ($P)) s"
	"td_extract|plain SQL: \`power(2, -extract(epoch ...) / 604800) / sum(...) OVER p\` (numeric; one run)|SELECT sum(c) FROM (SELECT $TD_EXTRACT / nullif(sum($TD_EXTRACT) OVER p, 0) AS c FROM touches WINDOW p AS ($P)) s"
	"td_datepart|plain SQL: the same with \`date_part('epoch', ...)\` (float8)|SELECT sum(c) FROM (SELECT $TD_DATEPART / nullif(sum($TD_DATEPART) OVER p, 0) AS c FROM touches WINDOW p AS ($P)) s")

say "$RUNS interleaved runs"
{
	echo '\timing on'
	for run in $(seq "$RUNS"); do
		for q in "${QUERIES[@]}"; do
			IFS='|' read -r key _ sql <<<"$q"
			# the numeric plain SQL alone would take most of the run: timed once
			[ "$key" = td_extract ] && [ "$run" -gt 1 ] && continue
			echo "\\echo @$key"; echo "$sql;"
		done
	done
} | timed > "$SMARKPI_TMP/raw.txt"
medians < "$SMARKPI_TMP/raw.txt" > "$SMARKPI_TMP/times.txt"
# fastest run per query: with other load on the machine the median moves, the minimum less
sort -k1,1 -k2,2n "$SMARKPI_TMP/raw.txt" | awk '$1 != k { print; k = $1 }' > "$SMARKPI_TMP/mins.txt"

say "checking the credits against the plain SQL"
psql -XAt -F ' ' -v ON_ERROR_STOP=1 > "$SMARKPI_TMP/check.txt" <<SQL
SELECT 'touches', count(*) FROM touches;
SELECT 'conversions', count(DISTINCT conversion_id) FROM touches;
SELECT 'after', count(*) FILTER (WHERE touched_at > converted_at) FROM touches;
SELECT 'pb_diff', max(abs(a - b)) FROM (SELECT attribution_credit('position_based') OVER w AS a, $PB_PLAIN AS b FROM touches WINDOW p AS ($P), w AS ($W)) s;
SELECT 'td_diff', max(abs(a - b)) FROM (SELECT attribution_credit('time_decay', touched_at, converted_at) OVER p AS a, $TD_DATEPART / nullif(sum($TD_DATEPART) OVER p, 0) AS b FROM touches WINDOW p AS ($P)) s;
SELECT 'sum_err', max(abs(t - 1)) FROM (SELECT sum(c) AS t FROM (SELECT conversion_id, attribution_credit('time_decay', touched_at, converted_at) OVER p AS c FROM touches WINDOW p AS ($P)) s GROUP BY conversion_id HAVING max(c) > 0) g;
SELECT 'no_credit', count(*) FROM (SELECT conversion_id FROM touches GROUP BY conversion_id HAVING bool_and(touched_at > converted_at)) g;
SQL
chk() { awk -v k="$1" '$1 == k { print $2 }' "$SMARKPI_TMP/check.txt"; }

say "writing $OUT"
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
PGV=$(psql -XAt -c "SELECT version()")
ELAPSED=$(( $(date +%s) - STARTED ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git -C "$SMARKPI_ROOT" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
T() { get "$SMARKPI_TMP/times.txt" "$1"; }
C=$(T count)
{
	echo "# Rule-based attribution: benchmark"
	echo
	echo "Written by \`bash bench/attribution.sh --conversions $CONVERSIONS --runs $RUNS\` on $(date -u +%Y-%m-%d) (issue 14; $ELAPSED s)."
	echo
	echo "- smarkpi commit: $COMMIT"
	echo "- CPU: $CPU ($(nproc) cores); load average (1, 5, 15 min) before the run: $LOAD_BEFORE, after: $LOAD_AFTER"
	echo "- PostgreSQL: $PGV"
	echo "- shared_buffers 1GB, work_mem 1GB (sorts in memory), JIT off, serial plans, table prewarmed"
	echo "- times are medians of $RUNS interleaved runs in one session, in milliseconds, measured by psql's \\timing"
	echo
	echo "Data (\`bench/attribution_data.sql\`): $(chk touches) touches of $(chk conversions) conversions (1 to 14 touches each, over the 60 days before the conversion; $(chk after) touches after their conversion), stored in an order unrelated to the conversion. Every query sums the credits in an outer \`SELECT sum(c) FROM (...) s\`, so one row is sent."
	echo
	echo '```sql'
	echo "WINDOW w AS ($W), p AS ($P)"
	echo "-- position-based, the plain SQL:"
	echo "$PB_PLAIN"
	echo "-- time decay (half-life 7 days = 604800 s), the plain SQL:"
	echo "$TD_DATEPART / nullif(sum($TD_DATEPART) OVER p, 0)"
	echo '```'
	echo
	awk -v a="$LOAD_BEFORE" -v b="$LOAD_AFTER" -v c="$(nproc)" 'BEGIN { split(a, x, " "); split(b, y, " "); if (x[1] > c || y[1] > c) printf "The machine was busy during this run (1-minute load average above its %d cores, from other work): medians move between runs, the fastest runs less; compare both.\n\n", c }'
	echo "| query | median ms | / count(*) | / row_number() floor | / smarkpi | fastest run ms | fastest / floor's fastest |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for q in "${QUERIES[@]}"; do
		IFS='|' read -r key label _ <<<"$q"
		t=$(T "$key")
		case $key in
			count) floor_key=""; own="" ;;
			rn_w|pb|pb_plain) floor_key=rn_w; own=$(T pb) ;;
			rn_w_ts|pb_t) floor_key=rn_w_ts; own=$(T pb) ;;
			rn_p) floor_key=rn_p; own=$(T td) ;;
			*) floor_key=rn_p_ts; own=$(T td) ;;
		esac
		floor=$(T "$floor_key")
		fastv=$(get "$SMARKPI_TMP/mins.txt" "$key"); fast=$(ms "$fastv")
		[ "$key" = count ] && echo "| $label | $(ms "$t") | 1.00 | | | $fast | |" && continue
		echo "| $label | $(ms "$t") | $(ratio "$t" "$C") | $(ratio "$t" "$floor") | $(ratio "$t" "$own") | $fast | $(ratio "$fastv" "$(get "$SMARKPI_TMP/mins.txt" "$floor_key")") |"
	done
	echo
	echo "The floors: a bare \`row_number()\` over the same window, which sorts only the columns it needs; the timestamp forms and the time-decay SQL also carry touched_at and converted_at through the sort and the window, so their floor is \`row_number()\` plus a comparison of the two timestamps above the window (\"carrying both timestamps\"). \"/ row_number() floor\" divides by the floor of the same width."
	echo
	echo "Time above the floor: position_based $(awk -v a="$(T pb)" -v b="$(T rn_w)" 'BEGIN { printf "%+.0f ms", a - b }') (plain SQL $(awk -v a="$(T pb_plain)" -v b="$(T rn_w)" 'BEGIN { printf "%+.0f ms", a - b }')), position_based timestamp form $(awk -v a="$(T pb_t)" -v b="$(T rn_w_ts)" 'BEGIN { printf "%+.0f ms", a - b }'), time_decay $(awk -v a="$(T td)" -v b="$(T rn_p_ts)" 'BEGIN { printf "%+.0f ms", a - b }') (plain SQL $(awk -v a="$(T td_datepart)" -v b="$(T rn_p_ts)" 'BEGIN { printf "%+.0f ms", a - b }') in float8, $(awk -v a="$(T td_extract)" -v b="$(T rn_p_ts)" 'BEGIN { printf "%+.0f ms", a - b }') with numeric extract)."
	echo
	echo "Correctness on this data, checked by the script: largest |smarkpi − plain SQL| per touch: position_based $(chk pb_diff), time_decay $(chk td_diff) (against the float8 plain SQL); largest |sum of a conversion's time-decay credits − 1|: $(chk sum_err) (over the conversions with a touch before them; the $(chk no_credit) whose touches all come after get 0 everywhere)."
} > "$OUT"
cat "$OUT"
