#!/usr/bin/env bash
# Citus benchmark (issue 20), writes bench/CITUS.md.
#
#   bash bench/citus.sh [--rows N] [--runs K]
#
# The month x channel dashboard (twelve KPIs, among them the exact
# duration_percentile) over N deals (default 10,000,000), on a Citus
# coordinator + 2 workers of this machine (test/citus.sh's cluster: Citus
# 13.2.2 on PostgreSQL 15, 32 shards on account_id) against the same query
# over a local copy of the rows on one node (the coordinator's own table,
# serial and with 2 parallel workers).  count(*) and count(closed_at) grouped
# the same way are the floors.  The three results must be equal as text.
# Reported: the plan shape (partial aggregates on the shards, combined on the
# coordinator), the bytes the coordinator receives from the workers against
# the bytes of the rows the query reads (no raw rows move), the same query
# grouped by account_id (whole on the workers), and K interleaved runs
# (default 5) in fresh sessions: medians and ratios to one node serial.
# Three servers share this machine's cores: Citus cannot be faster here; the
# report says what it shows.  A benchmark, not a test: it never fails on a
# timing, only on unequal results or a plan that moves raw rows.
source "$(dirname "$0")/../test/pg_env.sh"
source "$(dirname "$0")/../test/citus.sh"
source "$(dirname "$0")/lib.sh"
set +u	# pg_env.sh's helpers read unset variables

ROWS=10000000
RUNS=5
usage="usage: bash bench/citus.sh [--rows N] [--runs K]"
while [ $# -gt 0 ]; do
	case "$1" in
		--rows) ROWS=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		*) echo "$usage" >&2; exit 2 ;;
	esac
done
OUT=$SMARKPI_ROOT/bench/CITUS.md
STARTED=$(date +%s)

ensure_packages 15
build_and_install
make_private_dir
trap 'rm -rf "$SMARKPI_TMP"' EXIT
src=$SMARKPI_ROOT/../shared/citus
[ -f "$src/citus-$CITUS_VERSION.tar.gz" ] || { say "no Citus source in $src"; exit 1; }
tree=$(citus_build_dir "$src")
citus_install "$tree"
CITUS_NODE_OPTS="-c shared_buffers=2GB -c work_mem=64MB -c max_parallel_workers_per_gather=2"
citus_start_cluster >/dev/null
W=$SMARKPI_TMP/bench
mkdir -p "$W"
chmod 777 "$W"

say "loading $ROWS deals (local and distributed)"
load_started=$SECONDS
citus_psql $CITUS_COORDINATOR -v rows="$ROWS" -f "$SMARKPI_ROOT/bench/citus_data.sql" >/dev/null
LOAD_S=$((SECONDS - load_started))

# The dashboard over table $1 grouped by $2.
dashboard() {
	cat <<SQL
SELECT $2, count(*) AS deals,
	   win_rate(won), avg_deal_size(amount, won), pipeline_value(amount, probability),
	   cac(cost, new_customers), roas(amount, cost),
	   sales_cycle_length(created_at, closed_at),
	   duration_percentile(created_at, closed_at, 0.9) AS p90_cycle,
	   duration_percentile(duration_sketch(created_at, closed_at), 0.9) AS p90_cycle_sketch,
	   lead_response_time(created_at, responded_at), mql_sal_rate(mql_at, sal_at),
	   funnel_velocity(created_at, closed_at, amount, won), nps(score)
FROM $1 GROUP BY $2 ORDER BY $2
SQL
}
floor_query() {
	echo "SELECT month, channel, count(*), count(closed_at) FROM $1 GROUP BY month, channel ORDER BY month, channel"
}
# Query $1 (dashboard or floor) by month and channel over table $2.
timed_query() {
	if [ "$1" = dashboard ]; then dashboard "$2" "month, channel"; else floor_query "$2"; fi
	echo ";"
}
# The session settings of a set-up: one node serial, one node 2 workers, Citus.
settings() {
	case "$1" in
		serial) echo "SET max_parallel_workers_per_gather = 0;" ;;
		parallel) echo "SET max_parallel_workers_per_gather = 2;" ;;
		citus) echo "SET citus.coordinator_aggregation_strategy = 'disabled';" ;;
	esac
}
table_of() { case "$1" in citus) echo deals ;; *) echo deals_local ;; esac; }

# ---- equal results ----
say "checking that one node and Citus give the same dashboard"
for setup in serial parallel citus; do
	{ settings $setup; dashboard "$(table_of $setup)" "month, channel"; echo ";"; } |
		citus_psql $CITUS_COORDINATOR -At >"$W/result.$setup"
