#!/usr/bin/env bash
# Pipeline history benchmark (issue 25), writes bench/PIPELINE_HISTORY.md.
#
#   bash bench/pipeline_history.sh [--rows N] [--runs R] [--installed]
#
# N deal-history rows (default 10,000,000: about N / 7 deals in 8 channels,
# bench/pipeline_history_data.sql), the quarter 2024-07-01 .. 2024-10-01:
#   1. the pipeline waterfall per channel: pipeline_waterfall per channel +
#      waterfall_buckets, against the plain SQL a RevOps analyst writes (a
#      LAG/LEAD window over each deal's rows, CASE buckets, sum() and
#      count(DISTINCT) per channel and bucket, start and end from the same
#      window), floors count(*) and count(amount) per channel;
#   2. the median days per stage: stage_history per deal + stage_durations +
#      percentile_cont, against a LEAD window and sum() per deal and stage;
#      floor count(*) per deal;
#   3. the waterfall (and its floor and plain SQL) with 2 parallel workers,
#      and its plan.
# Medians of R interleaved runs (default 5) in one session.  Checks that
# smarkpi and the plain SQL give the same numbers (every channel and bucket;
# every deal and stage).  A benchmark, not a test: it prints figures, it never
# fails on them.
# With PG_CONFIG set (e.g. a server built from source) that server is used;
# otherwise the packaged one is installed as for the tests.  smarkpi is built
# and installed into it first, unless --installed: then the smarkpi already
# installed there is used as it is (it must have pipeline_waterfall, 1.1).
source "$(dirname "$0")/../test/pg_env.sh"

ROWS=10000000
RUNS=5
INSTALLED=no
while [ $# -gt 0 ]; do
	case "$1" in
		--rows) ROWS=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		--installed) INSTALLED=yes; shift ;;
		*) echo "usage: bash bench/pipeline_history.sh [--rows N] [--runs R] [--installed]" >&2; exit 2 ;;
	esac
done
BENCH=$SMARKPI_ROOT/bench
OUT=$BENCH/PIPELINE_HISTORY.md
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

use_pg_config_or_packages
SMARKPI_USE_INSTALLED=$INSTALLED start_bench_database "-c shared_buffers=4GB -c work_mem=2GB -c max_parallel_workers_per_gather=0 -c jit=off -c timezone=UTC"
EXTVERSION=$(psql -XAt -c "SELECT extversion FROM pg_extension WHERE extname = 'smarkpi'")
if [ "$(psql -XAt -c "SELECT to_regproc('waterfall_buckets') IS NOT NULL AND to_regproc('stage_durations') IS NOT NULL")" != t ]; then
	echo "smarkpi $EXTVERSION has no pipeline_waterfall / stage_history (1.1): run without --installed" >&2
	exit 1
fi
PREWARM=no
if psql_q -c "CREATE EXTENSION pg_prewarm" 2>/dev/null; then PREWARM=yes; fi

say "generating about $ROWS deal-history rows"
psql_q -v rows="$ROWS" -f "$BENCH/pipeline_history_data.sql" >/dev/null
if [ "$PREWARM" = yes ]; then
	psql_q -c "SELECT pg_prewarm('deal_history')" >/dev/null
else
	psql_q -c "SELECT count(*) FROM deal_history" >/dev/null
fi
read -r NROWS NDEALS <<<"$(psql -XAt -F' ' -c "SELECT count(*), count(DISTINCT deal_id) FROM deal_history")"
TABLE_SIZE=$(psql -XAt -c "SELECT pg_size_pretty(pg_table_size('deal_history'))")
NTIES=$(psql -XAt -c "SELECT count(*) FROM (SELECT deal_id, valid_from FROM deal_history GROUP BY 1, 2 HAVING count(*) > 1) x")

source "$BENCH/lib.sh"
PARALLEL2='SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;'
SERIAL='SET max_parallel_workers_per_gather = 0;'

