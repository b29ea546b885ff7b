#!/usr/bin/env bash
# Citus: every public aggregate of smarkpi split across the workers of a
# coordinator + 2 workers cluster (issue 20).  Sourced by test/check.sh on the
# PostgreSQL 15 pass (run_citus_checks, counting with check.sh's ok/not_ok),
# or run alone:
#
#   bash test/citus.sh      # packages, build + install into PostgreSQL 15, the checks
#
# Citus 13.2.2 (AGPL-3.0, a test-only dependency, never copied into the
# checkout) is built from ../shared/citus once per machine into
# $(smarkpi_cache_dir)/citus-13.2.2-pg<server version>/ and installed from
# there into the server of $PG_CONFIG when its citus.so differs.  Without the
# source the checks are skipped with a message, except in CI (CI=true), where
# that is a failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/pg_source.sh"	# smarkpi_cache_dir

CITUS_VERSION=13.2.2

# ---- build and install ----

# The build tree of Citus for the server of $PG_CONFIG, built on first use.
# Keyed by the full server version: the compatibility patch and the ABI follow
# the 15.x minor release.
citus_build_dir() {
	local cache version dir src=$1
	cache=$(smarkpi_cache_dir)
	version=$("$PG_CONFIG" --version | sed 's/^PostgreSQL \([0-9.]*\).*/\1/')
	dir="$cache/citus-$CITUS_VERSION-pg$version"
	if [ ! -f "$dir/.complete" ]; then
		citus_build "$src" "$dir" >&2 || return 1
	fi
	echo "$dir/citus-$CITUS_VERSION"
}

# Unpacks, patches, configures and builds Citus into $2 (logs in $2).
citus_build() {
	local src=$1 dir=$2 need=() started=$SECONDS
	[ -f /usr/include/zstd.h ] || need+=(libzstd-dev)
	[ -f /usr/include/lz4.h ] || need+=(liblz4-dev)
	[ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] || [ -f /usr/include/curl/curl.h ] || need+=(libcurl4-openssl-dev)
	[ -f /usr/include/gssapi.h ] || [ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
	[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
	say "building Citus $CITUS_VERSION against $("$PG_CONFIG" --version) into $dir: once per machine"
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xzf "$src/citus-$CITUS_VERSION.tar.gz" -C "$dir"
	(
		cd "$dir/citus-$CITUS_VERSION"
		patch -s -p1 <"$src/citus-$CITUS_VERSION-pg15-minor.patch"
		./configure PG_CONFIG="$PG_CONFIG" >"$dir/configure.log" 2>&1 || { tail -30 "$dir/configure.log"; exit 1; }
		make -s -j"$(nproc)" with_llvm=no >"$dir/make.log" 2>&1 || { tail -40 "$dir/make.log"; exit 1; }
	) || return 1
	touch "$dir/.complete"
	say "Citus built in $((SECONDS - started)) s"
}

# Installs Citus into the server of $PG_CONFIG unless the same citus.so is
# there already (a fast `make install` from the cached build tree).
citus_install() {
	local tree=$1
	if cmp -s "$tree/src/backend/distributed/citus.so" "$("$PG_CONFIG" --pkglibdir)/citus.so"; then
		return 0
	fi
	say "installing Citus $CITUS_VERSION from $tree"
	as_root make -C "$tree" -s install with_llvm=no >"$tree/../install.log" 2>&1 ||
		{ tail -20 "$tree/../install.log" >&2; return 1; }
}

# ---- the cluster: a coordinator and two workers ----

CITUS_DB=smarkpi_citus
CITUS_COORDINATOR=5433
CITUS_WORKERS="5434 5435"

# psql on the node of port $1, in the test database, stopping at the first error.
citus_psql() {
	local port=$1
	shift
	"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SMARKPI_TMP" -p "$port" -U postgres -d "$CITUS_DB" "$@"
}

# One node: its own data directory under $CITUS_DIR, its own port on the
# private socket directory of check.sh's cluster, Citus preloaded.  Nodes
# reach each other, and the coordinator itself, through that socket
# directory (citus.local_hostname); one time zone for all.  CITUS_NODE_OPTS:
# further server options (bench/citus.sh sizes memory with them).
citus_start_node() {
	local port=$1
	start_server "$CITUS_DIR/node$port" "$port" "$CITUS_DIR/node$port.log" \
		"-c shared_preload_libraries=citus -c citus.local_hostname='$SMARKPI_TMP' -c timezone=UTC ${CITUS_NODE_OPTS:-}" ||
		return 1
	"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SMARKPI_TMP" -p "$port" -U postgres -d postgres \
		-c "CREATE DATABASE $CITUS_DB" &&
		citus_psql "$port" -c "CREATE EXTENSION citus"
}

# Stops the three nodes and removes their directories; safe to call twice.
citus_stop_cluster() {
	local port
	[ -n "${CITUS_DIR:-}" ] && [ -d "$CITUS_DIR" ] || return 0
	for port in $CITUS_COORDINATOR $CITUS_WORKERS; do
		[ -d "$CITUS_DIR/node$port" ] &&
			run_as_server_user "$PG_BINDIR/pg_ctl" -D "$CITUS_DIR/node$port" -m fast -w stop >/dev/null 2>&1 || true
	done
	rm -rf "$CITUS_DIR"
}

# Starts the nodes (stopped on exit, before check.sh's own exit trap runs),
# registers the workers and creates smarkpi once, on the coordinator.
citus_start_cluster() {
	local port
	CITUS_DIR="$SMARKPI_TMP/citus"
	push_exit_trap citus_stop_cluster
	CITUS_PREVIOUS_TRAP=$PREVIOUS_EXIT_TRAP
	mkdir -p "$CITUS_DIR"
	if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$CITUS_DIR"; fi
	say "starting a Citus coordinator (port $CITUS_COORDINATOR) and workers (ports $CITUS_WORKERS)"
	for port in $CITUS_COORDINATOR $CITUS_WORKERS; do
		citus_start_node "$port" || return 1
	done
	citus_psql $CITUS_COORDINATOR -c "SELECT citus_set_coordinator_host('$SMARKPI_TMP', $CITUS_COORDINATOR)" \
		>/dev/null || return 1
	for port in $CITUS_WORKERS; do
		citus_psql $CITUS_COORDINATOR -c "SELECT citus_add_node('$SMARKPI_TMP', $port)" >/dev/null || return 1
	done
	citus_psql $CITUS_COORDINATOR -c "CREATE EXTENSION smarkpi"
}

# ---- the checks ----

# Counts the rows "t|text" of the SQL on stdin, run on the coordinator, as ok
# and "f|text" or "|text" (NULL) as not_ok, prefixed "citus: "; an error is
# one more not_ok.
citus_count() {
	local out rc=0 line
	out=$(citus_psql $CITUS_COORDINATOR -At -F '|' 2>&1) || rc=$?
	while IFS= read -r line; do
		case "$line" in
			t\|*) ok "citus: ${line#t|}" ;;
			f\|* | \|*) not_ok "citus: ${line#*|}" ;;
		esac
	done <<<"$out"
	[ "$rc" -eq 0 ] || not_ok "citus: $(echo "$out" | grep -Ev '^[tf]?[|]' | tail -3 | tr '\n' ' ')"
}

