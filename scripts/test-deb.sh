#!/usr/bin/env bash
# test-deb.sh: installs a postgresql-NN-s3-fdw .deb into a clean Debian root
# and uses it against moto.
#
#   ./scripts/test-deb.sh [PACKAGE.deb]   (default: dist/postgresql-15-s3-fdw_*.deb,
#                                          from ./scripts/build-deb.sh)
#
# The root is a fresh minimal Debian (debootstrap --variant=minbase) of the
# release that ships PostgreSQL NN (15: bookworm, 17: trixie, 18: forky),
# from the mirror in this machine's apt sources. It is made once and kept in
# .debroots/SUITE (ignored by git); each run works on a copy of it, removed
# afterwards, so every run starts clean. In the copy: apt installs
# postgresql-NN and the libraries the package's Depends names, `dpkg -i`
# installs the package (it must succeed on its own), a cluster of the root's
# postgres user starts on 127.0.0.1 (the root shares this machine's network),
# and psql runs CREATE EXTENSION s3_fdw and real requests against a
# moto_server on this machine with signature checks on (scripts/lib.sh
# start_s3): s3_create_bucket, s3_upload, s3_read_text, the listing table;
# boto3 on this side reads the object back. Ends with "N passed, N failed".
#   S3FDW_SKIP_DEPS=1     skip apt on this machine (debootstrap, python tools)
#   S3FDW_DEB_REFRESH=1   make the clean root again
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

deb=${1:-}
if [ -z "$deb" ]; then
	deb=$(ls dist/postgresql-15-s3-fdw_*_amd64.deb 2>/dev/null | grep -v dbgsym | sort -V | tail -1 || true)
	[ -n "$deb" ] || { echo "error: no dist/postgresql-15-s3-fdw_*.deb: run ./scripts/build-deb.sh first" >&2; exit 1; }
fi
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
package=$(dpkg-deb -f "$deb" Package)
pgv=$(printf %s "$package" | sed -nE 's/^postgresql-([0-9]+)-s3-fdw$/\1/p')
[ -n "$pgv" ] || { echo "error: $deb is not a postgresql-NN-s3-fdw package" >&2; exit 1; }
case $pgv in
15) suite=bookworm ;;
17) suite=trixie ;;
18) suite=forky ;;
*) echo "error: no Debian release known here for PostgreSQL $pgv" >&2; exit 1 ;;
esac

passed=0
failed=0
check() {				# check NAME COMMAND...: one test
	local name=$1
	shift
	if "$@"; then
		echo "ok: $name"
		passed=$((passed + 1))
	else
		echo "FAILED: $name"
		failed=$((failed + 1))
	fi
}

# the Debian archive (and its security archive) this machine's apt uses
host_uris() {
	{
		sed -nE 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n' || true
		sed -nE 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
	} | grep -E '^https?://' | sed 's|/*$||'
}
MIRROR=$(host_uris | grep -E '/debian$' | sed -n 1p || true)
SECURITY=$(host_uris | grep -E '/debian-security$' | sed -n 1p || true)
[ -n "$MIRROR" ] || { echo "error: no Debian mirror in this machine's apt sources" >&2; exit 1; }

if [ "${S3FDW_SKIP_DEPS:-0}" != 1 ] && ! command -v debootstrap >/dev/null; then
	say "installing debootstrap"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
use_python_tools

# ---- the clean root, made once ----
CLEAN="$ROOT/.debroots/$suite"
if [ "${S3FDW_DEB_REFRESH:-0}" = 1 ]; then
	rm -rf "$CLEAN"
fi
if [ ! -e "$CLEAN/.complete" ]; then
	say "making a clean Debian $suite root in $CLEAN (debootstrap, once)"
	rm -rf "$CLEAN" "$CLEAN.tmp"
	mkdir -p "$ROOT/.debroots"
	script=
	# Debian 12's debootstrap knows no forky: testing is made like sid
	[ -e "/usr/share/debootstrap/scripts/$suite" ] || script=/usr/share/debootstrap/scripts/sid
	debootstrap --variant=minbase "$suite" "$CLEAN.tmp" "$MIRROR" $script >"$WORK/debootstrap.log" 2>&1 || {
		tail -20 "$WORK/debootstrap.log" >&2
		echo "error: debootstrap failed" >&2
		exit 1
	}
	{
		echo "deb $MIRROR $suite main"
		if [ "$suite" != forky ]; then
			echo "deb $MIRROR $suite-updates main"
			[ -z "$SECURITY" ] || echo "deb $SECURITY $suite-security main"
		fi
	} >"$CLEAN.tmp/etc/apt/sources.list"
	rm -rf "$CLEAN.tmp/var/cache/apt/archives/"*.deb "$CLEAN.tmp/var/lib/apt/lists/"*_Packages
	touch "$CLEAN.tmp/.complete"
	mv "$CLEAN.tmp" "$CLEAN"
fi

