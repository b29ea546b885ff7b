#!/usr/bin/env bash
# Concurrency and load: pgbench runs a mix of smarkpi aggregates, GROUP BY,
# moving windows and forced-parallel queries on the sample CRM with 8 clients.
# Passes when no transaction fails, the server never crashes, and backend
# memory (RSS) is flat from the first to the last 10 seconds.
#
#   bash test/load.sh [--seconds N]      (default 60; test/check.sh runs 10)
SECONDS_TO_RUN=60
while [ $# -gt 0 ]; do
	case "$1" in
		--seconds) SECONDS_TO_RUN=$2; shift 2 ;;
		*) echo "usage: bash test/load.sh [--seconds N]" >&2; exit 2 ;;
	esac
done
source "$(dirname "$0")/pg_env.sh"
ensure_cluster
command -v ps >/dev/null || apt_install procps
DB=smarkpi_load
psql_q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql_q -d $DB -c "CREATE EXTENSION smarkpi"
psql_q -d $DB -f "$SMARKPI_ROOT/examples/sample_crm.sql" >/dev/null

# RSS of this database's backends, sampled every second
rss_log="$SMARKPI_TMP/load_rss.txt"
: > "$rss_log"
(
	for _ in $(seq "$SECONDS_TO_RUN"); do
		ps -eo rss=,args= | awk -v db="$DB" '$0 ~ "postgres: .* " db " " { s += $1; n++ } END { if (n) print s / n }' >> "$rss_log"
		sleep 1
	done
) &
sampler=$!

say "pgbench: 8 clients for $SECONDS_TO_RUN s"
status=0
"$PG_BINDIR/pgbench" -n -c 8 -j 2 -T "$SECONDS_TO_RUN" -f "$SMARKPI_ROOT/test/load/mix.sql" $DB \
	> "$SMARKPI_TMP/pgbench.out" 2>&1 || status=$?
wait $sampler || true
grep -E 'transactions actually processed|failed|aborted|tps' "$SMARKPI_TMP/pgbench.out" || true

window=$(( SECONDS_TO_RUN >= 30 ? 10 : SECONDS_TO_RUN / 3 ))
[ "$window" -ge 1 ] || window=1
# the first window starts after 2 s of warm-up (catalog caches filling)
first=$(tail -n +3 "$rss_log" | head -n "$window" | awk '{ s += $1 } END { if (NR) printf "%.0f", s / NR }')
last=$(tail -n "$window" "$rss_log" | awk '{ s += $1 } END { if (NR) printf "%.0f", s / NR }')
say "backend RSS: first ${window} s ${first:-?} kB, last ${window} s ${last:-?} kB"
crashes=$(grep -c 'terminated by signal' "$SMARKPI_TMP/server.log" || true)
failed_tx=$(sed -n 's/.*number of failed transactions: \([0-9]*\).*/\1/p' "$SMARKPI_TMP/pgbench.out")
psql_q -c "DROP DATABASE $DB" >/dev/null

ok=yes
[ "$status" -eq 0 ] || { echo "pgbench exited with $status"; tail -20 "$SMARKPI_TMP/pgbench.out"; ok=no; }
[ "${failed_tx:-0}" -eq 0 ] || { echo "failed transactions: $failed_tx"; ok=no; }
[ "$crashes" -eq 0 ] || { echo "server crashes: $crashes"; ok=no; }
# no samples means the memory check did not run: that is a failure, not a pass
if [ -z "$first" ] || [ -z "$last" ]; then
	echo "no backend memory samples were taken"
	ok=no
fi
# flat: the last window within 10 % (plus 2 MB of noise) of the first
if [ -n "$first" ] && [ -n "$last" ] && [ "$last" -gt $(( first + first / 10 + 2048 )) ]; then
	echo "backend memory grew from $first kB to $last kB"
	ok=no
fi
say "load: failed transactions ${failed_tx:-0}, crashes $crashes, RSS $first -> $last kB"
[ "$ok" = yes ]