# The template files without comments and blank lines, empty trailing fields
# as NULL, for \copy.
citus_tsv() {
	grep -Ev '^(#|[[:space:]]*$)' "$SMARKPI_ROOT/test/citus/$1" |
		awk -F '\t' -v n="$2" 'BEGIN { OFS = "\t" } { for (i = NF + 1; i <= n; i++) $i = "\\N"; print }'
}

# The data, the harness functions, the templates, and kpi_daily (its summaries
# computed on the workers from the distributed tables) beside kpi_daily_local.
# Each step stops the set-up when it fails (set -e does not act inside an if).
citus_load() {
	citus_psql $CITUS_COORDINATOR -f "$SMARKPI_ROOT/test/citus/data.sql" >/dev/null &&
		citus_psql $CITUS_COORDINATOR -f "$SMARKPI_ROOT/test/citus/checks.sql" >/dev/null &&
		citus_tsv aggregates.tsv 3 | citus_psql $CITUS_COORDINATOR -c "\\copy citus_harness.aggregates FROM pstdin" &&
		citus_tsv windows.tsv 5 | citus_psql $CITUS_COORDINATOR -c "\\copy citus_harness.windows FROM pstdin" &&
		citus_tsv summaries.tsv 5 |
		citus_psql $CITUS_COORDINATOR -c "\\copy citus_harness.summaries (col, tbl, summary, raw, reader) FROM pstdin" &&
		citus_psql $CITUS_COORDINATOR >/dev/null <<'SQL'
SET client_min_messages = warning;
DO $$ BEGIN EXECUTE 'CREATE TABLE kpi_daily_local AS ' || citus_harness.kpi_daily_query('_local'); END $$;
CREATE TABLE kpi_daily (LIKE kpi_daily_local);
SELECT create_distributed_table('kpi_daily', 'account_id', colocate_with => 'opps');
DO $$ BEGIN EXECUTE 'INSERT INTO kpi_daily ' || citus_harness.kpi_daily_query(''); END $$;
ANALYZE kpi_daily, kpi_daily_local;
SQL
}

