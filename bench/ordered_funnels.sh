#!/usr/bin/env bash
# Ordered funnels benchmark (issue 14), writes bench/ORDERED_FUNNELS.md.
#
#   bash bench/ordered_funnels.sh [--leads N] [--events K] [--runs R]
#
# N leads (default 200,000) with about K events each (default 10): the
# MQL -> SAL -> SQL -> won funnel counts within 30 days as
#   - window_funnel per lead + funnel_counts,
#   - window_funnel_times per lead (+ count),
#   - the plain SQL a user would write: from every step 1, a LATERAL chain of
#     min(at) of the next step after the previous one and within the window
#     (with an index on (lead_id, step, at)), then count(*) FILTER per step,
#   - count(*) per lead (the floor: reading and grouping the same rows).
# Medians of R interleaved runs (default 5), serial, plus window_funnel with 2
# workers.  Checks that the two funnel counts are equal.  A benchmark, not a
# test: it prints figures, it never fails on them.
# With PG_CONFIG set (e.g. a server built from source) that server is used;
# otherwise the packaged one is installed as for the tests.
source "$(dirname "$0")/../test/pg_env.sh"

LEADS=200000
EVENTS=10
RUNS=5
while [ $# -gt 0 ]; do
	case "$1" in
		--leads) LEADS=$2; shift 2 ;;
		--events) EVENTS=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		*) echo "usage: bash bench/ordered_funnels.sh [--leads N] [--events K] [--runs R]" >&2; exit 2 ;;
	esac
done
BENCH=$SMARKPI_ROOT/bench
OUT=$BENCH/ORDERED_FUNNELS.md
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

use_pg_config_or_packages
start_bench_database "-c shared_buffers=1GB -c work_mem=512MB -c max_parallel_workers_per_gather=0 -c jit=off -c timezone=UTC"
PREWARM=no
if psql_q -c "CREATE EXTENSION pg_prewarm" 2>/dev/null; then PREWARM=yes; fi

say "generating $LEADS leads with about $EVENTS events each"
psql_q -v leads="$LEADS" -v events="$EVENTS" -f "$BENCH/ordered_funnels_data.sql" >/dev/null
if [ "$PREWARM" = yes ]; then
	psql_q -c "SELECT pg_prewarm('lead_events'), pg_prewarm('lead_events_chain')" >/dev/null
else
	# without pg_prewarm (a server built from source): read the table and index once
	psql_q -c "SET enable_seqscan = off; SELECT count(*) FROM lead_events WHERE lead_id > 0 AND step > 0; RESET enable_seqscan; SELECT count(*) FROM lead_events" >/dev/null
fi
ROWS=$(psql -XAt -c "SELECT count(*) FROM lead_events")

source "$BENCH/lib.sh"
PARALLEL2='SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;'
SERIAL='SET max_parallel_workers_per_gather = 0;'

FLOOR_Q="SELECT sum(n) FROM (SELECT lead_id, count(*) AS n FROM lead_events GROUP BY lead_id) x"
FUNNEL_Q="SELECT funnel_counts(depth, 4) FROM (
	SELECT lead_id, window_funnel('30 days', at, step) AS depth FROM lead_events GROUP BY lead_id) x"
TIMES_Q="SELECT count(*) FILTER (WHERE cardinality(times) = 3) FROM (
	SELECT lead_id, window_funnel_times('30 days', at, step) AS times FROM lead_events GROUP BY lead_id) x"
PLAIN_Q="WITH chains AS (
	SELECT s1.lead_id, s2.at AS at2, s3.at AS at3, s4.at AS at4
	FROM lead_events s1
	LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM lead_events e WHERE e.lead_id = s1.lead_id AND e.step = 2
		AND e.at >= s1.at AND e.at <= s1.at + interval '30 days') s2 ON true
	LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM lead_events e WHERE e.lead_id = s1.lead_id AND e.step = 3
		AND e.at >= s2.at AND e.at <= s1.at + interval '30 days') s3 ON true
	LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM lead_events e WHERE e.lead_id = s1.lead_id AND e.step = 4
		AND e.at >= s3.at AND e.at <= s1.at + interval '30 days') s4 ON true
	WHERE s1.step = 1),
