#!/usr/bin/env bash
# The whole test suite, against every supported major in the test matrix:
# PostgreSQL 15 (Debian 12's packages) and 18 (built once per machine from
# Debian's source package, with assertions and valgrind markers).  For each:
# a throwaway cluster, a self-test of this harness, pg_regress (make
# installcheck), the same suite again with parallel query forced, pgTAP
# (pg_prove), on 15 the Citus checks (test/citus.sh: every aggregate split
# across a coordinator and two workers), the README's Metabase views through
# pgJDBC (test/jdbc.sh), the sample company's numbers and dashboard
# (test/sample_company.sh), the upgrade path (test/upgrade.sh), the release's
# version and META.json (test/release.sh), the data-lifecycle checks, the CDNOW
# validation, a short sqlsmith fuzz run, a pgbench load run, on 15 the PGXN zip
# and the Debian package installed and tested, and a check of
# the server log for crashes, failed assertions and undefined behaviour (the
# test copy is built with -fsanitize=undefined where the compiler allows).
#
#   bash test/check.sh               # 15 and 18
#   bash test/check.sh --major 18    # one major
#
# Exits non-zero on any failure, and when no test ran.
set -euo pipefail
MAJOR=""
while [ $# -gt 0 ]; do
	case "$1" in
		--major) MAJOR=$2; shift 2 ;;
		*) echo "usage: bash test/check.sh [--major N]" >&2; exit 2 ;;
	esac
done

# ---- the matrix: one process per major, then the totals ----
if [ -z "$MAJOR" ]; then
	here=$(cd "$(dirname "$0")" && pwd)
	total_passed=0
	total_failed=0
	status=0
	for major in ${SMARKPI_MAJORS:-15 18}; do
		log=$(mktemp)
		rc=0
		bash "$here/check.sh" --major "$major" 2>&1 | tee "$log" || rc=$?
		line=$(grep -E "^pg$major: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -1 || true)
		rm -f "$log"
		if [ -z "$line" ]; then
			echo "not ok - PostgreSQL $major: the suite stopped before reporting (exit status $rc)"
			total_failed=$((total_failed + 1))
			status=1
			continue
		fi
		p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
		f=$(echo "$line" | sed 's/.*, \([0-9]*\) failed/\1/')
		total_passed=$((total_passed + p))
		total_failed=$((total_failed + f))
		[ "$rc" -eq 0 ] && [ "$f" -eq 0 ] || status=1
		[ "$p" -gt 0 ] || { echo "not ok - PostgreSQL $major ran no test"; status=1; }
	done
	echo "smarkpi: $total_passed passed, $total_failed failed"
	exit $status
fi

# ---- one major ----
source "$(dirname "$0")/pg_env.sh"
source "$(dirname "$0")/lifecycle.sh"
source "$(dirname "$0")/cdnow.sh"
source "$(dirname "$0")/formulas.sh"
source "$(dirname "$0")/citus.sh"
source "$(dirname "$0")/jdbc.sh"
source "$(dirname "$0")/upgrade.sh"
source "$(dirname "$0")/release.sh"
source "$(dirname "$0")/sample_company.sh"

ensure_packages "$MAJOR"
# smarkpi's own Asserts run in the test copy on every major (the 18 server's
# headers enable them anyway), as in pgvector's CI
SMARKPI_EXTRA_CFLAGS="-DUSE_ASSERT_CHECKING"
if echo 'int main(void){return 0;}' | gcc -fsanitize=undefined -x c - -o /dev/null 2>/dev/null; then
	SMARKPI_EXTRA_CFLAGS="$SMARKPI_EXTRA_CFLAGS -fsanitize=undefined -fno-omit-frame-pointer"
	export UBSAN_OPTIONS=print_stacktrace=1
fi
build_and_install
start_cluster

failed=0
passed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }

# Counts pg_regress results in both output formats: "test name ... ok" (15)
# and TAP, "ok 1 - name" / "not ok 10 - name" (16+).
regress_passed() { grep -Ec '^(test +[a-z_0-9]+ +\.\.\. ok|ok [0-9]+ +[-+] )' "$1" || true; }
regress_failed() { grep -Ec '^((test)? +[a-z_0-9]+ +\.\.\. (FAILED|failed)|not ok [0-9]+ )' "$1" || true; }

# Runs `make installcheck` in directory $1 with extra arguments; sets
# REGRESS_RC, REGRESS_PASSED and REGRESS_FAILED from the exit status and the
# output (kept in $SMARKPI_TMP/regress.out).
run_regress() {
	local dir=$1
	shift
	REGRESS_RC=0
	make -C "$dir" -s installcheck PG_CONFIG="$PG_CONFIG" "$@" >"$SMARKPI_TMP/regress.out" 2>&1 || REGRESS_RC=$?
	REGRESS_PASSED=$(regress_passed "$SMARKPI_TMP/regress.out")
	REGRESS_FAILED=$(regress_failed "$SMARKPI_TMP/regress.out")
}

