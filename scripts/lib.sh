# lib.sh: what scripts/test.sh and scripts/demo.sh share. Sourced, not run.
#
# install_deps    Debian packages (apt-get update first) and the Python tools
# build_install   make, make install
# start_s3        moto_server with IAM users, signature checks on
# start_bg        a background process whose PID is killed on exit
# start_fakes     the second moto (presigned URLs), the fakes of misbehaving
#                 servers, moto over https with a private CA, a forward proxy
# start_credential_fakes  the fake credential endpoints, token and profile files
# start_rgw       a one-node Ceph cluster (mon, memstore OSD) and its RADOS Gateway
# run_in_cluster  a command inside a throwaway PostgreSQL cluster (pg_virtualenv,
#                 or with PG_MAJOR 17/18 one in that version's Debian root)
#
# PG_MAJOR (scripts/test.sh --pg N): 15, the host's PostgreSQL (Debian 12),
# or 17 / 18, built and run in a Debian root (scripts/pgroot.sh)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d /tmp/s3fdw.XXXXXX)
PIDS=()
PG_MAJOR=${PG_MAJOR:-15}
PGROOT_DIR=
# the owner of the server's files (its log directory): the host's postgres,
# or the root's (set by build_install)
SERVER_OWNER=postgres
source "$ROOT/scripts/pgroot.sh"

cleanup() {
	local pid
	stop_rgw
	stop_root_clusters
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [ -n "$PGROOT_DIR" ]; then
		pgroot_umount "$PGROOT_DIR"
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '==> [%ss] %s\n' "$SECONDS" "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_deps() {
	if [ "${S3FDW_SKIP_DEPS:-0}" = 1 ]; then
		use_python_tools
		return
	fi
	say "installing Debian packages"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		make gcc pkg-config curl ca-certificates python3 python3-venv openssl clang libclang-rt-14-dev \
		postgresql postgresql-common postgresql-contrib postgresql-server-dev-all \
		libcurl4-openssl-dev libssl-dev libxml2-dev zlib1g-dev libkrb5-dev postgresql-15-cron \
		ceph-mon ceph-osd radosgw ceph-common \
		build-essential dpkg-dev debhelper fakeroot postgresql-all debootstrap >/dev/null
	use_python_tools
}

# moto (with its server), boto3 and the AWS CLI: those already on the machine
# when the python3 on PATH has them all; otherwise a virtual environment in
# .venv (Debian's python3-venv; Debian refuses system-wide pip installs and
# has no moto package), filled by pip once and reused afterwards.
use_python_tools() {
	if command -v moto_server >/dev/null && command -v aws >/dev/null &&
		python3 -c 'import boto3, moto, botocore' 2>/dev/null; then
		return
	fi
	local venv="$ROOT/.venv"
	if [ ! -x "$venv/bin/moto_server" ] || [ ! -x "$venv/bin/aws" ]; then
		say "installing moto[server], boto3 and awscli into $venv"
		python3 -m venv "$venv"
		"$venv/bin/python3" -m pip install -q 'moto[server]' boto3 awscli || {
			echo "error: moto_server, boto3 and the AWS CLI are needed; pip could not install them into $venv" >&2
			exit 1
		}
	fi
	export PATH="$venv/bin:$PATH"
}

# build_install: into the host's PostgreSQL 15; with PG_MAJOR 17 or 18, into
# that version's Debian root, built (or reused) first, its /proc, /dev and
# /tmp mounted until the script ends.  A build in a root is made from
# scratch and its warnings are counted (BUILD_WARNINGS).
BUILD_WARNINGS=0
build_install() {
	if [ "$PG_MAJOR" = 15 ]; then
		say "building and installing s3_fdw"
		make -C "$ROOT" -s
		as_root make -C "$ROOT" -s install
		return
	fi
	say "the Debian root for PostgreSQL $PG_MAJOR (built once, then reused)"
	PGROOT_DIR=$(pgroot_build "$PG_MAJOR")
	SERVER_OWNER=$(awk -F: '$1 == "postgres" { print $3 ":" $4 }' "$PGROOT_DIR/etc/passwd")
	pgroot_mount "$PGROOT_DIR"
	say "building s3_fdw against PostgreSQL $PG_MAJOR in $PGROOT_DIR, installing it there"
	pgroot_make "$PG_MAJOR" "$PGROOT_DIR" -s install 2>&1 | tee "$WORK/build.log"
	[ "${PIPESTATUS[0]}" = 0 ] || { echo "error: the build against PostgreSQL $PG_MAJOR failed" >&2; exit 1; }
	BUILD_WARNINGS=$(grep -c 'warning:' "$WORK/build.log" || true)
}