done
EQUAL=yes
for setup in parallel citus; do
	cmp -s "$W/result.serial" "$W/result.$setup" || { EQUAL=no; diff "$W/result.serial" "$W/result.$setup" | head -5 >&2; }
done
NGROUPS=$(wc -l <"$W/result.serial")

# ---- plan shapes and bytes ----
say "plans"
{ settings citus; echo "EXPLAIN (VERBOSE, COSTS OFF)"; dashboard deals "month, channel"; echo ";"; } |
	citus_psql $CITUS_COORDINATOR -At >"$W/plan.channel"
{ settings citus; echo "EXPLAIN (VERBOSE, COSTS OFF)"; dashboard deals "account_id"; echo ";"; } |
	citus_psql $CITUS_COORDINATOR -At >"$W/plan.account"
# What the workers send: the text of every shard's partial result (the task
# query of the plan run on each shard; Citus's EXPLAIN ANALYZE cannot wrap
# worker_partial_agg), against the text of the rows' columns the query reads.
TASK_SQL=$(grep -m1 'Query: SELECT' "$W/plan.channel" | sed 's/^ *Query: //; s/public\.deals_[0-9]* deals/%s deals/')
RECEIVED_BYTES=$(citus_psql $CITUS_COORDINATOR -At -c "SELECT sum(result::bigint) FROM run_command_on_shards('deals',
	\$q\$SELECT coalesce(sum(octet_length(t::text)), 0) FROM ($TASK_SQL) t\$q\$)")
EXACT_BYTES=$(citus_psql $CITUS_COORDINATOR -At -c "SELECT sum(result::bigint) FROM run_command_on_shards('deals',
	\$q\$SELECT coalesce(sum(octet_length(t.p90_cycle::text)), 0) FROM ($TASK_SQL) t\$q\$)")
RAW_BYTES=$(citus_psql $CITUS_COORDINATOR -At -c "SELECT sum(octet_length(ROW(month, channel, won, amount, probability,
	cost, new_customers, created_at, closed_at, responded_at, mql_at, sal_at, score)::text)) FROM deals_local")
RECEIVED=$(citus_psql $CITUS_COORDINATOR -At -c "SELECT pg_size_pretty($RECEIVED_BYTES::bigint)")
RAW=$(citus_psql $CITUS_COORDINATOR -At -c "SELECT pg_size_pretty($RAW_BYTES::bigint)")
TABLE_SIZE=$(citus_psql $CITUS_COORDINATOR -At -c "SELECT pg_size_pretty(citus_table_size('deals'))")
# A plan without its Output lines, each line cut at 150 characters.
plan_text() { grep -v '^ *Output:' "$1" | awk '{ print (length($0) > 150 ? substr($0, 1, 150) "…" : $0) }'; }
PUSHED=yes
grep -q 'worker_partial_agg' "$W/plan.channel" && grep -q 'coord_combine_agg' "$W/plan.channel" &&
	grep -q "GROUP BY" <<<"$TASK_SQL" || PUSHED=no
WHOLE=yes
{ grep -q 'Custom Scan (Citus Adaptive)' <<<"$(head -1 "$W/plan.account")" || grep -q '^Sort' "$W/plan.account"; } &&
	! grep -q 'coord_combine_agg\|worker_partial_agg' "$W/plan.account" || WHOLE=no

# ---- timings ----
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "timing: $RUNS runs of the dashboard and the floors on one node serial, 2 workers, Citus"
: >"$W/times"
for run in $(seq 1 "$RUNS"); do
	order="serial parallel citus"
	[ $((run % 2)) -eq 0 ] && order="citus parallel serial"
	for setup in $order; do
		tbl=$(table_of $setup)
		for q in dashboard floor; do
			{
				settings $setup
				echo "\\timing on"
				echo "\\o /dev/null"
				timed_query $q "$tbl"
				echo "\\echo @$q.$setup"
				timed_query $q "$tbl"
			} | citus_psql $CITUS_COORDINATOR | timing_lines >>"$W/times"
		done
	done
