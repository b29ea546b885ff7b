#!/usr/bin/env bash
# State types A/B benchmark, writes bench/STATE_TYPES.md.
#
#   bash bench/state_types.sh [--old REV] [--runs K] [--rows N] [--customers N]
#                             [--leads N] [--events K] [--journeys N] [--window-rows N]
#
# The 17 aggregates whose transition state went from internal to SQL types
# (8d4c24e..834c700, so that Citus can push them down) against the build of
# REV (default 8d4c24e, the commit before), in one server: REV is built from
# `git archive` and installed as a second extension, smarkpi_old
# (smarkpi_old.so, smarkpi_old.control, smarkpi_old--1.0.sql), beside the
# working tree's smarkpi.  Database bench_old holds smarkpi_old, bench_new
# smarkpi, both cloned from one template with the same seeded data (the
# generators of bench/data.sql, bench/clv.sql, bench/ordered_funnels_data.sql
# and bench/journeys.sql).
#
# Every query runs serial, forced parallel with 2 workers, and (for the six
# with an inverse) as a moving window ROWS BETWEEN n PRECEDING AND CURRENT ROW
# for n = 10, 100, 1000; count(*) over the same rows is timed the same way: it
# calls no smarkpi code, so its new/old ratio measures the noise of the set-up
# (an A/A comparison).  Before timing, old and new must give the same result
# (::text of every row); a mismatch is printed loudly and the script exits
# non-zero after writing the results file.  K interleaved runs (default 5):
# each run executes every query in old then new (new then old in every other
# run), each in a fresh session warmed by an EXPLAIN; medians.
# The smarkpi_old files are removed from the PostgreSQL install on exit.
# A benchmark, not a test: it never fails on a timing.
source "$(dirname "$0")/../test/pg_env.sh"

OLD=8d4c24e
RUNS=5
ROWS=1000000
CUSTOMERS=50000
LEADS=50000
EVENTS=10
JOURNEYS=500000
WROWS=50000
usage="usage: bash bench/state_types.sh [--old REV] [--runs K] [--rows N] [--customers N] [--leads N] [--events K] [--journeys N] [--window-rows N]"
while [ $# -gt 0 ]; do
	case "$1" in
		--old) OLD=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		--rows) ROWS=$2; shift 2 ;;
		--customers) CUSTOMERS=$2; shift 2 ;;
		--leads) LEADS=$2; shift 2 ;;
		--events) EVENTS=$2; shift 2 ;;
		--journeys) JOURNEYS=$2; shift 2 ;;
		--window-rows) WROWS=$2; shift 2 ;;
		*) echo "$usage" >&2; exit 2 ;;
	esac
done
[ "$WROWS" -le "$ROWS" ] || WROWS=$ROWS
[ "$WROWS" -le "$JOURNEYS" ] || WROWS=$JOURNEYS
BENCH=$SMARKPI_ROOT/bench
OUT=$BENCH/STATE_TYPES.md
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
OLD_COMMIT=$(git -C "$SMARKPI_ROOT" rev-parse --verify "$OLD^{commit}")
NEW_COMMIT=$(git -C "$SMARKPI_ROOT" rev-parse HEAD)
DIRTY=$(git -C "$SMARKPI_ROOT" status --porcelain --untracked-files=no -- src sql Makefile smarkpi.control | head -1)
# rfm: the crm rows as orders of ROWS / 20 customers (20 orders each)
RFMC=$(( ROWS / 20 > 0 ? ROWS / 20 : 1 ))
REPS=20 # funnel_counts reads the leads' depths REPS times

use_pg_config_or_packages 15
start_bench_database "-c shared_buffers=3GB -c work_mem=512MB -c max_parallel_workers_per_gather=0 -c jit=off -c timezone=UTC"
PREWARM=no
if psql_q -c "CREATE EXTENSION pg_prewarm" 2>/dev/null; then PREWARM=yes; fi
NEW_SO=$("$PG_CONFIG" --pkglibdir)/smarkpi.so

# The old build, installed as smarkpi_old; removed on exit with the cluster.
source "$BENCH/lib.sh"
install_old_build "$OLD_COMMIT"