T0="timestamptz '2024-07-01 00:00+00'"
T1="timestamptz '2024-10-01 00:00+00'"
PERIOD="daterange '[2024-07-01,2024-10-01)'"
STAGES="'{prospect,qualify,propose,negotiate,commit,won,lost}'::text[]"
BUCKET_ORDER="array_position('{start,created,pulled_in,increased,decreased,pushed_out,lost,won,end}'::text[], bucket)"

FLOOR_Q="SELECT channel, count(*) FROM deal_history GROUP BY channel"
FLOOR_AMOUNT_Q="SELECT channel, count(amount) FROM deal_history GROUP BY channel"
WATERFALL_Q="SELECT s.channel, b.bucket, b.amount, b.deals
FROM (SELECT channel,
			 pipeline_waterfall(deal_id, valid_from, amount, close_date, outcome,
								$T0, $T1, $PERIOD) AS w
	  FROM deal_history GROUP BY channel) s,
	 waterfall_buckets(s.w) b"
# the plain SQL: one window over each deal's rows (ties at one instant in
# the order open, won, lost; close date; amount), each row against the
# previous one; the snapshot in effect at t is the row whose next row is
# after t
PLAIN_WATERFALL_Q="WITH h AS (
	SELECT channel, deal_id, valid_from, amount, outcome,
		   outcome = 'open' AND close_date >= date '2024-07-01' AND close_date < date '2024-10-01' AS is_in,
		   row_number() OVER w AS nth,
		   lag(amount) OVER w AS prev_amount,
		   lag(outcome = 'open' AND close_date >= date '2024-07-01' AND close_date < date '2024-10-01') OVER w AS was_in,
		   lead(valid_from) OVER w AS next_from
	FROM deal_history
	WHERE valid_from <= $T1
	WINDOW w AS (PARTITION BY deal_id
				 ORDER BY valid_from, CASE outcome WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END, close_date, amount))
SELECT channel, m.bucket, sum(m.amount) AS amount, count(DISTINCT deal_id) AS deals
FROM h, LATERAL (VALUES
	(CASE WHEN valid_from > $T0 THEN
		CASE WHEN is_in AND NOT coalesce(was_in, false) THEN CASE WHEN nth = 1 THEN 'created' ELSE 'pulled_in' END
			 WHEN was_in AND NOT is_in THEN CASE outcome WHEN 'won' THEN 'won' WHEN 'lost' THEN 'lost' ELSE 'pushed_out' END
			 WHEN was_in AND is_in AND amount > prev_amount THEN 'increased'
			 WHEN was_in AND is_in AND amount < prev_amount THEN 'decreased' END END,
	 CASE WHEN was_in AND NOT is_in THEN prev_amount WHEN was_in AND is_in THEN abs(amount - prev_amount) ELSE amount END),
	(CASE WHEN is_in AND valid_from <= $T0 AND (next_from IS NULL OR next_from > $T0) THEN 'start' END, amount),
	(CASE WHEN is_in AND next_from IS NULL THEN 'end' END, amount)) m(bucket, amount)
WHERE m.bucket IS NOT NULL
GROUP BY channel, m.bucket"

STAGE_FLOOR_Q="SELECT sum(n) FROM (SELECT deal_id, count(*) AS n FROM deal_history GROUP BY deal_id) x"
STAGE_DEALS_Q="SELECT s.deal_id, d.stage, d.days
FROM (SELECT deal_id, stage_history(valid_from, stage, $STAGES, $T1) AS h
	  FROM deal_history GROUP BY deal_id) s,
	 stage_durations(s.h) d
WHERE d.days IS NOT NULL"
PLAIN_STAGE_DEALS_Q="SELECT deal_id, stage,
	   extract(epoch FROM sum(coalesce(next_at, $T1) - valid_from))::float8 / 86400 AS days
FROM (SELECT deal_id, stage, valid_from,
			 lead(valid_from) OVER (PARTITION BY deal_id ORDER BY valid_from, array_position($STAGES, stage)) AS next_at
	  FROM deal_history
	  WHERE valid_from <= $T1) c
