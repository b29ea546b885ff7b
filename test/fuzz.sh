#!/usr/bin/env bash
# Fuzzes smarkpi with sqlsmith: random queries, seeded, run as an
# unprivileged role against tables of smarkpi-relevant columns and state
# types; then checks that the server never crashed and still answers.
#
#   bash test/fuzz.sh [--queries N] [--seed S]
#
# Inside test/check.sh it uses that run's cluster; alone it sets up its own.
QUERIES=2000
SEED=42
while [ $# -gt 0 ]; do
	case "$1" in
		--queries) QUERIES=$2; shift 2 ;;
		--seed) SEED=$2; shift 2 ;;
		*) echo "usage: bash test/fuzz.sh [--queries N] [--seed S]" >&2; exit 2 ;;
	esac
done
source "$(dirname "$0")/pg_env.sh"
ensure_cluster
command -v sqlsmith >/dev/null || apt_install sqlsmith

DB=smarkpi_fuzz
psql_q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql_q -c "DROP ROLE IF EXISTS smarkpi_fuzzer" -c "CREATE ROLE smarkpi_fuzzer LOGIN"
psql_q -d $DB <<'SQL' >/dev/null
CREATE EXTENSION smarkpi;
CREATE TABLE leads (id int, channel text, created_at timestamptz, mql_at timestamptz, sal_at timestamptz,
	responded_at timestamptz, converted boolean, score int, sat int);
CREATE TABLE deals (id int, created_at timestamptz, closed_at timestamptz, amount numeric, won boolean,
	probability float8, spend numeric, customers bigint, opened bigint, delivered bigint, sla interval);
CREATE TABLE states (r smarkpi_rate_summary, d smarkpi_duration_summary, m smarkpi_money_summary,
	v smarkpi_velocity_summary, c smarkpi_count_ratio_summary, s smarkpi_score_summary);
INSERT INTO leads
SELECT i, 'c' || (i % 4), t, t + (i % 5) * interval '1 day', CASE WHEN i % 3 > 0 THEN t + (i % 9) * interval '1 day' END,
	   CASE WHEN i % 7 = 0 THEN 'infinity' ELSE t + i * interval '1 minute' END, i % 2 = 0, i % 12 - 1, i % 7
FROM (SELECT i, '2024-01-01'::timestamptz + i * interval '3 hours' AS t FROM generate_series(1, 200) i) s;
INSERT INTO deals
SELECT i, t, CASE WHEN i % 4 > 0 THEN t + (i % 50 - 5) * interval '1 day' END,
	   CASE i % 10 WHEN 0 THEN 'NaN' WHEN 1 THEN 'Infinity' WHEN 2 THEN -5 ELSE i * 12.5 END,
	   CASE WHEN i % 4 > 0 THEN i % 3 = 0 END, (i % 13) / 10.0, i * 3.3, i % 5 - 1, i % 30, i % 25,
	   (i % 6 - 2) * interval '1 day'
FROM (SELECT i, '2024-01-01'::timestamptz + i * interval '5 hours' AS t FROM generate_series(1, 200) i) s;
INSERT INTO states VALUES ('(1,2)', '(100,1)', '(2,1,2,12.50,5)', '(4,3,2,2,2,4000,1728000000000)', '(1,10)', '(1,1,3)');
GRANT SELECT ON ALL TABLES IN SCHEMA public TO smarkpi_fuzzer;
SQL
psql_q -c "ALTER ROLE smarkpi_fuzzer SET statement_timeout = '2s'"

say "sqlsmith: $QUERIES queries, seed $SEED"
start=$(date +%s)
sqlsmith --target="host=$PGHOST port=$PGPORT dbname=$DB user=smarkpi_fuzzer" \
	--seed="$SEED" --max-queries="$QUERIES" --exclude-catalog >"$SMARKPI_TMP/sqlsmith.out" 2>&1 || true
tail -c 2000 "$SMARKPI_TMP/sqlsmith.out" | tr '\r' '\n' | tail -5
crashes=$(grep -c 'terminated by signal' "$SMARKPI_TMP/server.log" || true)
alive=no
psql -XAt -d $DB -c "SELECT 1" >/dev/null 2>&1 && alive=yes
say "sqlsmith: $QUERIES queries in $(( $(date +%s) - start )) s, crashes: $crashes, server answers: $alive"
psql_q -c "DROP DATABASE $DB" -c "DROP ROLE smarkpi_fuzzer" >/dev/null
[ "$crashes" -eq 0 ] && [ "$alive" = yes ]