# One template with the extension-free data, cloned into both databases.
say "generating data: $ROWS crm rows, $LEADS leads, $JOURNEYS journeys"
psql_q -d postgres -c "CREATE DATABASE bench_tmpl"
psql_q -d bench_tmpl -v rows="$ROWS" -f "$BENCH/data.sql" >/dev/null
psql_q -d bench_tmpl -c "DROP TABLE crm_small, monthly"
psql_q -d bench_tmpl -v leads="$LEADS" -v events="$EVENTS" -f "$BENCH/ordered_funnels_data.sql" >/dev/null
psql_q -d bench_tmpl -v rows="$JOURNEYS" -f "$BENCH/journeys.sql" >/dev/null
for side in old new; do
	ext=smarkpi; [ $side = old ] && ext=smarkpi_old
	say "bench_$side: CREATE EXTENSION $ext, customers and summaries"
	psql_q -d postgres -c "CREATE DATABASE bench_$side TEMPLATE bench_tmpl"
	psql_q -d "bench_$side" -c "CREATE EXTENSION $ext"
	[ "$PREWARM" = no ] || psql_q -d "bench_$side" -c "CREATE EXTENSION pg_prewarm"
	# bench/clv.sql: simulated customers (seeded, so the same in both)
	psql_q -d "bench_$side" -v customers="$CUSTOMERS" -f "$BENCH/clv.sql" >/dev/null
	psql_q -d "bench_$side" -v leads="$LEADS" -v reps="$REPS" -v customers="$CUSTOMERS" -v journeys="$JOURNEYS" >/dev/null <<'SQL'
SET max_parallel_workers_per_gather = 0;
-- window_funnel depths of the leads, REPS times over (ids 1.. in order)
CREATE TABLE funnel_depths AS
SELECT (r - 1) * :leads + d.lead_id AS id, d.depth
FROM (SELECT lead_id, window_funnel('30 days', at, step) AS depth FROM lead_events GROUP BY lead_id) d,
	 generate_series(1, :reps) r;
-- segment summaries of 10 customers and of 10 journeys, for the rollups
CREATE TABLE clv_seg AS SELECT id % greatest(:customers / 10, 1) AS seg, clv_summary(c) AS s FROM customers GROUP BY 1;
CREATE TABLE markov_seg AS SELECT id % greatest(:journeys / 10, 1) AS seg, markov_attribution(path, converted, value) AS s FROM journeys GROUP BY 1;
VACUUM ANALYZE customers, funnel_depths, clv_seg, markov_seg;
SQL
done
psql_q -d postgres -c "DROP DATABASE bench_tmpl"
for side in old new; do
	if [ "$PREWARM" = yes ]; then
		psql_q -d "bench_$side" -c "SELECT pg_prewarm(t) FROM unnest(ARRAY['crm', 'lead_events', 'lead_events_chain', 'journeys', 'customers', 'funnel_depths', 'clv_seg', 'markov_seg']) t" >/dev/null
	else
		psql_q -d "bench_$side" -c "SELECT count(*) FROM crm UNION ALL SELECT count(*) FROM lead_events UNION ALL SELECT count(*) FROM journeys UNION ALL SELECT count(*) FROM customers UNION ALL SELECT count(*) FROM funnel_depths UNION ALL SELECT count(*) FROM clv_seg UNION ALL SELECT count(*) FROM markov_seg" >/dev/null
	fi
done
NLE=$(psql -XAt -d bench_new -c "SELECT count(*) FROM lead_events")
NFD=$(psql -XAt -d bench_new -c "SELECT count(*) FROM funnel_depths")
NCS=$(psql -XAt -d bench_new -c "SELECT count(*) FROM clv_seg")
NMS=$(psql -XAt -d bench_new -c "SELECT count(*) FROM markov_seg")

SERIAL="SET max_parallel_workers_per_gather = 0; SET $(force_parallel_guc) = off;"
PARALLEL2="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET $(force_parallel_guc) = off;"
OBS="timestamptz '2025-01-01'"