depths AS (
	SELECT lead_id, max(CASE WHEN at4 IS NOT NULL THEN 4 WHEN at3 IS NOT NULL THEN 3
							 WHEN at2 IS NOT NULL THEN 2 ELSE 1 END) AS depth
	FROM chains GROUP BY lead_id)
SELECT ARRAY[count(*) FILTER (WHERE depth >= 1), count(*) FILTER (WHERE depth >= 2),
			 count(*) FILTER (WHERE depth >= 3), count(*) FILTER (WHERE depth >= 4)]
FROM depths"

say "checking that window_funnel and the plain SQL agree"
psql -XAt -v ON_ERROR_STOP=1 > "$SMARKPI_TMP/check.txt" <<SQL
$SERIAL
SELECT 'funnel ' || ($FUNNEL_Q)::text;
SELECT 'plain ' || ($PLAIN_Q)::text;
SELECT 'leads_differ ' || count(*) FROM (
	SELECT lead_id, window_funnel('30 days', at, step) AS depth FROM lead_events GROUP BY lead_id) f
FULL JOIN (
	SELECT s1.lead_id, max(CASE WHEN s4.at IS NOT NULL THEN 4 WHEN s3.at IS NOT NULL THEN 3
							   WHEN s2.at IS NOT NULL THEN 2 ELSE 1 END) AS depth
	FROM lead_events s1
	LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM lead_events e WHERE e.lead_id = s1.lead_id AND e.step = 2
		AND e.at >= s1.at AND e.at <= s1.at + interval '30 days') s2 ON true
	LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM lead_events e WHERE e.lead_id = s1.lead_id AND e.step = 3
		AND e.at >= s2.at AND e.at <= s1.at + interval '30 days') s3 ON true
	LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM lead_events e WHERE e.lead_id = s1.lead_id AND e.step = 4
		AND e.at >= s3.at AND e.at <= s1.at + interval '30 days') s4 ON true
	WHERE s1.step = 1 GROUP BY s1.lead_id) p USING (lead_id)
WHERE f.depth IS DISTINCT FROM coalesce(p.depth, 0);
SQL
chk() { awk -v k="$1" '$1 == k { print $2 }' "$SMARKPI_TMP/check.txt"; }
say "window_funnel $(chk funnel), plain SQL $(chk plain), leads differing: $(chk leads_differ)"

say "$RUNS interleaved runs"
{
	echo '\timing on'
	for run in $(seq "$RUNS"); do
		echo "$SERIAL"
		echo '\echo @floor'; echo "$FLOOR_Q;"
		echo '\echo @funnel'; echo "$FUNNEL_Q;"
		echo '\echo @times'; echo "$TIMES_Q;"
		echo '\echo @plain'; echo "$PLAIN_Q;"
		echo "$PARALLEL2"
		echo '\echo @floor2'; echo "$FLOOR_Q;"
		echo '\echo @funnel2'; echo "$FUNNEL_Q;"
	done
} | timed | medians > "$SMARKPI_TMP/times.txt"
t() { get "$SMARKPI_TMP/times.txt" "$1"; }
PLAN2=$(psql -XAt -c "$PARALLEL2" -c "EXPLAIN (COSTS OFF) $FUNNEL_Q" | tr '\n' ' ')
case "$PLAN2" in
	*"Partial"*) SHAPE2="partial aggregates in the workers" ;;
	*Gather*) SHAPE2="workers scan, leader aggregates" ;;
	*) SHAPE2="serial plan" ;;
esac

