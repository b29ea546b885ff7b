#!/usr/bin/env bash
# Builds the Debian package postgresql-NN-smarkpi from this tree the way
# Debian's PostgreSQL extension packages are built (debian/: pg_buildext,
# dh --with pgxs_loop, one package per version of debian/pgversions that is
# installed), after installing the build dependencies with apt-get.  The
# .deb files land in the tree's parent directory.
#
#   bash test/build_deb.sh              # with the build-time pg_regress run
#   bash test/build_deb.sh --nocheck    # without it
source "$(dirname "$0")/pg_env.sh"

nocheck=""
case "${1:-}" in
	--nocheck) nocheck=nocheck ;;
	"") ;;
	*) echo "usage: bash test/build_deb.sh [--nocheck]" >&2; exit 2 ;;
esac

need=()
command -v dpkg-buildpackage >/dev/null || need+=(dpkg-dev)
command -v dh >/dev/null || need+=(debhelper)
[ -f /usr/share/perl5/Debian/Debhelper/Sequence/pgxs_loop.pm ] || need+=(postgresql-server-dev-all)
command -v fakeroot >/dev/null || need+=(fakeroot)
command -v make >/dev/null || need+=(make)
command -v gcc >/dev/null || need+=(gcc)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
# the server headers of each version the package is built for
ensure_debian_server "$(packaged_major)"

# the build-time tests (dh_pgxs_test) need a server of each version
[ -n "$nocheck" ] || dpkg -s postgresql-all >/dev/null 2>&1 || apt_install postgresql-all

cd "$SMARKPI_ROOT"
export DEB_BUILD_PROFILES="$nocheck"
dpkg-checkbuilddeps
say "dpkg-buildpackage -us -uc -b${nocheck:+ (DEB_BUILD_OPTIONS=nocheck)}"
DEB_BUILD_OPTIONS="$nocheck" dpkg-buildpackage -us -uc -b
ls "$SMARKPI_ROOT"/../postgresql-*-smarkpi_*.deb