done
medians <"$W/times" >"$W/medians"
m() { get "$W/medians" "$1"; }
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
CITUS_PG=$(citus_psql $CITUS_COORDINATOR -At -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'")

# ---- the report ----
{
	echo "# Citus benchmark"
	echo
	echo "Generated by \`bash bench/citus.sh --rows $ROWS --runs $RUNS\` on $(date -u +%Y-%m-%d), commit"
	echo "$(git -C "$SMARKPI_ROOT" rev-parse --short HEAD), $(nproc) cores, $("$PG_CONFIG" --version), Citus $CITUS_PG:"
	echo "a coordinator and two workers on this one machine (shared_buffers 2 GB, work_mem 64 MB each),"
	echo "table \`deals\` distributed on account_id in 32 shards, and \`deals_local\` with the same"
	echo "rows on the coordinator (bench/citus_data.sql, loaded in $LOAD_S s). Load average before"
	echo "the timings $LOAD_BEFORE, after $LOAD_AFTER."
	echo
	echo "The dashboard: one row per month and channel ($NGROUPS groups, channel is not the"
	echo "distribution column) with count(*), win_rate, avg_deal_size, pipeline_value, cac, roas,"
	echo "sales_cycle_length, duration_percentile(…, 0.9) (exact: every duration travels),"
	echo "duration_percentile(duration_sketch(…), 0.9), lead_response_time, mql_sal_rate,"
	echo "funnel_velocity and nps. Citus runs it with"
	echo "\`citus.coordinator_aggregation_strategy = 'disabled'\`, so a pull of the rows to the"
	echo "coordinator would be an error."
	echo
	echo "## Same answer"
	echo
	echo "One node serial, one node with 2 workers and Citus give the same $NGROUPS rows, as text:"
	echo "**$EQUAL**."
	echo
	echo "## Plan shape: pushed down ($PUSHED)"
	echo
	echo '```'
	plan_text "$W/plan.channel"
	echo '```'
	echo
	echo "The coordinator combines each KPI's partial states, e.g. \`$(grep -m1 -o 'coord_combine_agg([^)]*)' "$W/plan.channel" | head -1)\`."
	echo
	echo "Every shard computes the partial states of its rows grouped by month and channel"
	echo "(\`worker_partial_agg\`); the coordinator combines them (\`coord_combine_agg\`) and runs the"
	echo "final functions. The 32 partial results the workers send total **$RECEIVED** as text (the"
	echo "task query run on every shard), against **$RAW** for the text of the rows' columns the query"
	echo "reads, $(ratio "$RAW_BYTES" "$RECEIVED_BYTES")× more ($TABLE_SIZE on disk for the distributed table): no raw rows"
	echo "move. $(ratio $((EXACT_BYTES * 100)) "$RECEIVED_BYTES")% of it is the exact duration_percentile's state (the durations of"
	echo "the group, sorted, as varint gaps, in hex); without it the workers would send"
	echo "$(citus_psql $CITUS_COORDINATOR -At -c "SELECT pg_size_pretty($RECEIVED_BYTES::bigint - $EXACT_BYTES)") for the other eleven KPIs, duration_sketch included."
	echo
	echo "Grouped by the distribution column (one row per account), the whole query runs on the"
	echo "workers ($WHOLE):"
	echo
	echo '```'
	plan_text "$W/plan.account"
	echo '```'
	echo
	echo "## Times"
	echo
	echo "Medians of $RUNS interleaved runs (order reversed every other run), each query in a fresh"
	echo "session after one untimed run; milliseconds, and the ratio to one node serial."
	echo
	echo "| query | one node, serial | one node, 2 workers | Citus, 2 workers × 32 shards |"
	echo "|---|---:|---:|---:|"
	for q in dashboard floor; do
		case $q in
			dashboard) label="dashboard (12 KPIs)" ;;
			floor) label="floor: count(*), count(closed_at)" ;;
		esac
		echo "| $label | $(ms "$(m $q.serial)") | $(ms "$(m $q.parallel)") ($(ratio "$(m $q.parallel)" "$(m $q.serial)")×) | $(ms "$(m $q.citus)") ($(ratio "$(m $q.citus)" "$(m $q.serial)")×) |"
	done
	echo
	echo "Dashboard over its floor: one node serial $(ratio "$(m dashboard.serial)" "$(m floor.serial)")×, 2 workers"
	echo "$(ratio "$(m dashboard.parallel)" "$(m floor.parallel)")×, Citus $(ratio "$(m dashboard.citus)" "$(m floor.citus)")×."
	echo
	echo "What this shows, honestly: the three servers share $(nproc) cores, so the Citus cluster"
	echo "has no more CPU than one node and cannot be faster here; what it adds is the"
	echo "coordination (32 shard queries, their connections, the combine) and, for the exact"
	echo "percentile, shipping the durations. On real hardware each worker brings its own cores"
	echo "and disks and the shard work divides among them; the per-row cost of every KPI is the"
	echo "same C code as on one node (bench/RESULTS.md). Run time of this script: $(( $(date +%s) - STARTED )) s."
} >"$OUT"
citus_stop_cluster
say "wrote $OUT"
if [ "$EQUAL" != yes ] || [ "$PUSHED" != yes ]; then
	say "FAILED: results equal: $EQUAL, pushed down: $PUSHED"
	exit 1
fi
