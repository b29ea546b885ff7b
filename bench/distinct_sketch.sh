#!/usr/bin/env bash
# Distinct sketch benchmark (issue 26), writes bench/DISTINCT_SKETCH.md.
#
#   bash bench/distinct_sketch.sh [--rows N] [--runs R] [--max M] [--installed]
#
# Against Debian's postgresql-15-hll (installed here when the server is the
# packaged 15) at the same register count (2^14):
#   1. error: distinct_count(distinct_sketch(v)) and
#      hll_cardinality(hll_add_agg(hll_hash_text(v), 14)) over 10, 100, ...
#      M (default 10,000,000) distinct text values, 400 disjoint value sets
#      per size up to 10^6, 40 at 10^7: root-mean-square, largest and mean
#      signed relative error;
#   2. build time over N rows (default 10,000,000) of text with N / 10
#      distinct values, per channel (8 groups): distinct_sketch,
#      hll_add_agg(hll_hash_text(...)), count(DISTINCT), and the floors
#      count(*) and count(v); medians of R interleaved runs (default 5), each
#      run in another order.
# A benchmark, not a test: it prints figures, it never fails on them.
source "$(dirname "$0")/../test/pg_env.sh"

ROWS=10000000
RUNS=5
MAX=10000000
INSTALLED=no
while [ $# -gt 0 ]; do
	case "$1" in
		--rows) ROWS=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		--max) MAX=$2; shift 2 ;;
		--installed) INSTALLED=yes; shift ;;
		*) echo "usage: bash bench/distinct_sketch.sh [--rows N] [--runs R] [--max M] [--installed]" >&2; exit 2 ;;
	esac
done
BENCH=$SMARKPI_ROOT/bench
OUT=$BENCH/DISTINCT_SKETCH.md
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

use_pg_config_or_packages
MAJOR=$("$PG_CONFIG" --version | sed 's/^PostgreSQL \([0-9]*\).*/\1/')
if [ ! -f "$("$PG_CONFIG" --sharedir)/extension/hll.control" ] && [ "$MAJOR" = "$(packaged_major)" ]; then
	apt_install "postgresql-$MAJOR-hll"
fi
SMARKPI_USE_INSTALLED=$INSTALLED start_bench_database "-c shared_buffers=4GB -c work_mem=2GB -c max_parallel_workers_per_gather=0 -c jit=off"
EXTVERSION=$(psql -XAt -c "SELECT extversion FROM pg_extension WHERE extname = 'smarkpi'")
HLL=no
if psql_q -c "CREATE EXTENSION hll" 2>/dev/null; then HLL=yes; fi
HLLVERSION=$( [ "$HLL" = yes ] && psql -XAt -c "SELECT extversion FROM pg_extension WHERE extname = 'hll'" || echo "not installed")
source "$BENCH/lib.sh"

say "error across sizes up to $MAX distinct values"
psql -XAt -F' ' -v ON_ERROR_STOP=1 -v max="$MAX" -v hll="$HLL" > "$SMARKPI_TMP/error.txt" <<'SQL'
CREATE TEMP TABLE sizes AS
SELECT n, s FROM (SELECT (10 ^ k)::bigint AS n FROM generate_series(1, 7) k) x, generate_series(1, 400) s
WHERE n <= :max AND s <= CASE WHEN n <= 1000000 THEN 400 ELSE 40 END;
CREATE TEMP TABLE estimates (n bigint, s int, smarkpi bigint, hll bigint);
SELECT set_config('my.hll', :'hll', false) \g /dev/null
DO $$
DECLARE r record;
BEGIN
	FOR r IN SELECT n, s FROM sizes ORDER BY n, s LOOP
		IF current_setting('my.hll') = 'yes' THEN
			EXECUTE format('INSERT INTO estimates SELECT %s, %s, distinct_count(distinct_sketch(v)),
								   hll_cardinality(hll_add_agg(hll_hash_text(v), 14))::bigint
							FROM (SELECT ''lead-'' || (%s::bigint * 100000000 + i) AS v FROM generate_series(1, %s) i) x',
						   r.n, r.s, r.s, r.n);
		ELSE
			EXECUTE format('INSERT INTO estimates SELECT %s, %s, distinct_count(distinct_sketch(v)), NULL
							FROM (SELECT ''lead-'' || (%s::bigint * 100000000 + i) AS v FROM generate_series(1, %s) i) x',
						   r.n, r.s, r.s, r.n);
		END IF;
	END LOOP;
