# shellcheck shell=bash
# Builds a PostgreSQL major that Debian 12 does not package (18) from the
# source package in Debian unstable, once per machine, into a cache directory
# outside the checkout keyed by version:
#
#   $SMARKPI_CACHE/pg-<version>/    (bin/pg_config, bin/postgres, ...)
#
# The server is configured with --enable-cassert --enable-debug (its own
# assertions check smarkpi, as in pgvector's CI) and CPPFLAGS=-DUSE_VALGRIND
# (palloc/pfree tell memcheck about freed memory; outside valgrind the markers
# are no-ops), without ICU, readline, zlib or LLVM.  The package mirror is the
# one the machine's own apt configuration uses; the system's sources are left
# untouched.  Sourced by test/pg_env.sh.

# Where builds are kept: root's cache must be readable by the "postgres" user.
smarkpi_cache_dir() {
	if [ -n "${SMARKPI_CACHE:-}" ]; then
		echo "$SMARKPI_CACHE"
	elif [ "$(id -u)" -eq 0 ]; then
		echo /var/cache/smarkpi
	else
		echo "${XDG_CACHE_HOME:-$HOME/.cache}/smarkpi"
	fi
}

# The Debian archive URI of the machine's apt configuration: the first "deb"
# source, in one-line (sources.list) or deb822 (*.sources) form, whose suite
# is the release codename itself (not -security or -updates).
apt_debian_mirror() {
	local codename files
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	files=$(ls /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	[ -n "$files" ] || return 1
	# shellcheck disable=SC2086
	awk -v want="$codename" '
		FNR == 1 { flush(); }
		function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " want " ") && uris != "" && !found) { split(uris, u, " "); print u[1]; found = 1 } types = suites = uris = "" }
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^deb[ \t]/ { line = $0; sub(/\[[^]]*\]/, "", line); n = split(line, f, /[ \t]+/);
			if (n >= 3 && f[3] == want && !found) { print f[2]; found = 1 } next }
		/^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0; next }
		/^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0; next }
		/^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris = $0; next }
		END { flush() }
	' $files | head -1 | grep . || return 1
}

# Downloads the upstream tarball of postgresql-<major> from Debian unstable
# into $1 and prints its path.
fetch_pg_source() {
	local major=$1 dir=$2 mirror
	mirror=$(apt_debian_mirror) || { echo "no Debian mirror in the apt configuration" >&2; return 1; }
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" >"$dir/sources.list"
	# The index is still signature-checked; only its expiry date is not, since
	# machines here use a dated snapshot mirror whose unstable index has
	# expired (stable indexes carry no expiry date).
	local opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o APT::Sandbox::User=root
		-o Acquire::Check-Valid-Until=false)
	say "downloading the postgresql-$major source package from Debian unstable ($mirror)"
	as_root apt-get "${opts[@]}" update -qq >&2 ||
		{ echo "apt-get update of Debian unstable's source index failed" >&2; return 1; }
	(cd "$dir" && as_root apt-get "${opts[@]}" source --download-only -qq "postgresql-$major" >&2) ||
		{ echo "apt-get source postgresql-$major failed" >&2; return 1; }
	ls "$dir"/postgresql-"$major"_*.orig.tar.* | head -1
}

# Builds postgresql-<major> unless the cache has it; sets PG_CONFIG.
ensure_source_build() {
	local major=$1 cache work tarball version prefix
	cache=$(smarkpi_cache_dir)
	prefix=$(ls -d "$cache"/pg-"$major".*/bin/pg_config 2>/dev/null | sort -V | tail -1 || true)
	if [ -n "$prefix" ] && [ -f "$(dirname "$(dirname "$prefix")")/.complete" ]; then
		export PG_CONFIG=$prefix
		return 0
	fi
	local need=()
	command -v bison >/dev/null || need+=(bison)
	command -v flex >/dev/null || need+=(flex)
	command -v perl >/dev/null || need+=(perl)
	command -v bzip2 >/dev/null || need+=(bzip2)
	command -v xz >/dev/null || need+=(xz-utils)
	[ -f /usr/include/valgrind/memcheck.h ] || need+=(valgrind)
	[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
	[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"

	mkdir -p "$cache"
	work=$(mktemp -d "$cache/build.XXXXXX")
	tarball=$(fetch_pg_source "$major" "$work/apt") && [ -n "$tarball" ] ||
		{ echo "could not download the PostgreSQL $major source" >&2; exit 1; }
	as_root chown -R "$(id -u):$(id -g)" "$work"
	version=$(basename "$tarball" | sed 's/^postgresql-[0-9]*_\([0-9.]*\)\.orig.*/\1/')
	prefix="$cache/pg-$version"
	say "building PostgreSQL $version (cassert, debug, valgrind markers) into $prefix: once per machine"
	tar -xf "$tarball" -C "$work"
	rm -rf "$prefix"
	(
		cd "$work/postgresql-$version"
		./configure --prefix="$prefix" --enable-cassert --enable-debug --without-icu --without-readline \
			--without-zlib --without-llvm CPPFLAGS="-DUSE_VALGRIND" >"$work/configure.log" 2>&1 ||
			{ tail -30 "$work/configure.log" >&2; exit 1; }
		make -s -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
		make -s install >>"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
		# memcheck suppressions for the server itself, used by test/valgrind.sh
		cp src/tools/valgrind.supp "$prefix/valgrind.supp"
	)
	touch "$prefix/.complete"
	rm -rf "$work"
	export PG_CONFIG="$prefix/bin/pg_config"
}
