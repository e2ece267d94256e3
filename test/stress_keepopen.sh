#!/usr/bin/env bash
# stress_keepopen.sh: s3_import and the listing table's content column at
# s3_fdw's defaults (16 requests in flight), run again and again against
# servers that keep connections open: nginx serving files as a static S3
# stand-in, and Ceph's RADOS Gateway.  Each run is checked (rows loaded, the
# bytes read); the script prints, per server and work, how many runs of how
# many passed, and fails unless all did.
#
#   bash test/stress_keepopen.sh            20 runs of each
#   STRESS_RUNS=5 STRESS_SERVERS=nginx bash test/stress_keepopen.sh
#
#   STRESS_RUNS      runs of each work on each server (20)
#   STRESS_SERVERS   "nginx rgw" (both)
#   STRESS_CSV_MB    the CSV s3_import loads (about 200 MB)
#   S3FDW_SKIP_DEPS=1  no apt-get
#
# Not part of scripts/test.sh (a few minutes); its small, repeatable twin is
# sql/keepalive.sql.  Needs nginx (nginx-light); RGW as scripts/test.sh
# starts it (lib.sh's start_rgw).
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

RUNS=${STRESS_RUNS:-20}
SERVERS=${STRESS_SERVERS:-nginx rgw}
CSV_MB=${STRESS_CSV_MB:-200}
NOBJ=300

install_deps
if [ "${S3FDW_SKIP_DEPS:-0}" != 1 ] && ! command -v nginx >/dev/null; then
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
fi
build_install

say "generating a CSV of about $CSV_MB MB and $NOBJ objects of 256 kB"
DATA=$WORK/data
mkdir -p "$DATA/stress/obj"
python3 - "$DATA" "$CSV_MB" "$NOBJ" <<'PY'
import hashlib, os, sys
data, mb, nobj = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = 0
with open(os.path.join(data, "stress", "rows.csv"), "w") as f:
    size = 0
    while size < mb * 1024 * 1024:
        rows += 1
        line = "%d,%s,2026-01-01 00:00:%02d+00,\"row %d, quoted\"\n" % (
            rows, hashlib.md5(str(rows).encode()).hexdigest(), rows % 60, rows)
        f.write(line)
        size += len(line)
open(os.path.join(data, "rows.count"), "w").write(str(rows))
entries = []
for i in range(nobj):
    body = (hashlib.sha256(str(i).encode()).hexdigest() * 4096)[:262144].encode()
    key = "obj/%04d" % i
    open(os.path.join(data, "stress", key), "wb").write(body)
    entries.append((key, len(body), hashlib.md5(body).hexdigest()))
# one ListObjectsV2 page of every object, as S3 writes it
page = ['<?xml version="1.0" encoding="UTF-8"?>',
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
        '<Name>stress</Name><Prefix>obj/</Prefix><KeyCount>%d</KeyCount>' % nobj,
        '<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>']
for key, size, md5 in entries:
    page.append('<Contents><Key>%s</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>'
                '<ETag>&quot;%s&quot;</ETag><Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>'
                % (key, md5, size))
page.append('</ListBucketResult>')
os.makedirs(os.path.join(data, "lists"), exist_ok=True)
open(os.path.join(data, "lists", "obj.xml"), "w").write("".join(page))
PY
chmod 755 "$WORK"
chmod -R a+rX "$DATA"
ROWS=$(cat "$DATA/rows.count")

SERVERS_SQL=""
declare -A ENDPOINT AK SK
if [[ " $SERVERS " == *" nginx "* ]]; then
	say "starting nginx (keeps connections open; files as objects, one listing page)"
	NGINX_PORT=$(free_port)
	mkdir -p "$WORK/nginx"
	cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_requests 100000;
	keepalive_timeout 60s;
	client_body_temp_path $WORK/nginx/body;
	proxy_temp_path $WORK/nginx/proxy;
	fastcgi_temp_path $WORK/nginx/fastcgi;
	uwsgi_temp_path $WORK/nginx/uwsgi;
	scgi_temp_path $WORK/nginx/scgi;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $DATA;
		default_type application/octet-stream;
		# GET /stress?list-type=2&prefix=obj/...: the one page
		location = /stress { default_type application/xml; try_files /lists/obj.xml =404; }
		location /stress/ { }
	}
}
CONF
	start_bg nginx nginx -c "$WORK/nginx/nginx.conf"
	wait_port "$NGINX_PORT"
	ENDPOINT[nginx]="http://127.0.0.1:$NGINX_PORT"
	AK[nginx]=AKIASTRESSSTRESS0000
	SK[nginx]=any
