#!/usr/bin/env bash
# Cohort retention benchmark (issue 26), writes bench/COHORT_RETENTION.md.
#
#   bash bench/cohort_retention.sh [--rows N] [--runs R] [--installed]
#
# N activity rows (default 10,000,000: N / 50 customers in 8 channels, three
# years), the monthly cohort matrix per channel observed until 2025-01-01:
# cohort_retention per channel + retention_matrix, against the plain SQL a
# user writes (date_trunc per customer and month, min() for the cohort,
# generate_series for the offsets, a join for the retained counts), checked
# equal cell by cell; floors count(*) and count(active_at) per channel; the
# smarkpi query with 2 parallel workers.  Medians of R interleaved runs
# (default 5) in one session.  A benchmark, not a test: it prints figures,
# it never fails on them.  PG_CONFIG and --installed as in
# bench/pipeline_history.sh.
source "$(dirname "$0")/../test/pg_env.sh"

ROWS=10000000
RUNS=5
INSTALLED=no
while [ $# -gt 0 ]; do
	case "$1" in
		--rows) ROWS=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		--installed) INSTALLED=yes; shift ;;
		*) echo "usage: bash bench/cohort_retention.sh [--rows N] [--runs R] [--installed]" >&2; exit 2 ;;
	esac
done
BENCH=$SMARKPI_ROOT/bench
OUT=$BENCH/COHORT_RETENTION.md
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

use_pg_config_or_packages
SMARKPI_USE_INSTALLED=$INSTALLED start_bench_database "-c shared_buffers=4GB -c work_mem=2GB -c max_parallel_workers_per_gather=0 -c jit=off -c timezone=UTC"
EXTVERSION=$(psql -XAt -c "SELECT extversion FROM pg_extension WHERE extname = 'smarkpi'")
if [ "$(psql -XAt -c "SELECT to_regprocedure('retention_matrix(smarkpi_cohort_retention)') IS NOT NULL")" != t ]; then
	echo "smarkpi $EXTVERSION has no cohort_retention (1.1): run without --installed" >&2
	exit 1
fi
PREWARM=no
if psql_q -c "CREATE EXTENSION pg_prewarm" 2>/dev/null; then PREWARM=yes; fi

say "generating about $ROWS activity rows"
psql_q -v rows="$ROWS" <<'SQL' >/dev/null
-- customer c starts on day (c * 7919) % 1095 of 2022-2024 and is active on
-- days after it, more often early (u^3 of the three years); its channel is c % 8
CREATE TABLE activity AS
SELECT c AS customer_id, 'channel_' || (c % 8) AS channel,
	   timestamptz '2022-01-01 00:00+00' + ((c * 7919) % 1095) * interval '1 day'
		   + (((i * 40503) % 10007) / 10007.0) ^ 3 * interval '1095 days' AS active_at
FROM (SELECT i, 1 + (i * 2654435761) % (:rows / 50) AS c FROM generate_series(1::bigint, :rows) i) s;
VACUUM ANALYZE activity;
SQL
if [ "$PREWARM" = yes ]; then psql_q -c "SELECT pg_prewarm('activity')" >/dev/null; fi
read -r NROWS NCUST <<<"$(psql -XAt -F' ' -c "SELECT count(*), count(DISTINCT customer_id) FROM activity")"
NLATE=$(psql -XAt -c "SELECT count(*) FROM activity WHERE active_at > '2025-01-01'")
TABLE_SIZE=$(psql -XAt -c "SELECT pg_size_pretty(pg_table_size('activity'))")

source "$BENCH/lib.sh"
PARALLEL2='SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;'
SERIAL='SET max_parallel_workers_per_gather = 0;'
OBS="timestamptz '2025-01-01 00:00+00'"

FLOOR_Q="SELECT channel, count(*) FROM activity GROUP BY channel"
FLOOR_COL_Q="SELECT channel, count(active_at) FROM activity GROUP BY channel"
COHORT_Q="SELECT s.channel, m.*
FROM (SELECT channel, cohort_retention(customer_id, active_at, 'month', $OBS) AS r
	  FROM activity GROUP BY channel) s,
	 retention_matrix(s.r) m"
PLAIN_Q="WITH a AS (
	SELECT DISTINCT channel, customer_id, date_trunc('month', active_at AT TIME ZONE 'UTC')::date AS p
	FROM activity WHERE active_at <= $OBS),