GROUP BY deal_id, stage"
STAGE_Q="SELECT d.stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY d.days) AS median_days, count(d.days) AS deals
FROM (SELECT deal_id, stage_history(valid_from, stage, $STAGES, $T1) AS h
	  FROM deal_history GROUP BY deal_id) s,
	 stage_durations(s.h) d
GROUP BY d.stage"
PLAIN_STAGE_Q="SELECT stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days, count(*) AS deals
FROM ($PLAIN_STAGE_DEALS_Q) d
GROUP BY stage"

say "checking that smarkpi and the plain SQL agree"
psql -XAt -F' ' -v ON_ERROR_STOP=1 > "$SMARKPI_TMP/check.txt" <<SQL
$SERIAL
CREATE TEMP TABLE wf_s AS $WATERFALL_Q;
CREATE TEMP TABLE wf_p AS $PLAIN_WATERFALL_Q;
SELECT 'wf_rows', count(*) FROM wf_s;
SELECT 'wf_plain_rows', count(*) FROM wf_p;
-- a bucket without movements is a row of 0 from smarkpi and no row from the plain SQL
SELECT 'wf_differ', count(*) FROM wf_s FULL JOIN wf_p USING (channel, bucket)
WHERE coalesce(wf_s.amount, 0) <> coalesce(wf_p.amount, 0) OR coalesce(wf_s.deals, 0) <> coalesce(wf_p.deals, 0);
SELECT 'wf_identity', count(*) FROM (
	SELECT channel FROM wf_s GROUP BY channel
	HAVING sum(amount) FILTER (WHERE bucket IN ('start', 'created', 'pulled_in', 'increased'))
		 - sum(amount) FILTER (WHERE bucket IN ('decreased', 'pushed_out', 'lost', 'won'))
		 = sum(amount) FILTER (WHERE bucket = 'end')) x;
SELECT 'wf_channels', count(DISTINCT channel) FROM wf_s;
SELECT 'total', bucket, sum(amount), sum(deals) FROM wf_s GROUP BY bucket ORDER BY $BUCKET_ORDER;
CREATE TEMP TABLE st_s AS $STAGE_DEALS_Q;
CREATE TEMP TABLE st_p AS $PLAIN_STAGE_DEALS_Q;
SELECT 'st_rows', count(*) FROM st_s;
SELECT 'st_plain_rows', count(*) FROM st_p;
-- days as float8 from microseconds (smarkpi) or numeric seconds (plain): compared to 1e-6 day
SELECT 'st_differ', count(*) FROM st_s FULL JOIN st_p USING (deal_id, stage)
WHERE round(st_s.days::numeric, 6) IS DISTINCT FROM round(st_p.days::numeric, 6);
CREATE TEMP TABLE sm_s AS $STAGE_Q;
CREATE TEMP TABLE sm_p AS $PLAIN_STAGE_Q;
SELECT 'sm_differ', count(*) FROM sm_s FULL JOIN sm_p USING (stage)
WHERE round(sm_s.median_days::numeric, 6) IS DISTINCT FROM round(sm_p.median_days::numeric, 6)
   OR sm_s.deals IS DISTINCT FROM sm_p.deals;
SELECT 'median', stage, round(sm_s.median_days::numeric, 3), round(sm_p.median_days::numeric, 3), sm_s.deals, sm_p.deals
FROM sm_s FULL JOIN sm_p USING (stage) ORDER BY array_position($STAGES, stage);
SQL
chk() { awk -v k="$1" '$1 == k { print $2 }' "$SMARKPI_TMP/check.txt"; }
WF_EQUAL=$( [ "$(chk wf_differ)" = 0 ] && echo yes || echo NO )
ST_EQUAL=$( [ "$(chk st_differ)" = 0 ] && [ "$(chk sm_differ)" = 0 ] && echo yes || echo NO )
say "waterfall equal: $WF_EQUAL ($(chk wf_differ) of $(chk wf_rows) channel x bucket rows differ); stage days equal: $ST_EQUAL ($(chk st_differ) of $(chk st_rows) deal x stage rows differ, $(chk sm_differ) medians)"