say "writing $OUT"
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
PGV=$(psql -XAt -c "SELECT version()")
ASSERTS=$(psql -XAt -c "SHOW debug_assertions")
ELAPSED=$(( $(date +%s) - STARTED ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git -C "$SMARKPI_ROOT" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
F=$(t floor)
{
	echo "# Ordered funnels: benchmark"
	echo
	echo "Written by \`bash bench/ordered_funnels.sh --leads $LEADS --events $EVENTS --runs $RUNS\` on $(date -u +%Y-%m-%d) (issue 14; $ELAPSED seconds)."
	echo
	echo "- smarkpi commit: $COMMIT (the numbers are from this run, the file was written by it)"
	echo "- CPU: $CPU ($(nproc) cores); load average (1, 5, 15 min) before the run: $LOAD_BEFORE, after: $LOAD_AFTER"
	echo "- PostgreSQL: $PGV (debug_assertions: $ASSERTS$( [ "$ASSERTS" = on ] && echo ' -- an assert-enabled build, slower than a release build; compare the ratios, not the milliseconds'))"
	echo "- shared_buffers 1GB, work_mem 512MB, JIT off, table and index $( [ "$PREWARM" = yes ] && echo "prewarmed (pg_prewarm)" || echo "read once before timing (no pg_prewarm)"); serial unless stated"
	echo "- times: medians of $RUNS interleaved runs in one session, milliseconds, psql \\timing"
	echo
	echo "Data (\`bench/ordered_funnels_data.sql\`): $LEADS leads, $ROWS events (1 to $((2 * EVENTS - 1)) per lead, $EVENTS on average) at whole minutes over 120 days; step 1 (MQL) 35 %, 2 (SAL) 25 %, 3 (SQL) 15 %, 4 (won) 5 %, other events (NULL step) 20 %; an index on (lead_id, step, at) for the plain SQL."
	echo
	echo "The question: how many leads reached MQL, SAL, SQL and won, in order, within 30 days of the MQL."
	echo
	echo '```sql'
	echo "-- smarkpi"
	echo "$FUNNEL_Q;"
	echo
	echo "-- the plain SQL: from every MQL, the earliest next step after the previous one within the window"
	echo "$PLAIN_Q;"
	echo '```'
	echo
	echo "Results: window_funnel + funnel_counts \`$(chk funnel)\`, plain SQL \`$(chk plain)\`; leads whose depth differs: $(chk leads_differ)."
	echo "They agree by construction in the default mode: for a fixed MQL the earliest possible next step is always the best choice, so the LATERAL chain from the best MQL finds the longest chain, which is what window_funnel returns (ties at the same instant count in step order in both: \`e.at >= previous\`). The plain SQL has no equivalent for the modes (strict_order and the others), and extending it to a fifth step means another LATERAL."
	echo
	echo "| query | ms | / floor |"
	echo "|---|---:|---:|"
	echo "| \`count(*)\` per lead (floor: read and group the same rows) | $(ms "$F") | 1.00 |"
	echo "| \`window_funnel\` per lead + \`funnel_counts\` | $(ms "$(t funnel)") | $(ratio "$(t funnel)" "$F") |"
	echo "| \`window_funnel_times\` per lead (+ count of leads with 3 times) | $(ms "$(t times)") | $(ratio "$(t times)" "$F") |"
	echo "| plain SQL: LATERAL chain of min(at) per MQL, index on (lead_id, step, at) | $(ms "$(t plain)") | $(ratio "$(t plain)" "$F") |"
	echo "| floor with 2 workers | $(ms "$(t floor2)") | $(ratio "$(t floor2)" "$F") |"
	echo "| \`window_funnel\` + \`funnel_counts\` with 2 workers ($SHAPE2) | $(ms "$(t funnel2)") | $(ratio "$(t funnel2)" "$F") |"
	echo
	echo "window_funnel against the plain SQL: $(ratio "$(t plain)" "$(t funnel)")× faster (serial)."
	echo "Cost model: the state keeps every event of the lead (16 bytes each), sorted once at the final function (O(n log n) per lead, n small here), then one O(n) scan; window_funnel_times copies the chain on each extension (O(n × steps) at most). The plain SQL does one index search per MQL and step."
} > "$OUT"
say "done in $ELAPSED seconds"
