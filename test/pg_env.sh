# shellcheck shell=bash
# Shared by test/check.sh, test/demo.sh and bench/run.sh: install what is
# missing, build and install smarkpi, and run a throwaway PostgreSQL cluster on
# a private Unix socket that is removed on exit.  Works as root (the server
# then runs as the "postgres" user, since initdb refuses root) and as a user
# with sudo.
set -euo pipefail

SMARKPI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '==> %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The PostgreSQL major Debian packages for this machine (15 on Debian 12).
packaged_major() {
	apt-cache depends postgresql 2>/dev/null | grep -o 'postgresql-[0-9][0-9]*' | head -1 | cut -d- -f2
}

# The major to build against: $1, else PG_MAJOR, else the newest server
# installed from packages, else the one apt packages.
pick_major() {
	if [ -n "${1:-}" ]; then echo "$1"; return; fi
	if [ -n "${PG_MAJOR:-}" ]; then echo "$PG_MAJOR"; return; fi
	local installed
	installed=$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sed 's|/usr/lib/postgresql/\([0-9]*\)/.*|\1|' | sort -n | tail -1 || true)
	if [ -n "$installed" ]; then echo "$installed"; return; fi
	packaged_major
}

apt_updated=${SMARKPI_APT_UPDATED:-no}
apt_update_once() {
	if [ "$apt_updated" = no ]; then
		say "apt-get update"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		apt_updated=yes
		export SMARKPI_APT_UPDATED=yes
	fi
}

