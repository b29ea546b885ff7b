# shellcheck shell=bash
# Each formula in one place, each unit in one table.  Every public function's
# COMMENT states its
# formula, and doc/reference.md must state the same formula, word for word
# (backticks and line breaks aside).  The formula is the COMMENT's text after
# the first " = " (or from its start, without one) up to its units
# (", double precision", ", exact numeric", ", numeric") or the first ". ",
# ": " or "; ".  Sourced by test/check.sh
# with a running cluster and a database that has smarkpi; sets
# FORMULAS_PASSED and FORMULAS_FAILED.
run_formula_check() {
	local db=$1 reference="$SMARKPI_ROOT/doc/reference.md" missing
	FORMULAS_PASSED=0
	FORMULAS_FAILED=0
	missing=$(psql -XAt -F $'\t' -d "$db" -c "
		SELECT p.oid::regprocedure, replace(obj_description(p.oid, 'pg_proc'), E'\n', ' ')
		FROM pg_proc p
		JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
		JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'smarkpi'
		WHERE NOT (p.prokind = 'f' AND p.proname LIKE 'smarkpi\_%')" |
		awk -F '\t' -v ref="$(sed 's/`//g; s/−/-/g; s/×/x/g' "$reference" | tr -s ' \n\t' '   ')" '
			{
				f = $2
				if (index(f, " = ") > 0)
					f = substr(f, index(f, " = ") + 3)
				sub(/(; |\. |: |, double precision|, exact numeric|, numeric).*$/, "", f)
				if (index(ref, f) == 0) printf "%s\t%s\n", $1, f
				else passed++
			}
			END { print passed + 0 > "/dev/stderr" }' 2>"$SMARKPI_TMP/formulas.count")
	FORMULAS_PASSED=$(cat "$SMARKPI_TMP/formulas.count")
	if [ -n "$missing" ]; then
		FORMULAS_FAILED=$(printf '%s\n' "$missing" | wc -l)
		printf 'not ok - formula not in doc/reference.md: %s\n' "$missing"
	fi
	[ "$FORMULAS_PASSED" -gt 0 ] || { FORMULAS_FAILED=$((FORMULAS_FAILED + 1)); echo "not ok - no formula was checked"; }
	echo "formulas: $FORMULAS_PASSED agree with doc/reference.md, $FORMULAS_FAILED do not"
}

# Every public KPI (each function or aggregate but the support functions,
# the k_summary forms and rollup) has a row in the reference's "Names and
# units" table, which says its unit and how to chart it.  Sets
# UNITS_PASSED and UNITS_FAILED.
run_units_check() {
	local db=$1 table missing name
	table=$(awk '/^## Names and units/ { on = 1; next } /^## / { on = 0 } on && /^\| `/' "$SMARKPI_ROOT/doc/reference.md" | cut -d'|' -f2)
	UNITS_PASSED=0
	UNITS_FAILED=0
	missing=""
	for name in $(psql -XAt -d "$db" -c "
		SELECT DISTINCT p.proname
		FROM pg_proc p
		JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
		JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'smarkpi'
		WHERE p.proname NOT LIKE 'smarkpi\_%' AND p.proname NOT LIKE '%\_summary' AND p.proname <> 'rollup'
		ORDER BY 1"); do
		if grep -q "\`$name\`" <<<"$table"; then
			UNITS_PASSED=$((UNITS_PASSED + 1))
		else
			missing="$missing $name"
			UNITS_FAILED=$((UNITS_FAILED + 1))
		fi
	done
	[ -z "$missing" ] || echo "not ok - no row in the reference's Names and units table:$missing"
	[ "$UNITS_PASSED" -gt 0 ] || { UNITS_FAILED=$((UNITS_FAILED + 1)); echo "not ok - no KPI's unit was checked"; }
	echo "units: $UNITS_PASSED KPIs in the reference's table, $UNITS_FAILED missing"
}