# Adds a pg_regress run to the totals: every test that failed, a non-zero
# exit status and a run in which no test passed each count as failures.
count_regress() {
	local label=$1
	cat "$SMARKPI_TMP/regress.out"
	passed=$((passed + REGRESS_PASSED))
	failed=$((failed + REGRESS_FAILED))
	if [ "$REGRESS_FAILED" -gt 0 ] || [ "$REGRESS_RC" -ne 0 ]; then
		[ -f "$SMARKPI_ROOT/regression.diffs" ] && head -c 20000 "$SMARKPI_ROOT/regression.diffs"
	fi
	if [ "$REGRESS_RC" -ne 0 ] && [ "$REGRESS_FAILED" -eq 0 ]; then
		not_ok "$label: pg_regress exited with status $REGRESS_RC"
	fi
	[ "$REGRESS_PASSED" -gt 0 ] || not_ok "$label: no test ran"
}

# The harness must be able to fail: in a temporary copy of the tests, an
# intact expected file passes and a broken one makes pg_regress exit
# non-zero and counts as one failed test.
harness_self_test() {
	local copy
	copy=$(mktemp -d)
	cp -r "$SMARKPI_ROOT/Makefile" "$SMARKPI_ROOT/smarkpi.control" "$SMARKPI_ROOT/sql" "$SMARKPI_ROOT/expected" "$copy"/
	chmod -R a+rwX "$copy"
	run_regress "$copy" REGRESS=setup
	if [ "$REGRESS_RC" -eq 0 ] && [ "$REGRESS_PASSED" -eq 1 ] && [ "$REGRESS_FAILED" -eq 0 ]; then
		ok "harness: an intact expected file passes"
	else
		cat "$SMARKPI_TMP/regress.out"; not_ok "harness: an intact expected file did not pass (status $REGRESS_RC)"
	fi
	sed -i '0,/(1 row)/s//(2 rows)/' "$copy/expected/setup.out"
	run_regress "$copy" REGRESS=setup
	if [ "$REGRESS_RC" -ne 0 ] && [ "$REGRESS_FAILED" -eq 1 ] && [ "$REGRESS_PASSED" -eq 0 ]; then
		ok "harness: a broken expected file makes pg_regress exit with status $REGRESS_RC and counts as a failure"
	else
		cat "$SMARKPI_TMP/regress.out"; not_ok "harness: a broken expected file was not reported (status $REGRESS_RC)"
	fi
	rm -rf "$copy"
}

# A library loaded into every backend must not export names another module
# could clash with: every global symbol starts with smarkpi_.
exported_symbols_check() {
	local foreign
	foreign=$(nm -g --defined-only "$SMARKPI_ROOT/smarkpi.so" | awk '{ print $3 }' |
		grep -Ev '^(smarkpi_|pg_finfo_smarkpi_|Pg_magic_func$|_PG_init$)' || true)
	if [ -z "$foreign" ]; then
		ok "every exported symbol starts with smarkpi_"
	else
		not_ok "exported symbols without the smarkpi_ prefix: $(echo $foreign)"
	fi
}

# The C style, once per matrix run (it does not depend on the major): pgindent
# with PostgreSQL's typedefs plus smarkpi's leaves every file as it is, and no
# line is longer than 100 columns (tabs of 4).
style_check() {
	local long
	if bash "$SMARKPI_ROOT/test/pgindent.sh" --check >"$SMARKPI_TMP/pgindent.out" 2>&1; then
		ok "$(tail -1 "$SMARKPI_TMP/pgindent.out")"
	else
		head -c 20000 "$SMARKPI_TMP/pgindent.out"
		not_ok "pgindent would change the C code: run bash test/pgindent.sh"
	fi
	long=$(find "$SMARKPI_ROOT/src" -name '*.[ch]' | sort | xargs awk '{
		n = 0
		for (i = 1; i <= length($0); i++) n = substr($0, i, 1) == "\t" ? n + 4 - n % 4 : n + 1
		if (n > 100) print FILENAME ":" FNR
	}')
	if [ -z "$long" ]; then
		ok "no line of src/ is longer than 100 columns"
	else
		not_ok "lines longer than 100 columns: $(echo $long)"
	fi
}

cd "$SMARKPI_ROOT"
if [ "$SMARKPI_PG_MAJOR" -ge 18 ]; then
	say "C style: pgindent and line length"
	style_check
fi
say "harness self-test"
harness_self_test
exported_symbols_check

say "pg_regress"
run_regress "$SMARKPI_ROOT"
count_regress "pg_regress"

