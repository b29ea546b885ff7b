# shellcheck shell=bash
# Timing and plan helpers shared by the benchmarks in bench/.

# Runs a psql script in which "\echo @key" precedes each timed statement;
# prints "key milliseconds" lines.
timed() {
	psql -X -q -v ON_ERROR_STOP=1 -f - | timing_lines
}

# The "key milliseconds" lines of psql output with \timing on, in which
# "\echo @key" precedes each timed statement (for a psql other than timed's).
timing_lines() {
	awk '
		/^@/ { key = substr($0, 2); next }
		/^Time: / && key != "" { print key, $2; key = "" }'
}

# Median per key of "key value" lines.
medians() {
	sort -k1,1 -k2,2n | awk '
		function flush() { if (n) { m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2; print k, m } }
		$1 != k { flush(); k = $1; n = 0 }
		{ v[++n] = $2 }
		END { flush() }'
}

# a / b with two decimals, "n/a" without both.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# Milliseconds for a table: whole above 10, two decimals below.
ms() { awk -v a="$1" 'BEGIN { if (a == "") print "n/a"; else if (a < 10) printf "%.2f", a; else printf "%.0f", a }'; }
# How a plan (EXPLAIN text on one line) runs an aggregate with 2 workers.
plan_shape() {
	case "$1" in
		*"Partial Aggregate"* | *"Partial HashAggregate"* | *"Partial GroupAggregate"*) echo "partial aggregates in 2 workers" ;;
		*Gather*) echo "2 workers scan, leader aggregates" ;;
		*) echo serial ;;
	esac
}
# The value of key $2 in a "key value" file $1.
get() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# Builds git revision $1 from `git archive` and installs it as a second
# extension, smarkpi_old (smarkpi_old.so, .control, --*.sql), beside the
# working tree's smarkpi, for a before/after comparison in one server (one
# database each).  On exit remove_old_build takes it out of the install
# again and the cluster stops.
install_old_build() {
	local rev=$1 f
	OLD_SRC=$(mktemp -d /tmp/smarkpi_old.XXXXXX)
	trap 'remove_old_build; stop_cluster' EXIT
	say "building $rev as smarkpi_old"
	git -C "$SMARKPI_ROOT" archive "$rev" | tar -x -C "$OLD_SRC"
	sed "s|^module_pathname = .*|module_pathname = '\$libdir/smarkpi_old'|" "$OLD_SRC/smarkpi.control" > "$OLD_SRC/smarkpi_old.control"
	for f in "$OLD_SRC"/sql/smarkpi--*.sql; do
		# the script names its module as MODULE_PATHNAME; a literal $libdir/smarkpi would be pointed too
		sed "s|\\\$libdir/smarkpi'|\$libdir/smarkpi_old'|g" "$f" > "$OLD_SRC/sql/smarkpi_old--${f##*/smarkpi--}"
	done
	make -C "$OLD_SRC" -s PG_CONFIG="$PG_CONFIG" EXTENSION=smarkpi_old MODULE_big=smarkpi_old >/dev/null
	as_root install -m 755 "$OLD_SRC/smarkpi_old.so" "$("$PG_CONFIG" --pkglibdir)/"
	as_root install -m 644 "$OLD_SRC/smarkpi_old.control" "$OLD_SRC"/sql/smarkpi_old--*.sql "$("$PG_CONFIG" --sharedir)/extension/"
}
remove_old_build() {
	local ext
	ext=$("$PG_CONFIG" --sharedir)/extension
	as_root rm -f "$("$PG_CONFIG" --pkglibdir)/smarkpi_old.so" "$ext/smarkpi_old.control" "$ext"/smarkpi_old--*.sql || true
	rm -rf "${OLD_SRC:-}"
}
