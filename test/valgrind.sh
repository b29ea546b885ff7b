#!/usr/bin/env bash
# Runs the whole pg_regress suite with the server under valgrind memcheck,
# using PostgreSQL's own suppression file (src/tools/valgrind.supp from
# Debian's postgresql-NN source package), and reports the memcheck errors
# whose stack passes through smarkpi.  Exits non-zero when there is one.
#
#   bash test/valgrind.sh [--skip "test ..."]
#
# Slow: valgrind runs the server 50-100x slower (the planner test's million
# groups alone take over half an hour).  Logs are kept in
# /tmp/smarkpi-valgrind-logs.
SKIP=""
while [ $# -gt 0 ]; do
	case "$1" in
		--skip) SKIP=$2; shift 2 ;;
		*) echo "usage: bash test/valgrind.sh [--skip \"test ...\"]" >&2; exit 2 ;;
	esac
done
source "$(dirname "$0")/pg_env.sh"
LOGS=/tmp/smarkpi-valgrind-logs

ensure_packages
command -v valgrind >/dev/null || apt_install valgrind
command -v bzip2 >/dev/null || apt_install bzip2
major=$("$PG_CONFIG" --version | sed 's/[^0-9]*\([0-9]*\).*/\1/')

# PostgreSQL's suppression file, from the Debian source package
supp_dir="${XDG_CACHE_HOME:-$HOME/.cache}/smarkpi"
supp="$supp_dir/valgrind-$major.supp"
if [ ! -s "$supp" ]; then
	mkdir -p "$supp_dir/apt/lists/partial"
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	echo "deb-src http://deb.debian.org/debian $codename main" > "$supp_dir/apt/sources.list"
	apt_opts=(-o "Dir::Etc::sourcelist=$supp_dir/apt/sources.list" -o Dir::Etc::sourceparts=-
			  -o "Dir::State::Lists=$supp_dir/apt/lists")
	as_root apt-get "${apt_opts[@]}" update -qq
	(cd "$supp_dir/apt" && as_root apt-get "${apt_opts[@]}" source --download-only -qq "postgresql-$major")
	tar -xjf "$supp_dir"/apt/postgresql-"$major"_*.orig.tar.bz2 -C "$supp_dir" --wildcards '*/src/tools/valgrind.supp'
	cp "$supp_dir"/postgresql-*/src/tools/valgrind.supp "$supp"
fi
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
make -s installcheck PG_CONFIG="$PG_CONFIG" REGRESS="$tests" || true
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
echo "valgrind: $(grep -c ' ok ' regression.out 2>/dev/null || echo 0) regression tests run, $count errors in smarkpi code"
[ "$count" -eq 0 ]
