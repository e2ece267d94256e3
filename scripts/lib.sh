# lib.sh: what scripts/test.sh and scripts/demo.sh share. Sourced, not run.
#
# install_deps    Debian packages (apt-get update first) and the Python tools
# build_install   make, make install
# start_s3        moto_server with IAM users, signature checks on
# start_bg        a background process whose PID is killed on exit
# start_fakes     the second moto (presigned URLs), the fakes of misbehaving
#                 servers, moto over https with a private CA, a forward proxy
# start_credential_fakes  the fake credential endpoints, token and profile files
# run_in_cluster  a command inside a throwaway PostgreSQL cluster (pg_virtualenv)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d /tmp/s3fdw.XXXXXX)
PIDS=()

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '==> %s\n' "$*" >&2; }

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
		libcurl4-openssl-dev libssl-dev libxml2-dev zlib1g-dev libkrb5-dev postgresql-15-cron >/dev/null
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

build_install() {
	say "building and installing s3_fdw"
	make -C "$ROOT" -s
	as_root make -C "$ROOT" -s install
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
	local envfile imds=""
	envfile=$(mktemp "$WORK/cluster-env.XXXXXX")
	chmod 644 "$envfile"
	while [ "$1" != "--" ]; do
		case $1 in AWS_EC2_METADATA_SERVICE_ENDPOINT=*) imds=1 ;; esac
		printf "%s = '%s'\n" "${1%%=*}" "$(printf %s "${1#*=}" | sed "s/'/''/g")" >>"$envfile"
		shift
	done
	shift
	if [ -z "$imds" ]; then
		echo "AWS_EC2_METADATA_SERVICE_ENDPOINT = 'http://127.0.0.1:$(free_port)'" >>"$envfile"
	fi
	# shellcheck disable=SC2086
	pg_virtualenv -t -c "--environment=$envfile" ${PGV_OPTS:-} "$@"
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