END $$;
SELECT 'err', n, count(*), sqrt(avg(((smarkpi - n)::float8 / n) ^ 2)), max(abs(smarkpi - n)::float8 / n),
	   sqrt(avg(((hll - n)::float8 / n) ^ 2)), max(abs(hll - n)::float8 / n),
	   avg((smarkpi - n)::float8 / n), avg((hll - n)::float8 / n)
FROM estimates GROUP BY n ORDER BY n;
SQL

say "generating $ROWS rows"
psql_q -v rows="$ROWS" <<'SQL' >/dev/null
CREATE TABLE leads AS
SELECT 'channel_' || (i % 8) AS channel, 'lead-' || ((i * 7919) % (:rows / 10)) AS lead
FROM generate_series(1::bigint, :rows) i;
VACUUM ANALYZE leads;
SQL
if psql_q -c "CREATE EXTENSION pg_prewarm" 2>/dev/null; then psql_q -c "SELECT pg_prewarm('leads')" >/dev/null; fi
TABLE_SIZE=$(psql -XAt -c "SELECT pg_size_pretty(pg_table_size('leads'))")
NDIST=$(psql -XAt -c "SELECT count(DISTINCT lead) FROM leads")

FLOOR_Q="SELECT channel, count(*) FROM leads GROUP BY channel"
FLOOR_COL_Q="SELECT channel, count(lead) FROM leads GROUP BY channel"
SKETCH_Q="SELECT channel, distinct_count(distinct_sketch(lead)) FROM leads GROUP BY channel"
HLL_Q="SELECT channel, hll_cardinality(hll_add_agg(hll_hash_text(lead), 14)) FROM leads GROUP BY channel"
EXACT_Q="SELECT channel, count(DISTINCT lead) FROM leads GROUP BY channel"
say "$RUNS interleaved runs"
{
	echo '\timing on'
	echo 'SET max_parallel_workers_per_gather = 0;'
	KEYS=(floor floor_col sketch)
	if [ "$HLL" = yes ]; then KEYS+=(hll); fi
	KEYS+=(exact)
	N=${#KEYS[@]}
	declare -A QUERY=([floor]=$FLOOR_Q [floor_col]=$FLOOR_COL_Q [sketch]=$SKETCH_Q [hll]=$HLL_Q [exact]=$EXACT_Q)
	# runs alternate direction and start one query later: no query is always first or after the same one
	for r in $(seq 0 $((RUNS - 1))); do
		for i in $(seq 0 $((N - 1))); do
			if [ $((r % 2)) = 0 ]; then j=$(((i + r) % N)); else j=$(((N - 1 - i + r) % N)); fi
			k=${KEYS[$j]}
			echo "\\echo @$k"; echo "${QUERY[$k]};"
		done
	done
} | timed | medians > "$SMARKPI_TMP/times.txt"
t() { get "$SMARKPI_TMP/times.txt" "$1"; }
ACCURACY=$(psql -XAt -F' ' -c "SELECT round(avg(abs(s.n - e.n)::numeric / e.n) * 100, 3), round(max(abs(s.n - e.n)::numeric / e.n) * 100, 3)
	FROM ($SKETCH_Q) s(channel, n) JOIN ($EXACT_Q) e(channel, n) USING (channel)")

say "writing $OUT"
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
PGV=$(psql -XAt -c "SELECT version()")
ELAPSED=$(( $(date +%s) - STARTED ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git -C "$SMARKPI_ROOT" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
F=$(t floor)
pct() { awk -v a="$1" 'BEGIN { if (a == "") print "n/a"; else printf "%.2f %%", 100 * a }'; }
{
	echo "# Distinct sketch: benchmark"
	echo
	echo "Written by \`bash bench/distinct_sketch.sh --rows $ROWS --runs $RUNS --max $MAX$( [ "$INSTALLED" = yes ] && echo ' --installed')\` on $(date -u +%Y-%m-%d) (issue 26; $ELAPSED seconds)."
	echo
	echo "- smarkpi $EXTVERSION, commit $COMMIT; hll $HLLVERSION (Debian's postgresql-$MAJOR-hll)"
	echo "- CPU: $CPU ($(nproc) cores); load average (1, 5, 15 min) before the run: $LOAD_BEFORE, after: $LOAD_AFTER"
	echo "- PostgreSQL: $PGV; shared_buffers 4GB, work_mem 2GB, JIT off, serial"
	echo "- both sketches with 2^14 registers: \`distinct_sketch(v)\` (precision 14, the default) and \`hll_add_agg(hll_hash_text(v), 14)\` (log2m 14, hll's default 5-bit registers, explicit and sparse forms on)"
	echo
	echo "## 1. Error across sizes"
	echo
	echo "Text values 'lead-<k>', disjoint sets per size (400 up to 10^6, 40 at 10^7; the RMS of N sets is itself uncertain by about RMS / sqrt(2N): ±3.5 % of it at 400 sets, ±11 % at 40); relative error (estimate - n) / n: its root mean square (to compare with the relative standard error of 2^14 registers, 1.04 / 128 = 0.81 %), the largest, and the mean (bias)."
	echo
	echo "| distinct values | sets | smarkpi RMS | smarkpi max | smarkpi bias | hll RMS | hll max | hll bias |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk 'function p(x) { return x == "" ? "n/a" : sprintf("%.3f %%", 100 * x) } $1 == "err" { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $2, $3, p($4), p($5), p($8), p($6), p($7), p($9) }' "$SMARKPI_TMP/error.txt"
	echo
	echo "## 2. Building: unique leads per channel"
	echo
	echo "$ROWS rows ($TABLE_SIZE), $NDIST distinct text values, 8 channels (each about $(( NDIST / 8 )) distinct values in $(( ROWS / 8 )) rows). The sketches' counts per channel against count(DISTINCT): mean error $(echo "$ACCURACY" | cut -d' ' -f1) %, largest $(echo "$ACCURACY" | cut -d' ' -f2) %."
	echo
	echo '```sql'
	echo "$SKETCH_Q;"
	echo "$HLL_Q;"
	echo '```'
	echo
	echo "| query | ms | ÷ hll | ÷ \`count(*)\` |"
	echo "|---|---:|---:|---:|"
	echo "| \`count(*)\` per channel (floor) | $(ms "$F") | | 1.00 |"
	echo "| \`count(lead)\` per channel (floor reading the column) | $(ms "$(t floor_col)") | | $(ratio "$(t floor_col)" "$F") |"
	echo "| \`distinct_count(distinct_sketch(lead))\` | $(ms "$(t sketch)") | $(ratio "$(t sketch)" "$(t hll)") | $(ratio "$(t sketch)" "$F") |"
	echo "| \`hll_cardinality(hll_add_agg(hll_hash_text(lead), 14))\` | $(ms "$(t hll)") | 1.00 | $(ratio "$(t hll)" "$F") |"
	echo "| \`count(DISTINCT lead)\` (exact, not mergeable) | $(ms "$(t exact)") | $(ratio "$(t exact)" "$(t hll)") | $(ratio "$(t exact)" "$F") |"
	echo
	echo "## Re-running"
	echo
	echo '```sh'
	echo "bash bench/distinct_sketch.sh                                   # builds and installs smarkpi (and postgresql-15-hll) first"
	echo "bash bench/distinct_sketch.sh --rows 1000000 --max 1000000 --runs 3   # quicker"
	echo '```'
} > "$OUT"
say "done in $(( $(date +%s) - STARTED )) seconds"
