#!/usr/bin/env bash
# The whole test suite: the standalone C unit tests, fuzzing, then pg_regress
# against throwaway PostgreSQL clusters and real moto servers on 127.0.0.1.
# Ends with a line "N passed, N failed" that counts tests (pg_regress files,
# unit programs, fuzz targets, the log check), after one for the unit
# programs' assertions.
#   S3FDW_SKIP_DEPS=1       skip apt
#   S3FDW_TESTS="setup x"   only these pg_regress tests, in the main cluster
#                           (no fuzzing, no per-credential-source clusters;
#                           cron runs in its own pg_cron cluster, keep-open
#                           runs the keep-open group, rgw runs against Ceph's
#                           RADOS Gateway in its own cluster, deb builds
#                           the Debian package and tests it in a clean root)
#   S3FDW_FUZZ_SECONDS=N    seconds per fuzz target (10)
#
#   --pg 15                 Debian 12's PostgreSQL 15, on this machine (the
#                           default)
#   --pg 17, --pg 18        PostgreSQL 17 (Debian 13) or 18 (Debian testing),
#                           in a Debian root built once in .pgroots/N
#                           (scripts/pgroot.sh): s3_fdw is built there (a
#                           warning fails the "build" test) and its clusters
#                           run there; the unit tests, moto, the fakes and
#                           pg_regress run here.  No fuzzing (the targets use
#                           no PostgreSQL).
#   --pg all                15, then 17, then 18; a line per version, then
#                           one "N passed, N failed" summing them
PG_MAJOR=15
while [ $# -gt 0 ]; do
	case $1 in
	--pg) PG_MAJOR=${2:-}; shift 2 || shift ;;
	--pg=*) PG_MAJOR=${1#--pg=}; shift ;;
	*) echo "usage: $0 [--pg 15|17|18|all]" >&2; exit 2 ;;
	esac
done
case $PG_MAJOR in
15 | 17 | 18) ;;
all)
	set -o pipefail
	here=$(dirname "$0")
	status=0
	summary=()
	total_p=0
	total_f=0
	log=$(mktemp /tmp/s3fdw-all.XXXXXX)
	for v in 15 17 18; do
		echo "==> PostgreSQL $v" >&2
		# the host's packages once, before 15
		if [ "$v" = 15 ]; then deps=${S3FDW_SKIP_DEPS:-0}; else deps=1; fi
		S3FDW_SKIP_DEPS=$deps "$here/test.sh" --pg "$v" 2>&1 | tee "$log" || status=1
		line=$(tail -n 1 "$log")
		if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
			total_p=$((total_p + BASH_REMATCH[1]))
			total_f=$((total_f + BASH_REMATCH[2]))
		else
			line="did not finish"
			total_f=$((total_f + 1))
		fi
		summary+=("PostgreSQL $v: $line")
	done
	rm -f "$log"
	printf '%s\n' "${summary[@]}"
	echo "$total_p passed, $total_f failed"
	[ "$status" = 0 ] && [ "$total_f" = 0 ]
	exit
	;;
*) echo "error: --pg takes 15, 17, 18 or all, not '$PG_MAJOR'" >&2; exit 2 ;;
esac
export PG_MAJOR

source "$(dirname "$0")/lib.sh"
cd "$ROOT"

install_deps
build_install

