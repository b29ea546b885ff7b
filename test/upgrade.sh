# shellcheck shell=bash
# The upgrade path from 1.0 on.  sql/smarkpi--1.0.sql is frozen (its
# checksum is kept here); every later change ships as an upgrade script
# sql/smarkpi--A--B.sql, and CREATE EXTENSION of a newer version runs the base
# script and then the upgrades (no other full script is shipped).  For the
# oldest shipped version to the control file's: install the old version,
# store states (test/upgrade/states.sql), ALTER EXTENSION smarkpi UPDATE, and
# require the catalogue (test/upgrade/catalog.sql) to equal a fresh install's
# and the stored states to read the same (test/upgrade/read.sql).  A fixture
# upgrade that is wrong on purpose (test/upgrade/broken--*.sql) must fail
# the same comparison.  Sourced by test/check.sh with its cluster running;
# sets UPGRADE_PASSED and UPGRADE_FAILED.

# sha256 of sql/smarkpi--1.0.sql as released in 1.0.0: never changes
UPGRADE_FROZEN_SHA256=ad119abcc7c3ac9725ea59d6a02c4b101c0716f1c04f1abc2fad07225c98c9e2

upgrade_ok() { UPGRADE_PASSED=$((UPGRADE_PASSED + 1)); echo "ok - upgrade: $*"; }
upgrade_not_ok() { UPGRADE_FAILED=$((UPGRADE_FAILED + 1)); echo "not ok - upgrade: $*"; }

# The versions with a full install script, oldest first.
upgrade_base_versions() {
	ls "$SMARKPI_ROOT"/sql/smarkpi--*.sql | sed -n 's|.*/smarkpi--\([^-]*\)\.sql$|\1|p' | sort -V
}

upgrade_psql() {
	psql_q -d "$1" -X -A -t "${@:2}"
}

# Installs version $2 in a new database $1 (dropped first).
upgrade_fresh_db() {
	psql_q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null &&
		psql_q -d "$1" -c "CREATE EXTENSION smarkpi VERSION '$2'"
}

# Updates $1 to $2 over stored states and compares with a fresh $2; prints
# the differences and returns non-zero when there are any.
upgrade_compare() {
	local old=$1 new=$2 dir="$SMARKPI_TMP/upgrade" rc=0
	mkdir -p "$dir"
	upgrade_fresh_db smarkpi_updated "$old" &&
		upgrade_psql smarkpi_updated -f "$SMARKPI_ROOT/test/upgrade/states.sql" >/dev/null &&
		upgrade_psql smarkpi_updated -f "$SMARKPI_ROOT/test/upgrade/read.sql" >"$dir/before" &&
		psql_q -d smarkpi_updated -c "ALTER EXTENSION smarkpi UPDATE TO '$new'" &&
		upgrade_psql smarkpi_updated -f "$SMARKPI_ROOT/test/upgrade/read.sql" >"$dir/after" &&
		psql_q -d smarkpi_updated -c "REFRESH MATERIALIZED VIEW up_kpis" &&
		upgrade_psql smarkpi_updated -f "$SMARKPI_ROOT/test/upgrade/read.sql" >"$dir/refreshed" &&
		upgrade_psql smarkpi_updated -f "$SMARKPI_ROOT/test/upgrade/catalog.sql" >"$dir/updated.catalog" &&
		upgrade_fresh_db smarkpi_fresh "$new" &&
		upgrade_psql smarkpi_fresh -f "$SMARKPI_ROOT/test/upgrade/catalog.sql" >"$dir/fresh.catalog" ||
		{ echo "# the update from $old to $new did not run"; return 1; }
	[ "$(wc -l <"$dir/fresh.catalog")" -gt 100 ] || { echo "# the catalogue query listed almost nothing"; return 1; }
	[ "$(wc -l <"$dir/before")" -gt 10 ] || { echo "# the stored states read almost nothing"; return 1; }
	diff "$dir/fresh.catalog" "$dir/updated.catalog" | sed 's/^/# catalogue (fresh < updated): /' | head -20 || true
	cmp -s "$dir/fresh.catalog" "$dir/updated.catalog" || rc=1
	diff "$dir/before" "$dir/after" | sed 's/^/# states (before < after): /' | head -20 || true
	cmp -s "$dir/before" "$dir/after" || rc=1
	cmp -s "$dir/before" "$dir/refreshed" || { echo "# a refreshed materialized view reads differently"; rc=1; }
	return $rc
}

# Installs test/upgrade/broken--1.0--upgrade_fixture.sql as an upgrade to a
# version whose fresh script is the newest install, runs the comparison and
# removes the files again.  The comparison must fail.
upgrade_fixture_check() {
	local share fixture rc=0
	share=$("$PG_CONFIG" --sharedir)/extension
	fixture=upgrade_fixture
	as_root cp "$SMARKPI_ROOT/sql/smarkpi--1.0.sql" "$share/smarkpi--$fixture.sql"
	as_root cp "$SMARKPI_ROOT/test/upgrade/broken--1.0--$fixture.sql" "$share/smarkpi--1.0--$fixture.sql"
	upgrade_compare 1.0 "$fixture" >"$SMARKPI_TMP/upgrade.fixture.out" 2>&1 || rc=$?
	as_root rm -f "$share/smarkpi--$fixture.sql" "$share/smarkpi--1.0--$fixture.sql"
	if [ "$rc" -ne 0 ] && grep -q '^# catalogue' "$SMARKPI_TMP/upgrade.fixture.out"; then
		upgrade_ok "a wrong upgrade script (test/upgrade/broken--1.0--$fixture.sql) fails the comparison: $(grep -c '^# catalogue' "$SMARKPI_TMP/upgrade.fixture.out") catalogue lines differ"
	else
		cat "$SMARKPI_TMP/upgrade.fixture.out"
		upgrade_not_ok "a wrong upgrade script passes the comparison"
	fi
}

run_upgrade_check() {
	local bases oldest newest sum
	UPGRADE_PASSED=0
	UPGRADE_FAILED=0
	sum=$(sha256sum "$SMARKPI_ROOT/sql/smarkpi--1.0.sql" | cut -d' ' -f1)
	if [ "$sum" = "$UPGRADE_FROZEN_SHA256" ]; then
		upgrade_ok "sql/smarkpi--1.0.sql is the released 1.0 script (sha256 $sum)"
	else
		upgrade_not_ok "sql/smarkpi--1.0.sql changed after the release (sha256 $sum): ship the change in an upgrade script"
	fi
	bases=$(upgrade_base_versions | tr '\n' ' ')
	if [ "$bases" = "1.0 " ]; then
		upgrade_ok "one full install script, 1.0; later versions are upgrade scripts"
	else
		upgrade_not_ok "full install scripts besides 1.0: $bases"
	fi
	oldest=1.0
	newest=$(extension_version)
	if upgrade_compare "$oldest" "$newest"; then
		upgrade_ok "$oldest → $newest: the catalogue equals a fresh $newest and the stored summaries, materialized view, Markov summary and customer summaries read the same"
	else
		upgrade_not_ok "$oldest → $newest"
	fi
	upgrade_fixture_check
	psql_q -d postgres -c "DROP DATABASE IF EXISTS smarkpi_updated" -c "DROP DATABASE IF EXISTS smarkpi_fresh" >/dev/null
}