fi
if [[ " $SERVERS " == *" rgw "* ]]; then
	start_rgw
	ENDPOINT[rgw]=$S3FDW_RGW_ENDPOINT
	AK[rgw]=$S3FDW_RGW_AK
	SK[rgw]=$S3FDW_RGW_SK
	say "uploading the CSV and the objects to RGW (boto3)"
	python3 - "$DATA" "$S3FDW_RGW_ENDPOINT" "$S3FDW_RGW_AK" "$S3FDW_RGW_SK" <<'PY'
import os, sys, boto3
from concurrent.futures import ThreadPoolExecutor
data, ep, ak, sk = sys.argv[1:5]
c = boto3.client("s3", endpoint_url=ep, aws_access_key_id=ak, aws_secret_access_key=sk, region_name="us-east-1")
c.create_bucket(Bucket="stress")
c.upload_file(os.path.join(data, "stress", "rows.csv"), "stress", "rows.csv")
keys = sorted(os.listdir(os.path.join(data, "stress", "obj")))
with ThreadPoolExecutor(16) as pool:
    list(pool.map(lambda k: c.put_object(Bucket="stress", Key="obj/" + k,
                                          Body=open(os.path.join(data, "stress", "obj", k), "rb").read()), keys))
PY
fi

cat >"$WORK/stress.sql" <<'SQL'
\set ON_ERROR_STOP 0
CREATE EXTENSION s3_fdw;
CREATE SERVER st FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', url_style 'path');
CREATE USER MAPPING FOR PUBLIC SERVER st OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE FOREIGN TABLE st_objects (key text, size bigint, content bytea)
  SERVER st OPTIONS (bucket 'stress', prefix 'obj/');
CREATE UNLOGGED TABLE st_rows (i bigint, m text, t timestamptz, note text);
CREATE FUNCTION st_run(n int, expected_rows bigint, nobj int)
RETURNS TABLE (work text, passed int, runs int, first_error text) LANGUAGE plpgsql AS $$
DECLARE
  ok int; err text; r bigint; c bigint; b bigint; same bigint;
BEGIN
  ok := 0; err := NULL;
  FOR i IN 1..n LOOP
    BEGIN
      TRUNCATE st_rows;
      r := s3_import('st', 'stress', 'rows.csv', 'st_rows');
      SELECT count(*) INTO c FROM st_rows;
      IF r = expected_rows AND c = expected_rows THEN ok := ok + 1;
      ELSE err := coalesce(err, format('%s rows loaded, %s in the table', r, c)); END IF;
    EXCEPTION WHEN OTHERS THEN
      err := coalesce(err, SQLSTATE || ': ' || SQLERRM);
    END;
  END LOOP;
  work := 's3_import'; passed := ok; runs := n; first_error := err; RETURN NEXT;
  ok := 0; err := NULL;
  FOR i IN 1..n LOOP
    BEGIN
      SELECT count(*), sum(length(content)),
             count(*) FILTER (WHERE content = convert_to(substr(repeat(encode(sha256(convert_to(substr(key, 5)::int::text, 'UTF8')), 'hex'), 4096), 1, 262144), 'UTF8'))
        INTO c, b, same FROM st_objects;
      IF c = nobj AND b = nobj * 262144 AND same = nobj THEN ok := ok + 1;
      ELSE err := coalesce(err, format('%s objects, %s bytes, %s the same', c, b, same)); END IF;
    EXCEPTION WHEN OTHERS THEN
      err := coalesce(err, SQLSTATE || ': ' || SQLERRM);
    END;
  END LOOP;
  work := 'content'; passed := ok; runs := n; first_error := err; RETURN NEXT;
END $$;
SELECT :'server' AS server, * FROM st_run(:runs, :rows, :nobj);
SQL
chmod 644 "$WORK/stress.sql"

failed=0
for s in $SERVERS; do
	say "$s: $RUNS runs of s3_import ($ROWS rows) and of content ($NOBJ objects) at the defaults"
	run_in_cluster -- psql -X -q -A -F ' | ' -t -v server="$s" -v endpoint="${ENDPOINT[$s]}" \
		-v ak="${AK[$s]}" -v sk="${SK[$s]}" -v runs="$RUNS" -v rows="$ROWS" -v nobj="$NOBJ" \
		-f "$WORK/stress.sql" 2>&1 | grep -v '^$' | tee "$WORK/stress-$s.log"
	while IFS='|' read -r server work passed runs err; do
		passed=${passed// /}
		runs=${runs// /}
		if [ -n "$runs" ] && [ "$passed" != "$runs" ]; then failed=$((failed + 1)); fi
	done < <(grep -E '^(nginx|rgw) \|' "$WORK/stress-$s.log")
	grep -qE '^(nginx|rgw) \|' "$WORK/stress-$s.log" || failed=$((failed + 1))
done
if [ "$failed" = 0 ]; then echo "every run passed"; else echo "$failed works had failing runs"; fi
[ "$failed" = 0 ]