# Every aggregate of the catalogue has a template that calls it, and every
# template an aggregate; every summary aggregate (whose result a rollup()
# takes) is stored in kpi_daily.
citus_coverage() {
	citus_count <<'SQL'
SELECT false, c.signature || ': no call template in test/citus/aggregates.tsv'
FROM citus_harness.catalogue c LEFT JOIN citus_harness.aggregates a USING (signature)
WHERE a.signature IS NULL;
SELECT false, a.signature || ': a template in test/citus/aggregates.tsv for an aggregate smarkpi does not have'
FROM citus_harness.aggregates a LEFT JOIN citus_harness.catalogue c USING (signature)
WHERE c.signature IS NULL;
SELECT a.signature = ANY (citus_harness.functions_called(a.expr, a.tbl || '_local')),
	   format('the template of %s calls it: %s', a.signature, a.expr)
FROM citus_harness.aggregates a JOIN citus_harness.catalogue c USING (signature) ORDER BY 2;
SELECT count(*) > 0, format('%s aggregates in the catalogue, %s with an internal state', count(*),
							count(*) FILTER (WHERE state_type = 'internal'))
FROM citus_harness.catalogue;
SELECT EXISTS (SELECT FROM citus_harness.summaries s
			   WHERE c.signature = ANY (citus_harness.functions_called(s.summary, s.tbl || '_local'))),
	   c.signature || ': stored in kpi_daily by test/citus/summaries.tsv'
FROM citus_harness.catalogue c
WHERE (SELECT prorettype FROM pg_proc WHERE oid = c.signature::regprocedure) IN
	  (SELECT p.proargtypes[0] FROM pg_proc p JOIN citus_harness.catalogue r ON p.oid = r.signature::regprocedure
	   WHERE r.signature LIKE 'rollup(%')
  AND c.signature NOT LIKE 'rollup(%'
ORDER BY 2;
SQL
}

# The four checks of each aggregate of the catalogue that has a template, in
# one session (a session per aggregate took five times as long: each opens
# its own connections to the workers); each check catches its own error.
citus_aggregate_checks() {
	citus_count <<'SQL'
CREATE TEMP TABLE checked AS
SELECT c.signature, r.ok, r.line, r.n
FROM (SELECT signature FROM citus_harness.catalogue JOIN citus_harness.aggregates USING (signature)) c,
	 citus_harness.check_aggregate(c.signature) WITH ORDINALITY r(ok, line, n);
SELECT ok, line FROM checked ORDER BY signature, n;
SELECT count(DISTINCT signature) > 0, count(DISTINCT signature) || ' aggregates checked' FROM checked;
SQL
}

# The window functions and the two-step summaries; kpi_daily built from the
# distributed tables equals the one built locally.
citus_window_and_summary_checks() {
	citus_count <<'SQL'
SELECT ok, line FROM citus_harness.windows w, citus_harness.check_window(w.name) ORDER BY w.name;
SELECT d IS NULL, 'kpi_daily built from the distributed tables (summaries computed on the workers) equals kpi_daily_local' || coalesce(' -- ' || d, '')
FROM citus_harness.difference('SELECT concat_ws('','', account_id, day, channel), k::text FROM kpi_daily k',
							  'SELECT concat_ws('','', account_id, day, channel), k::text FROM kpi_daily_local k') d;
SELECT ok, line FROM citus_harness.summaries s, citus_harness.check_summary(s.col) ORDER BY s.n;
SQL
}