# key|label|inner query: columns k (order of the rows) and x (the result).
# Keys starting with "floor" are count(*) over the same rows (no smarkpi code).
AGGS=(
	"rfm|\`rfm(timestamptz,numeric,timestamptz)\` per customer ($RFMC customers of 20 orders)|SELECT id % $RFMC AS k, rfm(created_at, amount, $OBS) AS x FROM crm GROUP BY 1"
	"floor_rfm|\`count(*)\` per customer over the same rows|SELECT id % $RFMC AS k, count(*) AS x FROM crm GROUP BY 1"
	"clv_fit|\`clv_fit(smarkpi_rfm)\`|SELECT 1 AS k, clv_fit(c) AS x FROM customers"
	"clv|\`clv(smarkpi_rfm)\`|SELECT 1 AS k, clv(c) AS x FROM customers"
	"clv3|\`clv(smarkpi_rfm,integer,double precision)\` (24 months, 0.01)|SELECT 1 AS k, clv(c, 24, 0.01) AS x FROM customers"
	"clv_fit_summary|\`clv_fit_summary(smarkpi_rfm)\`|SELECT 1 AS k, clv_fit_summary(c) AS x FROM customers"
	"clv_summary|\`clv_summary(smarkpi_rfm)\`|SELECT 1 AS k, clv_summary(c) AS x FROM customers"
	"clv_summary3|\`clv_summary(smarkpi_rfm,int,float8)\` (24 months, 0.01)|SELECT 1 AS k, clv_summary(c, 24, 0.01) AS x FROM customers"
	"floor_customers|\`count(*)\` over the customers|SELECT 1 AS k, count(*) AS x FROM customers"
	"duration_percentile|\`duration_percentile(timestamptz,timestamptz,float8)\` (0.5)|SELECT 1 AS k, duration_percentile(created_at, closed_at, 0.5) AS x FROM crm"
	"floor_crm|\`count(*)\` over crm|SELECT 1 AS k, count(*) AS x FROM crm"
	"window_funnel|\`window_funnel(interval,timestamptz,int)\` per lead|SELECT lead_id AS k, window_funnel('30 days', at, step) AS x FROM lead_events GROUP BY 1"
	"window_funnel_mode|\`window_funnel(interval,timestamptz,int,text)\` per lead ('strict_order')|SELECT lead_id AS k, window_funnel('30 days', at, step, 'strict_order') AS x FROM lead_events GROUP BY 1"
	"window_funnel_times|\`window_funnel_times(interval,timestamptz,int)\` per lead|SELECT lead_id AS k, window_funnel_times('30 days', at, step) AS x FROM lead_events GROUP BY 1"
	"window_funnel_times_mode|\`window_funnel_times(interval,timestamptz,int,text)\` per lead ('strict_order')|SELECT lead_id AS k, window_funnel_times('30 days', at, step, 'strict_order') AS x FROM lead_events GROUP BY 1"
	"floor_leads|\`count(*)\` per lead|SELECT lead_id AS k, count(*) AS x FROM lead_events GROUP BY 1"
	"funnel_counts|\`funnel_counts(int,int)\` over $NFD window_funnel depths|SELECT 1 AS k, funnel_counts(depth, 4) AS x FROM funnel_depths"
	"floor_depths|\`count(*)\` over the depths|SELECT 1 AS k, count(*) AS x FROM funnel_depths"
	"markov|\`markov_attribution(text[],boolean)\`|SELECT 1 AS k, markov_attribution(path, converted) AS x FROM journeys"
	"markov_v|\`markov_attribution(text[],boolean,numeric)\`|SELECT 1 AS k, markov_attribution(path, converted, value) AS x FROM journeys"
	"floor_journeys|\`count(*)\` over the journeys|SELECT 1 AS k, count(*) AS x FROM journeys"
	"rollup_clv|\`rollup(smarkpi_clv_summary)\` over $NCS segment summaries|SELECT 1 AS k, rollup(s) AS x FROM clv_seg"
	"floor_clv_seg|\`count(*)\` over the clv segment summaries|SELECT 1 AS k, count(*) AS x FROM clv_seg"
	"rollup_markov|\`rollup(smarkpi_markov_summary)\` over $NMS segment summaries|SELECT 1 AS k, rollup(s) AS x FROM markov_seg"
	"floor_markov_seg|\`count(*)\` over the markov segment summaries|SELECT 1 AS k, count(*) AS x FROM markov_seg"
)
# the moving rollups read the first segment summaries: the final function
# flattens the frame's summary on every row, so clv's cost per row grows with n
CLVW=$(( NCS < 1000 ? NCS : 1000 ))
MKVW=$(( NMS < 10000 ? NMS : 10000 ))
# key|label|inner query with @N@ for the frame (n PRECEDING)|frames
FRAME="ROWS BETWEEN @N@ PRECEDING AND CURRENT ROW"
WINS=(
	"duration_percentile|\`duration_percentile\` over the first $WROWS crm rows|SELECT id AS k, duration_percentile(created_at, closed_at, 0.5) OVER (ORDER BY id $FRAME) AS x FROM crm WHERE id <= $WROWS|10 100 1000"
	"floor_crm|\`count(*)\` over the same crm rows|SELECT id AS k, count(*) OVER (ORDER BY id $FRAME) AS x FROM crm WHERE id <= $WROWS|10 100 1000"
	"funnel_counts|\`funnel_counts\` over the first $WROWS depths|SELECT id AS k, funnel_counts(depth, 4) OVER (ORDER BY id $FRAME) AS x FROM funnel_depths WHERE id <= $WROWS|10 100 1000"
	"floor_depths|\`count(*)\` over the same depths|SELECT id AS k, count(*) OVER (ORDER BY id $FRAME) AS x FROM funnel_depths WHERE id <= $WROWS|10 100 1000"
	"markov|\`markov_attribution(text[],boolean)\` over the first $WROWS journeys|SELECT id AS k, markov_attribution(path, converted) OVER (ORDER BY id $FRAME) AS x FROM journeys WHERE id <= $WROWS|10 100 1000"
	"markov_v|\`markov_attribution(text[],boolean,numeric)\` over the same journeys|SELECT id AS k, markov_attribution(path, converted, value) OVER (ORDER BY id $FRAME) AS x FROM journeys WHERE id <= $WROWS|10 100 1000"
	"floor_journeys|\`count(*)\` over the same journeys|SELECT id AS k, count(*) OVER (ORDER BY id $FRAME) AS x FROM journeys WHERE id <= $WROWS|10 100 1000"
	"rollup_clv|\`rollup(smarkpi_clv_summary)\` over the first $CLVW clv segment summaries|SELECT seg AS k, rollup(s) OVER (ORDER BY seg $FRAME) AS x FROM clv_seg WHERE seg < $CLVW|10 100"
	"floor_clv_seg|\`count(*)\` over the same clv summaries|SELECT seg AS k, count(*) OVER (ORDER BY seg $FRAME) AS x FROM clv_seg WHERE seg < $CLVW|10 100"
	"rollup_markov|\`rollup(smarkpi_markov_summary)\` over the first $MKVW markov segment summaries|SELECT seg AS k, rollup(s) OVER (ORDER BY seg $FRAME) AS x FROM markov_seg WHERE seg < $MKVW|10 100 1000"
	"floor_markov_seg|\`count(*)\` over the same markov summaries|SELECT seg AS k, count(*) OVER (ORDER BY seg $FRAME) AS x FROM markov_seg WHERE seg < $MKVW|10 100 1000"
)
FRAMES="10 100 1000"

