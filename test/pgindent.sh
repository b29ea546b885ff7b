#!/usr/bin/env bash
# Indents smarkpi's C code (src/**/*.c, src/**/*.h) with PostgreSQL's own
# pgindent, using PostgreSQL's typedefs list plus smarkpi's src/typedefs.list.
#
#   bash test/pgindent.sh              indent the files in place
#   bash test/pgindent.sh --check      print the diff pgindent would make and
#                                      exit 1 if there is one (or if
#                                      src/typedefs.list is out of date)
#   bash test/pgindent.sh --typedefs   rewrite src/typedefs.list from src/
#
# pgindent, its typedefs.list and pg_bsd_indent come from the PostgreSQL 18
# source package (see test/pg_source.sh), once per machine, into
# $SMARKPI_CACHE/pgindent-<version>/.
source "$(dirname "$0")/pg_env.sh"
source "$SMARKPI_ROOT/test/pg_source.sh"

MODE=${1:-indent}
case "$MODE" in
	indent | --check | --typedefs) ;;
	*) echo "usage: bash test/pgindent.sh [--check | --typedefs]" >&2; exit 2 ;;
esac

# Sets PGINDENT_DIR to a directory holding pgindent, typedefs.list and
# pg_bsd_indent, building it unless the cache has one.
ensure_pgindent() {
	local cache work tarball version top
	cache=$(smarkpi_cache_dir)
	PGINDENT_DIR=$(ls -d "$cache"/pgindent-18.*/.complete 2>/dev/null | sort -V | tail -1 || true)
	if [ -n "$PGINDENT_DIR" ]; then
		PGINDENT_DIR=$(dirname "$PGINDENT_DIR")
		return 0
	fi
	local need=()
	# /usr/bin/perl alone (perl-base) lacks File::Find, which pgindent uses
	perl -MFile::Find -MFile::Temp -e 1 2>/dev/null || need+=(perl)
	command -v gcc >/dev/null || need+=(gcc)
	command -v diff >/dev/null || need+=(diffutils)
	command -v bzip2 >/dev/null || need+=(bzip2)
	command -v xz >/dev/null || need+=(xz-utils)
	[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
	[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"

	mkdir -p "$cache"
	work=$(mktemp -d "$cache/pgindent-build.XXXXXX")
	tarball=$(fetch_pg_source 18 "$work/apt") && [ -n "$tarball" ] ||
		{ echo "could not download the PostgreSQL 18 source" >&2; exit 1; }
	as_root chown -R "$(id -u):$(id -g)" "$work"
	version=$(basename "$tarball" | sed 's/^postgresql-[0-9]*_\([0-9.]*\)\.orig.*/\1/')
	top="postgresql-$version"
	PGINDENT_DIR="$cache/pgindent-$version"
	say "building pg_bsd_indent $version into $PGINDENT_DIR: once per machine"
	# What configure reads and writes, the headers, the two src/port files
	# pg_bsd_indent needs (pg_printf, pg_strerror), and the tools.
	local parts=(configure config GNUmakefile.in src/Makefile.global.in src/template src/makefiles
		src/backend/port src/backend/access/common/heaptuple.c src/include src/interfaces/ecpg/include
		src/port/snprintf.c src/port/strerror.c src/tools/pgindent src/tools/pg_bsd_indent)
	tar -xf "$tarball" -C "$work" "${parts[@]/#/$top/}"
	rm -rf "$PGINDENT_DIR"
	mkdir -p "$PGINDENT_DIR"
	(
		cd "$work/$top"
		# c.h needs a configured pg_config.h of this very version: the Debian
		# 15 headers miss 18's macros and silently miscompile src/port.
		./configure --without-icu --without-readline --without-zlib >"$work/configure.log" 2>&1 ||
			{ tail -30 "$work/configure.log" >&2; exit 1; }
		# Its Makefile wants a built tree; the compiler and flags are the tree's.
		local cc flags
		cc=$(sed -n 's/^CC = //p' src/Makefile.global)
		flags=$(sed -n 's/^CPPFLAGS = //p; s/^CFLAGS = //p' src/Makefile.global)
		# shellcheck disable=SC2086
		$cc $flags -Isrc/tools/pg_bsd_indent -Isrc/include -o "$PGINDENT_DIR/pg_bsd_indent" \
			src/tools/pg_bsd_indent/*.c src/port/snprintf.c src/port/strerror.c -lm
		cp src/tools/pgindent/pgindent src/tools/pgindent/typedefs.list "$PGINDENT_DIR/"
		# pg_bsd_indent's own test cases: a miscompiled one mis-indents silently.
		cd src/tools/pg_bsd_indent/tests
		for t in *.0; do
			"$PGINDENT_DIR/pg_bsd_indent" "$t" "$work/out" "-P${t%.0}.pro" 2>/dev/null &&
				cmp -s "$work/out" "$t.stdout" || { echo "pg_bsd_indent fails its test ${t%.0}" >&2; exit 1; }
		done
	) || { rm -rf "$PGINDENT_DIR"; exit 1; }
	touch "$PGINDENT_DIR/.complete"
	rm -rf "$work"
}

cd "$SMARKPI_ROOT" || exit 2
mapfile -t FILES < <(find src -name '*.[ch]' | LC_ALL=C sort)

# The name each typedef in src/ defines: the (*name) of a function pointer
# type, else the last word before the ";" once comments, strings and braced
# bodies are dropped.
smarkpi_typedefs() {
	perl -0777 -ne '
		s{/\*.*?\*/|//[^\n]*|"(?:[^"\\\n]|\\.)*"|'\''(?:[^'\''\\\n]|\\.)*'\''}{ }gs;
		while (/\btypedef\b((?:[^;{}]++|(\{(?:[^{}]++|(?2))*+\}))*+);/g) {
			(my $decl = $1) =~ s/\{(?:[^{}]++|(?0))*+\}/ /g;
			print "$1\n" if $decl =~ /\(\s*\*\s*(\w+)\s*\)/ || $decl =~ /(\w+)\s*(?:\[[^\]]*\]\s*)*$/;
		}' "${FILES[@]}" | LC_ALL=C sort -u
}

if [ "$MODE" = --typedefs ]; then
	smarkpi_typedefs >src/typedefs.list
	say "src/typedefs.list: $(wc -l <src/typedefs.list) typedefs"
	exit 0
fi
[ -f src/typedefs.list ] || { echo "no src/typedefs.list: run bash test/pgindent.sh --typedefs" >&2; exit 2; }
# A name missing from the list is indented as a variable ("Foo * x").
stale=0
if ! smarkpi_typedefs | cmp -s - src/typedefs.list; then
	stale=1
	say "src/typedefs.list is out of date (bash test/pgindent.sh --typedefs rewrites it):"
	smarkpi_typedefs | diff -u --label src/typedefs.list --label 'typedefs in src/' src/typedefs.list - >&2 || true
fi

ensure_pgindent
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cat "$PGINDENT_DIR/typedefs.list" src/typedefs.list >"$TMP/typedefs.list"
# pgindent leaves its temporary files in the current directory: not the checkout.
run_pgindent() {
	(cd "$TMP" && perl "$PGINDENT_DIR/pgindent" --typedefs="$TMP/typedefs.list" \
		--indent="$PGINDENT_DIR/pg_bsd_indent" "$@" "${FILES[@]/#/$SMARKPI_ROOT/}")
}

if [ "$MODE" = indent ]; then
	before=$(md5sum "${FILES[@]}")
	status=0
	run_pgindent || status=$?
	say "pgindent changed $(diff <(echo "$before") <(md5sum "${FILES[@]}") | grep -c '^>' || true) of ${#FILES[@]} files"
	[ "$status" -eq 0 ] || { echo "pgindent failed (status $status) on the files named above" >&2; exit 2; }
	exit 0
fi

status=0
run_pgindent --check --diff >"$TMP/diff" || status=$?
if [ -s "$TMP/diff" ]; then
	# Name both sides as git does (pgindent names the new one after a temp file).
	awk -v root="$SMARKPI_ROOT/" '
		index($0, "--- " root) == 1 { f = substr($2, length(root) + 1); print "--- a/" f; next }
		/^\+\+\+ pgdiff/ { print "+++ b/" f; next }
		{ print }' "$TMP/diff"
	say "pgindent would change $(grep -c '^+++ pgdiff' "$TMP/diff") of ${#FILES[@]} files (bash test/pgindent.sh indents them)"
fi
# Status 3: pg_bsd_indent could not parse a file (named above by pgindent).
[ "$status" -le 2 ] || { echo "pgindent failed (status $status)" >&2; exit 2; }
[ ! -s "$TMP/diff" ] || exit 1
echo "pgindent: ${#FILES[@]} files already indented"
exit "$stale"
