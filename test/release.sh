# shellcheck shell=bash
# The release: one version number, a valid PGXN META.json, and the two ways
# users install a release, the PGXN zip (pgxnclient) and the Debian package
# (dpkg-buildpackage, then pg_regress against the installed files, as
# autopkgtest runs debian/tests/installcheck).  Sourced by test/check.sh;
# sets RELEASE_PASSED and RELEASE_FAILED.

release_ok() { RELEASE_PASSED=$((RELEASE_PASSED + 1)); echo "ok - release: $*"; }
release_not_ok() { RELEASE_FAILED=$((RELEASE_FAILED + 1)); echo "not ok - release: $*"; }

# A field of META.json, by its Perl path ('{version}').
meta_field() {
	perl -MJSON::PP -0777 -ne "print decode_json(\$_)->$1" "$SMARKPI_ROOT/META.json"
}

# The release (PGXN's semantic version, the Debian upstream version, the zip's
# name) is the extension version of smarkpi.control plus a patch number.
release_versions_check() {
	local control meta provides debian changelog
	control=$(extension_version)
	meta=$(meta_field '{version}')
	provides=$(meta_field '{provides}{smarkpi}{version}')
	debian=$(sed -n '1s/^smarkpi (\([^)-]*\)-[^)]*).*/\1/p' "$SMARKPI_ROOT/debian/changelog")
	changelog=$(sed -n 's/^## \([0-9][0-9.]*\)\( .*\)\{0,1\}$/\1/p' "$SMARKPI_ROOT/CHANGELOG.md" | head -1)
	if [[ "$meta" =~ ^${control//./\\.}\.[0-9]+$ ]] && [ "$provides" = "$meta" ] &&
		[ "$debian" = "$meta" ] && [ "$changelog" = "$meta" ]; then
		release_ok "one version: smarkpi.control $control, release $meta in META.json, debian/changelog and CHANGELOG.md"
	else
		release_not_ok "versions disagree: smarkpi.control '$control', META.json '$meta' (provides '$provides'), debian/changelog '$debian', CHANGELOG.md '$changelog'"
	fi
}

release_meta_check() {
	local out rc=0
	out=$(perl "$SMARKPI_ROOT/test/release/validate_meta.pl" "$SMARKPI_ROOT" 2>&1) || rc=$?
	grep -v '^ok ' <<<"$out" || true
	if [ "$rc" -eq 0 ] && grep -q '^ok ' <<<"$out"; then
		release_ok "META.json follows the PGXN Meta spec 1.0.0 ($(grep -c '^ok ' <<<"$out") checks)"
	else
		release_not_ok "META.json is not a valid PGXN META.json"
	fi
	# the validator itself fails on a broken META.json
	sed 's/"license": "postgresql"/"license": 42/' "$SMARKPI_ROOT/META.json" >"$SMARKPI_TMP/META.json"
	if perl "$SMARKPI_ROOT/test/release/validate_meta.pl" "$SMARKPI_ROOT" "$SMARKPI_TMP/META.json" >/dev/null 2>&1; then
		release_not_ok "the META.json validator accepts a numeric licence"
	else
		release_ok "the META.json validator refuses a numeric licence"
	fi
}

# The committed tree, as a release is cut from it.
release_tree() {
	local dest=$1
	mkdir -p "$dest"
	git -C "$SMARKPI_ROOT" archive --format tar HEAD | tar -xf - -C "$dest"
}

ensure_release_packages() {
	local need=()
	command -v pgxn >/dev/null || need+=(pgxnclient)
	command -v unzip >/dev/null || need+=(unzip)
	[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
}

# make dist's zip, installed by pgxnclient into the packaged PostgreSQL.
release_pgxn_check() {
	local dir="$SMARKPI_TMP/pgxn" release zip
	release=$(meta_field '{version}')
	zip="$dir/smarkpi-$release.zip"
	mkdir -p "$dir"
	if ! make -C "$SMARKPI_ROOT" -s dist PG_CONFIG="$PG_CONFIG" >/dev/null || ! mv "$SMARKPI_ROOT/smarkpi-$release.zip" "$zip"; then
		release_not_ok "make dist did not produce smarkpi-$release.zip"
		return 0
	fi
	if ! grep -qx "smarkpi-$release/META.json" <<<"$(unzip -Z1 "$zip")"; then
		release_not_ok "smarkpi-$release.zip has no smarkpi-$release/META.json"
		return 0
	fi
	if ! (cd "$dir" && as_root pgxn install "$zip" --pg_config "$PG_CONFIG" >"$dir/install.log" 2>&1); then
		tail -20 "$dir/install.log"
		release_not_ok "pgxn install smarkpi-$release.zip"
		return 0
	fi
	psql_q -c "DROP DATABASE IF EXISTS smarkpi_pgxn" -c "CREATE DATABASE smarkpi_pgxn" >/dev/null 2>&1
	if [ "$(psql_q -d smarkpi_pgxn -At -c "CREATE EXTENSION smarkpi" \
		-c "SELECT extversion || ' ' || win_rate(w) FROM pg_extension, (VALUES (true), (false)) v(w) WHERE extname = 'smarkpi' GROUP BY extversion" 2>&1)" = "$(extension_version) 0.5" ]; then
		release_ok "pgxn install smarkpi-$release.zip, then CREATE EXTENSION smarkpi works"
	else
		release_not_ok "CREATE EXTENSION after pgxn install"
	fi
	psql_q -c "DROP DATABASE smarkpi_pgxn" >/dev/null
}

release_deb_remove() {
	as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "postgresql-$SMARKPI_PG_MAJOR-smarkpi" >/dev/null 2>&1 || true
}

# test/build_deb.sh on the committed tree, apt install of the .deb, then
# debian/tests/installcheck (pg_regress on a throwaway cluster, against the
# installed files: the tree is cleaned first, so no build output is left).
release_deb_check() {
	local dir="$SMARKPI_TMP/deb" release deb
	release=$(sed -n '1s/^smarkpi (\([^)]*\)).*/\1/p' "$SMARKPI_ROOT/debian/changelog")
	release_tree "$dir/smarkpi"
	chmod -R a+rX "$dir"
	if ! bash "$dir/smarkpi/test/build_deb.sh" --nocheck >"$dir/build.log" 2>&1; then
		tail -30 "$dir/build.log"
		release_not_ok "test/build_deb.sh (dpkg-buildpackage -us -uc -b)"
		return 0
	fi
	deb=$(ls "$dir"/postgresql-"$SMARKPI_PG_MAJOR"-smarkpi_"$release"_*.deb 2>/dev/null | head -1 || true)
	[ -n "$deb" ] || { release_not_ok "no postgresql-$SMARKPI_PG_MAJOR-smarkpi_$release .deb was built"; return 0; }
	release_ok "dpkg-buildpackage built $(basename "$deb")"
	release_deb_remove
	if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$dir/install.log" 2>&1; then
		tail -20 "$dir/install.log"
		release_not_ok "apt install ./$(basename "$deb")"
		return 0
	fi
	if dpkg -S "$("$PG_CONFIG" --pkglibdir)/smarkpi.so" "$("$PG_CONFIG" --sharedir)/extension/smarkpi.control" \
		"$("$PG_CONFIG" --sharedir)"/extension/smarkpi--*.sql >/dev/null 2>&1 &&
		[ "$(dpkg -L "postgresql-$SMARKPI_PG_MAJOR-smarkpi" | grep -c '/extension/smarkpi--.*\.sql$' || true)" -eq \
			"$(ls "$dir"/smarkpi/sql/smarkpi--*.sql | wc -l)" ]; then
		release_ok "apt install ./$(basename "$deb"): the module, control file and every install and upgrade script are the package's"
	else
		release_not_ok "the installed smarkpi files do not belong to postgresql-$SMARKPI_PG_MAJOR-smarkpi"
	fi
	(cd "$dir/smarkpi" && make -s clean PG_CONFIG="$PG_CONFIG" >/dev/null 2>&1 || true)
	if (cd "$dir/smarkpi" && as_root debian/tests/installcheck >"$dir/installcheck.log" 2>&1); then
		release_ok "debian/tests/installcheck: pg_regress passes against the installed package ($(grep -Ec '^(test +[a-z_0-9]+ +\.\.\. ok|ok [0-9]+ +[-+] )' "$dir/installcheck.log") tests)"
	else
		tail -40 "$dir/installcheck.log"
		release_not_ok "debian/tests/installcheck against the installed package"
	fi
	release_deb_remove
}

# Every major: the version and META.json checks.
run_release_checks() {
	RELEASE_PASSED=0
	RELEASE_FAILED=0
	release_versions_check
	release_meta_check
}

# The packaged major only: they install into the system's PostgreSQL (and
# leave no package behind).
run_package_checks() {
	RELEASE_PASSED=0
	RELEASE_FAILED=0
	ensure_release_packages
	release_pgxn_check
	release_deb_check
}