c AS (SELECT channel, customer_id, min(p) AS cohort FROM a GROUP BY 1, 2),
sizes AS (SELECT channel, cohort, count(*) AS n FROM c GROUP BY 1, 2),
grid AS (
	SELECT s.channel, s.cohort, s.n, g::date AS p
	FROM sizes s, generate_series(s.cohort, date_trunc('month', $OBS AT TIME ZONE 'UTC') - interval '1 month', interval '1 month') g),
ret AS (SELECT c.channel, c.cohort, a.p, count(*) AS n FROM a JOIN c USING (channel, customer_id) GROUP BY 1, 2, 3)
SELECT g.channel, g.cohort,
	   ((extract(year FROM g.p) - extract(year FROM g.cohort)) * 12 + extract(month FROM g.p) - extract(month FROM g.cohort))::int AS period_offset,
	   g.n AS cohort_size, g.n AS eligible, coalesce(r.n, 0) AS retained, coalesce(r.n, 0)::float8 / g.n AS retention
FROM grid g LEFT JOIN ret r USING (channel, cohort, p)"

say "checking that smarkpi and the plain SQL agree"
psql -XAt -F' ' -v ON_ERROR_STOP=1 > "$SMARKPI_TMP/check.txt" <<SQL
$SERIAL
CREATE TEMP TABLE m_s AS $COHORT_Q;
CREATE TEMP TABLE m_p AS $PLAIN_Q;
SELECT 'rows', count(*) FROM m_s WHERE eligible > 0;
SELECT 'plain_rows', count(*) FROM m_p;
SELECT 'open_cohorts', count(*) FROM m_s WHERE eligible = 0;
SELECT 'differ', count(*) FROM (SELECT * FROM m_s WHERE eligible > 0) s FULL JOIN m_p p USING (channel, cohort, period_offset)
WHERE (s.cohort_size, s.eligible, s.retained, s.retention) IS DISTINCT FROM (p.cohort_size, p.eligible, p.retained, p.retention);
SELECT 'm', period_offset, sum(retained)::float8 / sum(eligible) FROM m_s WHERE period_offset IN (1, 3, 6, 12, 24) AND eligible > 0
GROUP BY 2 ORDER BY 2;
SQL
chk() { awk -v k="$1" '$1 == k { print $2 }' "$SMARKPI_TMP/check.txt"; }
EQUAL=$( [ "$(chk differ)" = 0 ] && [ "$(chk rows)" = "$(chk plain_rows)" ] && echo yes || echo NO )
say "equal: $EQUAL ($(chk differ) of $(chk rows) cells differ; plain SQL $(chk plain_rows) cells)"

say "$RUNS interleaved runs"
{
	echo '\timing on'
	for _ in $(seq "$RUNS"); do
		echo "$SERIAL"
		echo '\echo @floor'; echo "$FLOOR_Q;"
		echo '\echo @floor_col'; echo "$FLOOR_COL_Q;"
		echo '\echo @cohort'; echo "$COHORT_Q;"
		echo '\echo @plain'; echo "$PLAIN_Q;"
		echo "$PARALLEL2"
		echo '\echo @cohort2'; echo "$COHORT_Q;"
		echo '\echo @plain2'; echo "$PLAIN_Q;"
	done
} | timed | medians > "$SMARKPI_TMP/times.txt"
t() { get "$SMARKPI_TMP/times.txt" "$1"; }
PLAN_TEXT=$(psql -XAtq -c "$SERIAL" -c "EXPLAIN (COSTS OFF) $COHORT_Q")
PLAN2_TEXT=$(psql -XAtq -c "$PARALLEL2" -c "EXPLAIN (COSTS OFF) $COHORT_Q")
SHAPE2=$(plan_shape "$(echo "$PLAN2_TEXT" | tr '\n' ' ')")

