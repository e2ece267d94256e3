#!/usr/bin/env bash
# The benchmark: s3_fdw against curl, the AWS CLI and boto3, on the same
# local S3 stand-ins, in one run.  Prints a table and writes it, with the
# machine's description, to bench/results/latest.md.
#
#   bash bench/run.sh
#
#   BENCH_QUICK=1        one run of each, smaller T4/T6/T7/T8 (a few minutes)
#   BENCH_RUNS=N         runs per measurement (median; default 5, quick 1)
#   BENCH_BUDGET=S       a measurement stops repeating once it has spent S
#                        seconds (default 15), so slow peers run once
#   BENCH_ONLY=1,3       only these works (1 GET, 2 PUT, 3 list, 4 content
#                        behind the latency proxy, 5 1 KB reads, 6 multipart,
#                        7 s3_import and 8 s3_export through the latency proxy,
#                        9 listing 1,000,000 keys through the latency proxy)
#   BENCH_DELAY_MS=20    the latency proxy's delay per request
#   BENCH_RATE=20MB      T6's bandwidth cap per connection
#   BENCH_T6_MB, BENCH_T6_RUNS (3), BENCH_MP_OPTIONS, BENCH_MP_CONCURRENCY (8)
#   BENCH_CSV_MB=210     the CSV of works 7 and 8 (quick: 64)
#   BENCH_ETAG=md5|nginx md5 (default): objects carry S3-like MD5 ETags,
#                        which s3_fdw checks; nginx: nginx's own ETags
#   BENCH_HTTPS_OPTIONS  extra server options of s3_fdw's https server (T1,
#                        T2), e.g. "payload_signing 'unsigned', verify_md5
#                        'false'"; without it the server has the defaults
#   S3FDW_SKIP_DEPS=1    no apt-get (nginx-light, the build dependencies)
#
# nginx serves the same files over http and https: a throwaway certificate
# authority and a certificate for 127.0.0.1 and localhost are made in the
# run's temporary directory.  T1 and T2 are judged over https, as S3 is
# reached; their plain-http rows are printed too.
#
# Uses scripts/lib.sh: the Python tools (boto3, the AWS CLI) as the tests
# find them, a throwaway cluster (pg_virtualenv), and every server it starts
# is stopped on exit.  s3_fdw is built and installed only when pg_config's
# library directory has no s3_fdw.so; otherwise the installed one is measured.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

QUICK=${BENCH_QUICK:-0}
DELAY_MS=${BENCH_DELAY_MS:-20}
RATE=${BENCH_RATE:-20MB}

install_deps
if [ "${S3FDW_SKIP_DEPS:-0}" != 1 ]; then
	say "installing nginx-light (static S3 stand-in)"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		nginx-light >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "error: nginx is needed (apt-get install nginx-light)" >&2; exit 1; }
# the https listener needs nginx's ssl module: Debian 12's nginx-light brings
# the nginx package, which has it; a build without it is replaced by that one
nginx_has_ssl() { "$NGINX" -V 2>&1 | grep -q -- '--with-http_ssl_module'; }
if ! nginx_has_ssl && [ "${S3FDW_SKIP_DEPS:-0}" != 1 ]; then
	say "$NGINX has no ssl module: installing Debian's nginx"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		nginx >/dev/null
	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi
nginx_has_ssl || { echo "error: $NGINX has no ssl module (apt-get install nginx)" >&2; exit 1; }
for tool in aws curl openssl psql pg_virtualenv; do
	command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

if [ ! -f "$(pg_config --pkglibdir)/s3_fdw.so" ]; then
	build_install
else
	say "using the installed $(pg_config --pkglibdir)/s3_fdw.so (built $(date -r "$(pg_config --pkglibdir)/s3_fdw.so" '+%F %T'))"
fi

DATA=$(mktemp -d /dev/shm/s3fdw-bench.XXXXXX)
bench_cleanup() {
	cleanup
	rm -rf "$DATA"
}
trap bench_cleanup EXIT
chmod 755 "$DATA" "$WORK"

if [ "$QUICK" = 1 ]; then
	GEN_ARGS=(--small 500 --csv-mb "${BENCH_CSV_MB:-64}")
else
	GEN_ARGS=(--csv-mb "${BENCH_CSV_MB:-210}")
fi
# https: a certificate authority made for this run, and nginx's certificate
# for 127.0.0.1 and localhost signed by it; ca.pem is readable by the
# database server (s3_fdw's ca_file), the keys stay in $WORK/tls
TLS="$WORK/tls"
make_tls "$TLS" bench "IP:127.0.0.1, DNS:localhost"

# work 9's ListObjectsV2 stand-in: generating its 2 x 1,000,000 keys and
# checking its answers takes half a minute, done while the objects are made
want_work() { [ -z "${BENCH_ONLY:-}" ] || [[ ",$BENCH_ONLY," == *",$1,"* ]]; }
if want_work 9; then
	LIST_PORT=$(free_port)
	say "starting the listing stand-in (1,000,000 keys a bucket; it checks itself)"
	start_bg list-server python3 "$ROOT/bench/list_server.py" "$LIST_PORT" --selftest
	LIST_PID=${PIDS[-1]}
fi