say "$RUNS interleaved runs"
{
	echo '\timing on'
	for _ in $(seq "$RUNS"); do
		echo "$SERIAL"
		echo '\echo @floor'; echo "$FLOOR_Q;"
		echo '\echo @floor_amount'; echo "$FLOOR_AMOUNT_Q;"
		echo '\echo @waterfall'; echo "$WATERFALL_Q;"
		echo '\echo @plain_waterfall'; echo "$PLAIN_WATERFALL_Q;"
		echo '\echo @stage_floor'; echo "$STAGE_FLOOR_Q;"
		echo '\echo @stage'; echo "$STAGE_Q;"
		echo '\echo @plain_stage'; echo "$PLAIN_STAGE_Q;"
		echo "$PARALLEL2"
		echo '\echo @floor2'; echo "$FLOOR_Q;"
		echo '\echo @waterfall2'; echo "$WATERFALL_Q;"
		echo '\echo @plain_waterfall2'; echo "$PLAIN_WATERFALL_Q;"
	done
} | timed | medians > "$SMARKPI_TMP/times.txt"
t() { get "$SMARKPI_TMP/times.txt" "$1"; }
PLAN2_TEXT=$(psql -XAtq -c "$PARALLEL2" -c "EXPLAIN (COSTS OFF) $WATERFALL_Q")
SHAPE2=$(plan_shape "$(echo "$PLAN2_TEXT" | tr '\n' ' ')")
PLAN_STAGE=$(psql -XAtq -c "$SERIAL" -c "EXPLAIN (COSTS OFF) $STAGE_Q")
PLAN_PLAIN2=$(psql -XAtq -c "$PARALLEL2" -c "EXPLAIN (COSTS OFF) $PLAIN_WATERFALL_Q" | tr '\n' ' ')
case "$PLAN_PLAIN2" in
	*Gather*) SHAPE_PLAIN2="workers scan and sort, leader windows and aggregates" ;;
	*) SHAPE_PLAIN2="serial plan" ;;
esac