apt_install() {
	apt_update_once
	say "apt-get install $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Each test looks for the file the package really ships (pgxs.mk, for one,
# comes with the client package, postgres.h only with the server headers).
ensure_debian_server() {
	local major=$1 need=()
	[ -x "/usr/lib/postgresql/$major/bin/postgres" ] || need+=("postgresql-$major")
	[ -f "/usr/include/postgresql/$major/server/postgres.h" ] || need+=("postgresql-server-dev-$major")
	[ -f "/usr/share/postgresql/$major/extension/pgtap.control" ] || need+=("postgresql-$major-pgtap")
	[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
	export PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config"
	local inc
	inc=$("$PG_CONFIG" --includedir-server)
	[ -f "$inc/postgres.h" ] || { echo "no server headers in $inc after installing postgresql-server-dev-$major" >&2; exit 1; }
}

# pgTAP is plain SQL: a server built from source gets the files of the
# packaged major's postgresql-NN-pgtap, unpacked without installing it.
ensure_pgtap_files() {
	local share pkg tmp
	share=$("$PG_CONFIG" --sharedir)/extension
	[ -f "$share/pgtap.control" ] && return 0
	pkg="postgresql-$(packaged_major)-pgtap"
	apt_update_once
	tmp=$(mktemp -d)
	(cd "$tmp" && chmod 777 . && apt-get download -qq "$pkg" >/dev/null 2>&1 ||
		as_root apt-get download -qq "$pkg" >/dev/null)
	dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/root"
	cp "$tmp"/root/usr/share/postgresql/*/extension/pgtap* "$share"/
	rm -rf "$tmp"
}

ensure_packages() {
	local need=() major packaged
	command -v make >/dev/null || need+=(make)
	command -v gcc >/dev/null || need+=(gcc)
	[ "$(id -u)" -ne 0 ] || command -v runuser >/dev/null || need+=(util-linux)
	command -v pg_prove >/dev/null || need+=(libtap-parser-sourcehandler-pgtap-perl)
	[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
	packaged=$(packaged_major)
	if [ -z "$packaged" ]; then
		apt_update_once
		packaged=$(packaged_major)
	fi
	major=$(pick_major "${1:-}")
	major=${major:-$packaged}
	[ -n "$major" ] || { echo "cannot determine a PostgreSQL major to install" >&2; exit 1; }
	if [ "$major" = "$packaged" ] || [ -x "/usr/lib/postgresql/$major/bin/postgres" ]; then
		ensure_debian_server "$major"
	else
		source "$SMARKPI_ROOT/test/pg_source.sh"
		ensure_source_build "$major"
		ensure_pgtap_files
	fi
	use_pg_config
}

# The server of $PG_CONFIG: its bindir and major; its own client programs
# (psql, pg_dump, pgbench) come first on PATH.
use_pg_config() {
	PG_BINDIR=$("$PG_CONFIG" --bindir)
	SMARKPI_PG_MAJOR=$("$PG_CONFIG" --version | sed 's/[^0-9]*\([0-9]*\).*/\1/')
	export PATH="$PG_BINDIR:$PATH" PG_BINDIR SMARKPI_PG_MAJOR PG_CONFIG
}

# For the benchmarks: the server of $PG_CONFIG when it is set (e.g. a source
# build), else the packages as for the tests (major $1, if given).
use_pg_config_or_packages() {
	if [ -n "${PG_CONFIG:-}" ] && [ -x "$PG_CONFIG" ]; then
		use_pg_config
	else
		ensure_packages "$@"
	fi
}

# For the benchmarks: builds and installs smarkpi, starts a cluster with the
# server options $1 and a database "bench" (the clients' default) holding
# smarkpi and the further extensions named in $2 (e.g. "pg_prewarm").
# With SMARKPI_USE_INSTALLED=yes the smarkpi already installed in the server
# is used as it is (a benchmark of a build installed before), not rebuilt.
start_bench_database() {
	local ext
	if [ "${SMARKPI_USE_INSTALLED:-no}" = yes ]; then
		say "using the smarkpi installed in $("$PG_CONFIG" --pkglibdir) (not rebuilt)"
	else
		build_and_install
	fi
	SMARKPI_SERVER_OPTS="$1" start_cluster
	export PGDATABASE=bench
	psql_q -d postgres -c "CREATE DATABASE bench"
	psql_q -c "CREATE EXTENSION smarkpi"
	for ext in ${2:-}; do psql_q -c "CREATE EXTENSION $ext"; done
}

# Setting names that changed between majors.
force_parallel_guc() {
	if [ "$SMARKPI_PG_MAJOR" -ge 16 ]; then echo debug_parallel_query; else echo force_parallel_mode; fi
}

# The test copy is built with warnings as errors (the shipped build is not).
build_and_install() {
	local flags="-Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers ${SMARKPI_EXTRA_CFLAGS:-}"
	say "building smarkpi against $("$PG_CONFIG" --version)"
	make -C "$SMARKPI_ROOT" -s clean PG_CONFIG="$PG_CONFIG" >/dev/null
	make -C "$SMARKPI_ROOT" -s PG_CONFIG="$PG_CONFIG" PG_CFLAGS="$flags"
	as_root make -C "$SMARKPI_ROOT" -s install PG_CONFIG="$PG_CONFIG" >/dev/null
}

run_as_server_user() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

stop_cluster() {
	if [ -n "${SMARKPI_TMP:-}" ] && [ -d "$SMARKPI_TMP" ]; then
		run_as_server_user "$PG_BINDIR/pg_ctl" -D "$SMARKPI_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
		rm -rf "$SMARKPI_TMP"
	fi
}

# Creates and starts a server: data directory $1 (initdb's output beside it,
# in $1.initdb.log), port $2 on the private socket directory $SMARKPI_TMP,
# server log $3, further server options $4.  Prints the log and returns
# non-zero on failure.
start_server() {
	local data=$1 port=$2 log=$3 opts=${4:-}
	run_as_server_user "$PG_BINDIR/initdb" -D "$data" -U postgres -A trust \
		-E UTF8 --locale=C --no-sync >"$data.initdb.log" 2>&1 ||
		{ cat "$data.initdb.log" >&2; return 1; }
	run_as_server_user "$PG_BINDIR/pg_ctl" -D "$data" -l "$log" -w -t 120 \
		-o "-c listen_addresses='' -c unix_socket_directories='$SMARKPI_TMP' -c port=$port -c fsync=off -c max_worker_processes=16 -c max_parallel_workers=8 -c jit=off $opts" \
		start >/dev/null || { cat "$log" >&2; return 1; }
}

# A new private directory in $SMARKPI_TMP (exported) that the server user
# owns: data directories and the socket go there.
make_private_dir() {
	SMARKPI_TMP=$(mktemp -d /tmp/smarkpi.XXXXXX)
	chmod 755 "$SMARKPI_TMP"
	if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$SMARKPI_TMP"; fi
	export SMARKPI_TMP
}

# Starts a private cluster and exports PGHOST/PGPORT/PGUSER for clients.
start_cluster() {
	make_private_dir
	trap stop_cluster EXIT
	say "starting a throwaway cluster in $SMARKPI_TMP"
	start_server "$SMARKPI_TMP/data" 5432 "$SMARKPI_TMP/server.log" "${SMARKPI_SERVER_OPTS:-}" || exit 1
	export SMARKPI_TMP PGHOST="$SMARKPI_TMP" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
}

# The extension version smarkpi.control installs by default (1.1).
extension_version() {
	sed -n "s/^default_version = '\(.*\)'/\1/p" "$SMARKPI_ROOT/smarkpi.control"
}

# Runs command $1 on exit before the exit trap already set (start_cluster's
# removes $SMARKPI_TMP, so a second server must stop first); the earlier
# trap is left in PREVIOUS_EXIT_TRAP for the caller to put back.
push_exit_trap() {
	local cmd=$1
	eval "set -- $(trap -p EXIT)"
	PREVIOUS_EXIT_TRAP=${3:-}
	trap "$cmd; $PREVIOUS_EXIT_TRAP" EXIT
}

# Puts back an exit trap that push_exit_trap saved ($1, maybe empty).
restore_exit_trap() {
	if [ -n "$1" ]; then trap "$1" EXIT; else trap - EXIT; fi
}

psql_q() {
	"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"
}

# For scripts that run inside test/check.sh's cluster or alone: reuses the
# cluster of the calling run, or sets one up (packages, build, cluster).
ensure_cluster() {
	if [ -z "${SMARKPI_TMP:-}" ] || [ -z "${PGHOST:-}" ]; then
		ensure_packages
		build_and_install
		start_cluster
	fi
}