# the closing line counts tests: each pg_regress file, unit test program,
# fuzz target and the log check is one; the unit programs' assertions are
# counted apart, on the line before it
passed=0
failed=0
assertions_passed=0
assertions_failed=0
count() {					# count LOGFILE: adds up "N passed, N failed" lines
	local p f
	while read -r p f; do
		passed=$((passed + p))
		failed=$((failed + f))
	done < <(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' "$1")
}
count_unit() {				# count_unit LOGFILE: one test per unit program
	local p f
	while read -r p f; do
		assertions_passed=$((assertions_passed + p))
		assertions_failed=$((assertions_failed + f))
		if [ "$f" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	done < <(sed -nE 's/^unit .*: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' "$1")
}

# a build in a Debian root is made from scratch: one test, failed by a warning
if [ "$PG_MAJOR" != 15 ]; then
	if [ "$BUILD_WARNINGS" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	echo "build against PostgreSQL $PG_MAJOR: $BUILD_WARNINGS warnings"
fi

say "unit tests (signer against botocore's vectors, XML parser, naming rules)"
if make -s unittest 2>&1 | tee "$WORK/unit.log"; then :; else
	grep -q 'failed' "$WORK/unit.log" || failed=$((failed + 1))
fi
count_unit "$WORK/unit.log"

if [ -z "${S3FDW_TESTS:-}" ] && [ "$PG_MAJOR" = 15 ]; then
	say "fuzzing the parsers and the URL/key encoder (libFuzzer, ASan, UBSan)"
	if make -s fuzz FUZZ_SECONDS="${S3FDW_FUZZ_SECONDS:-10}" 2>&1 | tee "$WORK/fuzz.log"; then :; else
		grep -q 'failed' "$WORK/fuzz.log" || failed=$((failed + 1))
	fi
	count "$WORK/fuzz.log"
fi

start_s3
start_fakes

say "creating the listing tests' bucket (2,501 keys, with boto3)"
python3 "$ROOT/test/s3tool.py" populate regress-listing

start_credential_fakes

# run_regress LABEL [VAR=VALUE ...] -- TEST...: pg_regress in a throwaway
# cluster whose server process has exactly that AWS environment
run_regress() {
	local label=$1
	shift
	local vars=()
	while [ "$1" != "--" ]; do vars+=("$1"); shift; done
	shift
	say "pg_regress ($label) in a throwaway cluster"
	set +e
	run_in_cluster "${vars[@]}" -- make -s installcheck REGRESS="$*" 2>&1 | tee "$WORK/regress-$label.log"
	local status=${PIPESTATUS[0]}
	set -e
	tally_regress "$label" "$status" "$ROOT"
}

# tally_regress LABEL STATUS OUTPUTDIR: adds up a pg_regress run's log
tally_regress() {
	local label=$1 status=$2 out=$3 p f
	p=$(grep -cE '^(ok [0-9]+ |test .* \.\.\. ok|     [^ ]+ +\.\.\. ok)' "$WORK/regress-$label.log" || true)
	f=$(grep -cE '^(not ok [0-9]+ |test .* \.\.\. FAILED|     [^ ]+ +\.\.\. FAILED)|\.\.\. failed' "$WORK/regress-$label.log" || true)
	if [ "$f" = 0 ] && { [ "$p" = 0 ] || [ "$status" != 0 ]; }; then
		f=1					# pg_regress did not run, or failed outside a test
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ -s "$out/regression.diffs" ]; then
		cat "$out/regression.diffs" >>"$WORK/all.diffs"
	fi
}

# start_regress_bg LABEL -- TEST...: pg_regress in a throwaway cluster of
# its own port and output directory, in the background (PGV_OPTS as for
# run_regress); wait_regress_bg LABEL tallies it
start_regress_bg() {
	local label=$1
	shift 2
	mkdir -p "$WORK/out-$label"
	chmod 777 "$WORK/out-$label"
	say "pg_regress ($label) in a throwaway cluster, in the background"
	(
		set +e
		PGPORT=$(python3 -c 'import random, socket
for _ in range(200):
    p = random.randint(20000, 32000); s = socket.socket()
    try: s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError: pass') run_in_cluster -- make -s installcheck REGRESS="$*" \
			REGRESS_OPTS="--load-extension=s3_fdw --dbname=contrib_regression --outputdir=$WORK/out-$label" >"$WORK/regress-$label.log" 2>&1
		echo $? >"$WORK/regress-$label.status"
	) &
	BG_REGRESS+=($!)
}
wait_regress_bg() {
	local label=$1 pid
	for pid in "${BG_REGRESS[@]}"; do wait "$pid" || true; done
	BG_REGRESS=()
	say "pg_regress ($label), run in the background:"
	cat "$WORK/regress-$label.log" >&2
	tally_regress "$label" "$(cat "$WORK/regress-$label.status" 2>/dev/null || echo 1)" "$WORK/out-$label"
}
BG_REGRESS=()

# the README's marked SQL blocks, for sql/readme.sql ...
python3 "$ROOT/test/readme_sql.py" "$ROOT/README.md" >"$WORK/readme_blocks.sql"
chmod 644 "$WORK/readme_blocks.sql"
export S3FDW_README_SQL="$WORK/readme_blocks.sql"
# ... and the read-only recipe's block, for sql/readonly.sql
python3 "$ROOT/test/readme_sql.py" "$ROOT/README.md" sql/readonly.sql >"$WORK/readme_readonly.sql"
chmod 644 "$WORK/readme_readonly.sql"
export S3FDW_README_READONLY_SQL="$WORK/readme_readonly.sql"

rm -rf "$ROOT/results"
# an SSE-C key for encryption.sql's user mapping, searched for in the log too
S3FDW_SSEC_KEY=$(head -c 32 /dev/urandom | base64)
export S3FDW_SSEC_KEY
# the main run logs everything it can, and the log is then searched for secrets
mkdir "$WORK/pglog"
chown "$SERVER_OWNER" "$WORK/pglog"
main_tests=${S3FDW_TESTS:-$(make -s -C "$ROOT" print-regress)}
main_tests=$(printf ' %s ' $main_tests | sed 's/ cron / /g; s/ keep-open / /g; s/ rgw / /g; s/ deb / /g')
PGV_OPTS="-o logging_collector=on -o log_directory=$WORK/pglog -o log_min_messages=debug1 -o log_statement=all" \
	run_regress main AWS_ENDPOINT_URL_STS="$S3FDW_ENDPOINT" -- $main_tests
python3 "$ROOT/test/check_log_secrets.py" "$WORK/pglog" S3FDW_SK S3FDW_RO_SK S3FDW_ASSUMER_SK \
	S3FDW_TMP_SK S3FDW_TMP_TOKEN S3FDW_SSEC_KEY @S3FDW_WEB_TOKEN_FILE @S3FDW_CONTAINER_TOKEN_FILE | tee "$WORK/logcheck.log"
count "$WORK/logcheck.log"
# pg_cron's scheduled export, in a cluster that preloads pg_cron (with
# S3FDW_TESTS, only when it names cron)
if [ -z "${S3FDW_TESTS:-}" ] || [[ " $S3FDW_TESTS " == *" cron "* ]]; then
	# (it mostly waits for pg_cron's next minute: the groups below run meanwhile)
	PGV_OPTS="-o shared_preload_libraries=pg_cron -o cron.database_name=contrib_regression -o cron.use_background_workers=on" \
		start_regress_bg cron -- $(make -s -C "$ROOT" print-regress-CRON)
fi
# the tests of functions, the listing, content, writes, import/export and
# multipart once more against a server that keeps connections open: the s3
# server (and boto3 in the tests) through the keep-alive relay in front of
# moto, at the defaults (16 requests in flight)
if [ -z "${S3FDW_TESTS:-}" ] || [[ " $S3FDW_TESTS " == *" keep-open "* ]]; then
	S3FDW_ENDPOINT=$S3FDW_PROXY_ENDPOINT run_regress keep-open -- $(make -s -C "$ROOT" print-regress-KEEP_OPEN)
fi
# Ceph's RADOS Gateway, a real S3 implementation (with S3FDW_TESTS, only
# when it names rgw)
if [ -z "${S3FDW_TESTS:-}" ] || [[ " $S3FDW_TESTS " == *" rgw "* ]]; then
	start_rgw
	run_regress rgw -- $(make -s -C "$ROOT" print-regress-RGW)
	stop_rgw
fi
# one cluster per source of the instance credential chain
if [ -z "${S3FDW_TESTS:-}" ]; then
run_regress env AWS_ACCESS_KEY_ID="$S3FDW_TMP_AK" AWS_SECRET_ACCESS_KEY="$S3FDW_TMP_SK" \
	AWS_SESSION_TOKEN="$S3FDW_TMP_TOKEN" -- $(make -s -C "$ROOT" print-regress-CREDS_ENV)
run_regress web-identity AWS_WEB_IDENTITY_TOKEN_FILE="$S3FDW_WEB_TOKEN_FILE" \
	AWS_ROLE_ARN="$S3FDW_ROLE_ARN" AWS_ROLE_SESSION_NAME=s3fdw-web \
	AWS_ENDPOINT_URL_STS="$S3FDW_CRED_ENDPOINT" -- $(make -s -C "$ROOT" print-regress-CREDS_WEBID)
run_regress container AWS_CONTAINER_CREDENTIALS_FULL_URI="$S3FDW_CRED_ENDPOINT/creds" \
	AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$S3FDW_CONTAINER_TOKEN_FILE" -- $(make -s -C "$ROOT" print-regress-CREDS_CONTAINER)
run_regress imds AWS_EC2_METADATA_SERVICE_ENDPOINT="$S3FDW_CRED_ENDPOINT/" \
	http_proxy="$S3FDW_FORWARD_PROXY" -- $(make -s -C "$ROOT" print-regress-CREDS_IMDS)
run_regress imds-v2only AWS_EC2_METADATA_SERVICE_ENDPOINT="$S3FDW_CRED_ENDPOINT/" \
	AWS_EC2_METADATA_V1_DISABLED=true -- $(make -s -C "$ROOT" print-regress-CREDS_IMDS_V2ONLY)
run_regress profile AWS_SHARED_CREDENTIALS_FILE="$WORK/creds/credentials" \
	AWS_CONFIG_FILE="$WORK/creds/config" AWS_PROFILE=s3fdw -- $(make -s -C "$ROOT" print-regress-CREDS_PROFILE)
run_regress profile-config AWS_SHARED_CREDENTIALS_FILE="$WORK/creds/credentials" \
	AWS_CONFIG_FILE="$WORK/creds/config" AWS_PROFILE=cfgonly -- $(make -s -C "$ROOT" print-regress-CREDS_PROFILE_CONFIG)
run_regress profile-errors AWS_SHARED_CREDENTIALS_FILE="$WORK/creds/credentials" \
	AWS_CONFIG_FILE="$WORK/creds/config" AWS_PROFILE=assumer -- $(make -s -C "$ROOT" print-regress-CREDS_PROFILE_ERRORS)
fi

if [ ${#BG_REGRESS[@]} -gt 0 ]; then
	wait_regress_bg cron
fi

# the Debian package: scripts/build-deb.sh (its build runs the package's smoke
# test, debian/tests/regress), then scripts/test-deb.sh (dpkg -i into a clean
# Debian root, CREATE EXTENSION and requests against a moto of its own); with
# S3FDW_TESTS, only when it names deb.  15's package is built on this
# machine; with --pg 17 or 18, that version's is built in its root (which
# gets the build dependencies the first time) and installed into a clean
# root of its Debian release
if [ -z "${S3FDW_TESTS:-}" ] || [[ " $S3FDW_TESTS " == *" deb "* ]]; then
	say "the Debian package for PostgreSQL $PG_MAJOR: built (with its smoke test), then installed into a clean root"
	if [ "$PG_MAJOR" = 15 ]; then
		deb_build=(env S3FDW_SKIP_DEPS=1 "$ROOT/scripts/build-deb.sh")
	else
		# (the root needs its build dependencies whatever this machine has)
		deb_build=(env S3FDW_SKIP_DEPS=0 "$ROOT/scripts/build-deb.sh" --root "$ROOT/.pgroots/$PG_MAJOR")
	fi
	rm -f "$ROOT"/dist/postgresql-"$PG_MAJOR"-s3-fdw_*.deb
	if "${deb_build[@]}" >"$WORK/deb-build.log" 2>&1 &&
		deb=$(ls "$ROOT"/dist/postgresql-"$PG_MAJOR"-s3-fdw_*_amd64.deb | grep -v dbgsym | tail -1); then
		echo "deb build and smoke test: 1 passed, 0 failed" | tee "$WORK/deb.log"
		# its closing line counts its checks; without one it stopped early
		S3FDW_SKIP_DEPS=1 "$ROOT/scripts/test-deb.sh" "$deb" 2>&1 |
			sed -uE 's/^([0-9]+ passed, [0-9]+ failed)$/deb install: \1/' | tee -a "$WORK/deb.log" || true
		grep -q '^deb install: ' "$WORK/deb.log" || echo "deb install: 0 passed, 1 failed" | tee -a "$WORK/deb.log"
	else
		tail -40 "$WORK/deb-build.log" >&2
		echo "deb build and smoke test: 0 passed, 1 failed" | tee "$WORK/deb.log"
	fi
	count "$WORK/deb.log"
fi

if [ -s "$WORK/all.diffs" ]; then
	say "differences (regression.diffs of every run):"
	head -300 "$WORK/all.diffs" >&2
	cp "$WORK/all.diffs" "$ROOT/regression.diffs"
fi

echo "unit assertions (not counted below): $assertions_passed passed, $assertions_failed failed"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$assertions_failed" = 0 ]