say "writing $OUT"
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
PGV=$(psql -XAt -c "SELECT version()")
ASSERTS=$(psql -XAt -c "SHOW debug_assertions")
ELAPSED=$(( $(date +%s) - STARTED ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git -C "$SMARKPI_ROOT" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
DIRTY=$(git -C "$SMARKPI_ROOT" status --porcelain -- src sql 2>/dev/null | head -1)
F=$(t floor)
SF=$(t stage_floor)
ARGS="--rows $ROWS --runs $RUNS$( [ "$INSTALLED" = yes ] && echo ' --installed' || true)"
{
	echo "# Pipeline history: benchmark"
	echo
	echo "Written by \`bash bench/pipeline_history.sh $ARGS\` on $(date -u +%Y-%m-%d) (issue 25; $ELAPSED seconds)."
	echo
	echo "- smarkpi $EXTVERSION, commit: $COMMIT$( [ -n "$DIRTY" ] && echo " with uncommitted changes in src/ or sql/")$( [ "$INSTALLED" = yes ] && echo "; the build already installed in the server (--installed), not rebuilt by this run") (the numbers are from this run, the file was written by it)"
	echo "- CPU: $CPU ($(nproc) cores); load average (1, 5, 15 min) before the run: $LOAD_BEFORE, after: $LOAD_AFTER"
	echo "- PostgreSQL: $PGV (debug_assertions: $ASSERTS$( [ "$ASSERTS" = on ] && echo ' -- an assert-enabled build, slower than a release build; compare the ratios, not the milliseconds'))"
	echo "- shared_buffers 4GB, work_mem 2GB, JIT off, table $( [ "$PREWARM" = yes ] && echo "prewarmed (pg_prewarm)" || echo "read once before timing (no pg_prewarm)"), no index; serial unless stated"
	echo "- times: medians of $RUNS interleaved runs in one session, milliseconds, psql \\timing"
	echo
	echo "Data (\`bench/pipeline_history_data.sql\`): $NROWS history rows ($TABLE_SIZE) of $NDEALS deals in 8 channels, 1 to 13 rows per deal, stored in valid_from order (an append-only history); each row the deal's stage, amount, close date and outcome from valid_from until its next row. Deals start between 2023-07-01 and 2024-12-22, a row every 1 to 21 days; stages prospect, qualify, propose, negotiate, commit (5 % of rows one stage back), the last row won (25 %), lost (30 %) or open; amounts move in 10 % steps, close dates are pushed by 30 days now and then and 4 % of rows pull them in by 40 days; $NTIES times a deal has two rows at one instant. No NULLs."
	echo
	echo "## 1. Waterfall per channel"
	echo
	echo "The question: how did each channel's pipeline for Q3 2024 (open deals closing in the quarter) move from 2024-07-01 to 2024-10-01?"
	echo
	echo '```sql'
	echo "-- smarkpi"
	echo "$WATERFALL_Q;"
	echo
	echo "-- the plain SQL: each deal's rows against the previous one (LAG), start and end from the next row (LEAD)"
	echo "$PLAIN_WATERFALL_Q;"
	echo '```'
	echo
	echo "Equal: **$WF_EQUAL** -- $(chk wf_differ) of the $(chk wf_rows) channel × bucket rows differ in amount or deals ($(chk wf_channels) channels; the plain SQL gives $(chk wf_plain_rows) rows, it has no row for a bucket without movements). start + created + pulled_in + increased - decreased - pushed_out - lost - won = end holds exactly in $(chk wf_identity) of $(chk wf_channels) channels."
	echo
	echo "All channels together (sums of the per-channel rows; a deal belongs to one channel):"
	echo
	echo "| bucket | amount | deals |"
	echo "|---|---:|---:|"
	awk '$1 == "total" { printf "| %s | %s | %s |\n", $2, $3, $4 }' "$SMARKPI_TMP/check.txt"
	echo
	echo "| query | ms | smarkpi ÷ plain SQL | ÷ \`count(*)\` |"
	echo "|---|---:|---:|---:|"
	echo "| \`count(*)\` per channel (floor) | $(ms "$F") | | 1.00 |"
	echo "| \`count(amount)\` per channel (floor reading a column) | $(ms "$(t floor_amount)") | | $(ratio "$(t floor_amount)" "$F") |"
	echo "| \`pipeline_waterfall\` per channel + \`waterfall_buckets\` | $(ms "$(t waterfall)") | $(ratio "$(t waterfall)" "$(t plain_waterfall)") | $(ratio "$(t waterfall)" "$F") |"
	echo "| plain SQL: LAG/LEAD window per deal, CASE buckets, sum + count(DISTINCT) | $(ms "$(t plain_waterfall)") | 1.00 | $(ratio "$(t plain_waterfall)" "$F") |"
	echo
	echo "## 2. Median days per stage"
	echo
	echo "The question: how long do deals spend in each stage (all visits; the current stage up to 2024-10-01)? Median over the deals that entered the stage."
	echo
	echo '```sql'
	echo "-- smarkpi"
	echo "$STAGE_Q;"
	echo
	echo "-- the plain SQL: each row lasts until the deal's next row (LEAD), summed per deal and stage"
	echo "$PLAIN_STAGE_Q;"
	echo '```'
	echo
	echo "Equal: **$ST_EQUAL** -- $(chk st_differ) of the $(chk st_rows) deal × stage rows differ in days (rounded to 10^-6 day; the plain SQL gives $(chk st_plain_rows) rows), $(chk sm_differ) of the stage medians and deal counts differ."
	echo
	echo "| stage | median days (smarkpi) | median days (plain SQL) | deals (smarkpi) | deals (plain SQL) |"
	echo "|---|---:|---:|---:|---:|"
	awk '$1 == "median" { printf "| %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6 }' "$SMARKPI_TMP/check.txt"
	echo
	echo "| query | ms | smarkpi ÷ plain SQL | ÷ \`count(*)\` per deal |"
	echo "|---|---:|---:|---:|"
	echo "| \`count(*)\` per deal (floor) | $(ms "$SF") | | 1.00 |"
	echo "| \`stage_history\` per deal + \`stage_durations\` + percentile_cont | $(ms "$(t stage)") | $(ratio "$(t stage)" "$(t plain_stage)") | $(ratio "$(t stage)" "$SF") |"
	echo "| plain SQL: LEAD window per deal, sum per deal and stage + percentile_cont | $(ms "$(t plain_stage)") | 1.00 | $(ratio "$(t plain_stage)" "$SF") |"
	echo
	echo "The plan of the smarkpi query (serial):"
	echo
	echo '```'
	echo "$PLAN_STAGE"
	echo '```'
	echo
	echo "## 3. The waterfall with 2 parallel workers"
	echo
	echo "max_parallel_workers_per_gather = 2, parallel_setup_cost = parallel_tuple_cost = 0, min_parallel_table_scan_size = 0 ($(nproc) cores: the leader and 2 workers share them)."
	echo
	echo "| query | ms | ÷ serial | smarkpi ÷ plain SQL | ÷ \`count(*)\` serial |"
	echo "|---|---:|---:|---:|---:|"
	echo "| \`count(*)\` per channel, 2 workers | $(ms "$(t floor2)") | $(ratio "$(t floor2)" "$F") | | $(ratio "$(t floor2)" "$F") |"
	echo "| \`pipeline_waterfall\` + \`waterfall_buckets\`, 2 workers ($SHAPE2) | $(ms "$(t waterfall2)") | $(ratio "$(t waterfall2)" "$(t waterfall)") | $(ratio "$(t waterfall2)" "$(t plain_waterfall2)") | $(ratio "$(t waterfall2)" "$F") |"
	echo "| plain SQL waterfall, 2 workers ($SHAPE_PLAIN2) | $(ms "$(t plain_waterfall2)") | $(ratio "$(t plain_waterfall2)" "$(t plain_waterfall)") | 1.00 | $(ratio "$(t plain_waterfall2)" "$F") |"
	echo
	echo "The plan of the smarkpi waterfall with 2 workers:"
	echo
	echo '```'
	echo "$PLAN2_TEXT"
	echo '```'
	echo
	echo "## Cost model"
	echo
	echo "pipeline_waterfall keeps every row of its group up to t1 (32 bytes each) in one flat state, sorts it by (deal, valid_from) in the final function (O(n log n); the table is in valid_from order, so the sort is needed) and then walks each deal once (O(n)); with workers, each keeps its own rows and the combine appends them. The plain SQL sorts every row by (deal, valid_from, ...) for the window, then hashes or sorts (channel, bucket, deal) for count(DISTINCT). stage_history is a per-deal aggregate (GROUP BY deal_id: one small state per deal, 16 bytes per change); the plain SQL sorts all rows by deal for LEAD and groups again by (deal, stage)."
	echo
	echo "## Re-running"
	echo
	echo '```sh'
	echo "bash bench/pipeline_history.sh                      # builds and installs smarkpi into the packaged server first"
	echo "PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config bash bench/pipeline_history.sh --installed   # the smarkpi already installed there"
	echo "bash bench/pipeline_history.sh --rows 1000000 --runs 3   # smaller and quicker"
	echo '```'
	echo
	echo "The script starts its own throwaway server (test/pg_env.sh, removed on exit), generates the data, checks the results against each other, then times the queries interleaved."
} > "$OUT"
say "done in $ELAPSED seconds"