# ---- this run's copy ----
RUN=$(mktemp -d "$ROOT/.debroots/run-$suite.XXXXXX")
MOUNTS=()
PG_STARTED=
deb_cleanup() {
	local m
	if [ -n "$PG_STARTED" ]; then
		chroot "$RUN" su postgres -c "/usr/lib/postgresql/$pgv/bin/pg_ctl -D /var/tmp/s3fdw-pg -m immediate stop" >/dev/null 2>&1 || true
	fi
	for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
	rm -rf --one-file-system "$RUN"
}
trap 'deb_cleanup; cleanup' EXIT
say "copying the clean root"
cp -a "$CLEAN/." "$RUN/"
chmod 755 "$RUN"
mount -t proc proc "$RUN/proc" && MOUNTS=("$RUN/proc" "${MOUNTS[@]}")
mount --bind /dev "$RUN/dev" && MOUNTS=("$RUN/dev" "${MOUNTS[@]}")
mount --bind /dev/shm "$RUN/dev/shm" && MOUNTS=("$RUN/dev/shm" "${MOUNTS[@]}")
# the packages' scripts start no service in the root, nor make the main cluster
printf '#!/bin/sh\nexit 101\n' >"$RUN/usr/sbin/policy-rc.d"
chmod 755 "$RUN/usr/sbin/policy-rc.d"
mkdir -p "$RUN/etc/postgresql-common"
echo "create_main_cluster = false" >"$RUN/etc/postgresql-common/createcluster.conf"
# apt's downloads are kept between runs (the clean root stays clean)
mkdir -p "$ROOT/.debroots/apt-cache-$suite/partial"
mount --bind "$ROOT/.debroots/apt-cache-$suite" "$RUN/var/cache/apt/archives" &&
	MOUNTS=("$RUN/var/cache/apt/archives" "${MOUNTS[@]}")

in_root() { chroot "$RUN" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

# postgresql-NN and what the package depends on, by name (its first
# alternatives, without versions); dpkg -i then has to find them all
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/[[:space:]]//g' | grep -v '^$' | tr '\n' ' ')
say "apt-get install postgresql-$pgv $deps(in the root)"
in_root apt-get -o Acquire::Check-Valid-Until=false update -qq >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; exit 1; }
# shellcheck disable=SC2086
if ! in_root apt-get install -y -q --no-install-recommends \
	"postgresql-$pgv" $deps >>"$WORK/apt.log" 2>&1; then
	tail -30 "$WORK/apt.log" >&2
	echo "error: apt-get install in the root failed" >&2
	exit 1
fi
check "postgresql-$pgv installed, s3_fdw absent before the package" \
	test ! -e "$RUN/usr/lib/postgresql/$pgv/lib/s3_fdw.so"

say "dpkg -i $(basename "$deb")"
cp "$deb" "$RUN/tmp/"
check "dpkg -i $(basename "$deb")" in_root dpkg -i "/tmp/$(basename "$deb")"
check "dpkg -s $package: install ok installed" \
	sh -c "chroot '$RUN' dpkg-query -W -f '\${Status}' $package | grep -qx 'install ok installed'"
check "s3_fdw.so resolves all its libraries" \
	sh -c "chroot '$RUN' ldd /usr/lib/postgresql/$pgv/lib/s3_fdw.so >'$WORK/ldd.out' && ! grep -q 'not found' '$WORK/ldd.out'"

# a cluster of the root's postgres user, on a free port of 127.0.0.1
port=$(free_port)
say "starting PostgreSQL $pgv in the root on 127.0.0.1:$port"
in_root su postgres -c "/usr/lib/postgresql/$pgv/bin/initdb -D /var/tmp/s3fdw-pg -A trust -U postgres" >"$WORK/initdb.log" 2>&1 || {
	cat "$WORK/initdb.log" >&2
	exit 1
}
in_root su postgres -c "/usr/lib/postgresql/$pgv/bin/pg_ctl -D /var/tmp/s3fdw-pg -w -l /var/tmp/s3fdw-pg.log \
	-o '-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=/tmp' start" >/dev/null || {
	cat "$RUN/var/tmp/s3fdw-pg.log" >&2
	exit 1
}
PG_STARTED=1

start_s3
# psql in the root, through its TCP port (the network is shared)
psql_root() {
	in_root su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $port -d postgres -At $*"
}
create_extension() {
	psql_root "-c 'CREATE EXTENSION s3_fdw' -c \"SELECT extversion FROM pg_extension WHERE extname = 's3_fdw'\"" |
		tee "$WORK/create.out"
	[ "$(cat "$WORK/create.out")" = 1.2 ]
}
check "CREATE EXTENSION s3_fdw (version 1.2)" create_extension

cat >"$RUN/tmp/deb-test.sql" <<SQL
CREATE SERVER s3 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint '$S3FDW_ENDPOINT');
CREATE USER MAPPING FOR PUBLIC SERVER s3 OPTIONS (access_key_id '$S3FDW_AK', secret_access_key '$S3FDW_SK');
SELECT s3_create_bucket('s3', 'deb-test');
SELECT s3_upload('s3', 'deb-test', 'from-the-package.txt', 'installed with dpkg -i') IS NOT NULL;
SELECT s3_read_text('s3', 'deb-test', 'from-the-package.txt');
CREATE FOREIGN TABLE objects (key text, size bigint) SERVER s3 OPTIONS (bucket 'deb-test');
SELECT key, size FROM objects;
SQL
chmod 644 "$RUN/tmp/deb-test.sql"
requests() {
	psql_root "-f /tmp/deb-test.sql" 2>&1 | tee "$WORK/requests.out"
	printf '%s\n' "" t "installed with dpkg -i" "from-the-package.txt|22" | diff -u - "$WORK/requests.out"
}
say "requests against moto (signature checks on) from the root"
check "s3_create_bucket, s3_upload, s3_read_text and a listing table against moto" requests
boto3_reads() {
	local want
	want=$(printf %s 'installed with dpkg -i' | sha256sum | cut -c1-64)
	python3 "$ROOT/test/s3tool.py" sha256 deb-test from-the-package.txt | tee "$WORK/sha.out"
	grep -q "$want" "$WORK/sha.out"
}
check "boto3 reads back what the package uploaded" boto3_reads
check "the root's only s3_fdw.so is the package's" \
	sh -c "[ \"\$(find '$RUN' -xdev -name s3_fdw.so | wc -l)\" = 1 ] &&
		chroot '$RUN' dpkg -S /usr/lib/postgresql/$pgv/lib/s3_fdw.so | grep -q '^$package:'"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
