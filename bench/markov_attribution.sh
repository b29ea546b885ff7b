#!/usr/bin/env bash
# Markov attribution benchmark (issue 14), writes bench/MARKOV_ATTRIBUTION.md.
#
#   bash bench/markov_attribution.sh [--rows N] [--runs K]
#
# Part A: markov_attribution() over N journeys (default 1,000,000) of 1-8
# touches over 10 channels, against the plain SQL a user would write to
# count the same transitions (unnest WITH ORDINALITY + lead() + GROUP BY
# from, to) and count(*) as the floor; serial and with 2 workers, and a check
# that both give the same counts.
# Part B: attribution_shares() -- the exact solve -- on summaries of 10, 50,
# 200, 500, 1000 and 2000 channels.
#
# Medians of K interleaved runs (default 5).  Runs on the packaged PostgreSQL
# 15 like the other benchmarks, or on the server of $PG_CONFIG when it is set
# (e.g. a source build: note that an assert-enabled build is slower, so its
# absolute times are inflated; the ratios measured in one run still compare).
# A benchmark, not a test: it never fails on a timing; it prints them.
source "$(dirname "$0")/../test/pg_env.sh"

ROWS=1000000
RUNS=5
while [ $# -gt 0 ]; do
	case "$1" in
		--rows) ROWS=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		*) echo "usage: bash bench/markov_attribution.sh [--rows N] [--runs K]" >&2; exit 2 ;;
	esac
done
BENCH=$SMARKPI_ROOT/bench
OUT=$BENCH/MARKOV_ATTRIBUTION.md
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

use_pg_config_or_packages 15
start_bench_database "-c shared_buffers=1GB -c work_mem=1GB -c max_parallel_workers_per_gather=0 -c jit=off -c timezone=UTC"
PREWARM=no
if psql_q -c "CREATE EXTENSION pg_prewarm" 2>/dev/null; then PREWARM=yes; fi

say "generating $ROWS journeys"
psql_q -v rows="$ROWS" -f "$BENCH/journeys.sql" >/dev/null
# warm the cache: pg_prewarm where available, else one full scan
if [ "$PREWARM" = yes ]; then psql_q -c "SELECT pg_prewarm('journeys')" >/dev/null; else psql_q -c "SELECT count(*) FROM journeys" >/dev/null; fi
TOUCHES=$(psql -XAt -c "SELECT round(avg(cardinality(path)), 2) FROM journeys")

source "$BENCH/lib.sh"
PARALLEL2='SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;'
SERIAL='SET max_parallel_workers_per_gather = 0;'
PLAIN_Q="SELECT f, t, count(*) FROM (
	SELECT ch AS f, lead(ch) OVER (PARTITION BY id ORDER BY o) AS t
	FROM journeys, unnest('{(start)}' || path || CASE WHEN converted THEN '(conversion)' ELSE '(null)' END) WITH ORDINALITY u(ch, o)) x
WHERE t IS NOT NULL GROUP BY f, t"
PLAIN_1=$(echo "$PLAIN_Q" | tr '\n\t' '  ')
# key | label | query
QUERIES=("count|\`count(*)\` (floor)|SELECT count(*) FROM journeys"
	"plain|plain SQL: transition counts by unnest WITH ORDINALITY + lead() + GROUP BY|$PLAIN_1"
	"markov|\`markov_attribution(path, converted)\`|SELECT markov_attribution(path, converted) FROM journeys"
	"markov_v|\`markov_attribution(path, converted, value)\`|SELECT markov_attribution(path, converted, value) FROM journeys"
	"shares|\`attribution_shares(markov_attribution(path, converted, value))\` (aggregate + solve)|SELECT s.* FROM (SELECT markov_attribution(path, converted, value) AS m FROM journeys) q, attribution_shares(q.m) s"
	"daily|\`markov_attribution(...)\` GROUP BY day (30 summaries)|SELECT day, markov_attribution(path, converted, value) FROM journeys GROUP BY day")

