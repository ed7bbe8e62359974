#!/usr/bin/env bash
# The Debian package, as a DBA gets it: `dpkg-buildpackage -us -uc -b` on a copy of the tree makes
# postgresql-15-lucia-auth_<version>_<arch>.deb with the module, the control file and every script of
# sql/, depending on PostgreSQL 15 and the libraries the module links. The extension installed with
# make install is removed, the package is installed with dpkg, and from_package.sh creates the extension
# from it on a throwaway cluster. Then the package is removed (leaving none of its files) and the
# extension is installed again with make install, as the other suites expect it: run this suite last.
#
#   make && sudo make install && test/deb/deb_package.sh      (as root, or through sudo)
#
# It installs into the system's PostgreSQL 15 (/usr/lib/postgresql/15), where the package goes.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

scripts/install-deps.sh deb || exit 1

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
pg_config=/usr/lib/postgresql/15/bin/pg_config
pkglibdir=$("$pg_config" --pkglibdir)
extdir=$("$pg_config" --sharedir)/extension
package=postgresql-15-lucia-auth

passed=0
failed=0
check() { # check "what" command...: runs the command, prints ok or not ok
  local what=$1
  shift
  if "$@"; then
    echo "ok - $what"
    passed=$((passed + 1))
  else
    echo "not ok - $what"
    failed=$((failed + 1))
  fi
}
status_of() { dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null; }
installed() { [ "$(status_of)" = installed ]; }

work=$(mktemp -d /tmp/lucia_auth_deb.XXXXXX)
restore() {
  # Whatever happened (a failed or half-done install included): no package left, and the extension
  # as make install leaves it.
  case $(status_of) in "" | not-installed) ;; *) $sudo dpkg --purge "$package" >/dev/null ;; esac
  $sudo make -s install PG_CONFIG="$pg_config" >/dev/null
  rm -rf "$work"
}
trap restore EXIT

version=$(dpkg-parsechangelog -l debian/changelog -S Version)   # 0.2.0-1
upstream=${version%-*}
upstream=${upstream#*:}
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=$work/${package}_${version}_${arch}.deb
default_version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" lucia_auth.control)

# Build in a copy of the tree (the tracked files and the new ones git does not ignore, as they are in
# the work tree), so that the build's products, which land beside the tree, stay out of it.
src=$work/lucia-auth-$upstream
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -xf - -C "$src"
else
  tar --exclude=./.git --exclude='./build*' --exclude=node_modules --exclude='*.o' --exclude='*.so' \
    --exclude='*.d' -cf - . | tar -xf - -C "$src"
fi

echo "--- dpkg-buildpackage -us -uc -b in a copy of the tree (its log is shown if it fails)"
if ! (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log"
  echo "not ok - the package builds"
  exit 1
fi
check "dpkg-buildpackage makes $(basename "$deb")" test -f "$deb"
if [ ! -f "$deb" ]; then
  ls -l "$work"
  exit 1
fi

# What the package holds and needs.
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
has() { grep -qxF "$1" <<<"$contents"; }
check "the package holds the module $pkglibdir/lucia_auth.so" has "$pkglibdir/lucia_auth.so"
check "the package holds the control file" has "$extdir/lucia_auth.control"
missing=()
for script in sql/lucia_auth--*.sql; do
  has "$extdir/$(basename "$script")" || missing+=("$script")
done
check "the package holds every script of sql/ (missing: ${missing[*]:-none})" test ${#missing[@]} -eq 0
docs() {
  has "/usr/share/doc/$package/copyright" && has "/usr/share/doc/$package/changelog.gz" &&
    has "/usr/share/doc/$package/changelog.Debian.gz" && has "/usr/share/doc/$package/README.md.gz"
}
check "the package holds the license, both changelogs and the README" docs
depends=$(dpkg-deb -f "$deb" Depends)
echo "    Depends: $depends"
depends_on() { tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/[ (].*//' | grep -qxF "$1"; }
for dependency in postgresql-15 libsodium23 libcrypt1 libstdc++6; do
  check "the package depends on $dependency" depends_on "$dependency"
done

# Install it in place of the make install, and use it.
$sudo make -s uninstall PG_CONFIG="$pg_config" >/dev/null
check "make uninstall removes the module that make install put there" test ! -e "$pkglibdir/lucia_auth.so"
check "dpkg -i installs the package" $sudo dpkg -i "$deb"
check "dpkg reports the package installed" installed
owned() { dpkg -S "$pkglibdir/lucia_auth.so" | grep -q "^$package:"; }
check "the installed module belongs to the package" owned
unchanged() { # dpkg --verify prints each installed file that differs from the package's
  local differ
  differ=$(dpkg --verify "$package") && [ -z "$differ" ] || { echo "$differ"; false; }
}
check "every installed file is the package's as built (dpkg --verify)" unchanged
check "the extension is created and used from the package (from_package.sh)" \
  pg_virtualenv -t -v 15 bash "$root/test/deb/from_package.sh" "$default_version"

# Remove it: nothing of it stays.
check "dpkg -r removes the package" $sudo dpkg -r "$package"
gone() { [ ! -e "$pkglibdir/lucia_auth.so" ] && ! ls "$extdir"/lucia_auth* >/dev/null 2>&1; }
check "no file of the package stays" gone

echo "deb package: $passed passed, $failed failed"
[ $failed -eq 0 ]