# The second pass leaves out mutation (type I/O through COPY: nothing to run in
# parallel), invalid_rows and planner (they set up their own parallel plans)
# and badinput (one error per case: a worker start each), which are the
# slowest under it.
guc=$(force_parallel_guc)
forced_tests=$(make -s -f "$SMARKPI_ROOT/Makefile" -pn 2>/dev/null | sed -n 's/^REGRESS = //p' | head -1)
for t in mutation invalid_rows planner badinput; do forced_tests=$(echo " $forced_tests " | sed "s/ $t / /"); done
say "pg_regress under $guc = regress"
PGOPTIONS="-c $guc=regress" run_regress "$SMARKPI_ROOT" REGRESS="$forced_tests"
count_regress "pg_regress under $guc"

say "pgTAP"
psql_q -c "CREATE DATABASE smarkpi_tap"
psql_q -d smarkpi_tap -c "CREATE EXTENSION pgtap; CREATE EXTENSION smarkpi;"
tap_rc=0
pg_prove -d smarkpi_tap test/pgtap/*.sql >"$SMARKPI_TMP/tap.out" 2>&1 || tap_rc=$?
cat "$SMARKPI_TMP/tap.out"
tap_tests=$(sed -n 's/.*Tests=\([0-9]*\).*/\1/p' "$SMARKPI_TMP/tap.out" | tail -1)
tap_failed=$(sed -n 's/.*Failed: \([0-9]*\)).*/\1/p' "$SMARKPI_TMP/tap.out" | tail -1)
passed=$((passed + ${tap_tests:-0} - ${tap_failed:-0}))
failed=$((failed + ${tap_failed:-0}))
if [ "$tap_rc" -ne 0 ] || ! grep -q '^Result: PASS' "$SMARKPI_TMP/tap.out" || [ "${tap_tests:-0}" -eq 0 ]; then
	[ "${tap_failed:-0}" -gt 0 ] || not_ok "pgTAP: pg_prove exited with status $tap_rc after ${tap_tests:-0} tests"
fi

say "Citus: every aggregate split across a coordinator and two workers"
run_citus_checks

say "each formula in one place: the catalog's comments and doc/reference.md agree"
run_formula_check smarkpi_tap
passed=$((passed + FORMULAS_PASSED))
failed=$((failed + FORMULAS_FAILED))
run_units_check smarkpi_tap
passed=$((passed + UNITS_PASSED))
failed=$((failed + UNITS_FAILED))

say "the README's Metabase views through pgJDBC: numbers, dates and text only"
run_jdbc_check
passed=$((passed + JDBC_PASSED))
failed=$((failed + JDBC_FAILED))

say "the sample company: headline numbers, consistency, determinism, the dashboard"
run_sample_company_check
passed=$((passed + SAMPLE_PASSED))
failed=$((failed + SAMPLE_FAILED))

say "the upgrade path: 1.0 frozen, ALTER EXTENSION UPDATE over stored states"
run_upgrade_check
passed=$((passed + UPGRADE_PASSED))
failed=$((failed + UPGRADE_FAILED))

say "the release: one version number, PGXN's META.json"
run_release_checks
passed=$((passed + RELEASE_PASSED))
failed=$((failed + RELEASE_FAILED))

say "data lifecycle: pg_dump / pg_restore, binary COPY"
run_lifecycle
passed=$((passed + LIFECYCLE_PASSED))
failed=$((failed + LIFECYCLE_FAILED))

say "CLV validation on the CDNOW data"
run_cdnow
passed=$((passed + CDNOW_PASSED))
failed=$((failed + CDNOW_FAILED))

say "sqlsmith fuzzing (short run)"
if bash "$SMARKPI_ROOT/test/fuzz.sh" --queries "${SMARKPI_FUZZ_QUERIES:-2000}"; then
	ok "sqlsmith: no crash"
else
	not_ok "sqlsmith"
fi

say "concurrency and load (pgbench, short run)"
if bash "$SMARKPI_ROOT/test/load.sh" --seconds "${SMARKPI_LOAD_SECONDS:-10}"; then
	ok "pgbench load"
else
	not_ok "pgbench load"
fi

if [ "$SMARKPI_PG_MAJOR" = "$(packaged_major)" ]; then
	say "installing a release: the PGXN zip (pgxnclient), the Debian package (pg_regress on the installed files)"
	run_package_checks
	passed=$((passed + RELEASE_PASSED))
	failed=$((failed + RELEASE_FAILED))
fi

say "server log: crashes, failed assertions and undefined behaviour"
if grep -E 'terminated by signal|runtime error:|PANIC|TRAP:' "$SMARKPI_TMP/server.log"; then
	not_ok "the server log shows a crash, a failed assertion or undefined behaviour"
else
	ok "no crash, failed assertion or undefined behaviour in the server log"
fi

echo "pg$SMARKPI_PG_MAJOR: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || { say "PostgreSQL $SMARKPI_PG_MAJOR: FAILED"; exit 1; }
say "PostgreSQL $SMARKPI_PG_MAJOR: all tests passed"
