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
