#!/usr/bin/env bash
# The whole test suite against a throwaway cluster: pg_regress (make
# installcheck), the same suite again under force_parallel_mode = regress,
# pgTAP (pg_prove), the data-lifecycle checks, a short sqlsmith fuzz run, and a
# check of the server log for crashes and undefined behaviour (the test copy
# is built with -fsanitize=undefined where the compiler allows).
# Exits non-zero on any failure.
source "$(dirname "$0")/pg_env.sh"
source "$(dirname "$0")/lifecycle.sh"
source "$(dirname "$0")/cdnow.sh"

ensure_packages
if echo 'int main(void){return 0;}' | gcc -fsanitize=undefined -x c - -o /dev/null 2>/dev/null; then
	SMARKPI_EXTRA_CFLAGS="-fsanitize=undefined -fno-omit-frame-pointer"
	export UBSAN_OPTIONS=print_stacktrace=1
fi
build_and_install
start_cluster

failed=0
passed=0
count_regress() {
	passed=$((passed + $(grep -Ec '^(test| ) +[a-z_]+ +\.\.\. ok' "$1" || true)))
	if grep -q 'FAILED\|failed (ignored)' "$1"; then
		failed=$((failed + $(grep -c 'FAILED' "$1" || true)))
		[ -f regression.diffs ] && head -c 20000 regression.diffs
	fi
}

cd "$SMARKPI_ROOT"
say "pg_regress"
make -s installcheck PG_CONFIG="$PG_CONFIG" 2>&1 | tee "$SMARKPI_TMP/regress.out" || true
count_regress "$SMARKPI_TMP/regress.out"

say "pg_regress under force_parallel_mode = regress"
PGOPTIONS="-c force_parallel_mode=regress" make -s installcheck PG_CONFIG="$PG_CONFIG" 2>&1 |
	tee "$SMARKPI_TMP/regress_parallel.out" || true
count_regress "$SMARKPI_TMP/regress_parallel.out"

say "pgTAP"
psql_q -c "CREATE DATABASE smarkpi_tap"
psql_q -d smarkpi_tap -c "CREATE EXTENSION pgtap; CREATE EXTENSION smarkpi;"
pg_prove -d smarkpi_tap test/pgtap/*.sql 2>&1 | tee "$SMARKPI_TMP/tap.out" || true
tap_tests=$(sed -n 's/.*Tests=\([0-9]*\).*/\1/p' "$SMARKPI_TMP/tap.out" | tail -1)
tap_failed=$(sed -n 's/.*Failed: \([0-9]*\)).*/\1/p' "$SMARKPI_TMP/tap.out" | tail -1)
if grep -q '^Result: PASS' "$SMARKPI_TMP/tap.out"; then
	passed=$((passed + ${tap_tests:-0}))
else
	failed=$((failed + ${tap_failed:-1}))
	passed=$((passed + ${tap_tests:-0} - ${tap_failed:-0}))
fi

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
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

say "concurrency and load (pgbench, short run)"
if bash "$SMARKPI_ROOT/test/load.sh" --seconds "${SMARKPI_LOAD_SECONDS:-10}"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

say "server log: crashes and undefined behaviour"
if grep -E 'terminated by signal|runtime error:|PANIC' "$SMARKPI_TMP/server.log"; then
	failed=$((failed + 1))
	echo "not ok - the server log shows a crash or undefined behaviour"
else
	passed=$((passed + 1))
	echo "ok - no crash and no undefined behaviour in the server log"
fi

echo "smarkpi: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || { say "FAILED"; exit 1; }
say "all tests passed"
