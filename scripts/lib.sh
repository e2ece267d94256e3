# lib.sh: what scripts/test.sh and scripts/demo.sh share. Sourced, not run.
#
# install_deps    Debian packages (apt-get update first) and the Python tools
# build_install   make, make install
# start_s3        moto_server with IAM users, signature checks on
# start_bg        a background process whose PID is killed on exit
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
		libcurl4-openssl-dev libssl-dev libxml2-dev >/dev/null
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