timed_q() { echo "SELECT count(x) FROM ($1) s"; }
check_q() { echo "SELECT count(*) || ' ' || coalesce(md5(string_agg(md5(x::text), '' ORDER BY k)), '-') FROM ($1) s"; }
# "mode key inner" lines for every timed query: s (serial), p (2 workers), wN (window)
: > "$SMARKPI_TMP/cases.txt"
for a in "${AGGS[@]}"; do
	IFS='|' read -r key _ inner <<<"$a"
	printf 's\t%s\t%s\n' "$key" "$inner" >> "$SMARKPI_TMP/cases.txt"
	printf 'p\t%s\t%s\n' "$key" "$inner" >> "$SMARKPI_TMP/cases.txt"
done
for w in "${WINS[@]}"; do
	IFS='|' read -r key _ inner frames <<<"$w"
	for n in $frames; do
		printf 'w%s\t%s\t%s\n' "$n" "$key" "${inner//@N@/$n}" >> "$SMARKPI_TMP/cases.txt"
	done
done
settings_of() { case "$1" in p) echo "$PARALLEL2" ;; *) echo "$SERIAL" ;; esac; }

########################################################################
# Same results, and the plans
########################################################################
say "checking that old and new give the same results"
MISMATCH=0
: > "$SMARKPI_TMP/mismatch.txt"
: > "$SMARKPI_TMP/plans.txt"
# the derived tables first (built by each side's own aggregates)
for t in "customers|SELECT id AS k, c AS x FROM customers" "funnel_depths|SELECT id AS k, depth AS x FROM funnel_depths" \
	"clv_seg|SELECT seg AS k, s AS x FROM clv_seg" "markov_seg|SELECT seg AS k, s AS x FROM markov_seg"; do
	IFS='|' read -r name inner <<<"$t"
	o=$(psql -XAt -d bench_old -c "$(check_q "$inner")"); n=$(psql -XAt -d bench_new -c "$(check_q "$inner")")
	if [ "$o" != "$n" ]; then
		MISMATCH=1; echo "table $name: old $o, new $n" >> "$SMARKPI_TMP/mismatch.txt"
	fi