say "Part A: $RUNS interleaved runs over $ROWS journeys, serial and 2 workers"
{
	echo '\timing on'
	echo '\o /dev/null'
	for run in $(seq "$RUNS"); do
		for q in "${QUERIES[@]}"; do
			IFS='|' read -r key _ sql <<<"$q"
			echo "$SERIAL"
			echo "\\echo @w0:$key"; echo "$sql;"
			echo "$PARALLEL2"
			echo "\\echo @w2:$key"; echo "$sql;"
		done
	done
} | timed | medians > "$SMARKPI_TMP/agg.txt"

say "Part A: plans and the counts check"
: > "$SMARKPI_TMP/plans.txt"
for q in "${QUERIES[@]}"; do
	IFS='|' read -r key _ sql <<<"$q"
	plan=$(psql -XAt -c "$PARALLEL2" -c "EXPLAIN (COSTS OFF) $sql" | tr '\n' ' ')
	shape=$(plan_shape "$plan")
	echo "$key|$shape" >> "$SMARKPI_TMP/plans.txt"
done
# The summary's transition counts against the plain SQL's, pair by pair.
CHECK=$(psql -XAtq <<SQL
$SERIAL
WITH plain AS ($PLAIN_Q),
m AS (SELECT markov_attribution(path, converted)::text AS s FROM journeys),
pairs AS (SELECT replace(x[1], '"', '') AS f, replace(x[2], '"', '') AS t, x[3]::bigint AS n
		  FROM m, regexp_matches(s, '((?:\(start\)|"[^"]*"))>((?:"[^"]*"|\(conversion\)|\(null\)))=([0-9]+)', 'g') x)
SELECT count(*) || ' ' || count(*) FILTER (WHERE p.count IS DISTINCT FROM q.n)
FROM plain p FULL JOIN pairs q USING (f, t);
SQL
)
PAIRS=${CHECK% *}; DIFFER=${CHECK#* }

say "Part B: attribution_shares on 10 to 2000 channels"
# Summaries made from journeys over C channels: 20 journeys per channel of
# 1-8 touches, each touch uniform over the C channels, 30 % converted.
SIZES="10 50 200 500 1000 2000"
for c in $SIZES; do
	psql_q -c "CREATE TABLE chain_$c AS SELECT markov_attribution(ARRAY(SELECT 'c' || floor(random() * $c)::int FROM generate_series(1, 1 + i % 8) g WHERE g > 0 * i), random() < 0.3) AS s FROM generate_series(1, 20 * $c) i"
done
{
	echo '\timing on'
	echo '\o /dev/null'
	for run in $(seq "$RUNS"); do
		for c in $SIZES; do
			if [ "$c" -ge 1000 ] && [ "$run" -gt 1 ]; then continue; fi
			echo "\\echo @solve:$c"; echo "SELECT count(*) FROM chain_$c, attribution_shares(s);"
			echo "\\echo @prob:$c"; echo "SELECT markov_conversion_probability(s) FROM chain_$c;"
		done
	done
} | timed | medians > "$SMARKPI_TMP/solve.txt"
: > "$SMARKPI_TMP/chains.txt"
for c in $SIZES; do
	psql -XAt -F ' ' -c "SELECT $c, (regexp_match(s::text, '^\((\d+),'))[1], array_length(regexp_split_to_array(s::text, '=') , 1) - 1, pg_column_size(s),
		(SELECT abs(sum(share) - 1) FROM attribution_shares(s)),
		abs(markov_conversion_probability(s) - (regexp_match(s::text, '^\(\d+,(\d+),'))[1]::float8 / (regexp_match(s::text, '^\((\d+),'))[1]::float8) / (markov_conversion_probability(s))
		FROM chain_$c" >> "$SMARKPI_TMP/chains.txt"
done

########################################################################
# MARKOV_ATTRIBUTION.md
########################################################################
say "writing $OUT"
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
PGV=$(psql -XAt -c "SELECT version()")
CASSERT=$(psql -XAt -c "SHOW debug_assertions")
ELAPSED=$(( ($(date +%s) - STARTED) / 60 ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git -C "$SMARKPI_ROOT" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
at() { get "$SMARKPI_TMP/agg.txt" "$1"; }
C0=$(at w0:count); C2=$(at w2:count); P0=$(at w0:plain); P2=$(at w2:plain)
{
	echo "# Markov attribution: benchmark"
	echo
	echo "Written by \`bash bench/markov_attribution.sh --rows $ROWS --runs $RUNS\` on $(date -u +%Y-%m-%d) (issue 14, data-driven attribution; $ELAPSED minutes)."
	echo
	echo "- smarkpi commit: $COMMIT"
	echo "- CPU: $CPU ($(nproc) cores); load average (1, 5, 15 min) before the run: $LOAD_BEFORE, after: $LOAD_AFTER"
	echo "- PostgreSQL: $PGV; debug_assertions = $CASSERT$( [ "$CASSERT" = on ] && echo " (an assert-enabled build: every time below is inflated by PostgreSQL's own checks, the ratios measured in this one run still compare)")"
	echo "- shared_buffers 1GB, work_mem 1GB, JIT off, table read once before timing; serial plans unless stated"
	echo "- \"2 workers\": max_parallel_workers_per_gather = 2 forced with parallel_setup_cost = 0, parallel_tuple_cost = 0, min_parallel_table_scan_size = 0 (the leader participates)"
	echo "- times are medians of $RUNS interleaved runs in one session, in milliseconds, measured by psql's \\timing"
	echo
	echo "## A. Counting the chain: markov_attribution() against plain SQL"
	echo
	echo "$ROWS journeys (\`journeys\`: path text[] of 1-8 touches, $TOUCHES on average, over 10 channels drawn with weights ~ 1/k, 25 % converted, value numeric(…,2); seeded)."
	echo "The plain SQL counts the same transitions, (start) and the outcome included, and leaves the solve to the user:"
	echo
	echo '```sql'
	echo "$PLAIN_Q;"
	echo '```'
	echo
	echo "| query | serial ms | × count(*) | × plain SQL | 2 workers ms | × count(*) | plan with 2 workers |"
	echo "|---|---:|---:|---:|---:|---:|---|"
	for q in "${QUERIES[@]}"; do
		IFS='|' read -r key label _ <<<"$q"
		t0=$(at "w0:$key"); t2=$(at "w2:$key")
		shape=$(awk -F'|' -v k="$key" '$1 == k { print $2 }' "$SMARKPI_TMP/plans.txt")
		echo "| $label | $(ms "$t0") | $(ratio "$t0" "$C0") | $(ratio "$t0" "$P0") | $(ms "$t2") | $(ratio "$t2" "$C2") | $shape |"
	done
	echo
	echo "Same counts, checked by the script on this data: $DIFFER of $PAIRS (from, to) pairs differ between the summary and the plain SQL."
	echo
	echo "## B. The exact solve: attribution_shares() by number of channels"
	echo
	echo "Summaries of 20 journeys per channel of 1-8 touches uniform over C channels (so nearly every pair of channels has a transition: the dense worst case), 30 % converted."
	echo "attribution_shares factors the C × C system once (subtraction-free Gaussian elimination) and solves it C + 1 times: O(C³) time, C² doubles of memory; markov_conversion_probability needs the factorization and one solve."
	echo "Precision: shares add up to 1 and P(conversion) equals conversions / journeys (an identity of a chain fitted to its journeys) to the relative errors shown."
	echo
	echo "| channels | journeys | transitions | summary bytes | attribution_shares ms | markov_conversion_probability ms | abs(sum(share) - 1) | rel. error of P(conversion) |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
	while read -r c j n bytes serr perr; do
		echo "| $c | $j | $n | $bytes | $(ms "$(get "$SMARKPI_TMP/solve.txt" "solve:$c")") | $(ms "$(get "$SMARKPI_TMP/solve.txt" "prob:$c")") | $serr | $perr |"
	done < "$SMARKPI_TMP/chains.txt"
	echo
	echo "1000 and 2000 channels: one run each.  Above 2000 channels attribution_shares refuses with 54000 (program_limit_exceeded) before allocating the matrix."
} > "$OUT"
cat "$OUT"