# make_tls DIR NAME SAN: a certificate authority made for this run
# (DIR/ca.pem, readable by the database server for its ca_file) and a
# server certificate it signed for SAN, e.g. "IP:127.0.0.1, DNS:localhost"
# (DIR/server.pem, DIR/server.key)
make_tls() {
	mkdir -m 755 "$1"
	(
		cd "$1"
		openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
			-subj "/CN=s3_fdw $2 CA" 2>/dev/null
		openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
			-subj "/CN=127.0.0.1" 2>/dev/null
		printf '%s\n' "basicConstraints = CA:FALSE" "keyUsage = digitalSignature, keyEncipherment" \
			"extendedKeyUsage = serverAuth" "subjectKeyIdentifier = hash" "authorityKeyIdentifier = keyid" \
			"subjectAltName = $3" >server.ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
			-out server.pem -days 2 -extfile server.ext 2>/dev/null
		chmod 644 ca.pem
	)
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_bg NAME COMMAND...: runs COMMAND in the background, output to $WORK/NAME.log
start_bg() {
	local name=$1
	shift
	"$@" >"$WORK/$name.log" 2>&1 &
	PIDS+=($!)
}

wait_http() {
	local url=$1 i
	for i in $(seq 1 100); do
		if curl -s -o /dev/null "$url"; then
			return 0
		fi
		sleep 0.1
	done
	echo "error: $url did not come up" >&2
	exit 1
}

wait_port() {
	local port=$1 i
	for i in $(seq 1 100); do
		if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "error: port $port did not open" >&2
	exit 1
}

# start_moto NAME: moto's server on a free port; sets ${NAME}_PORT
# (test/moto_server.py says why it is not the moto_server command itself)
start_moto() {
	local name=$1 port
	port=$(free_port)
	start_bg "$name" python3 "$ROOT/test/moto_server.py" "$port"
	wait_http "http://127.0.0.1:$port/moto-api/"
	printf -v "${name}_PORT" '%s' "$port"
}

# start_s3: moto with IAM users, a role and signature checks on; exports
# S3FDW_ENDPOINT and the S3FDW_* keys that test/s3setup.py describes
start_s3() {
	say "starting moto_server (signature checks on)"
	start_moto MOTO
	export S3FDW_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
	set -a
	eval "$(python3 "$ROOT/test/s3setup.py" "$S3FDW_ENDPOINT")"
	set +a
	curl -sf -X POST -H 'Content-Type: text/plain' --data 0 \
		"$S3FDW_ENDPOINT/moto-api/reset-auth" >/dev/null
}

# run_in_cluster [VAR=VALUE ...] -- COMMAND...: COMMAND with a throwaway
# cluster (PG* variables set) whose server process has exactly these
# environment variables.  pg_ctlcluster gives the server an empty
# environment but for the cluster's environment file, which this writes.
# Unless told otherwise, the metadata service address is a closed local
# port, so that no test ever asks the real one.  PGV_OPTS adds pg_virtualenv
# options (-o 'guc=value').
run_in_cluster() {
	local envfile imds="" vars=()
	envfile=$(mktemp "$WORK/cluster-env.XXXXXX")
	chmod 644 "$envfile"
	while [ "$1" != "--" ]; do
		case $1 in AWS_EC2_METADATA_SERVICE_ENDPOINT=*) imds=1 ;; esac
		printf "%s = '%s'\n" "${1%%=*}" "$(printf %s "${1#*=}" | sed "s/'/''/g")" >>"$envfile"
		vars+=("$1")
		shift
	done
	shift
	if [ -z "$imds" ]; then
		vars+=("AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:$(free_port)")
		echo "AWS_EC2_METADATA_SERVICE_ENDPOINT = '${vars[-1]#*=}'" >>"$envfile"
	fi
	if [ "$PG_MAJOR" != 15 ]; then
		run_in_root_cluster "${vars[@]}" -- "$@"
		return
	fi
	# shellcheck disable=SC2086
	pg_virtualenv -t -c "--environment=$envfile" ${PGV_OPTS:-} "$@"
}

# run_in_root_cluster [VAR=VALUE ...] -- COMMAND...: what pg_virtualenv
# does, for a cluster of PostgreSQL PG_MAJOR in its Debian root: initdb and
# pg_ctl run there as the root's postgres user, the server's environment
# holding only these variables (and LANG, PATH), on PGPORT or a free port of
# 127.0.0.1; its data lives in $WORK (the host's /tmp is the root's).
# COMMAND runs on the host, PG* variables pointing at the cluster (the
# tests' shell commands need the host's tools).  PGV_OPTS' "-o guc=value"
# go into postgresql.conf.
run_in_root_cluster() {
	local vars=() opts=() port data bin i status
	while [ "$1" != "--" ]; do vars+=("$1"); shift; done
	shift
	port=${PGPORT:-$(free_port)}
	bin=/usr/lib/postgresql/$PG_MAJOR/bin
	chmod 755 "$WORK"
	data=$(mktemp -d "$WORK/pgdata-$PG_MAJOR.XXXXXX")
	chown "$SERVER_OWNER" "$data"
	echo "$data" >>"$WORK/root-clusters"
	chroot --userspec="$SERVER_OWNER" "$PGROOT_DIR" env -i LANG=C.UTF-8 PATH=/usr/bin:/bin \
		"$bin/initdb" -D "$data/db" --auth=trust -U postgres --locale=C.UTF-8 -E UTF8 \
		>"$data.initdb.log" 2>&1 || { cat "$data.initdb.log" >&2; return 1; }
	# shellcheck disable=SC2206
	opts=(${PGV_OPTS:-})
	{
		echo "port = $port"
		echo "listen_addresses = '127.0.0.1'"
		echo "unix_socket_directories = ''"
		for ((i = 0; i < ${#opts[@]}; i += 2)); do
			[ "${opts[i]}" = -o ] || { echo "error: PGV_OPTS: only -o guc=value, not ${opts[i]}" >&2; return 1; }
			echo "${opts[i + 1]%%=*} = '$(printf %s "${opts[i + 1]#*=}" | sed "s/'/''/g")'"
		done
	} >>"$data/db/postgresql.conf"
	if ! chroot --userspec="$SERVER_OWNER" "$PGROOT_DIR" env -i LANG=C.UTF-8 PATH=/usr/bin:/bin "${vars[@]}" \
		"$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 120 start >"$data.start.log" 2>&1; then
		cat "$data.start.log" "$data/server.log" >&2
		return 1
	fi
	set +e
	env PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE=postgres "$@"
	status=$?
	set -e
	chroot --userspec="$SERVER_OWNER" "$PGROOT_DIR" "$bin/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$data"
	return $status
}

# stop_root_clusters: any cluster run_in_root_cluster left running (the
# script interrupted)
stop_root_clusters() {
	local data
	[ -n "$PGROOT_DIR" ] && [ -f "$WORK/root-clusters" ] || return 0
	while read -r data; do
		[ -f "$data/db/postmaster.pid" ] || continue
		chroot --userspec="$SERVER_OWNER" "$PGROOT_DIR" "/usr/lib/postgresql/$PG_MAJOR/bin/pg_ctl" \
			-D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
	done <"$WORK/root-clusters"
}

# start_fakes: the servers the tests need besides moto (start_s3 first); each
# exports the S3FDW_* variable the tests read
start_fakes() {
	say "starting a second moto (no signature checks, for presigned URLs) and fakes"
	start_moto PRESIGN
	export S3FDW_PRESIGN_ENDPOINT="http://127.0.0.1:$PRESIGN_PORT"
	HANG_PORT=$(free_port)
	start_bg hang python3 "$ROOT/test/fakes/hang_server.py" "$HANG_PORT"
	export S3FDW_HANG_ENDPOINT="http://127.0.0.1:$HANG_PORT"
	PROXY_PORT=$(free_port)
	start_bg proxy python3 "$ROOT/test/fakes/keepalive_proxy.py" "$PROXY_PORT" "$MOTO_PORT"
	export S3FDW_PROXY_ENDPOINT="http://127.0.0.1:$PROXY_PORT"
	export S3FDW_CLOSED_ENDPOINT="http://127.0.0.1:$(free_port)"
	# https: a private certificate authority, and moto serving a certificate it
	# signed for 127.0.0.1 only (tls.sql checks that localhost is refused)
	make_tls "$WORK/tls" test "IP:127.0.0.1"
	(
		cd "$WORK/tls"
		# an authority that signed nothing here
		openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 \
			-subj "/CN=s3_fdw other CA" 2>/dev/null
		chmod 644 ca.pem other-ca.pem
	)
	TLS_PORT=$(free_port)
	start_bg tls python3 "$ROOT/test/moto_server.py" "$TLS_PORT" -c "$WORK/tls/server.pem" -k "$WORK/tls/server.key"
	export S3FDW_TLS_PORT=$TLS_PORT S3FDW_CA_FILE="$WORK/tls/ca.pem" S3FDW_OTHER_CA_FILE="$WORK/tls/other-ca.pem"
	export S3FDW_PLAIN_PORT=$MOTO_PORT
	FAULT_PORT=$(free_port)
	start_bg faults python3 "$ROOT/test/fakes/fault_server.py" "$FAULT_PORT" "$MOTO_PORT"
	export S3FDW_FAULT_ENDPOINT="http://127.0.0.1:$FAULT_PORT"
	wait_port "$HANG_PORT"
	wait_port "$PROXY_PORT"
	wait_port "$FAULT_PORT"
	wait_port "$TLS_PORT"
}

# start_credential_fakes: what the credential-chain tests ask, handing out the
# moto role's temporary credentials; files readable by the server's user
start_credential_fakes() {
	# the fake credential endpoints hand out the role's temporary credentials;
	# their token files must be readable by the database server's user
	chmod 755 "$WORK"
	mkdir -m 755 "$WORK/creds"
	export S3FDW_WEB_TOKEN_FILE="$WORK/creds/web-identity-token"
	export S3FDW_CONTAINER_TOKEN_FILE="$WORK/creds/container-token"
	for f in "$S3FDW_WEB_TOKEN_FILE" "$S3FDW_CONTAINER_TOKEN_FILE"; do
		python3 -c 'import secrets; print(secrets.token_urlsafe(24))' >"$f.expected"
		cp "$f.expected" "$f"
		chmod 644 "$f" "$f.expected"
	done
	CRED_PORT=$(free_port)
	start_bg creds python3 "$ROOT/test/fakes/cred_server.py" "$CRED_PORT" \
		"$S3FDW_TMP_AK" "$S3FDW_TMP_SK" "$S3FDW_TMP_TOKEN" "$S3FDW_WEB_TOKEN_FILE" "$S3FDW_CONTAINER_TOKEN_FILE"
	export S3FDW_CRED_ENDPOINT="http://127.0.0.1:$CRED_PORT"
	wait_port "$CRED_PORT"
	# a forward proxy (http_proxy) that counts what passes through it
	FWD_PORT=$(free_port)
	start_bg forward-proxy python3 "$ROOT/test/fakes/forward_proxy.py" "$FWD_PORT"
	export S3FDW_FORWARD_PROXY="http://127.0.0.1:$FWD_PORT"
	wait_port "$FWD_PORT"
	# the shared credentials and config files of the profile tests
	cat >"$WORK/creds/credentials" <<EOF
# s3_fdw tests: [default] holds keys that moto refuses
[default]
aws_access_key_id = AKIAWRONGWRONGWRONG0
aws_secret_access_key = wrong

[s3fdw]
aws_access_key_id = $S3FDW_TMP_AK
aws_secret_access_key = $S3FDW_TMP_SK
aws_session_token = $S3FDW_TMP_TOKEN
EOF
	cat >"$WORK/creds/config" <<EOF
[default]
region = us-east-1

[profile cfgonly]
aws_access_key_id=$S3FDW_TMP_AK
aws_secret_access_key=$S3FDW_TMP_SK
aws_session_token=$S3FDW_TMP_TOKEN
s3 =
  max_concurrent_requests = 4

[profile assumer]
role_arn = $S3FDW_ROLE_ARN
source_profile = s3fdw
EOF
	chmod 644 "$WORK/creds/credentials" "$WORK/creds/config"
}

# ---- Ceph RADOS Gateway ----

RGW_PIDS=()

# free_low_ports N: a base port B below 32768 (this machine's ephemeral range
# starts there, and fixed ports inside it have been taken by other programs'
# connections) such that B..B+N-1 are all free to bind right now
free_low_ports() {
	python3 - "$1" <<'EOF'
import random, socket, sys
n = int(sys.argv[1])
for _ in range(200):
    base = random.randrange(10000, 32700 - n)
    socks = []
    try:
        for p in range(base, base + n):
            s = socket.socket()
            socks.append(s)
            s.bind(("127.0.0.1", p))
        print(base)
        sys.exit(0)
    except OSError:
        pass
    finally:
        for s in socks:
            s.close()
sys.exit("no free ports below 32768")
EOF
}

# stop_rgw: radosgw and the OSD first, while the monitor can still hear that
# they leave (an OSD whose monitor is gone waits 5 s for it), then the monitor;
# whatever has not gone after 10 s is killed
stop_rgw() {
	local pid i
	[ ${#RGW_PIDS[@]} -gt 0 ] || return 0
	kill "${RGW_PIDS[@]:1}" 2>/dev/null || true
	for pid in "${RGW_PIDS[@]:1}" "${RGW_PIDS[0]}"; do
		[ "$pid" != "${RGW_PIDS[0]}" ] || kill "$pid" 2>/dev/null || true
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	done
	for pid in "${RGW_PIDS[@]}"; do
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	RGW_PIDS=()
}

# start_rgw_once DIR BASE: a cluster in DIR on ports BASE.. (monitor BASE,
# S3 BASE+1, S3 over https BASE+2, the OSD's BASE+10..BASE+29); fails if it
# does not answer S3 in time
start_rgw_once() {
	local dir=$1 base=$2 fsid osd_uuid i admin
	local mon_port=$base http_port=$((base + 1)) https_port=$((base + 2))
	mkdir -p "$dir/mon" "$dir/osd" "$dir/rgw" "$dir/run"
	fsid=$(python3 -c 'import uuid; print(uuid.uuid4())')
	osd_uuid=$(python3 -c 'import uuid; print(uuid.uuid4())')
	cat >"$dir/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
public network = 127.0.0.1/32
ms bind msgr1 = false
ms bind ipv6 = false
ms bind port min = $((base + 10))
ms bind port max = $((base + 29))
keyring = $dir/keyring
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/\$name.log
mon data = $dir/mon
osd data = $dir/osd
osd objectstore = memstore
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
rgw data = $dir/rgw
rgw frontends = beast endpoint=127.0.0.1:$http_port ssl_endpoint=127.0.0.1:$https_port ssl_certificate=$WORK/rgw-tls/server.pem ssl_private_key=$WORK/rgw-tls/server.key
rgw dns name = localhost
# memstore holds every byte in memory until the garbage collector frees it
rgw gc obj min wait = 30
rgw gc processor period = 30
# SSE-KMS with RGW's test key store (rgw_crypt.sql): key ids and their keys
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = s3fdw-key-1=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= s3fdw-key-2=ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=
EOF
	export CEPH_CONF="$dir/ceph.conf"
	(
		cd "$dir"
		ceph-authtool keyring --create-keyring --gen-key -n mon. --cap mon 'allow *'
		ceph-authtool keyring --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *'
		ceph-authtool keyring --gen-key -n client.rgw.s3fdw --cap mon 'allow rw' --cap osd 'allow rwx'
		ceph-authtool keyring --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *'
		monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" monmap
		ceph-mon --mkfs -i a --monmap monmap --keyring keyring
	) >"$dir/setup.log" 2>&1 || return 1
	ceph-mon -f -i a >"$dir/mon.out" 2>&1 &
	RGW_PIDS+=($!)
	PIDS+=($!)
	timeout 30 ceph osd new "$osd_uuid" 0 >>"$dir/setup.log" 2>&1 || return 1
	ceph-osd --mkfs -i 0 --osd-uuid "$osd_uuid" >>"$dir/setup.log" 2>&1 || return 1
	ceph-osd -f -i 0 >"$dir/osd.out" 2>&1 &
	RGW_PIDS+=($!)
	PIDS+=($!)
	radosgw -f -n client.rgw.s3fdw >"$dir/rgw.out" 2>&1 &
	RGW_PIDS+=($!)
	PIDS+=($!)
	# the user is made while radosgw starts (both wait for the pools); a
	# radosgw that dies (its port taken) ends the try at once
	timeout 60 radosgw-admin user create --uid=s3fdw --display-name="s3_fdw tests" \
		--access-key="$S3FDW_RGW_AK" --secret-key="$S3FDW_RGW_SK" >>"$dir/setup.log" 2>&1 &
	admin=$!
	for i in $(seq 1 600); do
		if ! kill -0 "${RGW_PIDS[-1]}" 2>/dev/null; then
			kill "$admin" 2>/dev/null || true
			wait "$admin" 2>/dev/null || true
			return 1
		fi
		if [ -n "$admin" ] && ! kill -0 "$admin" 2>/dev/null; then
			wait "$admin" || return 1
			admin=
		fi
		if [ -z "$admin" ] && curl -sf -o /dev/null "http://127.0.0.1:$http_port/" &&
			curl -sf -o /dev/null --cacert "$WORK/rgw-tls/ca.pem" "https://127.0.0.1:$https_port/"; then
			export S3FDW_RGW_ENDPOINT="http://127.0.0.1:$http_port"
			export S3FDW_RGW_TLS_ENDPOINT="https://127.0.0.1:$https_port"
			export S3FDW_RGW_VHOST_ENDPOINT="http://localhost:$http_port"
			return 0
		fi
		sleep 0.1
	done
	kill "$admin" 2>/dev/null || true
	return 1
}

# start_rgw: Ceph's RADOS Gateway (Debian 12's Ceph 16.2) on 127.0.0.1, with
# one monitor (msgr2 only) and one OSD keeping objects in memory (memstore);
# S3 over http and https (a certificate from make_tls, also for *.localhost:
# virtual-host style through http://localhost:PORT) and one user.  Exports
# S3FDW_RGW_ENDPOINT, _TLS_ENDPOINT, _VHOST_ENDPOINT, _CA_FILE, _AK and _SK.
# About 15 s; when it does not come up, a new cluster is made on other ports
# (a new one: a radosgw that died can leave RADOS watches that make the next
# radosgw-admin wait).
start_rgw() {
	local try base
	say "starting Ceph (a monitor, a memstore OSD) and its RADOS Gateway"
	chmod 755 "$WORK"
	make_tls "$WORK/rgw-tls" rgw "IP:127.0.0.1, DNS:localhost, DNS:*.localhost"
	export S3FDW_RGW_CA_FILE="$WORK/rgw-tls/ca.pem"
	export S3FDW_RGW_AK="RGW$(python3 -c 'import secrets; print(secrets.token_hex(8).upper())')"
	export S3FDW_RGW_SK="$(python3 -c 'import secrets; print(secrets.token_urlsafe(30))')"
	for try in 1 2 3; do
		base=$(free_low_ports 30)
		if start_rgw_once "$WORK/rgw$try" "$base"; then
			unset CEPH_CONF
			return 0
		fi
		say "RGW did not come up on ports $base.. (try $try); its logs: $WORK/rgw$try"
		tail -n 5 "$WORK/rgw$try"/*.out "$WORK/rgw$try"/client.rgw.s3fdw.log >&2 2>/dev/null || true
		stop_rgw
	done
	echo "error: Ceph RGW did not come up" >&2
	exit 1
}
