#!/usr/bin/env bash
# The whole test suite: pg_regress (make installcheck) and pgTAP (pg_prove)
# against a throwaway cluster.  Exits non-zero on any failure.
source "$(dirname "$0")/pg_env.sh"

ensure_packages
build_and_install
start_cluster

failed=0
cd "$SMARKPI_ROOT"
say "pg_regress"
if ! make -s installcheck PG_CONFIG="$PG_CONFIG" 2>&1 | tee "$SMARKPI_TMP/regress.out"; then
	failed=1
fi
if grep -q 'FAILED\|failed (ignored)' "$SMARKPI_TMP/regress.out" || [ -s regression.diffs ]; then
	failed=1
	[ -f regression.diffs ] && head -c 20000 regression.diffs
fi
regress_passed=$(grep -Ec '^(test| ) +[a-z_]+ +\.\.\. ok|^ok ' "$SMARKPI_TMP/regress.out" || true)
regress_failed=$(grep -Ec 'FAILED|^not ok ' "$SMARKPI_TMP/regress.out" || true)

say "pgTAP"
psql_q -c "CREATE DATABASE smarkpi_tap"
psql_q -d smarkpi_tap -c "CREATE EXTENSION pgtap; CREATE EXTENSION smarkpi;"
if ! pg_prove -d smarkpi_tap test/pgtap/*.sql 2>&1 | tee "$SMARKPI_TMP/tap.out"; then
	failed=1
fi
tap_tests=$(sed -n 's/.*Tests=\([0-9]*\).*/\1/p' "$SMARKPI_TMP/tap.out" | tail -1)
tap_failed=$(grep -c '^not ok' "$SMARKPI_TMP/tap.out" || true)
grep -q '^Result: PASS' "$SMARKPI_TMP/tap.out" || failed=1

passed=$((regress_passed + ${tap_tests:-0} - tap_failed))
nfailed=$((regress_failed + tap_failed))
[ "$failed" -eq 0 ] || [ "$nfailed" -gt 0 ] || nfailed=1
echo "smarkpi: $passed passed, $nfailed failed"
[ "$failed" -eq 0 ] || { say "FAILED"; exit 1; }
say "all tests passed"
