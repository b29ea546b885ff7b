#!/usr/bin/env bash
# smarkpi benchmark: every aggregate against the fastest plain SQL, a PL/pgSQL
# aggregate and two floors: count(*), and count(col) of the KPI's column (an
# aggregate that reads the column and does nothing with it); money KPIs also
# against the built-in sum(col); parallel scaling; GROUP BY memory; moving
# windows; window functions against lag().  Writes bench/RESULTS.md.
# A benchmark, not a test: it never fails on a timing.
#
#   bash bench/run.sh [--rows N] [--runs K] [--window-rows N]
#
# Defaults: 10,000,000 rows, 5 interleaved runs (medians), 1,000,000 rows for
# the window benchmarks.  Same throwaway-cluster set-up as the test command.
source "$(dirname "$0")/../test/pg_env.sh"

ROWS=10000000
RUNS=5
WROWS=1000000
CUSTOMERS=1000000
while [ $# -gt 0 ]; do
	case "$1" in
		--rows) ROWS=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		--window-rows) WROWS=$2; shift 2 ;;
		--customers) CUSTOMERS=$2; shift 2 ;;
		*) echo "usage: bash bench/run.sh [--rows N] [--runs K] [--window-rows N] [--customers N]" >&2; exit 2 ;;
	esac
done
[ "$WROWS" -le "$ROWS" ] || WROWS=$ROWS
BENCH=$SMARKPI_ROOT/bench
OUT=$BENCH/RESULTS.md

ensure_packages
start_bench_database "-c shared_buffers=4GB -c work_mem=2GB -c max_parallel_workers_per_gather=0 -c jit=off -c huge_pages=try" pg_prewarm
say "generating $ROWS rows"
psql_q -v rows="$ROWS" -f "$BENCH/data.sql" >/dev/null
psql_q -f "$BENCH/plpgsql.sql" >/dev/null
psql_q -c "SELECT pg_prewarm('crm'), pg_prewarm('crm_small'), pg_prewarm('monthly')" >/dev/null
SMALL=$(psql -XAt -c "SELECT count(*) FROM crm_small")

source "$BENCH/lib.sh"

mapfile -t QUERIES < <(grep -v '^#' "$BENCH/queries.txt")
# the KPI columns, for the count(col) floors; the numeric ones also get sum(col)
mapfile -t COLUMNS < <(grep -v '^#' "$BENCH/queries.txt" | cut -d'|' -f2 | sort -u)
MONEY_COLUMNS="amount cost"