done
while IFS=$'\t' read -r mode key inner; do
	set_=$(settings_of "$mode")
	o=$(psql -XAtq -d bench_old -c "$set_" -c "$(check_q "$inner")")
	n=$(psql -XAtq -d bench_new -c "$set_" -c "$(check_q "$inner")")
	if [ "$o" != "$n" ]; then
		note=""
		if [ "$mode" = p ]; then
			# a parallel plan may combine in another order each time: is old equal to itself?
			o2=$(psql -XAtq -d bench_old -c "$set_" -c "$(check_q "$inner")")
			o3=$(psql -XAtq -d bench_old -c "$set_" -c "$(check_q "$inner")")
			if [ "$o" != "$o2" ] || [ "$o" != "$o3" ] || [ "$o2" != "$o3" ]; then note=" (old differs from itself between runs: not counted)"; fi
		fi
		[ -n "$note" ] || MISMATCH=1
		echo "$mode $key: old $o, new $n$note" >> "$SMARKPI_TMP/mismatch.txt"
		say "!!! RESULT MISMATCH: $mode $key: old $o, new $n$note"
	fi
	if [ "$mode" = s ] || [ "$mode" = p ] || [ "$mode" = w100 ]; then
		for side in old new; do
			plan=$(psql -XAtq -d "bench_$side" -c "$set_" -c "EXPLAIN (COSTS OFF) $(timed_q "$inner")" | tr '\n' ' ' | tr -s ' ')
			printf '%s\t%s\t%s\t%s\n' "$mode" "$key" "$side" "$plan" >> "$SMARKPI_TMP/plans.txt"
		done
	fi
done < "$SMARKPI_TMP/cases.txt"
if [ "$MISMATCH" = 1 ]; then
	say "!!! old and new results differ:"; cat "$SMARKPI_TMP/mismatch.txt" >&2
else
	say "old and new agree on every query"
fi

########################################################################
# Interleaved runs
########################################################################
NCASES=$(wc -l < "$SMARKPI_TMP/cases.txt")
say "$RUNS interleaved runs of $NCASES queries, old and new"
{
	echo '\timing on'
	echo '\o /dev/null'
	for run in $(seq "$RUNS"); do
		order="old new"; [ $((run % 2)) -eq 0 ] && order="new old"
		while IFS=$'\t' read -r mode key inner; do
			q=$(timed_q "$inner")
			for side in $order; do
				echo "\\c bench_$side"
				settings_of "$mode"
				# a fresh session: load the catalogs and the module before timing
				echo "EXPLAIN $q;"
				echo "\\echo @$run:$side:$mode:$key"
				echo "$q;"
			done
		done < "$SMARKPI_TMP/cases.txt"
	done
} | PGDATABASE=bench_new timed > "$SMARKPI_TMP/raw.txt"
# "side:mode:key median"
sed 's/^[0-9]*://' "$SMARKPI_TMP/raw.txt" | medians > "$SMARKPI_TMP/med.txt"
# "mode:key min max" of the per-run ratios new / old
awk '{ split($1, f, ":"); c = f[3] ":" f[4]; t[f[1], f[2], c] = $2; runs[f[1]] = 1; cases[c] = 1 }
	END { for (c in cases) { lo = ""; hi = ""
			for (r in runs) if (t[r, "old", c] > 0 && t[r, "new", c] != "") { q = t[r, "new", c] / t[r, "old", c]
				if (lo == "" || q < lo) lo = q; if (hi == "" || q > hi) hi = q }
			print c, lo, hi } }' "$SMARKPI_TMP/raw.txt" > "$SMARKPI_TMP/range.txt"
med() { get "$SMARKPI_TMP/med.txt" "$1:$2:$3"; }
rat() { ratio "$(med new "$1" "$2")" "$(med old "$1" "$2")"; }
rng() { awk -v k="$1:$2" '$1 == k { printf "%.2f–%.2f", $2, $3 }' "$SMARKPI_TMP/range.txt"; }

# Noise: the largest distance from 1 of a count(*) floor's new/old ratio (the
# same query on the same data in both databases), and at least 5 %.
for m in s p w10 w100 w1000; do
	for a in "${AGGS[@]}" "${WINS[@]}"; do
		IFS='|' read -r key _ _ <<<"$a"
		case "$key" in floor*) ;; *) continue ;; esac
		r=$(rat "$m" "$key")
		# floors under 20 ms are left out: a few milliseconds of jitter are a large fraction of them
		if [ "$r" != n/a ] && awk -v t="$(med old "$m" "$key")" 'BEGIN { exit !(t + 0 >= 20) }'; then echo "$r"; fi
	done
