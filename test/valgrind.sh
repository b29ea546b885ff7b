#!/usr/bin/env bash
# Runs the pg_regress suite with the server under valgrind memcheck and
# reports the memcheck errors whose stack passes through smarkpi.  Exits
# non-zero when there is one.
#
#   bash test/valgrind.sh [--major N] [--skip "test ..."]
#
# The server is the test matrix's source build of PostgreSQL 18 (see
# test/pg_source.sh): compiled with USE_VALGRIND, its palloc and pfree tell
# memcheck which memory is allocated and which is freed, so a read of freed
# palloc memory is reported.  Debian's release packages lack those markers
# (memcheck then sees freed chunks as valid), so they are refused here.  The
# suppression file is that source tree's own src/tools/valgrind.supp.
#
# Slow: valgrind runs the server 50-100x slower (the planner test's million
# groups alone take over half an hour).  Logs are kept in
# /tmp/smarkpi-valgrind-logs.
SKIP=""
MAJOR=18
while [ $# -gt 0 ]; do
	case "$1" in
		--skip) SKIP=$2; shift 2 ;;
		--major) MAJOR=$2; shift 2 ;;
		*) echo "usage: bash test/valgrind.sh [--major N] [--skip \"test ...\"]" >&2; exit 2 ;;
	esac
done
source "$(dirname "$0")/pg_env.sh"
LOGS=/tmp/smarkpi-valgrind-logs

ensure_packages "$MAJOR"
command -v valgrind >/dev/null || apt_install valgrind
supp="$(dirname "$PG_BINDIR")/valgrind.supp"
if ! grep -q '^#define USE_VALGRIND' "$("$PG_CONFIG" --includedir-server)/pg_config_manual.h" 2>/dev/null &&
	! "$PG_CONFIG" --cppflags | grep -q USE_VALGRIND; then
	echo "PostgreSQL $MAJOR here is not built with USE_VALGRIND: memcheck cannot see freed palloc memory; use the source-built major (18)" >&2
	exit 2
fi
[ -s "$supp" ] || { echo "no suppression file at $supp" >&2; exit 2; }
say "suppressions: $supp"

build_and_install
SMARKPI_TMP=$(mktemp -d /tmp/smarkpi.XXXXXX)
export SMARKPI_TMP
cp "$supp" "$SMARKPI_TMP/valgrind.supp"
cat > "$SMARKPI_TMP/postgres" <<WRAP
#!/bin/sh
exec valgrind --quiet --trace-children=yes --track-origins=yes --read-var-info=yes \
	--num-callers=30 --suppressions=$SMARKPI_TMP/valgrind.supp \
	--error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \
	--log-file=$SMARKPI_TMP/valgrind.%p.log "$PG_BINDIR/postgres" "\$@"
WRAP
chmod 755 "$SMARKPI_TMP/postgres" "$SMARKPI_TMP"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$SMARKPI_TMP"; fi
keep_logs() {
	rm -rf "$LOGS"; mkdir -p "$LOGS"
	cp "$SMARKPI_TMP"/valgrind.*.log "$SMARKPI_TMP/server.log" "$LOGS"/ 2>/dev/null || true
	stop_cluster
}
trap keep_logs EXIT
run_as_server_user "$PG_BINDIR/initdb" -D "$SMARKPI_TMP/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
say "starting the server under valgrind"
run_as_server_user "$PG_BINDIR/pg_ctl" -D "$SMARKPI_TMP/data" -p "$SMARKPI_TMP/postgres" -l "$SMARKPI_TMP/server.log" \
	-w -t 600 -o "-c listen_addresses='' -c unix_socket_directories='$SMARKPI_TMP' -c port=5432 -c fsync=off -c max_parallel_workers=8" start >/dev/null
export PGHOST="$SMARKPI_TMP" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres

cd "$SMARKPI_ROOT"
say "pg_regress under valgrind"
tests=$(make -s -f "$SMARKPI_ROOT/Makefile" -pn 2>/dev/null | sed -n 's/^REGRESS = //p' | head -1)
for t in $SKIP; do tests=$(echo " $tests " | sed "s/ $t / /"); done
say "tests: $tests"
make -s installcheck PG_CONFIG="$PG_CONFIG" REGRESS="$tests" 2>&1 | tee "$SMARKPI_TMP/regress.log" || true
run_as_server_user "$PG_BINDIR/pg_ctl" -D "$SMARKPI_TMP/data" -m fast -w -t 600 stop >/dev/null || true

# memcheck errors whose stack goes through smarkpi
all=$(cat "$SMARKPI_TMP"/valgrind.*.log 2>/dev/null | grep -c 'VALGRINDERROR-BEGIN' || true)
ours=$(cat "$SMARKPI_TMP"/valgrind.*.log 2>/dev/null |
	awk '/VALGRINDERROR-BEGIN/ { block = ""; inblock = 1 } inblock { block = block $0 "\n" }
		 /VALGRINDERROR-END/ { inblock = 0; if (block ~ /smarkpi/) { n++; printf "%s", block } }
		 END { print n + 0 > "/dev/stderr" }' 2>"$SMARKPI_TMP/ours.count")
printf '%s' "$ours" | head -200
count=$(cat "$SMARKPI_TMP/ours.count")
say "valgrind: $all memcheck errors in all, $count in smarkpi code"
# pg_regress prints "test x ... ok" (15) or TAP "ok N - x" (16 and later)
ran=$(grep -Ec '^(test +[a-z_0-9]+ +\.\.\. ok|ok [0-9]+ +[-+] )' "$SMARKPI_TMP/regress.log" || true)
echo "valgrind: ${ran:-0} regression tests passed, $count errors in smarkpi code"
[ "${ran:-0}" -gt 0 ] || { echo "valgrind: no regression test passed" >&2; exit 1; }
[ "$count" -eq 0 ]