say "aggregates: $RUNS interleaved runs over $ROWS rows"
{
	echo '\timing on'
	echo 'SET max_parallel_workers_per_gather = 0;'
	# every timed statement as "key|expression"; each run starts 1/RUNS of the
	# list further on, so a disturbance that recurs at one point of a run does
	# not fall on the same KPI every time (it did: roas and quota_attainment,
	# the same code over the same columns, once measured 874 and 1376 ms)
	STATEMENTS=("floor|count(*)")
	for col in "${COLUMNS[@]}"; do STATEMENTS+=("count:$col|count($col)"); done
	for col in $MONEY_COLUMNS; do STATEMENTS+=("sum:$col|sum($col)"); done
	for q in "${QUERIES[@]}"; do
		IFS='|' read -r name _ smk plain _ <<<"$q"
		STATEMENTS+=("smarkpi:$name|$smk" "plain:$name|$plain")
	done
	n=${#STATEMENTS[@]}
	for run in $(seq "$RUNS"); do
		for i in $(seq 0 $((n - 1))); do
			st=${STATEMENTS[$(((i + run * n / RUNS) % n))]}
			echo "\\echo @${st%%|*}"; echo "SELECT ${st#*|} FROM crm;"
		done
	done
} | timed | medians > "$SMARKPI_TMP/agg.txt"

PLRUNS=$(( RUNS < 3 ? RUNS : 3 ))
say "PL/pgSQL aggregates: $PLRUNS runs over $SMALL rows"
{
	echo '\timing on'
	echo 'SET max_parallel_workers_per_gather = 0;'
	for run in $(seq "$PLRUNS"); do
		for q in "${QUERIES[@]}"; do
			IFS='|' read -r name _ smk _ pl <<<"$q"
			echo "\\echo @small:$name"; echo "SELECT $smk FROM crm_small;"
			echo "\\echo @plpgsql:$name"; echo "SELECT $pl FROM crm_small;"
		done
	done
} | timed | medians > "$SMARKPI_TMP/pl.txt"

say "parallel scaling: 0 and 2 workers"
{
	echo '\timing on'
	echo 'SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;'
	for run in $(seq "$RUNS"); do
		for q in "${QUERIES[@]}"; do
			IFS='|' read -r name _ smk _ _ <<<"$q"
			echo 'SET max_parallel_workers_per_gather = 0;'
			echo "\\echo @w0:$name"; echo "SELECT $smk FROM crm;"
			echo 'SET max_parallel_workers_per_gather = 2;'
			echo "\\echo @w2:$name"; echo "SELECT $smk FROM crm;"
		done
	done
} | timed | medians > "$SMARKPI_TMP/par.txt"


say "GROUP BY with 1,000,000 groups (HashAggregate)"
GROUPED=("win_rate|win_rate(won)|count(*) FILTER (WHERE won)::float8 / nullif(count(won), 0)"
	"cac|cac(amount, n)|sum(amount) / nullif(sum(n), 0)"
	"sales_cycle_length|sales_cycle_length(created_at, closed_at)|avg(closed_at - created_at)"
	"nps|nps(score)|100 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8 / nullif(count(score), 0)"
	"roas|roas(amount, cost)|(sum(amount) / nullif(sum(cost), 0))::float8"
	"funnel_velocity|funnel_velocity(created_at, closed_at, amount, won)|count(created_at) * (count(*) FILTER (WHERE won))::numeric / nullif(count(won) FILTER (WHERE closed_at IS NOT NULL), 0) * avg(amount) FILTER (WHERE won) / nullif(extract(epoch FROM avg(closed_at - created_at) FILTER (WHERE won IS NOT NULL)) / 86400, 0)")
: > "$SMARKPI_TMP/grp.txt"
for g in "${GROUPED[@]}"; do
	IFS='|' read -r name smk plain <<<"$g"
	for variant in smarkpi plain; do
		expr=$smk; [ $variant = plain ] && expr=$plain
		for run in $(seq "$PLRUNS"); do
			psql -XAt -c "SET max_parallel_workers_per_gather = 0" -c "SET enable_sort = off" \
				-c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT grp, $expr FROM crm GROUP BY grp" |
				awk -v k="$variant:$name" '
					/Memory Usage:/ { for (i = 1; i <= NF; i++) if ($i == "Usage:") { mem = $(i + 1) } }
					/Batches:/ { for (i = 1; i <= NF; i++) if ($i == "Batches:") { b = $(i + 1) } }
					/Execution Time:/ { print k, $3, mem, b }'
		done
	done
done > "$SMARKPI_TMP/grp_raw.txt"
awk '{ print $1, $2 }' "$SMARKPI_TMP/grp_raw.txt" | medians > "$SMARKPI_TMP/grp.txt"

say "moving windows over $WROWS rows"
WINDOWED=("win_rate(won)" "cac(amount, n)" "sales_cycle_length(created_at, closed_at)" "nps(score)"
	"roas(amount, cost)" "funnel_velocity(created_at, closed_at, amount, won)"
	"duration_percentile(created_at, closed_at, 0.5)")
{
	echo '\timing on'
	echo 'SET max_parallel_workers_per_gather = 0;'
	for run in $(seq "$PLRUNS"); do
		for w in "${WINDOWED[@]}"; do
			for n in 10 100 1000; do
				echo "\\echo @win$n:${w%%(*}"
				echo "SELECT count(x) FROM (SELECT $w OVER (ORDER BY id ROWS $n PRECEDING) AS x FROM crm WHERE id <= $WROWS) s;"
			done
		done
	done
} | timed | medians > "$SMARKPI_TMP/win.txt"

LROWS=$(( WROWS / 10 ))
say "duration_percentile against LATERAL percentile_cont over $LROWS rows"
{
	echo '\timing on'
	echo 'SET max_parallel_workers_per_gather = 0;'
	echo 'CREATE INDEX IF NOT EXISTS crm_id ON crm (id);'
	for run in $(seq "$PLRUNS"); do
		for n in 10 100; do
			echo "\\echo @pct$n:smarkpi"
			echo "SELECT count(x) FROM (SELECT duration_percentile(created_at, closed_at, 0.5) OVER (ORDER BY id ROWS $n PRECEDING) AS x FROM crm WHERE id <= $LROWS) s;"
			echo "\\echo @pct$n:lateral"
			echo "SELECT count(x) FROM (SELECT id FROM crm WHERE id <= $LROWS) a CROSS JOIN LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_at - created_at) AS x FROM crm b WHERE b.id BETWEEN a.id - $n AND a.id) l;"
		done
	done
} | timed | medians > "$SMARKPI_TMP/pct.txt"

say "window functions against lag() over $((ROWS / 10)) rows"
{
	echo '\timing on'
	echo 'SET max_parallel_workers_per_gather = 0;'
	for run in $(seq "$RUNS"); do
		echo '\echo @smarkpi:growth_rate'
		echo 'SELECT count(g) FROM (SELECT growth_rate(revenue) OVER (ORDER BY month) AS g FROM monthly) s;'
		echo '\echo @lag:growth_rate'
		echo 'SELECT count(g) FROM (SELECT ((revenue - lag(revenue) OVER w) / nullif(abs(lag(revenue) OVER w), 0))::float8 AS g FROM monthly WINDOW w AS (ORDER BY month)) s;'
		echo '\echo @smarkpi:growth_rate_12'
		echo 'SELECT count(g) FROM (SELECT growth_rate(revenue, 12) OVER (ORDER BY month) AS g FROM monthly) s;'
		echo '\echo @lag:growth_rate_12'
		echo 'SELECT count(g) FROM (SELECT ((revenue - lag(revenue, 12) OVER w) / nullif(abs(lag(revenue, 12) OVER w), 0))::float8 AS g FROM monthly WINDOW w AS (ORDER BY month)) s;'
		echo '\echo @smarkpi:magic_number'
		echo 'SELECT count(g) FROM (SELECT magic_number(revenue, spend) OVER (ORDER BY month) AS g FROM monthly) s;'
		echo '\echo @lag:magic_number'
		echo 'SELECT count(g) FROM (SELECT ((revenue - lag(revenue) OVER w) * 4 / nullif(lag(spend) OVER w, 0))::float8 AS g FROM monthly WINDOW w AS (ORDER BY month)) s;'
	done
} | timed | medians > "$SMARKPI_TMP/wf.txt"

say "clv_fit: CDNOW and $CUSTOMERS simulated customers"
CDNOW="$SMARKPI_ROOT/../shared/data/cdnow"
psql_q -v customers="$CUSTOMERS" -f "$BENCH/clv.sql" >/dev/null
{
	echo '\timing on'
	echo 'SET max_parallel_workers_per_gather = 0;'
	if [ -f "$CDNOW/cdnow_customers_summary_with_transactions.csv" ]; then
		echo 'CREATE TABLE cdnow (id int, x int, t_x float8, t float8, zbar float8);'
		echo "\\copy cdnow FROM '$CDNOW/cdnow_customers_summary_with_transactions.csv' (FORMAT csv, HEADER)"
		for run in $(seq "$RUNS"); do
			echo '\echo @clv:cdnow'
			echo 'SELECT clv_fit(ROW(x, t_x, t, zbar)::smarkpi_rfm) FROM cdnow;'
		done
	fi
	for run in $(seq "$PLRUNS"); do
		echo '\echo @clv:simulated'
		echo 'SELECT clv_fit(c) FROM customers;'
		echo '\echo @clvagg:simulated'
		echo 'SELECT clv(c) FROM customers;'
	done
} | timed | medians > "$SMARKPI_TMP/clv.txt"

say "writing $OUT"
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
PGV=$(psql -XAt -c "SELECT version()")
FLOOR=$(get "$SMARKPI_TMP/agg.txt" floor)
{
	echo "# smarkpi benchmark results"
	echo
	echo "Written by \`bash bench/run.sh --rows $ROWS --runs $RUNS --window-rows $WROWS\` on $(date -u +%Y-%m-%d)."
	echo
	echo "- CPU: $CPU ($(nproc) cores)"
	echo "- PostgreSQL: $PGV"
	echo "- serial plans (max_parallel_workers_per_gather = 0) unless stated, JIT off, table prewarmed in shared_buffers"
	echo "- huge pages: $(awk '/HugePages_Total/ { t = $2 } /HugePages_Free/ { f = $2 } END { printf "%d of %d in use", t - f, t }' /proc/meminfo) (the server asks with huge_pages = try; without them every new process, each parallel worker included, pays a page fault per 4 kB of shared_buffers it reads, which on this VM erased the parallel speed-up)"
	echo "- times are medians of interleaved runs in one session, in milliseconds; ratios < 1 mean smarkpi is faster"
	echo
	echo "## Aggregates over $ROWS rows"
	echo
	echo "count(*) floor: $(ms "$FLOOR") ms. count(col) is the honest floor of an aggregate that must read its column: the same aggregate machinery, one call per row, nothing done with the value. PL/pgSQL columns over the first $SMALL rows (PL/pgSQL is too slow for the full table), against smarkpi on the same rows."
	echo
	echo "| KPI | smarkpi ms | plain SQL ms | smarkpi / plain SQL | smarkpi / count(*) | count(col) | smarkpi / count(col) | PL/pgSQL ms | smarkpi / PL/pgSQL | 0 → 2 workers speed-up |"
	echo "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"
	for q in "${QUERIES[@]}"; do
		IFS='|' read -r name col _ _ _ <<<"$q"
		s=$(get "$SMARKPI_TMP/agg.txt" "smarkpi:$name"); p=$(get "$SMARKPI_TMP/agg.txt" "plain:$name")
		c=$(get "$SMARKPI_TMP/agg.txt" "count:$col")
		sm=$(get "$SMARKPI_TMP/pl.txt" "small:$name"); pl=$(get "$SMARKPI_TMP/pl.txt" "plpgsql:$name")
		w0=$(get "$SMARKPI_TMP/par.txt" "w0:$name"); w2=$(get "$SMARKPI_TMP/par.txt" "w2:$name")
		echo "| \`$name\` | $(ms "$s") | $(ms "$p") | $(ratio "$s" "$p") | $(ratio "$s" "$FLOOR") | \`count($col)\` $(ms "$c") ms | $(ratio "$s" "$c") | $(ms "$pl") | $(ratio "$sm" "$pl") | $(ratio "$w0" "$w2") |"
	done
	echo
	echo "Money KPIs against the built-in \`sum(col)\` of their money column (PostgreSQL's own numeric sum over the same rows):"
	echo
	echo "| KPI | smarkpi ms | sum(col) | smarkpi / sum(col) | smarkpi / count(col) |"
	echo "|---|---:|---|---:|---:|"
	for q in "${QUERIES[@]}"; do
		IFS='|' read -r name col _ _ _ <<<"$q"
		case " $MONEY_COLUMNS " in *" $col "*) ;; *) continue ;; esac
		s=$(get "$SMARKPI_TMP/agg.txt" "smarkpi:$name"); u=$(get "$SMARKPI_TMP/agg.txt" "sum:$col")
		c=$(get "$SMARKPI_TMP/agg.txt" "count:$col")
		echo "| \`$name\` | $(ms "$s") | \`sum($col)\` $(ms "$u") ms | $(ratio "$s" "$u") | $(ratio "$s" "$c") |"
	done
	echo
	echo "## GROUP BY with 1,000,000 groups (HashAggregate, work_mem 2GB)"
	echo
	echo "| KPI | smarkpi ms | plain SQL ms | ratio | smarkpi memory | plain SQL memory | memory ratio |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for g in "${GROUPED[@]}"; do
		IFS='|' read -r name _ _ <<<"$g"
		s=$(get "$SMARKPI_TMP/grp.txt" "smarkpi:$name"); p=$(get "$SMARKPI_TMP/grp.txt" "plain:$name")
		smem=$(awk -v k="smarkpi:$name" '$1 == k { print $3 }' "$SMARKPI_TMP/grp_raw.txt" | tail -1)
		pmem=$(awk -v k="plain:$name" '$1 == k { print $3 }' "$SMARKPI_TMP/grp_raw.txt" | tail -1)
		echo "| \`$name\` | $(ms "$s") | $(ms "$p") | $(ratio "$s" "$p") | ${smem%kB} kB | ${pmem%kB} kB | $(ratio "${smem%kB}" "${pmem%kB}") |"
	done
	echo
	echo "## Moving windows: ROWS n PRECEDING over $WROWS rows"
	echo
	echo "Time per row must not grow with n where an exact inverse exists."
	echo
	echo "| aggregate | n = 10 ms | n = 100 ms | n = 1000 ms | n = 1000 / n = 10 |"
	echo "|---|---:|---:|---:|---:|"
	for w in "${WINDOWED[@]}"; do
		k=${w%%(*}
		a=$(get "$SMARKPI_TMP/win.txt" "win10:$k"); b=$(get "$SMARKPI_TMP/win.txt" "win100:$k"); c=$(get "$SMARKPI_TMP/win.txt" "win1000:$k")
		echo "| \`$k\` | $(ms "$a") | $(ms "$b") | $(ms "$c") | $(ratio "$c" "$a") |"
	done
	echo
	echo "duration_percentile as a moving window against the only built-in alternative, a LATERAL percentile_cont per frame, over $LROWS rows:"
	echo
	echo "| frame | smarkpi ms | LATERAL percentile_cont ms | ratio |"
	echo "|---|---:|---:|---:|"
	for n in 10 100; do
		a=$(get "$SMARKPI_TMP/pct.txt" "pct$n:smarkpi"); b=$(get "$SMARKPI_TMP/pct.txt" "pct$n:lateral")
		echo "| ROWS $n PRECEDING | $(ms "$a") | $(ms "$b") | $(ratio "$a" "$b") |"
	done
	echo
	echo "## Window functions against lag() over $((ROWS / 10)) rows"
	echo
	echo "| function | smarkpi ms | lag() SQL ms | ratio |"
	echo "|---|---:|---:|---:|"
	for f in growth_rate growth_rate_12 magic_number; do
		a=$(get "$SMARKPI_TMP/wf.txt" "smarkpi:$f"); b=$(get "$SMARKPI_TMP/wf.txt" "lag:$f")
		echo "| \`$f\` | $(ms "$a") | $(ms "$b") | $(ratio "$a" "$b") |"
	done
	echo
	echo "## Customer lifetime value: fitting BG/NBD and Gamma-Gamma"
	echo
	echo "Targets: under 100 ms on CDNOW (2,357 customers), under 5 s on 1,000,000 customers."
	echo
	echo "| data | clv_fit ms | clv() aggregate ms |"
	echo "|---|---:|---:|"
	c=$(get "$SMARKPI_TMP/clv.txt" "clv:cdnow")
	[ -n "$c" ] && echo "| CDNOW, 2,357 customers (weeks) | $(ms "$c") | |"
	echo "| $CUSTOMERS simulated customers (days) | $(ms "$(get "$SMARKPI_TMP/clv.txt" "clv:simulated")") | $(ms "$(get "$SMARKPI_TMP/clv.txt" "clvagg:simulated")") |"
	[ -f "$BENCH/TARGETS.md" ] && cat "$BENCH/TARGETS.md"
} > "$OUT"
cat "$OUT"