done > "$SMARKPI_TMP/floors.txt"
FLOOR_RANGE=$(sort -n "$SMARKPI_TMP/floors.txt" | awk 'NR == 1 { lo = $1 } { hi = $1; n++ } END { if (n) printf "%.2f–%.2f over %d floors", lo, hi, n }')
NOISE=$(awk 'BEGIN { d = 0.05 } { x = $1 - 1; if (x < 0) x = -x; if (x > d) d = x } END { printf "%.2f", d }' "$SMARKPI_TMP/floors.txt")
# within noise, slower or faster: outside the noise band and every run on the same side of 1
verdict() {
	local r lo hi
	r=$(rat "$1" "$2"); lo=""; hi=""
	read -r lo hi < <(awk -v k="$1:$2" '$1 == k { print $2, $3 }' "$SMARKPI_TMP/range.txt") || true
	awk -v r="$r" -v lo="${lo:-1}" -v hi="${hi:-1}" -v n="$NOISE" 'BEGIN {
		if (r == "n/a") print "n/a"
		else if (r > 1 + n && lo > 1) print "slower"
		else if (r < 1 - n && hi < 1) print "faster"
		else print "within noise" }'
}
shape_of() {
	local plan
	plan=$(awk -F'\t' -v m="$1" -v k="$2" -v s="$3" '$1 == m && $2 == k && $3 == s { print $4 }' "$SMARKPI_TMP/plans.txt")
	plan_shape "$plan"
}
plans_differ() {
	local a b
	a=$(awk -F'\t' -v m="$1" -v k="$2" '$1 == m && $2 == k && $3 == "old" { print $4 }' "$SMARKPI_TMP/plans.txt")
	b=$(awk -F'\t' -v m="$1" -v k="$2" '$1 == m && $2 == k && $3 == "new" { print $4 }' "$SMARKPI_TMP/plans.txt")
	[ "$a" != "$b" ]
}

########################################################################
# STATE_TYPES.md
########################################################################
say "writing $OUT"
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
PGV=$(psql -XAt -d bench_new -c "SELECT version()")
ASSERTS=$(psql -XAt -d bench_new -c "SHOW debug_assertions")
ELAPSED=$(( $(date +%s) - STARTED ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
SUBJECTS=()
for a in "${AGGS[@]}"; do IFS='|' read -r key _ _ <<<"$a"; case "$key" in floor*) ;; *) SUBJECTS+=("$key") ;; esac; done
: > "$SMARKPI_TMP/verdicts.txt"
for key in "${SUBJECTS[@]}"; do
	for m in s p; do echo "$m $key $(verdict $m "$key")" >> "$SMARKPI_TMP/verdicts.txt"; done
done
for w in "${WINS[@]}"; do
	IFS='|' read -r key _ _ frames <<<"$w"
	case "$key" in floor*) continue ;; esac
	for n in $frames; do echo "w$n $key $(verdict "w$n" "$key")" >> "$SMARKPI_TMP/verdicts.txt"; done
