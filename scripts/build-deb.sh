#!/usr/bin/env bash
# build-deb.sh: the Debian packages postgresql-NN-s3-fdw into dist/.
#
#   ./scripts/build-deb.sh              this machine's PostgreSQL (Debian 12: 15)
#   ./scripts/build-deb.sh --root DIR   inside the Debian root DIR (e.g. a
#                                       trixie root for 17, forky for 18),
#                                       which must have apt working
#
# The source is the working tree's files that git knows or would add
# (tracked, plus untracked but not ignored), copied into a fresh folder so
# that the build leaves the checkout alone; dpkg-buildpackage -b builds the
# binary packages there (debian/rules: pg_buildext build and install, then
# the smoke test debian/tests/regress in a throwaway cluster loading the
# package's files). The .deb files land in dist/.
#   S3FDW_SKIP_DEPS=1   skip apt (the build dependencies are already there)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '==> [%ss] %s\n' "$SECONDS" "$*" >&2; }
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

chroot_dir=
while [ $# -gt 0 ]; do
	case $1 in
	--root) chroot_dir=$(cd "$2" && pwd); shift 2 ;;
	-h | --help) sed -n '2,17p' "$0"; exit 0 ;;
	*) echo "usage: $0 [--root DIR]" >&2; exit 2 ;;
	esac
done

# the build dependencies: debian/control.in's Build-Depends, plus the tools
BUILD_DEPS="build-essential dpkg-dev debhelper fakeroot pkg-config postgresql-common
	postgresql-all postgresql-server-dev-all libcurl4-openssl-dev libssl-dev libxml2-dev zlib1g-dev"

# copy_source DEST: the working tree's files, as git would see them
copy_source() {
	mkdir -p "$1"
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' |
		tar --null -T - -cf -) | tar -xf - -C "$1"
}

mkdir -p "$ROOT/dist"

if [ -z "$chroot_dir" ]; then
	if [ "${S3FDW_SKIP_DEPS:-0}" != 1 ]; then
		say "installing the build dependencies"
		as_root apt-get update -qq
		# shellcheck disable=SC2086
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			$BUILD_DEPS >/dev/null
	fi
	build=$(mktemp -d /tmp/s3fdw-deb.XXXXXX)
	chmod 755 "$build"			# the test cluster runs as postgres
	trap 'rm -rf "$build"' EXIT
	copy_source "$build/s3-fdw"
	cd "$build/s3-fdw"
	say "debian/control from debian/control.in (pg_buildext updatecontrol)"
	pg_buildext updatecontrol
	say "dpkg-buildpackage for PostgreSQL $(pg_buildext supported-versions | tr '\n' ' ')"
	dpkg-buildpackage -b -us -uc
	cp "$build"/*.deb "$ROOT/dist/"
	ls -l "$build"/*.deb | sed 's/^/    /' >&2
	say "done: $(cd "$build" && ls *.deb | sed 's|^|dist/|' | tr '\n' ' ')"
	exit 0
fi

# inside a Debian root: the same steps, as root in the root's /tmp
[ -x "$chroot_dir/usr/bin/apt-get" ] || { echo "error: $chroot_dir is not a Debian root" >&2; exit 1; }
mounted=()
cleanup_root() {
	local m
	for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
	rm -rf "$chroot_dir/tmp/s3fdw-deb"
}
trap cleanup_root EXIT
for m in proc dev; do
	if ! mountpoint -q "$chroot_dir/$m"; then
		if [ $m = proc ]; then mount -t proc proc "$chroot_dir/proc"; else mount --bind /dev "$chroot_dir/dev"; fi
		mounted=("$chroot_dir/$m" "${mounted[@]}")
	fi
done
rm -rf "$chroot_dir/tmp/s3fdw-deb"
copy_source "$chroot_dir/tmp/s3fdw-deb/s3-fdw"
if [ "${S3FDW_SKIP_DEPS:-0}" != 1 ]; then
	say "installing the build dependencies in $chroot_dir"
	chroot "$chroot_dir" apt-get -o Acquire::Check-Valid-Until=false update -qq
	# shellcheck disable=SC2086
	chroot "$chroot_dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$BUILD_DEPS >/dev/null
fi
say "dpkg-buildpackage in $chroot_dir"
chroot "$chroot_dir" sh -c 'cd /tmp/s3fdw-deb/s3-fdw && pg_buildext updatecontrol &&
	echo "PostgreSQL $(pg_buildext supported-versions)" && dpkg-buildpackage -b -us -uc'
cp "$chroot_dir"/tmp/s3fdw-deb/*.deb "$ROOT/dist/"
say "done: $(cd "$chroot_dir/tmp/s3fdw-deb" && ls *.deb | sed 's|^|dist/|' | tr '\n' ' ')"