NGINX_PORT=$(free_port)
NGINX_AWS_PORT=$(free_port)
NGINX_TLS_PORT=$(free_port)
NGINX_TLS_AWS_PORT=$(free_port)
say "generating objects and listing pages in $DATA"
python3 "$ROOT/bench/gen_data.py" "$DATA" "$NGINX_PORT" "$WORK" --aws-port "$NGINX_AWS_PORT" \
	--tls-port "$NGINX_TLS_PORT" --tls-aws-port "$NGINX_TLS_AWS_PORT" \
	--tls-cert "$TLS/server.pem" --tls-key "$TLS/server.key" \
	--nginx-etag "${BENCH_ETAG:-md5}" "${GEN_ARGS[@]}"

say "starting nginx (http and https), the latency proxies and the multipart stand-in"
start_bg nginx "$NGINX" -p "$WORK" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf"
wait_http "http://127.0.0.1:$NGINX_PORT/__ping"
wait_http "http://127.0.0.1:$NGINX_AWS_PORT/__ping"
for port in "$NGINX_TLS_PORT" "$NGINX_TLS_AWS_PORT"; do
	wait_port "$port"
	curl -sS -f --cacert "$TLS/ca.pem" -o /dev/null "https://127.0.0.1:$port/__ping" || {
		echo "error: https://127.0.0.1:$port/ does not answer, or not with a certificate of $TLS/ca.pem" >&2
		exit 1
	}
done
LAT_PORT=$(free_port)
start_bg latency-proxy python3 "$ROOT/bench/latency_proxy.py" "$LAT_PORT" "127.0.0.1:$NGINX_PORT" --delay-ms "$DELAY_MS"
MPU_PORT=$(free_port)
start_bg mpu python3 "$ROOT/bench/mpu_server.py" "$MPU_PORT"
CAP_PORT=$(free_port)
start_bg capped-proxy python3 "$ROOT/bench/latency_proxy.py" "$CAP_PORT" "127.0.0.1:$MPU_PORT" \
	--delay-ms "$DELAY_MS" --rate "$RATE"
# works 7 and 8 (s3_import, s3_export), through the same delay: the import
# from the nginx server with nginx's own ETags (s3_import's ranged GETs and
# the AWS CLI's send If-Match, which nginx matches only against its own
# ETags), the export to the multipart stand-in, without a bandwidth cap
IMPORT_PORT=$(free_port)
start_bg import-proxy python3 "$ROOT/bench/latency_proxy.py" "$IMPORT_PORT" "127.0.0.1:$NGINX_AWS_PORT" --delay-ms "$DELAY_MS"
EXPORT_PORT=$(free_port)
start_bg export-proxy python3 "$ROOT/bench/latency_proxy.py" "$EXPORT_PORT" "127.0.0.1:$MPU_PORT" --delay-ms "$DELAY_MS"
wait_port "$LAT_PORT"
wait_port "$MPU_PORT"
wait_port "$CAP_PORT"
wait_port "$IMPORT_PORT"
wait_port "$EXPORT_PORT"
if want_work 9; then
	LIST_LAT_PORT=$(free_port)
	start_bg list-proxy python3 "$ROOT/bench/latency_proxy.py" "$LIST_LAT_PORT" "127.0.0.1:$LIST_PORT" --delay-ms "$DELAY_MS"
	wait_port "$LIST_LAT_PORT"
	for i in $(seq 1 600); do
		grep -Eq '^selftest: (ok|FAILED)' "$WORK/list-server.log" && break
		kill -0 "$LIST_PID" 2>/dev/null || break
		sleep 0.5
	done
	if ! grep -q '^selftest: ok' "$WORK/list-server.log"; then
		echo "error: the listing stand-in failed its self-test or did not start:" >&2
		cat "$WORK/list-server.log" >&2
		exit 1
	fi
	say "$(grep '^selftest: [0-9]' "$WORK/list-server.log")"
	export BENCH_LIST="http://127.0.0.1:$LIST_PORT" BENCH_LIST_LAT="http://127.0.0.1:$LIST_LAT_PORT"
fi

export BENCH_DATA="$DATA" BENCH_WORK="$WORK" BENCH_QUICK="$QUICK" BENCH_DELAY_MS="$DELAY_MS" BENCH_RATE="$RATE"
export BENCH_NGINX="http://127.0.0.1:$NGINX_PORT" BENCH_NGINX_AWS="http://127.0.0.1:$NGINX_AWS_PORT"
export BENCH_NGINX_TLS="https://127.0.0.1:$NGINX_TLS_PORT" BENCH_NGINX_TLS_AWS="https://127.0.0.1:$NGINX_TLS_AWS_PORT"
export BENCH_CA_FILE="$TLS/ca.pem"
export BENCH_LAT="http://127.0.0.1:$LAT_PORT"
export BENCH_CAP="http://127.0.0.1:$CAP_PORT" BENCH_MPU="http://127.0.0.1:$MPU_PORT"
export BENCH_IMPORT="http://127.0.0.1:$IMPORT_PORT" BENCH_EXPORT="http://127.0.0.1:$EXPORT_PORT"

say "measuring, in a throwaway cluster"
status=0
run_in_cluster -- python3 "$ROOT/bench/bench.py" run || status=$?
if [ -s "$WORK/nginx-error.log" ] && grep -qv '\[notice\]' "$WORK/nginx-error.log"; then
	say "nginx's error log:"
	grep -v '\[notice\]' "$WORK/nginx-error.log" | tail -20 >&2
fi
for log in latency-proxy capped-proxy import-proxy export-proxy mpu list-proxy; do
	if grep -q . "$WORK/$log.log" 2>/dev/null && [ "$(wc -l <"$WORK/$log.log")" -gt 1 ]; then
		say "$log.log:"
		tail -n +2 "$WORK/$log.log" | tail -10 >&2
	fi
done
exit $status
