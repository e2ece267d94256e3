#!/usr/bin/env bash
# The whole test suite: the standalone C unit tests, then pg_regress against
# a throwaway PostgreSQL cluster and real moto servers on 127.0.0.1.
# Ends with a line "N passed, N failed".  S3FDW_SKIP_DEPS=1 skips apt.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

install_deps
build_install

passed=0
failed=0
count() {					# count LOGFILE: adds up "N passed, N failed" lines
	local p f
	while read -r p f; do
		passed=$((passed + p))
		failed=$((failed + f))
	done < <(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' "$1")
}

say "unit tests (signer against botocore's vectors, XML parser, naming rules)"
if make -s unittest 2>&1 | tee "$WORK/unit.log"; then :; else
	grep -q 'failed' "$WORK/unit.log" || failed=$((failed + 1))
fi
count "$WORK/unit.log"

start_s3
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
wait_port "$HANG_PORT"
wait_port "$PROXY_PORT"

say "creating the listing tests' bucket (2,501 keys, with boto3)"
python3 "$ROOT/test/s3tool.py" populate regress-listing

say "pg_regress against a throwaway cluster"
rm -rf "$ROOT/results"
set +e
run_in_cluster make -s installcheck 2>&1 | tee "$WORK/regress.log"
set -e
p=$(grep -cE '^(ok [0-9]+ |test .* \.\.\. ok|     [^ ]+ +\.\.\. ok)' "$WORK/regress.log" || true)
f=$(grep -cE '^(not ok [0-9]+ |test .* \.\.\. FAILED|     [^ ]+ +\.\.\. FAILED)|\.\.\. failed' "$WORK/regress.log" || true)
if [ "$p" = 0 ] && [ "$f" = 0 ]; then
	f=1						# pg_regress did not run at all
fi
passed=$((passed + p))
failed=$((failed + f))
if [ -s "$ROOT/regression.diffs" ]; then
	say "differences (regression.diffs):"
	head -200 "$ROOT/regression.diffs" >&2
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
