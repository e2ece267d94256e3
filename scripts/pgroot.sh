#!/usr/bin/env bash
# pgroot.sh N: a Debian root (debootstrap, minbase) holding PostgreSQL N from
# Debian's own packages, its server headers, pg_cron and what s3_fdw's build
# needs, in .pgroots/N of the checkout (ignored by git).  Prints its path.
#
#   17  Debian 13 "trixie"
#   18  Debian testing "forky" (debootstrap's sid script: Debian 12's
#       debootstrap has no forky one)
#
# A root that is already complete (its stamp file, written last, names the
# packages asked for) is reused as it is; one that is half built (no stamp)
# is removed and built again; one whose stamp names other packages gets them
# installed.  The mirror is the host's own: the first Debian archive its apt
# sources name.  Needs root (debootstrap, chroot, mount).
#
# Sourced by scripts/lib.sh for pgroot_mount / pgroot_umount / pgroot_build;
# run directly, it builds (or reuses) the root and prints its path.

PGROOT_BASE=${PGROOT_BASE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.pgroots}

# the packages of a root for PostgreSQL N
pgroot_packages() {
	echo "postgresql-$1 postgresql-server-dev-$1 postgresql-$1-cron" \
		"ca-certificates make gcc libc6-dev pkg-config libcurl4-openssl-dev libssl-dev libxml2-dev zlib1g-dev libkrb5-dev libicu-dev"
}

pgroot_suite() {
	case $1 in
	17) echo trixie ;;
	18) echo forky ;;
	*) echo "error: no Debian root for PostgreSQL $1 (17 or 18; 15 is the host's)" >&2; return 1 ;;
	esac
}

# the host's Debian mirror: the URI of the first apt source (deb822 .sources
# or one-line .list) that serves Debian's main archive (not -security)
pgroot_mirror() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		case $f in *.sources)
			uri=$(awk '
				/^[[:space:]]*$/ { if (u != "" && s !~ /security/ && s ~ /^[a-z]/ && t ~ /deb( |$)/) { print u; exit } u = s = t = ""; next }
				/^URIs:/ { u = $2 } /^Suites:/ { s = $2 } /^Types:/ { t = $0 " " }
				END { if (u != "" && s !~ /security/ && t ~ /deb( |$)/) print u }' "$f" | head -n 1) ;;
		*)
			uri=$(awk '$1 == "deb" && $0 !~ /security/ {
				for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; exit } }' "$f" | head -n 1) ;;
		esac
		case $uri in */debian | */debian/)
			echo "${uri%/}"
			return 0 ;;
		esac
	done
	echo "error: no Debian archive found in the host's apt sources" >&2
	return 1
}

# pgroot_mount DIR: /proc, /dev and the host's /tmp inside the root (the
# tests' files, the clusters' data, the logs: same paths on both sides)
pgroot_mount() {
	local dir=$1
	mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
	mountpoint -q "$dir/dev" || mount --bind /dev "$dir/dev"
	mountpoint -q "$dir/tmp" || mount --bind /tmp "$dir/tmp"
}

# pgroot_umount DIR: everything mounted under DIR, deepest first
pgroot_umount() {
	local dir m
	dir=$(realpath -m "$1")
	for m in $(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
}

# pgroot_build N: builds (or reuses) .pgroots/N; prints its path
pgroot_build() {
	local v=$1 suite dir mirror pkgs stamp
	suite=$(pgroot_suite "$v") || return 1
	dir=$PGROOT_BASE/$v
	stamp=$dir/.s3fdw-root-complete
	pkgs=$(pgroot_packages "$v")
	if [ -f "$stamp" ]; then
		if [ "$(cat "$stamp")" != "$pkgs" ]; then
			echo "==> root $dir: installing $pkgs" >&2
			pgroot_mount "$dir"
			# shellcheck disable=SC2086
			{ chroot "$dir" apt-get update -qq &&
				chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs; } >&2 ||
				{ pgroot_umount "$dir"; return 1; }
			pgroot_umount "$dir"
			echo "$pkgs" >"$stamp"
		fi
		echo "$dir"
		return 0
	fi
	command -v debootstrap >/dev/null || {
		echo "==> installing debootstrap" >&2
		apt-get install -y -qq debootstrap >&2
	}
	mirror=$(pgroot_mirror) || return 1
	if [ -e "$dir" ]; then
		echo "==> root $dir is incomplete (no stamp): removing it" >&2
		pgroot_umount "$dir"
		if awk -v d="$(realpath -m "$dir")" 'index($2, d "/") == 1 { f = 1 } END { exit !f }' /proc/mounts; then
			echo "error: $dir still has file systems mounted in it; not removing it" >&2
			return 1
		fi
		rm -rf --one-file-system "$dir"
	fi
	mkdir -p "$PGROOT_BASE"
	echo "==> debootstrap $suite into $dir (from $mirror)" >&2
	local script=()
	[ -f "/usr/share/debootstrap/scripts/$suite" ] || script=(/usr/share/debootstrap/scripts/sid)
	debootstrap --variant=minbase "$suite" "$dir" "$mirror" "${script[@]}" >"$PGROOT_BASE/debootstrap-$v.log" 2>&1 || {
		echo "error: debootstrap failed; see $PGROOT_BASE/debootstrap-$v.log" >&2
		tail -n 20 "$PGROOT_BASE/debootstrap-$v.log" >&2
		return 1
	}
	# testing's Release may be past its Valid-Until on a snapshot mirror;
	# no service starts inside the root; no cluster is made by the packages
	echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99s3fdw-no-valid-until"
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 755 "$dir/usr/sbin/policy-rc.d"
	mkdir -p "$dir/etc/postgresql-common/createcluster.d"
	echo 'create_main_cluster = false' >"$dir/etc/postgresql-common/createcluster.d/s3fdw.conf"
	pgroot_mount "$dir"
	echo "==> root $dir: apt-get install $pkgs" >&2
	# shellcheck disable=SC2086
	if ! { chroot "$dir" apt-get update -qq &&
		chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs; } \
		>"$PGROOT_BASE/apt-$v.log" 2>&1; then
		pgroot_umount "$dir"
		echo "error: apt-get in the root failed; see $PGROOT_BASE/apt-$v.log" >&2
		tail -n 20 "$PGROOT_BASE/apt-$v.log" >&2
		return 1
	fi
	chroot "$dir" apt-get clean
	pgroot_umount "$dir"
	echo "$pkgs" >"$stamp"
	echo "$dir"
}

# pgroot_make N DIR [MAKE ARGS...]: builds s3_fdw (the checkout as it is,
# copied to /build/s3_fdw in the root) with PostgreSQL N's PGXS, inside the
# root DIR, output to stdout; then the make arguments, e.g. install
pgroot_make() {
	local v=$1 dir=$2 src
	shift 2
	src=$(cd "$PGROOT_BASE/.." && pwd)
	rm -rf "$dir/build/s3_fdw"
	mkdir -p "$dir/build/s3_fdw"
	tar -C "$src" --exclude=./.pgroots --exclude=./.venv --exclude=./.git --exclude=./results \
		--exclude='*.o' --exclude='*.so' --exclude='*.bc' -cf - . | tar -C "$dir/build/s3_fdw" -xf -
	chroot "$dir" make -C /build/s3_fdw -j"$(nproc)" PG_CONFIG="/usr/lib/postgresql/$v/bin/pg_config" "$@"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	[ $# = 1 ] || { echo "usage: $0 17|18" >&2; exit 2; }
	pgroot_build "$1"
fi