say "writing $OUT"
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
PGV=$(psql -XAt -c "SELECT version()")
ASSERTS=$(psql -XAt -c "SHOW debug_assertions")
ELAPSED=$(( $(date +%s) - STARTED ))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git -C "$SMARKPI_ROOT" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
DIRTY=$(git -C "$SMARKPI_ROOT" status --porcelain -- src sql 2>/dev/null | head -1)
F=$(t floor)
ARGS="--rows $ROWS --runs $RUNS$( [ "$INSTALLED" = yes ] && echo ' --installed' || true)"
{
	echo "# Cohort retention: benchmark"
	echo
	echo "Written by \`bash bench/cohort_retention.sh $ARGS\` on $(date -u +%Y-%m-%d) (issue 26; $ELAPSED seconds)."
	echo
	echo "- smarkpi $EXTVERSION, commit: $COMMIT$( [ -n "$DIRTY" ] && echo " with uncommitted changes in src/ or sql/")$( [ "$INSTALLED" = yes ] && echo "; the build already installed in the server (--installed), not rebuilt by this run")"
	echo "- CPU: $CPU ($(nproc) cores); load average (1, 5, 15 min) before the run: $LOAD_BEFORE, after: $LOAD_AFTER"
	echo "- PostgreSQL: $PGV (debug_assertions: $ASSERTS)"
	echo "- shared_buffers 4GB, work_mem 2GB, JIT off, table $( [ "$PREWARM" = yes ] && echo "prewarmed (pg_prewarm)" || echo "not prewarmed"), no index; serial unless stated"
	echo "- times: medians of $RUNS interleaved runs in one session, milliseconds, psql \\timing"
	echo
	echo "Data: $NROWS activity rows ($TABLE_SIZE) of $NCUST customers in 8 channels; customer c starts on one of the 1,095 days of 2022-2024 and is active on later days, more often early; $NLATE rows fall after observed_until (2025-01-01) and are ignored by both queries."
	echo
	echo "The question: the monthly cohort matrix per channel -- of each month's new customers, how many were active 1, 2, 3 ... months later."
	echo
	echo '```sql'
	echo "-- smarkpi"
	echo "$COHORT_Q;"
	echo
	echo "-- the plain SQL: date_trunc per customer and month, min() for the cohort, generate_series for the offsets"
	echo "$PLAIN_Q;"
	echo '```'
	echo
	echo "Equal: **$EQUAL** -- $(chk differ) of the $(chk rows) cells (channel × cohort × offset with eligible customers) differ in cohort_size, eligible, retained or retention; the plain SQL gives $(chk plain_rows) cells. smarkpi adds $(chk open_cohorts) rows for cohorts whose month has not ended (eligible 0), which the plain SQL's grid leaves out."
	echo
	echo "Pooled retention over all channels and cohorts: $(awk '$1 == "m" { printf "M%s %.1f %%, ", $2, 100 * $3 }' "$SMARKPI_TMP/check.txt" | sed 's/, $//')."
	echo
	echo "| query | ms | smarkpi ÷ plain SQL | ÷ \`count(*)\` |"
	echo "|---|---:|---:|---:|"
	echo "| \`count(*)\` per channel (floor) | $(ms "$F") | | 1.00 |"
	echo "| \`count(active_at)\` per channel (floor reading the column) | $(ms "$(t floor_col)") | | $(ratio "$(t floor_col)" "$F") |"
	echo "| \`cohort_retention\` per channel + \`retention_matrix\` | $(ms "$(t cohort)") | $(ratio "$(t cohort)" "$(t plain)") | $(ratio "$(t cohort)" "$F") |"
	echo "| plain SQL: date_trunc, min(), generate_series, join | $(ms "$(t plain)") | 1.00 | $(ratio "$(t plain)" "$F") |"
	echo "| \`cohort_retention\` + \`retention_matrix\`, 2 workers ($SHAPE2) | $(ms "$(t cohort2)") | $(ratio "$(t cohort2)" "$(t plain2)") | $(ratio "$(t cohort2)" "$F") |"
	echo "| plain SQL, 2 workers | $(ms "$(t plain2)") | 1.00 | $(ratio "$(t plain2)" "$F") |"
	echo
	echo "The plans of the smarkpi query, serial and with 2 workers:"
	echo
	echo '```'
	echo "$PLAN_TEXT"
	echo
	echo "$PLAN2_TEXT"
	echo '```'
	echo
	echo "## Cost model"
	echo
	echo "cohort_retention appends one 24-byte entry (customer, month, count) per row to its group's flat state and compacts it (sort, merge the counts of each customer-month) whenever it doubles, so its memory is about twice the distinct customer-months and a row costs O(log n) amortized; with workers each compacts its own part and the combine appends. retention_matrix walks the compacted entries once per customer. The plain SQL hashes or sorts (channel, customer, month) for DISTINCT, again for min(), and joins the activity back to the cohorts."
	echo
	echo "## Re-running"
	echo
	echo '```sh'
	echo "bash bench/cohort_retention.sh                      # builds and installs smarkpi into the packaged server first"
	echo "PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config bash bench/cohort_retention.sh --installed"
	echo "bash bench/cohort_retention.sh --rows 1000000 --runs 3"
	echo '```'
} > "$OUT"
say "done in $(( $(date +%s) - STARTED )) seconds"