# The checks must be able to fail: an aggregate with an internal state (the
# support functions of avg(numeric)) is flagged as pulled to the coordinator
# and refused under 'disabled', one with a numeric state (those of
# sum(numeric)) is split, a query grouped or partitioned by another column
# than the distribution column is not taken for one run on the workers, and
# a different result is reported.
citus_self_test() {
	citus_count <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA citus_selftest;
CREATE AGGREGATE citus_selftest.internal_avg(numeric) (
	SFUNC = numeric_avg_accum, STYPE = internal, COMBINEFUNC = numeric_avg_combine,
	SERIALFUNC = numeric_avg_serialize, DESERIALFUNC = numeric_avg_deserialize,
	FINALFUNC = numeric_avg, PARALLEL = SAFE);
CREATE AGGREGATE citus_selftest.numeric_total(numeric) (
	SFUNC = numeric_add, STYPE = numeric, COMBINEFUNC = numeric_add, INITCOND = '0', PARALLEL = SAFE);
SELECT NOT citus_harness.split_across_workers(p),
	   'self-test: an aggregate with an internal state is detected as not pushed down (the shards run: '
	   || citus_harness.worker_query(p) || ')'
FROM citus_harness.plan('SELECT channel, citus_selftest.internal_avg(amount) FROM opps GROUP BY channel') p;
SELECT citus_harness.split_across_workers(p),
	   'self-test: an aggregate with a numeric state is detected as split (the shards run: '
	   || citus_harness.worker_query(p) || ')'
FROM citus_harness.plan('SELECT channel, citus_selftest.numeric_total(amount) FROM opps GROUP BY channel') p;
SET citus.coordinator_aggregation_strategy = disabled;
SELECT citus_harness.error_of('SELECT channel, citus_selftest.internal_avg(amount) FROM opps GROUP BY channel')
	   ~ 'unsupported aggregate',
	   'self-test: the internal-state aggregate is refused under coordinator_aggregation_strategy = disabled';
RESET citus.coordinator_aggregation_strategy;
SELECT NOT citus_harness.all_on_workers(p, 'win_rate'),
	   'self-test: a query grouped by channel is not taken for one run whole on the workers'
FROM citus_harness.plan('SELECT channel, win_rate(won)::text FROM opps GROUP BY channel') p;
SELECT NOT citus_harness.window_on_workers(p),
	   'self-test: a window partitioned by channel is not taken for one run on the workers'
FROM citus_harness.plan('SELECT opp_id, win_rate(won) OVER (PARTITION BY channel ORDER BY opp_id) FROM opps') p;
SELECT citus_harness.difference('SELECT channel, win_rate(won)::text FROM opps GROUP BY 1',
								'SELECT channel, win_rate(NOT won)::text FROM opps_local GROUP BY 1') IS NOT NULL,
	   'self-test: a different result is reported';
DROP SCHEMA citus_selftest CASCADE;
SQL
}

# No node crashed or failed an assertion.
citus_log_check() {
	if grep -E 'terminated by signal|runtime error:|PANIC|TRAP:' "$CITUS_DIR"/node*.log; then
		not_ok "citus: a node's log shows a crash, a failed assertion or undefined behaviour"
	else
		ok "citus: no crash, failed assertion or undefined behaviour in the nodes' logs"
	fi
}

# Everything, on PostgreSQL 15 to 17 (what Citus 13.2 supports); skipped with a
# message on other majors, and without the Citus source outside CI.
run_citus_checks() {
	local src="$SMARKPI_ROOT/../shared/citus" tree started
	if [ "$SMARKPI_PG_MAJOR" -lt 15 ] || [ "$SMARKPI_PG_MAJOR" -gt 17 ]; then
		echo "skipped: Citus checks (Citus $CITUS_VERSION supports PostgreSQL 15 to 17, this is $SMARKPI_PG_MAJOR)"
		return 0
	fi
	if [ ! -f "$src/citus-$CITUS_VERSION.tar.gz" ]; then
		if [ "${CI:-}" = true ]; then
			not_ok "citus: the Citus source is missing from $src, and CI must run the Citus checks"
		else
			echo "skipped: Citus checks (no $src/citus-$CITUS_VERSION.tar.gz; in CI, CI=true, this is a failure)"
		fi
		return 0
	fi
	tree=$(citus_build_dir "$src") || { not_ok "citus: building Citus $CITUS_VERSION failed"; return 0; }
	citus_install "$tree" || { not_ok "citus: installing Citus $CITUS_VERSION failed"; return 0; }
	started=$SECONDS
	if citus_start_cluster && citus_load; then
		citus_count <<<"SELECT bool_and(success AND result = '$(extension_version)'),
				'smarkpi created on the coordinator exists on both workers: ' || string_agg(result, ', ')
			FROM run_command_on_workers('SELECT extversion FROM pg_extension WHERE extname = ''smarkpi''')"
		citus_coverage
		citus_aggregate_checks
		citus_window_and_summary_checks
		citus_self_test
		citus_log_check
	else
		not_ok "citus: the cluster or its data could not be set up"
	fi
	citus_stop_cluster
	restore_exit_trap "$CITUS_PREVIOUS_TRAP"
	say "Citus checks: $((SECONDS - started)) s"
}

# ---- alone: bash test/citus.sh ----
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	source "$(dirname "$0")/pg_env.sh"
	ensure_packages 15
	SMARKPI_EXTRA_CFLAGS="-DUSE_ASSERT_CHECKING"
	build_and_install
	start_cluster
	passed=0
	failed=0
	ok() { passed=$((passed + 1)); echo "ok - $*"; }
	not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
	run_citus_checks
	echo "citus: $passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
fi