done
NCELLS=$(wc -l < "$SMARKPI_TMP/verdicts.txt")
NWITHIN=$(grep -c 'within noise$' "$SMARKPI_TMP/verdicts.txt" || true)
modename() { case "$1" in s) echo serial ;; p) echo "2 workers" ;; w*) echo "window n = ${1#w}" ;; esac; }
listof() {
	{ grep " $1\$" "$SMARKPI_TMP/verdicts.txt" || true; } | while read -r m k _; do
		printf '%s (%s, %s)\n' "$k" "$(modename "$m")" "$(rat "$m" "$k")"
	done | paste -sd ';' - | sed 's/;/; /g' || true
}
SLOWER=$(listof slower); FASTER=$(listof faster)
row() {
	# key label: serial and 2-worker columns
	local key=$1 label=$2
	echo "| $label | $(ms "$(med old s "$key")") | $(ms "$(med new s "$key")") | **$(rat s "$key")** | $(rng s "$key") | $(ms "$(med old p "$key")") | $(ms "$(med new p "$key")") | **$(rat p "$key")** | $(rng p "$key") |"
}
{
	echo "# State types: old internal states against the new SQL types"
	echo
	echo "Written by \`bash bench/state_types.sh --old $OLD --runs $RUNS --rows $ROWS --customers $CUSTOMERS --leads $LEADS --events $EVENTS --journeys $JOURNEYS --window-rows $WROWS\` on $(date -u +%Y-%m-%d) ($ELAPSED seconds)."
	echo
	echo "## Summary"
	echo
	if [ "$MISMATCH" = 1 ]; then
		echo "**RESULTS DIFFER between old and new** (see [Same results](#same-results)): the timings below compare different computations."
		echo
	fi
	echo "Noise: the count(*) floors run the same query on the same data in both databases, so their new/old ratios measure the set-up alone: ${FLOOR_RANGE:-none of 20 ms or more} (floors of 20 ms or more, every mode). The noise band is the largest distance from 1.00 among them, at least the ±5 % run-to-run spread RESULTS.md states: $(awk -v n="$NOISE" 'BEGIN { printf "±%.0f %%", n * 100 }')."
	echo "A ratio counts as slower or faster only outside that band and with all $RUNS paired runs on the same side of 1.00."
	echo "$NWITHIN of the $NCELLS (aggregate, mode) ratios below are within noise."
	echo "Slower: ${SLOWER:-none}."
	echo "Faster: ${FASTER:-none}."
	echo
	echo "- old: \`$OLD\` = ${OLD_COMMIT:0:7}, built from \`git archive\` and installed as the extension smarkpi_old in database bench_old; new: the working tree at ${NEW_COMMIT:0:7}$( [ -n "$DIRTY" ] && echo ' (with uncommitted changes)') as smarkpi in bench_new; both built by PGXS with the same compiler flags (\`pg_config --cflags\`, -O2), one server"
	echo "- CPU: $CPU ($(nproc) cores); load average (1, 5, 15 min) before the run: $LOAD_BEFORE, after: $LOAD_AFTER"
	echo "- PostgreSQL: $PGV (debug_assertions: $ASSERTS)"
	echo "- shared_buffers 3GB, work_mem 512MB, JIT off, every table $( [ "$PREWARM" = yes ] && echo "prewarmed (pg_prewarm) in both databases" || echo "read once before timing")"
	echo "- serial: max_parallel_workers_per_gather = 0; 2 workers: max_parallel_workers_per_gather = 2, parallel_setup_cost = 0, parallel_tuple_cost = 0, min_parallel_table_scan_size = 0, $(force_parallel_guc) = off (the leader participates)"
	echo "- each query is timed as \`SELECT count(x) FROM (query) s\` (the final function runs, the result is not sent), by psql's \\timing, in a fresh session warmed by an EXPLAIN of the query; $RUNS runs, each executing every query in old then new (new then old in even runs); medians in milliseconds; ratio = new / old (< 1: new is faster); \"runs\" is the range of the $RUNS per-run ratios"
	echo
	echo "Data, the same in both databases (one template database cloned into both, then the seeded customers and the summaries built by each side's own aggregates, checked equal):"
	echo
	echo "- \`crm\`: $ROWS rows of \`bench/data.sql\`; \`rfm(created_at, amount, '2025-01-01')\` groups them by \`id % $RFMC\`"
	echo "- \`customers\`: $CUSTOMERS simulated rfm summaries of \`bench/clv.sql\` (BG/NBD + Gamma-Gamma, whole days)"
	echo "- \`lead_events\`: $NLE events of $LEADS leads (\`bench/ordered_funnels_data.sql\`, $EVENTS events a lead on average); \`funnel_depths\`: the leads' \`window_funnel('30 days', at, step)\` depths $REPS times over ($NFD rows)"
	echo "- \`journeys\`: $JOURNEYS journeys of 1-8 touches over 10 channels (the generator of \`bench/markov_attribution.sh\`)"
	echo "- \`clv_seg\`: $NCS \`clv_summary(c)\` of 10 customers each; \`markov_seg\`: $NMS \`markov_attribution(path, converted, value)\` of 10 journeys each"
	echo
	echo "## Serial and 2 workers"
	echo
	echo "| aggregate | serial old ms | serial new ms | new / old | runs | 2 workers old ms | 2 workers new ms | new / old | runs |"
	echo "|---|---:|---:|---:|---|---:|---:|---:|---|"
	for a in "${AGGS[@]}"; do
		IFS='|' read -r key label _ <<<"$a"
		row "$key" "$label"
	done
	echo
	echo "## Moving windows: ROWS BETWEEN n PRECEDING AND CURRENT ROW"
	echo
	echo "| aggregate | n = 10 old ms | new ms | new / old | n = 100 old ms | new ms | new / old | n = 1000 old ms | new ms | new / old |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for w in "${WINS[@]}"; do
		IFS='|' read -r key label _ <<<"$w"
		line="| $label"
		for n in $FRAMES; do
			if [ -n "$(med old "w$n" "$key")" ]; then
				line="$line | $(ms "$(med old "w$n" "$key")") | $(ms "$(med new "w$n" "$key")") | **$(rat "w$n" "$key")** ($(rng "w$n" "$key"))"
			else
				line="$line | – | – | –"
			fi
		done
		echo "$line |"
	done
	echo
	echo "## Ratios and verdicts by aggregate"
	echo
	echo "new / old medians; moving = n = 10 / 100 / 1000; \"=\" within noise (±$(awk -v n="$NOISE" 'BEGIN { printf "%.0f %%", n * 100 }')), \"slower\" / \"faster\" outside it in every run."
	echo
	echo "| aggregate | serial | 2 workers | moving |"
	echo "|---|---|---|---|"
	for key in "${SUBJECTS[@]}"; do
		label=$(for a in "${AGGS[@]}"; do IFS='|' read -r k l _ <<<"$a"; if [ "$k" = "$key" ]; then echo "$l"; fi; done | sed 's/` .*/`/')
		mv=""
		for n in $FRAMES; do
			r=$(rat "w$n" "$key"); [ "$r" = n/a ] && continue
			v=$(verdict "w$n" "$key"); [ "$v" = "within noise" ] && v="="
			mv="${mv:+$mv / }$r $v"
		done
		vs=$(verdict s "$key"); [ "$vs" = "within noise" ] && vs="="
		vp=$(verdict p "$key"); [ "$vp" = "within noise" ] && vp="="
		echo "| $label | $(rat s "$key") $vs | $(rat p "$key") $vp | ${mv:-no inverse} |"
	done
	echo
	echo "## Plans"
	echo
	echo "With 2 workers, how each query runs (EXPLAIN, COSTS OFF); \"differs\" when the old and new plan texts are not the same."
	echo
	echo "| query | old, 2 workers | new, 2 workers | serial plans | 2-worker plans | window plans (n = 100) |"
	echo "|---|---|---|---|---|---|"
	for a in "${AGGS[@]}"; do
		IFS='|' read -r key _ _ <<<"$a"
		ds=same; plans_differ s "$key" && ds="**differs**"
		dp=same; plans_differ p "$key" && dp="**differs**"
		dw=""; if grep -q "^w100	$key	" "$SMARKPI_TMP/plans.txt"; then dw=same; plans_differ w100 "$key" && dw="**differs**"; fi
		echo "| $key | $(shape_of p "$key" old) | $(shape_of p "$key" new) | $ds | $dp | $dw |"
	done
	if grep -q . <(for a in "${AGGS[@]}" "${WINS[@]}"; do IFS='|' read -r key _ _ <<<"$a"; for m in s p w100; do plans_differ "$m" "$key" && echo "$m $key"; done; done); then
		echo
		echo "Plans that differ:"
		echo
		for a in "${AGGS[@]}" "${WINS[@]}"; do
			IFS='|' read -r key _ _ <<<"$a"
			for m in s p w100; do
				plans_differ "$m" "$key" || continue
				echo "- $key, $(modename "$m"):"
				for side in old new; do
					echo "  - $side: \`$(awk -F'\t' -v m="$m" -v k="$key" -v s="$side" '$1 == m && $2 == k && $3 == s { print $4 }' "$SMARKPI_TMP/plans.txt")\`"
				done
			done
		done | awk '!seen[$0]++'
	fi
	echo
	echo "## Same results"
	echo
	echo "Before timing, every query above (serial, 2 workers, each frame) and the tables built by each side's own aggregates were run in both databases and compared row by row as text (md5 of each \`x::text\` in order)."
	if [ -s "$SMARKPI_TMP/mismatch.txt" ]; then
		echo
		echo "**Differences:**"
		echo
		sed 's/^/- /' "$SMARKPI_TMP/mismatch.txt"
	else
		echo "All equal."
	fi
} > "$OUT"
cat "$OUT"
say "done in $ELAPSED seconds"
if [ "$MISMATCH" = 1 ]; then
	say "!!! old and new results differ (see $OUT)"
	exit 1
fi
