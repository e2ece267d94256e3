#!/usr/bin/env python3
"""The measurements of bench/run.sh: s3_fdw against curl, the AWS CLI and boto3.

    bench.py run                 everything (inside a cluster: PG* variables set)
    bench.py boto3 OP ARGS...    one boto3 measurement in its own process (so
                                 that its peak memory is its own); prints JSON

run.sh starts the servers and passes them in the environment:
  BENCH_DATA, BENCH_WORK        data directory (objects, manifest.json), scratch
  BENCH_NGINX                   http://127.0.0.1:PORT, the static S3 stand-in
  BENCH_NGINX_AWS               the same files with nginx's own ETags (AWS CLI)
  BENCH_NGINX_TLS, BENCH_NGINX_TLS_AWS
                                the same two over https (T1 and T2 are judged
                                there), with a certificate of BENCH_CA_FILE
  BENCH_HTTPS_OPTIONS           extra options of s3_fdw's https server (by
                                default it has only endpoint, ca_file and the
                                benchmark's region, url_style and single PUT)
  BENCH_LAT                     the same behind the latency proxy
  BENCH_CAP                     the multipart stand-in behind the latency proxy
                                with a per-connection bandwidth cap
  BENCH_MPU                     the multipart stand-in itself (its counters)
  BENCH_IMPORT, BENCH_EXPORT    works 7 and 8: the nginx server with nginx's
                                own ETags, and the multipart stand-in, each
                                behind the latency proxy (no bandwidth cap)
  BENCH_LIST, BENCH_LIST_LAT    work 9: the ListObjectsV2 stand-in (list_server.py:
                                buckets flat and skewed, 1,000,000 keys each)
                                and the latency proxy in front of it
  BENCH_RUNS (5), BENCH_QUICK (0), BENCH_BUDGET (seconds one measurement may
  spend on repeats, 15), BENCH_RATE, BENCH_DELAY_MS, BENCH_T6_MB, BENCH_OUT
  BENCH_MP_OPTIONS              the s3_fdw multipart server options to try
                                (default: several spellings, see MP_SPELLINGS)

Times: s3_fdw is psql's \\timing of the query in a session whose library is
already loaded (the query still connects to the server); single-transfer curl
is its own time_total; multi-URL curl and the AWS CLI are the process's wall
clock (the CLI's Python start-up included: that is what running it costs);
boto3 is timed inside its process from the first call, the client already
made.  Peak memory: the backend's VmHWM from /proc/self/status at the end of
the session; for the other tools the process's maxrss (wait4).
"""
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

KEY_ID = "AKIABENCHBENCHBENCH0"
SECRET = "benchbenchbenchbenchbenchbenchbenchbench"
MB = 1 << 20


def env(name, default=None):
    v = os.environ.get(name)
    return v if v not in (None, "") else default


# ---------------------------------------------------------------- boto3 child

def boto3_client(endpoint, pool=10):
    import boto3
    from botocore.config import Config
    verify = env("BENCH_CA_FILE", True) if endpoint.startswith("https:") else None
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", verify=verify,
        aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET,
        config=Config(s3={"addressing_style": "path"}, max_pool_connections=pool,
                      retries={"max_attempts": 1, "mode": "standard"}))


def boto3_main(argv):
    op, endpoint, bucket = argv[0], argv[1], argv[2]
    s3 = boto3_client(endpoint, pool=16)
    result = None
    t0 = time.perf_counter()
    if op == "get":
        result = len(s3.get_object(Bucket=bucket, Key=argv[3])["Body"].read())
    elif op == "put":
        with open(argv[4], "rb") as f:
            s3.put_object(Bucket=bucket, Key=argv[3], Body=f)
        result = os.path.getsize(argv[4])
    elif op == "list":
        result = 0
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=argv[3]):
            result += len(page.get("Contents", []))
    elif op == "listmax":
        # the count and the greatest key (str order is code point order,
        # which is UTF-8 byte order: S3's)
        n, top = 0, None
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            keys = [o["Key"] for o in page.get("Contents", [])]
            n += len(keys)
            if keys:
                m = max(keys)
                top = m if top is None or m > top else top
        result = [n, top]
    elif op == "seqget":
        result = 0
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=argv[3]):
            for o in page.get("Contents", []):
                result += len(s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read())
    elif op == "upload_file":
        from boto3.s3.transfer import TransferConfig
        s3.upload_file(argv[4], bucket, argv[3],
                       Config=TransferConfig(multipart_threshold=8 * MB, multipart_chunksize=8 * MB,
                                             max_concurrency=8, use_threads=True))
        result = os.path.getsize(argv[4])
    else:
        raise SystemExit("unknown op " + op)
    secs = time.perf_counter() - t0
    print(json.dumps({"secs": secs, "result": result}))
    return 0


# ---------------------------------------------------------------- processes

class Failed(Exception):
    pass


def run_proc(cmd, env_extra=None, check=True, timeout=None):
    """Runs cmd; returns (wall seconds, maxrss kB, stdout, stderr)."""
    e = dict(os.environ)
    if env_extra:
        e.update(env_extra)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=e)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        so, se = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if check and p.returncode != 0:
        raise Failed("%s exited with %d: %s" % (os.path.basename(cmd[0]), p.returncode,
                                                (se or so).strip()[-600:]))
    return wall, ru.ru_maxrss, so, se


class Meas:
    """The runs of one measurement."""

    def __init__(self, label):
        self.label = label
        self.secs = []
        self.mem = []           # kB
        self.error = None
        self.note = None
        self.na = None

    @property
    def median(self):
        return statistics.median(self.secs) if self.secs else None

    @property
    def peak(self):
        return max(self.mem) if self.mem else None

    def cell(self):
        if self.na:
            return "n/a"
        if self.error:
            return "error"
        if not self.secs:
            return "-"
        return fmt_secs(self.median) + ("" if len(self.secs) > 1 else " (1 run)")


def fmt_secs(s):
    if s is None:
        return "-"
    if s < 1:
        return "%.0f ms" % (s * 1000)
    if s < 10:
        return "%.2f s" % s
    return "%.1f s" % s


def fmt_kb(kb):
    if kb is None:
        return "-"
    return "%.0f MB" % (kb / 1024.0)


class Bench:
    def __init__(self):
        self.data = env("BENCH_DATA")
        self.work = env("BENCH_WORK")
        self.nginx = env("BENCH_NGINX")
        # the same nginx, with nginx's own ETags, which the AWS CLI's ranged
        # GETs need (they send If-Match with the ETag of their HeadObject)
        self.nginx_aws = env("BENCH_NGINX_AWS", self.nginx)
        # the same over https, and the CA that signed its certificate
        self.nginx_tls = env("BENCH_NGINX_TLS")
        self.nginx_tls_aws = env("BENCH_NGINX_TLS_AWS", self.nginx_tls)
        self.ca_file = env("BENCH_CA_FILE")
        self.https_options = env("BENCH_HTTPS_OPTIONS")
        # T1 and T2 are measured over these, the first deciding the target
        self.transports = ([("https", "bench_tls", self.nginx_tls)] if self.nginx_tls else []) + \
            [("http", "bench_nginx", self.nginx)]
        self.transport = {}     # work -> what the table says of its transport
        self.lat = env("BENCH_LAT")
        self.cap = env("BENCH_CAP")
        self.mpu = env("BENCH_MPU")
        self.import_url = env("BENCH_IMPORT")
        self.export_url = env("BENCH_EXPORT")
        self.list_url = env("BENCH_LIST")
        self.list_lat = env("BENCH_LIST_LAT")
        self.quick = env("BENCH_QUICK", "0") == "1"
        self.runs = int(env("BENCH_RUNS", "1" if self.quick else "5"))
        self.budget = float(env("BENCH_BUDGET", "15"))
        self.delay_ms = env("BENCH_DELAY_MS", "20")
        self.rate = env("BENCH_RATE", "20MB")
        self.root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.out_md = env("BENCH_OUT", os.path.join(self.root, "bench", "results", "latest.md"))
        with open(os.path.join(self.data, "manifest.json")) as f:
            self.m = json.load(f)
        self.bucket = self.m["bucket"]
        self.scratch = tempfile.mkdtemp(prefix="out.", dir=self.data)
        self.results = {}
        self.info = {}
        self.errors = []
        self.aws_env = self.write_aws_config()
        self.t6_mb = int(env("BENCH_T6_MB", "64" if self.quick else str(self.m["big_bytes"] // MB)))

    # ---------------------------------------------------------------- tools

    def write_aws_config(self):
        path = os.path.join(self.work, "aws-config")
        with open(path, "w") as f:
            f.write("[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n\n"
                    "[profile single]\nregion = us-east-1\ns3 =\n  addressing_style = path\n"
                    "  multipart_threshold = 5GB\n")
        return {"AWS_CONFIG_FILE": path, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                "AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_PAGER": "", "AWS_PROFILE": "default"}

    def aws(self, args, endpoint, profile="default"):
        if endpoint == self.nginx:
            endpoint = self.nginx_aws
        elif self.nginx_tls and endpoint == self.nginx_tls:
            endpoint = self.nginx_tls_aws
        if endpoint.startswith("https:"):
            args = args + ["--ca-bundle", self.ca_file]
        e = dict(self.aws_env, AWS_PROFILE=profile)
        wall, rss, so, _ = run_proc(["aws"] + args + ["--endpoint-url", endpoint], e)
        return wall, rss, so

    def boto3(self, *args):
        wall, rss, so, _ = run_proc([sys.executable, os.path.abspath(__file__), "boto3"] + list(args),
                                    self.aws_env)
        r = json.loads(so.strip().splitlines()[-1])
        return r["secs"], rss, r["result"]

    def curl_one(self, args):
        """One transfer: curl's own time_total."""
        if self.ca_file and any(a.startswith("https:") for a in args):
            args = ["--cacert", self.ca_file] + args
        wall, rss, so, _ = run_proc(["curl", "-sS", "-f", "-g", "-w", "\n%{time_total} %{size_download}"] + args)
        t, size = so.strip().splitlines()[-1].split()
        return float(t), rss, int(float(size))

    def curl_many(self, urls, output=os.devnull):
        """Many URLs, one process, one kept-alive connection: wall clock."""
        cfg = os.path.join(self.work, "curl-urls.cfg")
        with open(cfg, "w") as f:
            for u in urls:
                f.write('url = "%s"\noutput = "%s"\n' % (u, output))
        wall, rss, so, _ = run_proc(["curl", "-sS", "-f", "-g", "-K", cfg, "-w", "%{size_download} %{num_connects}\n"])
        sizes = [line.split() for line in so.strip().splitlines()]
        total = sum(int(float(s)) for s, _ in sizes)
        conns = sum(int(c) for _, c in sizes)
        return wall, rss, total, conns

    def psql(self, sql, args=(), check=True):
        cmd = ["psql", "-X", "-At", "-q", "-v", "ON_ERROR_STOP=1"]
        for a in args:
            cmd += ["-c", a]
        if sql is not None:
            cmd += ["-c", sql]
        wall, rss, so, se = run_proc(cmd, check=check)
        return so

    def timed_query(self, query, warm="SELECT 1 FROM s3_fdw_connection_stats()"):
        """psql's \\timing of query in a fresh session, and the backend's VmHWM after it."""
        hwm = ("SELECT 'hwm=' || (regexp_match(pg_read_file('/proc/self/status'), "
               "'VmHWM:\\s+(\\d+) kB'))[1]")
        cmd = ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", warm, "-c", "\\timing on",
               "-c", query, "-c", "\\timing off", "-c", hwm]
        _, _, so, se = run_proc(cmd)
        lines = so.splitlines()
        t = value = kb = None
        for i, line in enumerate(lines):
            m = re.match(r"Time: ([0-9.]+) ms", line)
            if m:
                t = float(m.group(1)) / 1000.0
                value = lines[i - 1] if i > 0 else None
            m = re.match(r"hwm=(\d+)", line)
            if m:
                kb = int(m.group(1))
        if t is None:
            raise Failed("no timing in psql output: " + so[-300:] + se[-300:])
        return t, kb, value

    # ---------------------------------------------------------------- loops

    def group(self, specs, runs=None, warmup=False):
        """Measures several tools round-robin (one run of each in turn, so
        that a change in the machine's load hits them alike).  specs:
        (work, tool, fn, check, setup); fn returns (secs, mem_kb, result).
        A tool stops repeating once it has spent the budget (after one run)
        or failed."""
        runs = runs or self.runs
        ms = []
        for work, tool, fn, check, setup in specs:
            m = Meas(tool)
            m.spent = 0.0
            self.results.setdefault(work, {})[tool] = m
            ms.append((m, work, fn, check, setup))
        if warmup:
            # one run of each that is not counted: the first large query
            # after a while pays for memory the guest has not touched lately
            for m, work, fn, check, setup in ms:
                if setup:
                    setup()
                try:
                    fn()
                except Exception:
                    pass        # the counted runs report it
        for i in range(runs):
            for m, work, fn, check, setup in ms:
                if m.error or (i > 0 and m.spent > self.budget):
                    continue
                if setup:
                    setup()
                t0 = time.perf_counter()
                try:
                    secs, kb, res = fn()
                except Exception as e:      # report, go on with the others
                    m.error = str(e).strip()
                    self.errors.append("%s / %s: %s" % (work, m.label, m.error))
                    continue
                m.spent += time.perf_counter() - t0
                if check is not None and not check(res):
                    m.error = "wrong result: %r" % (res,)
                    self.errors.append("%s / %s: %s" % (work, m.label, m.error))
                    continue
                m.secs.append(secs)
                if kb is not None:
                    m.mem.append(kb)
        for m, work, _, _, _ in ms:
            status = m.error or "%s in %d run(s)" % (fmt_secs(m.median), len(m.secs))
            print("    %-40s %-22s %s" % (work, m.label, status), file=sys.stderr, flush=True)
        return [m for m, _, _, _, _ in ms]

    def group_apart(self, specs, runs=None):
        """group(), with the Python peers (the AWS CLI, boto3) in a round of
        their own after s3_fdw and curl.  Each Python run leaves a few hundred
        MB just freed; the guest hands freed pages back to the host, and
        whichever process runs next faults them in again (measured: 0.4 to
        0.9 s more for a 256 MB read right after boto3 than after curl).
        Run apart, s3_fdw and curl alternate with each other only, after a
        run of each that is not counted."""
        py = lambda spec: spec[1] in ("aws cli", "boto3")
        return (self.group([s for s in specs if not py(s)], runs, warmup=True)
                + self.group([s for s in specs if py(s)], runs))

    # ---------------------------------------------------------------- set-up

    def setup_sql(self):
        sql = """
DROP EXTENSION IF EXISTS s3_fdw CASCADE;
CREATE EXTENSION s3_fdw;
CREATE SERVER bench_nginx FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint '{nginx}', region 'us-east-1', url_style 'path');
CREATE SERVER bench_lat FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint '{lat}', region 'us-east-1', url_style 'path');
CREATE USER MAPPING FOR CURRENT_USER SERVER bench_nginx
  OPTIONS (access_key_id '{kid}', secret_access_key '{sk}');
CREATE USER MAPPING FOR CURRENT_USER SERVER bench_lat
  OPTIONS (access_key_id '{kid}', secret_access_key '{sk}');
CREATE FOREIGN TABLE bench_list (key text, size bigint, etag text, last_modified timestamptz,
  storage_class text) SERVER bench_nginx OPTIONS (bucket '{b}', prefix '{lp}');
CREATE FOREIGN TABLE bench_small (key text, size bigint, prefix text, content bytea)
  SERVER bench_lat OPTIONS (bucket '{b}');
""".format(nginx=self.nginx, lat=self.lat, kid=KEY_ID, sk=SECRET, b=self.bucket,
           lp=self.m["list_prefix"])
        self.psql(sql)
        # nginx's pages are files picked by prefix and continuation token:
        # nginx cannot answer start-after, so s3_fdw lists from it page after
        # page (works 3 and 4), as curl fetches them; a build without the
        # option lists so anyway
        self.nginx_listing = None
        for server in ("bench_nginx", "bench_lat"):
            try:
                self.psql("ALTER SERVER %s OPTIONS (ADD parallel_listing 'false')" % server)
                self.nginx_listing = "parallel_listing 'false'"
            except Failed:
                pass
        if self.nginx_tls:
            # T1 and T2 over https: the options that name the endpoint, and
            # BENCH_HTTPS_OPTIONS; payload_signing and verify_md5 as the
            # installed s3_fdw defaults them
            self.tls_options = "endpoint '%s', ca_file '%s', region 'us-east-1', url_style 'path'" % (
                self.nginx_tls, self.ca_file)
            if self.https_options:
                self.tls_options += ", " + self.https_options
            self.psql("CREATE SERVER bench_tls FOREIGN DATA WRAPPER s3_fdw OPTIONS (%s); "
                      "CREATE USER MAPPING FOR CURRENT_USER SERVER bench_tls "
                      "OPTIONS (access_key_id '%s', secret_access_key '%s');" % (self.tls_options, KEY_ID, SECRET))
        self.setup_capped()
        self.setup_copy()

    COPY_TABLE = "bench_orders"
    COPY_OPTIONS = "format csv, header true"

    def setup_copy(self):
        """Works 7 and 8: one table for every loader (s3_import, COPY FROM
        the file, psql's \\copy fed by the AWS CLI), and s3_fdw's servers
        for the import and the export, each with nothing but its endpoint,
        the benchmark's region and path-style URLs: every other option is
        the installed s3_fdw's default."""
        if not self.m.get("csv_key") or not self.import_url or not self.export_url:
            return
        self.psql("""
CREATE TABLE {t} (id bigint, customer_id integer, quantity integer, price_cents bigint, status text,
  customer text, city text, created_at timestamptz, updated_at timestamp, note text);
CREATE SERVER bench_import FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint '{imp}', region 'us-east-1', url_style 'path');
CREATE SERVER bench_export FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint '{exp}', region 'us-east-1', url_style 'path');
CREATE USER MAPPING FOR CURRENT_USER SERVER bench_import
  OPTIONS (access_key_id '{kid}', secret_access_key '{sk}');
CREATE USER MAPPING FOR CURRENT_USER SERVER bench_export
  OPTIONS (access_key_id '{kid}', secret_access_key '{sk}');
""".format(t=self.COPY_TABLE, imp=self.import_url, exp=self.export_url, kid=KEY_ID, sk=SECRET))

    # the spellings of the multipart options tried, in order; {mb} and
    # {bytes} are filled in.  BENCH_MP_OPTIONS replaces the list with one.
    MP_SPELLINGS = [
        "multipart_threshold '{thr_mb}MB', part_size '{part_mb}MB', max_concurrency '{conc}'",
        "multipart_threshold '{thr_b}', part_size '{part_b}', max_concurrency '{conc}'",
    ]
    SINGLE_SPELLINGS = [
        "multipart_threshold '5GB'", "multipart_threshold '1GB'", "multipart_threshold '1023MB'",
        "multipart_threshold '5368709120'", "multipart_threshold '1073741823'",
    ]

    def try_server(self, name, extra):
        base = "endpoint '%s', region 'us-east-1', url_style 'path'" % self.cap
        opts = base + (", " + extra if extra else "")
        sql = ("DROP SERVER IF EXISTS {n} CASCADE; CREATE SERVER {n} FOREIGN DATA WRAPPER s3_fdw OPTIONS ({o}); "
               "CREATE USER MAPPING FOR CURRENT_USER SERVER {n} OPTIONS (access_key_id '{k}', secret_access_key '{s}');"
               ).format(n=name, o=opts, k=KEY_ID, s=SECRET)
        try:
            self.psql(sql)
            return True, None
        except Failed as e:
            return False, str(e)

    def setup_capped(self):
        part_mb = max(5, self.t6_mb // 8)
        conc = int(env("BENCH_MP_CONCURRENCY", "8"))
        vals = dict(thr_mb=part_mb, part_mb=part_mb, conc=conc,
                    thr_b=part_mb * MB, part_b=part_mb * MB)
        spellings = [env("BENCH_MP_OPTIONS")] if env("BENCH_MP_OPTIONS") else \
            [s.format(**vals) for s in self.MP_SPELLINGS]
        self.mp_options = None
        refusal = None
        for s in spellings:
            ok, err = self.try_server("bench_capped_mp", s)
            if ok:
                self.mp_options = s
                break
            refusal = refusal or err
        if self.mp_options is None:
            lines = (refusal or "").splitlines()
            self.mp_refusal = next((l.split("ERROR:", 1)[1].strip() for l in lines if "ERROR:" in l),
                                   lines[-1] if lines else "")
        # the single-PUT servers (nginx has no multipart uploads): multipart
        # kept out of the way where s3_fdw has it
        self.single_options = None
        for s in self.SINGLE_SPELLINGS:
            ok, _ = self.try_server("bench_capped", s)
            if ok:
                self.single_options = s
                for _, server, _ in self.transports:
                    self.psql("ALTER SERVER %s OPTIONS (ADD %s)" % (server, s))
                break
        else:
            self.try_server("bench_capped", None)

    def mpu_stats(self, reset=False):
        if reset:
            urllib.request.urlopen(urllib.request.Request(self.mpu + "/__reset", data=b"", method="POST")).read()
            return None
        return json.loads(urllib.request.urlopen(self.mpu + "/__stats").read())

    # ---------------------------------------------------------------- work

    def url(self, base, key):
        return "%s/%s/%s" % (base, self.bucket, key)

    def t1_get(self):
        """Over https (deciding T1) and http: the GET, and the same bytes
        without an ETag (no MD5 to check); peers over the same listener."""
        mb, size = self.m["big_bytes"] // MB, self.m["big_bytes"]
        key = self.m["big_key"]
        ok = lambda r: int(r) == size
        q = "SELECT length(s3_read('%s', '%s', '%s'))"
        specs = []
        self.w1 = {}
        for tr, server, base in self.transports:
            w = "1 GET %d MB" % mb + self.tr_suffix(tr)
            w2 = w + ", no ETag (no MD5 check)"
            shm = os.path.join(self.scratch, "get-%s.out" % tr)

            def aws(base=base, shm=shm):
                wall, rss, _ = self.aws(["s3", "cp", "--only-show-errors", "--no-progress",
                                         "s3://%s/%s" % (self.bucket, key), shm], base)
                return wall, rss, os.path.getsize(shm)

            specs += [
                (w, "s3_fdw", lambda s=server: self.timed_query(q % (s, self.bucket, key)), ok, None),
                (w2, "s3_fdw", lambda s=server: self.timed_query(q % (s, self.bucket, self.m["big_noetag_key"])),
                 ok, None),
                (w, "curl /dev/shm", lambda base=base, shm=shm: self.curl_one(["-o", shm, self.url(base, key)]),
                 ok, None),
                (w, "curl /dev/null", lambda base=base: self.curl_one(["-o", os.devnull, self.url(base, key)]),
                 ok, None),
                (w, "aws cli", aws, ok, None),
                (w, "boto3", lambda base=base: self.boto3("get", base, self.bucket, key), ok, None),
            ]
            self.transport[w] = self.tr_label(tr, "T1")
            self.transport[w2] = "%s (informative)" % tr
            self.w1[tr] = (w, w2, shm)
        self.group_apart(specs)
        for tr, (w, w2, shm) in self.w1.items():
            # the same curl runs, for the ratio of the second row
            self.results[w2]["curl /dev/shm"] = self.results[w]["curl /dev/shm"]
            if os.path.exists(shm):
                os.unlink(shm)

    def tr_suffix(self, tr):
        """The works of T1 and T2 are named by their transport once there are two."""
        return ", " + tr if len(self.transports) > 1 else ""

    def tr_label(self, tr, target):
        decides = self.transports[0][0]
        return "%s (%s)" % (tr, "decides " + target if tr == decides else "informative")

    def put_headers(self):
        """nginx's log of PUTs: uri -> what the last PUT of it carried."""
        out = {}
        try:
            with open(os.path.join(self.work, "put-headers.log")) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) < 4:
                        continue
                    fields = dict(p.split("=", 1) for p in parts[4:] if "=" in p)
                    out[parts[2]] = dict((k, v) for k, v in fields.items() if v not in ("-", ""))
        except OSError:
            pass
        return out

    @staticmethod
    def integrity(h):
        """What a PUT's headers let S3 check of its body: (checked, text)."""
        if h is None:
            return None, "not seen in nginx's log"
        sha = h.get("sha256", "")
        sums = ["x-amz-checksum-%s" % k.replace("csha256", "sha256") for k in ("crc32c", "crc32", "sha1", "csha256")
                if k in h]
        said = []
        if re.fullmatch(r"[0-9a-f]{64}", sha):
            said.append("signed SHA-256")
        elif sha.startswith("STREAMING-AWS4-HMAC-SHA256"):
            said.append("signed chunks (%s)" % sha)
        elif sha:
            said.append(sha)
        if sums:
            said.append(" + ".join(sums))
        if "trailer" in h:
            said.append("trailer %s (aws-chunked)" % h["trailer"])
        if "md5" in h:
            said.append("Content-MD5")
        checked = bool(re.fullmatch(r"[0-9a-f]{64}", sha) or sha.startswith("STREAMING-AWS4-HMAC-SHA256")
                       or sums or "trailer" in h or "md5" in h)
        return checked, ", ".join(said) or "nothing"

    def t2_put(self):
        """Over https (deciding T2) and http: s3_fdw's share is the upload
        query less the same query that only reads the file, run by run."""
        mb, size = self.m["big_bytes"] // MB, self.m["big_bytes"]
        path = self.m["big_path"]
        rd = "SELECT length(pg_read_binary_file('%s'))" % path
        ok = lambda r: int(r) == size
        wt = "2 PUT %d MB (parts)" % mb
        specs = [(wt, "read-only query", lambda: self.timed_query(rd), ok, None)]
        self.w2 = {}
        for tr, server, base in self.transports:
            w = "2 PUT %d MB" % mb + self.tr_suffix(tr)
            k = "up/%s" % tr + "-%s"
            up = "SELECT s3_upload('%s', '%s', '%s', pg_read_binary_file('%s'))" % (server, self.bucket, k % "fdw", path)
            specs += [
                (wt, "s3_fdw upload query " + tr, lambda up=up: self.timed_query(up), None, None),
                (w, "curl -T", lambda base=base, k=k: self.curl_one(["-T", path, "-o", os.devnull,
                                                                     self.url(base, k % "curl")])[:2] + (size,),
                 None, None),
                (w, "aws cli", lambda base=base, k=k: self.aws(
                    ["s3", "cp", "--only-show-errors", "--no-progress", path, "s3://%s/%s" % (self.bucket, k % "aws")],
                    base, "single")[:2] + (size,), None, None),
                (w, "boto3", lambda base=base, k=k: self.boto3("put", base, self.bucket, k % "boto3", path), ok, None),
            ]
            self.transport[w] = self.tr_label(tr, "T2")
            self.w2[tr] = w
        # s3_fdw's share is a difference of two queries that each fault in
        # 256 MB of fresh memory, whose cost varies from run to run on this
        # kind of machine: more runs of T2 than of the others (BENCH_RUNS
        # still wins)
        ms = self.group_apart(specs, None if "BENCH_RUNS" in os.environ or self.quick else max(self.runs, 9))
        read, uploads = ms[0], dict((m.label.rsplit(" ", 1)[1], m) for m in ms if m.label.startswith("s3_fdw upload"))
        del self.results[wt]
        self.info["t2"] = {}
        headers = self.put_headers()
        self.info["t2_integrity"] = {}
        for tr, w in self.w2.items():
            upload = uploads[tr]
            share = Meas("s3_fdw")
            share.secs = [u - r for r, u in zip(read.secs, upload.secs)]
            share.mem = upload.mem
            share.error = upload.error or read.error
            self.results[w] = dict([("s3_fdw", share)] + list(self.results[w].items()))
            self.info["t2"][tr] = (upload, read)
            print("    %-40s %-22s %s" % (w, "s3_fdw (upload - read)", share.error or "%s = %s - %s"
                                          % (fmt_secs(share.median), fmt_secs(upload.median), fmt_secs(read.median))),
                  file=sys.stderr)
            for tool in ("fdw", "curl", "aws", "boto3"):
                key = "up/%s-%s" % (tr, tool)
                h = headers.get("/%s/%s" % (self.bucket, key))
                self.info["t2_integrity"][(tr, tool)] = self.integrity(h)
                # an aws-chunked body (the SDKs' trailing checksum over
                # https) is stored with its framing: nginx does not decode it
                chunked = h is not None and "aws-chunked" in h.get("encoding", "") and h.get("decoded") == str(size)
                f = os.path.join(self.data, "objects", self.bucket, key)
                if os.path.exists(f):
                    if os.path.getsize(f) != size and not chunked:
                        self.errors.append("%s: nginx stored %d bytes for %s, not %d"
                                           % (w, os.path.getsize(f), key, size))
                    os.unlink(f)

    def list_urls(self, base, prefix, pages):
        enc = prefix.replace("/", "%2F")
        first = "%s/%s?list-type=2&prefix=%s&encoding-type=url" % (base, self.bucket, enc)
        return [first] + ["%s&continuation-token=t%05d" % (first, i) for i in range(1, pages)]

    def t3_list(self):
        n = self.m["list_keys"]
        w = "3 list %s keys" % format(n, ",")
        ok = lambda r: int(r) == n
        urls = self.list_urls(self.nginx, self.m["list_prefix"], self.m["list_pages"])
        self.group([
            (w, "s3_fdw", lambda: self.timed_query("SELECT count(*) FROM bench_list"), ok, None),
            (w, "curl pages", lambda: self.curl_many(urls)[:2] + (self.m["list_pages"],), None, None),
            (w, "aws cli", lambda: (lambda r: (r[0], r[1], r[2].strip()))(
                self.aws(["s3api", "list-objects-v2", "--bucket", self.bucket, "--prefix", self.m["list_prefix"],
                          "--query", "length(Contents)", "--output", "json"], self.nginx)), ok, None),
            (w, "boto3", lambda: self.boto3("list", self.nginx, self.bucket, self.m["list_prefix"]), ok, None),
        ])
        self.w3 = w

    def t4_content(self):
        keys = self.m["small_keys"]
        total = len(keys) * self.m["small_bytes"]
        w = "4 content of %s x 4 KB, %s ms proxy" % (format(len(keys), ","), self.delay_ms)
        ok = lambda r: int(r) == total
        q = "SELECT sum(length(content)) FROM bench_small WHERE prefix = '%s'" % self.m["small_prefix"]
        urls = self.list_urls(self.lat, self.m["small_prefix"], self.m["small_pages"]) + \
            [self.url(self.lat, k) for k in keys]
        dest = os.path.join(self.scratch, "recursive")

        def clear():
            shutil.rmtree(dest, ignore_errors=True)

        def aws_rec():
            wall, rss, _ = self.aws(["s3", "cp", "--recursive", "--only-show-errors", "--no-progress",
                                     "s3://%s/%s" % (self.bucket, self.m["small_prefix"]), dest], self.lat)
            got = sum(os.path.getsize(os.path.join(dest, f)) for f in os.listdir(dest))
            return wall, rss, got

        self.group([
            (w, "s3_fdw", lambda: self.timed_query(q), ok, None),
            (w, "curl sequential", lambda: self.curl_many(urls)[:2] + (total,), None, None),
            (w, "aws cli", aws_rec, ok, clear),
            (w, "boto3 sequential", lambda: self.boto3("seqget", self.lat, self.bucket, self.m["small_prefix"]),
             ok, None),
        ])
        clear()
        self.w4 = w

    def t5_small_reads(self):
        keys = self.m["tiny_keys"]
        total = len(keys) * self.m["tiny_bytes"]
        w = "5 %s x 1 KB s3_read" % format(len(keys), ",")
        ok = lambda r: int(r) == total
        q = ("SELECT sum(length(s3_read('bench_nginx', '%s', format('tiny/k%%s', lpad(i::text, 4, '0'))))) "
             "FROM generate_series(0, %d) i" % (self.bucket, len(keys) - 1))
        urls = [self.url(self.nginx, k) for k in keys]

        def curl():
            wall, rss, got, conns = self.curl_many(urls)
            if conns != 1:
                self.info["t5_curl_conns"] = conns
            return wall, rss, got

        self.group([
            (w, "s3_fdw", lambda: self.timed_query(q), ok, None),
            (w, "curl keep-alive", curl, ok, None),
        ])
        self.w5 = w

    def t6_multipart(self):
        mb = self.t6_mb
        size = mb * MB
        w = "6 PUT %d MB, %s/s per connection" % (mb, self.rate)
        path = self.m["big_path"]
        if size != self.m["big_bytes"]:
            path = os.path.join(self.data, "t6-%dmb" % mb)
            with open(self.m["big_path"], "rb") as src, open(path, "wb") as dst:
                dst.write(src.read(size))
            os.chmod(path, 0o644)
        runs = min(self.runs, int(env("BENCH_T6_RUNS", "3")))
        self.info["t6_stats"] = {}

        def with_stats(tool, fn):
            def run():
                self.mpu_stats(reset=True)
                r = fn()
                self.info["t6_stats"][tool] = self.mpu_stats()
                return r
            return run

        q = "SELECT s3_upload('%s', '%s', 'up/fdw', pg_read_binary_file('%s'))"
        specs = [(w, "s3_fdw single PUT", with_stats("s3_fdw single PUT", lambda: self.timed_query(
            q % ("bench_capped", self.bucket, path))), None, None)]
        if self.mp_options:
            specs.append((w, "s3_fdw multipart", with_stats("s3_fdw multipart", lambda: self.timed_query(
                q % ("bench_capped_mp", self.bucket, path))), None, None))
        specs += [
            (w, "aws cli", with_stats("aws cli", lambda: self.aws(
                ["s3", "cp", "--only-show-errors", "--no-progress", path, "s3://%s/up/aws" % self.bucket],
                self.cap)[:2] + (size,)), None, None),
            (w, "boto3 upload_file", with_stats("boto3 upload_file", lambda: self.boto3(
                "upload_file", self.cap, self.bucket, "up/boto3", path)), lambda r: int(r) == size, None),
        ]
        self.group(specs, runs=runs)
        if not self.mp_options:
            m = Meas("s3_fdw multipart")
            m.na = "CREATE SERVER refused the multipart options: %s" % self.mp_refusal
            self.results[w]["s3_fdw multipart"] = m
            print("    %-40s %-22s n/a" % (w, "s3_fdw multipart"), file=sys.stderr)
        self.w6 = w

    # ---------------------------------------------------------------- works 7 and 8

    def proxy_counts(self, base):
        """The latency proxy's counters: (requests, connections) so far."""
        st = json.loads(urllib.request.urlopen(base + "/__proxy_stats").read())
        return st["requests"], st["connections"]

    def counted(self, key, tool, base, fn):
        """fn, with the requests and connections it made through the proxy
        at base recorded (last run) in self.info[key][tool]."""
        def run():
            r0, c0 = self.proxy_counts(base)
            r = fn()
            r1, c1 = self.proxy_counts(base)
            self.info.setdefault(key, {})[tool] = (r1 - r0, c1 - c0)
            return r
        return run

    def copy_rows(self, out):
        """The row count of a COPY command tag in psql's output."""
        m = re.search(r"^COPY (\d+)$", out or "", re.M)
        if not m:
            raise Failed("no COPY tag in psql's output: %r" % (out or "")[-300:])
        return int(m.group(1))

    def copy_ready(self):
        if not self.m.get("csv_key"):
            raise Failed("no CSV was generated (gen_data.py --csv-mb 0)")
        if not self.import_url or not self.export_url:
            raise Failed("BENCH_IMPORT and BENCH_EXPORT are not set (run.sh sets them)")

    def t7_import(self):
        """s3_import of the CSV through the latency proxy, against COPY FROM
        the same file on tmpfs and the AWS CLI piped into psql's \\copy; the
        table is emptied before every run (not timed)."""
        self.copy_ready()
        rows, size = self.m["csv_rows"], self.m["csv_bytes"]
        t, opts, key = self.COPY_TABLE, self.COPY_OPTIONS, self.m["csv_key"]
        w = "7 import CSV of %d MB (%s rows), %s ms proxy" % (size // MB, format(rows, ","), self.delay_ms)
        ok = lambda r: r is not None and int(str(r).split()[-1]) == rows

        def empty():
            self.psql("CHECKPOINT", args=["TRUNCATE %s" % t])

        def aws_pipe():
            cmd = ("set -o pipefail; aws s3 cp --only-show-errors --no-progress s3://%s/%s - --endpoint-url %s "
                   "| psql -X -v ON_ERROR_STOP=1 -c %s"
                   % (self.bucket, key, self.import_url,
                      shlex.quote("\\copy %s from stdin with (%s)" % (t, opts))))
            wall, rss, so, _ = run_proc(["bash", "-c", cmd], self.aws_env)
            return wall, rss, self.copy_rows(so)

        fdw = "SELECT s3_import('bench_import', '%s', '%s', '%s', NULL, '%s')" % (self.bucket, key, t, opts)
        local = "COPY %s FROM '%s' WITH (%s)" % (t, self.m["csv_path"], opts)
        self.group_apart([
            (w, "s3_fdw", self.counted("t7_requests", "s3_fdw", self.import_url,
                                       lambda: self.timed_query(fdw)), ok, empty),
            (w, "COPY FROM file", lambda: self.timed_query(local), ok, empty),
            (w, "aws cli", self.counted("t7_requests", "aws cli", self.import_url, aws_pipe), ok, empty),
        ])
        empty()
        self.w7 = w

    def t8_export(self):
        """s3_export of the table (filled from the CSV first, not timed)
        through the latency proxy to the multipart stand-in, against COPY
        (the same query) TO a file on tmpfs and psql's \\copy piped into the
        AWS CLI."""
        self.copy_ready()
        rows = self.m["csv_rows"]
        t, opts = self.COPY_TABLE, self.COPY_OPTIONS
        query = "SELECT * FROM %s" % t
        outdir = os.path.join(self.data, "copy-to")
        os.makedirs(outdir, exist_ok=True)
        os.chmod(outdir, 0o777)         # the database server writes there
        out = os.path.join(outdir, "orders.csv")
        # the table as work 7 leaves it, vacuumed (hint bits, visibility
        # map) so that every run scans the same pages, and a checkpoint
        self.psql("COPY %s FROM '%s' WITH (%s)" % (t, self.m["csv_path"], opts), args=["TRUNCATE %s" % t])
        self.psql("CHECKPOINT", args=["VACUUM (FREEZE, ANALYZE) %s" % t])
        local = "COPY (%s) TO '%s' WITH (%s)" % (query, out, opts)
        self.timed_query(local)         # the size every upload must have
        expect = os.path.getsize(out)
        os.unlink(out)
        self.info["t8_bytes"] = expect
        w = "8 export %d MB (%s rows), %s ms proxy" % (expect // MB, format(rows, ","), self.delay_ms)
        self.info["t8_stats"] = {}
        self.info["t8_fdw"] = {}

        def stood_in(tool, fn):
            """fn, with what the stand-in received checked: every byte."""
            def run():
                self.mpu_stats(reset=True)
                r = fn()
                st = self.mpu_stats()
                self.info["t8_stats"][tool] = st
                got = st["put_bytes"] + st["part_bytes"]
                if got != expect:
                    raise Failed("the stand-in received %d bytes, not %d" % (got, expect))
                return r
            return run

        def fdw():
            secs, kb, value = self.timed_query(
                "SELECT rows || ' ' || bytes || ' ' || parts FROM s3_export('bench_export', '%s', '%s', "
                "'export/fdw.csv', '%s')" % (query, self.bucket, opts))
            n, nbytes, parts = (int(x) for x in value.split())
            self.info["t8_fdw"] = {"bytes": nbytes, "parts": parts}
            if nbytes != expect:
                raise Failed("s3_export says %d bytes, COPY TO wrote %d" % (nbytes, expect))
            return secs, kb, n

        def copy_to():
            secs, kb, value = self.timed_query(local)
            if os.path.getsize(out) != expect:
                raise Failed("COPY TO wrote %d bytes, not %d" % (os.path.getsize(out), expect))
            return secs, kb, self.copy_rows(value)

        def aws_pipe():
            cmd = ("set -o pipefail; psql -X -v ON_ERROR_STOP=1 -c %s | aws s3 cp --only-show-errors "
                   "--no-progress - s3://%s/export/aws.csv --endpoint-url %s"
                   % (shlex.quote("\\copy (%s) to stdout with (%s)" % (query, opts)), self.bucket,
                      self.export_url))
            wall, rss, _, _ = run_proc(["bash", "-c", cmd], self.aws_env)
            return wall, rss, rows

        def clear():
            if os.path.exists(out):
                os.unlink(out)

        ok = lambda r: r is not None and int(r) == rows
        self.group_apart([
            (w, "s3_fdw", self.counted("t8_requests", "s3_fdw", self.export_url, stood_in("s3_fdw", fdw)),
             ok, None),
            (w, "COPY TO file", copy_to, ok, clear),
            (w, "aws cli", self.counted("t8_requests", "aws cli", self.export_url, stood_in("aws cli", aws_pipe)),
             ok, None),
        ])
        clear()
        self.w8 = w

    # ---------------------------------------------------------------- work 9

    T9_BUCKETS = ("flat", "skewed")

    def list_standin(self, path, data=None):
        req = urllib.request.Request(self.list_url + path, data=data, method="POST" if data is not None else "GET")
        body = urllib.request.urlopen(req).read()
        return json.loads(body) if body else None

    def t9_list_million(self):
        """1,000,000 keys through the latency proxy from the ListObjectsV2
        stand-in, for each bucket: s3_fdw as it lists by default
        (partitioned), s3_fdw with parallel_listing 'false' (the sequential
        page chain), the AWS CLI and boto3's paginator (sequential too);
        each run's count and greatest key checked, and the list requests
        each made counted by the stand-in."""
        if not self.list_url or not self.list_lat:
            raise Failed("BENCH_LIST and BENCH_LIST_LAT are not set (run.sh sets them)")
        info = self.list_standin("/__info")
        self.psql("""
DROP SERVER IF EXISTS bench_list_lat CASCADE;
CREATE SERVER bench_list_lat FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint '{lat}', region 'us-east-1', url_style 'path');
CREATE USER MAPPING FOR CURRENT_USER SERVER bench_list_lat
  OPTIONS (access_key_id '{kid}', secret_access_key '{sk}');
""".format(lat=self.list_lat, kid=KEY_ID, sk=SECRET))
        cols = "key text COLLATE \"C\", size bigint, etag text, last_modified timestamptz, storage_class text"
        for b in self.T9_BUCKETS:
            self.psql("CREATE FOREIGN TABLE bench_t9_%s (%s) SERVER bench_list_lat OPTIONS (bucket '%s')"
                      % (b, cols, b))
            self.psql("CREATE FOREIGN TABLE bench_t9_%s_seq (%s) SERVER bench_list_lat "
                      "OPTIONS (bucket '%s', parallel_listing 'false')" % (b, cols, b))
        self.w9 = {}
        self.info["t9"] = {}
        self.info["t9_explain"] = {}
        for b in self.T9_BUCKETS:
            n, last = info[b]["keys"], info[b]["last"]
            w = "9 list %s keys, %s, %s ms proxy" % (format(n, ","), b, self.delay_ms)
            self.transport[w] = "http, %s ms proxy" % self.delay_ms
            want = "%d|%s" % (n, last)

            def counted(tool, fn, b=b):
                """fn, with what it asked of the stand-in (last run)."""
                def proxy(path="/__proxy_stats"):
                    return json.loads(urllib.request.urlopen(self.list_lat + path).read())

                def run():
                    # what a run before (one that failed) left in flight
                    # lands before the counters start
                    for _ in range(100):
                        if proxy()["in_flight"] == 0:
                            break
                        time.sleep(0.05)
                    self.list_standin("/__reset", b"")
                    p0 = proxy("/__proxy_stats?reset")
                    r = fn()
                    p1 = proxy()
                    st = self.list_standin("/__stats")
                    self.info["t9"][(b, tool)] = {
                        "requests": st["list_requests"].get(b, 0), "other": st["requests"] -
                        st["list_requests"].get(b, 0), "keys": st["keys_sent"],
                        # less the connection that asked for p1
                        "connections": p1["connections"] - p0["connections"] - 1,
                        "in_flight": p1["max_in_flight"]}
                    return r
                return run

            q = "SELECT count(*), max(key) FROM bench_t9_%s" % b

            def aws(b=b):
                wall, rss, so = self.aws(["s3api", "list-objects-v2", "--bucket", b, "--query",
                                          "[length(Contents), max(Contents[].Key)]", "--output", "json"],
                                         self.list_lat)
                got = json.loads(so)
                return wall, rss, "%d|%s" % (got[0], got[1])

            def boto3(b=b):
                secs, rss, (count, top) = self.boto3("listmax", self.list_lat, b)
                return secs, rss, "%d|%s" % (count, top)

            ok = lambda r, want=want: r == want
            # s3_fdw's two first (the partitioned one repeats within the
            # budget, the sequential chain runs once), then the Python peers
            self.group([
                (w, "s3_fdw", counted("s3_fdw", lambda q=q: self.timed_query(q)), ok, None),
                (w, "s3_fdw sequential", counted("s3_fdw sequential", lambda q=q: self.timed_query(
                    q.replace(" FROM bench_t9_%s" % b, " FROM bench_t9_%s_seq" % b))), ok, None),
            ])
            self.group([
                (w, "aws cli", counted("aws cli", aws), ok, None),
                (w, "boto3", counted("boto3", boto3), ok, None),
            ])
            # what the scan said of itself (not timed)
            try:
                plan = self.psql("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + q)
                self.info["t9_explain"][b] = [l.strip() for l in plan.splitlines() if "S3" in l]
            except Failed as e:
                self.info["t9_explain"][b] = ["EXPLAIN failed: %s" % e]
            self.w9[b] = w

    # ---------------------------------------------------------------- report

    def get(self, w, tool):
        return self.results.get(w, {}).get(tool)

    def ratio(self, a, b):
        if a is None or b is None or a.median is None or b.median is None or b.median <= 0:
            return None
        return a.median / b.median

    def report(self):
        def rcell(w, a, b, label):
            r = self.ratio(self.get(w, a), self.get(w, b))
            return None if r is None else "%.2f× %s" % (r, label)

        def cells(w, tools):
            return " / ".join(self.get(w, t).cell() + ("" if len(tools) == 1 else " (%s)" % t.split(" ", 1)[-1])
                              for t in tools if self.get(w, t))

        # what the table says of the transport of the works that have one
        for w, tr in ((getattr(self, "w3", None), "http"),
                      (getattr(self, "w4", None), "http, %s ms proxy" % self.delay_ms),
                      (getattr(self, "w5", None), "http"),
                      (getattr(self, "w6", None), "http, %s ms proxy, %s/s" % (self.delay_ms, self.rate)),
                      (getattr(self, "w7", None), "http, %s ms proxy" % self.delay_ms),
                      (getattr(self, "w8", None), "http, %s ms proxy" % self.delay_ms)):
            if w:
                self.transport.setdefault(w, tr)
        rows = []

        def row(w, fdw, curl, aws, boto, ratios):
            if w not in self.results:
                return
            rows.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                w, self.transport.get(w, "http"), fdw, curl, aws, boto, ", ".join(r for r in ratios if r) or "-"))

        for w, w2, _ in getattr(self, "w1", {}).values():
            row(w, cells(w, ["s3_fdw"]), cells(w, ["curl /dev/shm", "curl /dev/null"]),
                cells(w, ["aws cli"]), cells(w, ["boto3"]),
                [rcell(w, "s3_fdw", "curl /dev/shm", "curl→shm"), rcell(w, "s3_fdw", "curl /dev/null", "curl→null"),
                 rcell(w, "s3_fdw", "aws cli", "aws"), rcell(w, "s3_fdw", "boto3", "boto3")])
            row(w2, cells(w2, ["s3_fdw"]), "", "", "", [rcell(w2, "s3_fdw", "curl /dev/shm", "curl→shm")])
        for tr, w in getattr(self, "w2", {}).items():
            up, rd = self.info["t2"][tr]
            fdw = "%s (= %s − %s read)" % (self.get(w, "s3_fdw").cell(), fmt_secs(up.median), fmt_secs(rd.median)) \
                if up.secs else self.get(w, "s3_fdw").cell()
            row(w, fdw, cells(w, ["curl -T"]), cells(w, ["aws cli"]), cells(w, ["boto3"]),
                [rcell(w, "s3_fdw", "curl -T", "curl"), rcell(w, "s3_fdw", "aws cli", "aws"),
                 rcell(w, "s3_fdw", "boto3", "boto3")])
        w = getattr(self, "w3", None)
        if w:
            row(w, cells(w, ["s3_fdw"]), cells(w, ["curl pages"]) + " (%d pages, no parsing)" % self.m["list_pages"],
                cells(w, ["aws cli"]), cells(w, ["boto3"]),
                [rcell(w, "s3_fdw", "curl pages", "curl"), rcell(w, "s3_fdw", "aws cli", "aws"),
                 rcell(w, "s3_fdw", "boto3", "boto3")])
        w = getattr(self, "w4", None)
        if w:
            row(w, cells(w, ["s3_fdw"]), cells(w, ["curl sequential"]) + " (sequential)",
                cells(w, ["aws cli"]) + " (cp --recursive)", cells(w, ["boto3 sequential"]) + " (sequential)",
                [rcell(w, "s3_fdw", "curl sequential", "curl"), rcell(w, "s3_fdw", "aws cli", "aws"),
                 rcell(w, "s3_fdw", "boto3 sequential", "boto3")])
        w = getattr(self, "w5", None)
        if w:
            row(w, cells(w, ["s3_fdw"]), cells(w, ["curl keep-alive"]) + " (keep-alive)", "", "",
                [rcell(w, "s3_fdw", "curl keep-alive", "curl")])
        w = getattr(self, "w6", None)
        if w:
            single, multi = self.get(w, "s3_fdw single PUT"), self.get(w, "s3_fdw multipart")
            row(w, "%s single / %s multipart" % (single.cell(), multi.cell()), "",
                cells(w, ["aws cli"]) + " (cp, multipart)", cells(w, ["boto3 upload_file"]) + " (upload_file)",
                [rcell(w, "s3_fdw multipart", "s3_fdw single PUT", "multipart/single"),
                 rcell(w, "s3_fdw single PUT", "aws cli", "single/aws"),
                 rcell(w, "s3_fdw multipart", "aws cli", "multipart/aws"),
                 rcell(w, "s3_fdw multipart", "boto3 upload_file", "multipart/boto3")])

        w = getattr(self, "w7", None)
        if w:
            row(w, cells(w, ["s3_fdw"]) + " (s3_import)", cells(w, ["COPY FROM file"]) + " (COPY FROM the file on tmpfs)",
                cells(w, ["aws cli"]) + " (aws s3 cp to stdout, into psql's \\copy)", "",
                [rcell(w, "s3_fdw", "COPY FROM file", "COPY FROM"), rcell(w, "s3_fdw", "aws cli", "aws")])
        w = getattr(self, "w8", None)
        if w:
            row(w, cells(w, ["s3_fdw"]) + " (s3_export)", cells(w, ["COPY TO file"]) + " (COPY TO a file on tmpfs)",
                cells(w, ["aws cli"]) + " (psql's \\copy to stdout, into aws s3 cp from stdin)", "",
                [rcell(w, "s3_fdw", "COPY TO file", "COPY TO"), rcell(w, "s3_fdw", "aws cli", "aws")])

        for b, w in getattr(self, "w9", {}).items():
            row(w, "%s / %s (sequential)" % (self.get(w, "s3_fdw").cell(), self.get(w, "s3_fdw sequential").cell()),
                "", cells(w, ["aws cli"]) + " (list-objects-v2)", cells(w, ["boto3"]) + " (paginator)",
                [rcell(w, "s3_fdw", "s3_fdw sequential", "sequential"), rcell(w, "s3_fdw", "aws cli", "aws"),
                 rcell(w, "s3_fdw", "boto3", "boto3")])

        table = ["| work | transport | s3_fdw | curl (works 7, 8: local COPY) | aws cli | boto3 | s3_fdw / peer |",
                 "|---|---|---|---|---|---|---|"] + rows

        mem = ["| work | transport | s3_fdw backend (VmHWM) | curl (works 7, 8: the COPY's backend) | aws cli | boto3 |",
               "|---|---|---|---|---|---|"]
        for w, tools in ([(w, ["s3_fdw", "curl /dev/shm", "aws cli", "boto3"])
                          for w, _, _ in getattr(self, "w1", {}).values()] +
                         [(w, ["s3_fdw", "curl -T", "aws cli", "boto3"]) for w in getattr(self, "w2", {}).values()] +
                         [(getattr(self, "w3", None), ["s3_fdw", "curl pages", "aws cli", "boto3"]),
                         (getattr(self, "w4", None), ["s3_fdw", "curl sequential", "aws cli", "boto3 sequential"]),
                         (getattr(self, "w5", None), ["s3_fdw", "curl keep-alive", None, None]),
                         (getattr(self, "w6", None), ["s3_fdw multipart" if self.mp_options else "s3_fdw single PUT",
                                                     None, "aws cli", "boto3 upload_file"]),
                         (getattr(self, "w7", None), ["s3_fdw", "COPY FROM file", "aws cli", None]),
                         (getattr(self, "w8", None), ["s3_fdw", "COPY TO file", "aws cli", None])] +
                         [(w, ["s3_fdw", None, "aws cli", "boto3"]) for w in getattr(self, "w9", {}).values()]):
            if not w or w not in self.results:
                continue
            mem.append("| %s | %s | %s |" % (w, self.transport.get(w, "http"), " | ".join(
                fmt_kb(self.get(w, t).peak) if t and self.get(w, t) else "" for t in tools)))

        targets = self.targets()
        return table, mem, targets

    def targets(self):
        out = []

        def line(name, ok, text):
            status = "n/a " if ok is None else ("PASS" if ok else "FAIL")
            out.append("%s %s: %s" % (status, name, text))

        def both(*ms):
            return all(m is not None and m.median is not None for m in ms)

        # T1 and T2 are judged on the first transport (https); the others
        # are printed below them
        decides = self.transports[0][0]
        over = "" if self.nginx_tls else " (no https listener: judged over http)"
        for tr, (w, w2, _) in getattr(self, "w1", {}).items():
            f, c = self.get(w, "s3_fdw"), self.get(w, "curl /dev/shm")
            text = None
            if both(f, c) and f.peak:
                r = f.median / c.median
                hwm = f.peak * 1024.0 / self.m["big_bytes"]
                text = ("GET over %s %s = %.2f × curl to /dev/shm %s (≤ 1.15), backend VmHWM %s = %.2f × object (≤ 1.25)"
                        % (tr, fmt_secs(f.median), r, fmt_secs(c.median), fmt_kb(f.peak), hwm))
            f2 = self.get(w2, "s3_fdw")
            without = "without an ETag (no MD5 check): %s = %.2f × curl to /dev/shm" % (
                fmt_secs(f2.median), f2.median / c.median) if both(f2, c) else None
            if tr == decides:
                if text:
                    line("T1", r <= 1.15 and hwm <= 1.25, text + over)
                else:
                    line("T1", None, "not measured over %s" % tr)
                if without:
                    out.append("     (%s, %s)" % (tr, without))
            else:
                out.append("     (%s, informative: %s)" % (tr, "; ".join(t for t in (text, without) if t)
                                                          or "not measured"))
        for tr, w in getattr(self, "w2", {}).items():
            f, c = self.get(w, "s3_fdw"), self.get(w, "curl -T")
            checked, said = self.info.get("t2_integrity", {}).get((tr, "fdw"), (None, "not seen"))
            text = None
            if both(f, c):
                r = f.median / c.median
                text = ("PUT over %s, s3_fdw's share %s = %.2f × curl -T %s (≤ 1.3); the body's integrity: %s"
                        % (tr, fmt_secs(f.median), r, fmt_secs(c.median), said))
            if tr == decides:
                if text:
                    line("T2", r <= 1.3 and bool(checked), text + ("" if checked else " (S3 could not check it)") + over)
                else:
                    line("T2", None, "not measured over %s" % tr)
            else:
                out.append("     (%s, informative: %s)" % (tr, text or "not measured"))
        w = getattr(self, "w3", None)
        if w:
            f, c, a = self.get(w, "s3_fdw"), self.get(w, "curl pages"), self.get(w, "aws cli")
            if both(f, c, a):
                r, s = f.median / c.median, a.median / f.median
                line("T3", r <= 3 and s >= 15, "list %s = %.2f × curl pages (≤ 3), %.1f × faster than aws cli (≥ 15)"
                     % (fmt_secs(f.median), r, s))
            else:
                line("T3", None, "not measured")
        w = getattr(self, "w4", None)
        if w:
            f, b, a = self.get(w, "s3_fdw"), self.get(w, "boto3 sequential"), self.get(w, "aws cli")
            if both(f, b, a):
                s = b.median / f.median
                line("T4", s >= 10 and f.median < a.median,
                     "content %s: %.1f × faster than sequential boto3 (≥ 10), %.2f × aws s3 cp --recursive (< 1)"
                     % (fmt_secs(f.median), s, f.median / a.median))
            else:
                line("T4", None, "not measured")
        w = getattr(self, "w5", None)
        if w:
            f, c = self.get(w, "s3_fdw"), self.get(w, "curl keep-alive")
            if both(f, c):
                r = f.median / c.median
                line("T5", r <= 1.2, "1 KB s3_read loop %s = %.2f × keep-alive curl (≤ 1.2)" % (fmt_secs(f.median), r))
            else:
                line("T5", None, "not measured")
        w = getattr(self, "w6", None)
        if w:
            s, m = self.get(w, "s3_fdw single PUT"), self.get(w, "s3_fdw multipart")
            if both(s, m):
                st = self.info["t6_stats"].get("s3_fdw multipart", {})
                line("T6", s.median / m.median >= 4,
                     "multipart %s, %.1f × faster than single PUT %s (≥ 4); %d parts, at most %d in flight"
                     % (fmt_secs(m.median), s.median / m.median, fmt_secs(s.median),
                        st.get("parts", 0), st.get("max_parts_in_flight", 0)))
            else:
                line("T6", None, "s3_fdw multipart: " + (m.na or m.error or "not measured") if m else "not measured")
        w = getattr(self, "w7", None)
        if w:
            f, c, a = self.get(w, "s3_fdw"), self.get(w, "COPY FROM file"), self.get(w, "aws cli")
            if both(f, c, a):
                r = f.median / c.median
                line("T7", r <= 1.15 and f.median < a.median,
                     "s3_import %s = %.2f × COPY FROM the file on tmpfs %s (≤ 1.15), %.2f × aws s3 cp into psql's "
                     "\\copy %s (< 1); %d MB through the %s ms proxy"
                     % (fmt_secs(f.median), r, fmt_secs(c.median), f.median / a.median, fmt_secs(a.median),
                        self.m["csv_bytes"] // MB, self.delay_ms))
            else:
                line("T7", None, "not measured")
        w = getattr(self, "w8", None)
        if w:
            f, c, a = self.get(w, "s3_fdw"), self.get(w, "COPY TO file"), self.get(w, "aws cli")
            if both(f, c, a):
                r = f.median / c.median
                st = self.info.get("t8_stats", {}).get("s3_fdw", {})
                line("T8", r <= 1.2 and f.median < a.median,
                     "s3_export %s = %.2f × COPY TO a file on tmpfs %s (≤ 1.2), %.2f × psql's \\copy into aws s3 cp "
                     "%s (< 1); %d parts, at most %d in flight"
                     % (fmt_secs(f.median), r, fmt_secs(c.median), f.median / a.median, fmt_secs(a.median),
                        st.get("parts", 0), st.get("max_parts_in_flight", 0)))
            else:
                line("T8", None, "not measured")
        for b, w in getattr(self, "w9", {}).items():
            f, q, a, o = (self.get(w, t) for t in ("s3_fdw", "s3_fdw sequential", "aws cli", "boto3"))
            if both(f, q, a, o):
                r, sa, so = f.median / q.median, a.median / f.median, o.median / f.median
                line("T9 " + b, r <= 0.125 and sa >= 10 and so >= 10,
                     "s3_fdw %s = %.3f × the sequential chain %s (≤ 1/8 i.e. 0.125), %.1f × faster than aws cli %s "
                     "(≥ 10) and %.1f × faster than boto3 %s (≥ 10)"
                     % (fmt_secs(f.median), r, fmt_secs(q.median), sa, fmt_secs(a.median), so, fmt_secs(o.median)))
            else:
                line("T9 " + b, None, "not measured" + "".join(
                    "; %s: %s" % (m.label, m.error) for m in (f, q, a, o) if m is not None and m.error))
            seen = self.info.get("t9", {})
            reqs = []
            for tool in ("s3_fdw", "s3_fdw sequential", "aws cli", "boto3"):
                st = seen.get((b, tool))
                if st:
                    reqs.append("%s %d on %d connection%s, at most %d in flight" % (
                        tool, st["requests"], st["connections"], "" if st["connections"] == 1 else "s",
                        st["in_flight"]))
            out.append("     (%s: list requests %s; s3_fdw backend VmHWM %s)" % (
                b, "; ".join(reqs) or "not counted", fmt_kb(f.peak) if f else "-"))
        return out

    def machine(self):
        cpu = "?"
        try:
            with open("/proc/cpuinfo") as f:
                for line in f:
                    if line.startswith("model name"):
                        cpu = line.split(":", 1)[1].strip()
                        break
        except OSError:
            pass
        mem = "?"
        try:
            with open("/proc/meminfo") as f:
                mem = "%.0f GB" % (int(f.readline().split()[1]) / 1024.0 / 1024.0)
        except OSError:
            pass
        pg = self.psql("SELECT version()").strip()

        def ver(cmd):
            try:
                _, _, so, se = run_proc(cmd, check=False)
                return (so or se).strip().splitlines()[0]
            except Exception:
                return "?"

        import boto3
        return [
            "- date: %s" % datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "- machine: %d cores (nproc), %s, %s RAM, %s %s" % (os.cpu_count(), cpu, mem, platform.system(),
                                                               platform.release()),
            "- PostgreSQL: %s" % pg,
            "- s3_fdw: installed s3_fdw.so of %s; checkout at git %s" % (
                self.so_start, ver(["git", "-C", self.root, "describe", "--always", "--dirty"])),
            "- peers: %s; %s; boto3 %s (Python %s); %s" % (
                ver(["curl", "--version"]).split(" (")[0], ver(["aws", "--version"]).split(" ")[0],
                boto3.__version__, platform.python_version(), ver(["nginx", "-v"])),
            "- runs: median of up to %d (a measurement stops repeating after %.0f s); T6 at most %s%s"
            % (self.runs, self.budget, env("BENCH_T6_RUNS", "3"), "; quick mode" if self.quick else ""),
        ]

    @staticmethod
    def loadavg():
        try:
            with open("/proc/loadavg") as f:
                return " ".join(f.read().split()[:3])
        except OSError:
            return "?"

    def so_stamp(self):
        try:
            out = subprocess.run(["pg_config", "--pkglibdir"], capture_output=True, text=True).stdout.strip()
            st = os.stat(os.path.join(out, "s3_fdw.so"))
            return datetime.datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M:%S")
        except OSError:
            return "?"

    def main(self):
        t0 = time.time()
        self.so_start = self.so_stamp()
        self.load_start = self.loadavg()
        print("==> setting up the database", file=sys.stderr)
        self.setup_sql()
        base = self.timed_query("SELECT 1")[1]
        self.info["baseline_hwm"] = base
        only = env("BENCH_ONLY")
        steps = [("1", self.t1_get), ("2", self.t2_put), ("3", self.t3_list), ("4", self.t4_content),
                 ("5", self.t5_small_reads), ("6", self.t6_multipart), ("7", self.t7_import),
                 ("8", self.t8_export), ("9", self.t9_list_million)]
        for n, fn in steps:
            if only and n not in only.split(","):
                continue
            print("==> measuring %s" % fn.__name__, file=sys.stderr, flush=True)
            try:
                fn()
            except Exception as e:
                self.errors.append("%s: %s" % (fn.__name__, e))
                print("    failed: %s" % e, file=sys.stderr)
        table, mem, targets = self.report()
        notes = []
        notes.append("Backend VmHWM of a session that ran only `SELECT 1`: %s." % fmt_kb(base))
        if self.nginx_tls:
            notes.append("s3_fdw's https server (T1, T2): `%s`%s; every other option as the installed s3_fdw "
                         "defaults it (payload_signing, verify_md5: the PUT's headers below and the no-ETag row "
                         "show what they did). The peers over https verify the same throwaway CA "
                         "(curl --cacert, aws --ca-bundle, boto3 verify=)."
                         % (self.tls_options, ", `%s`" % self.single_options if self.single_options else ""))
        integrity = self.info.get("t2_integrity", {})
        for tr, _, _ in self.transports:
            said = ["%s: %s%s" % ({"fdw": "s3_fdw", "aws": "aws cli"}.get(tool, tool), integrity[(tr, tool)][1],
                                  "" if integrity[(tr, tool)][0] else " (nothing S3 could check the body against)")
                    for tool in ("fdw", "curl", "aws", "boto3") if (tr, tool) in integrity]
            if said:
                notes.append("T2 over %s, what each PUT carried for S3 to check its body (last run, as nginx "
                             "logged the headers): %s." % (tr, "; ".join(said)))
        if "t5_curl_conns" in self.info:
            notes.append("curl opened %d connections for the 1 KB URLs." % self.info["t5_curl_conns"])
        if self.nginx_listing and any(getattr(self, w, None) for w in ("w3", "w4")):
            notes.append("s3_fdw's servers on nginx (T3, T4) have `%s`: nginx's listing pages are files "
                         "picked by prefix and continuation token, it cannot answer `start-after`."
                         % self.nginx_listing)
        if self.mp_options:
            notes.append("s3_fdw multipart server options: `%s`; single-PUT server: `%s`."
                         % (self.mp_options, self.single_options or "(defaults)"))
        else:
            notes.append("s3_fdw multipart: n/a (%s)." % getattr(self, "mp_refusal", ""))
        for tool, st in sorted(self.info.get("t6_stats", {}).items()):
            sizes = sorted(set(st.get("part_sizes", [])))
            notes.append("T6 %s, last run, as the stand-in saw it: %d PUT, %d parts%s, at most %d parts in flight."
                         % (tool, st.get("puts", 0), st.get("parts", 0),
                            " of %s" % ", ".join("%.1f MB" % (s / MB) for s in sizes[-3:]) if sizes else "",
                            st.get("max_parts_in_flight", 0)))
        for key, work in (("t7_requests", "T7"), ("t8_requests", "T8")):
            seen = self.info.get(key, {})
            if seen:
                notes.append("%s, last run, through the latency proxy: %s." % (work, "; ".join(
                    "%s %d requests on %d connections" % (tool, n, c) for tool, (n, c) in sorted(seen.items()))))
        for tool, st in sorted(self.info.get("t8_stats", {}).items()):
            sizes = sorted(set(st.get("part_sizes", [])))
            notes.append("T8 %s, last run, as the stand-in saw it: %d PUT, %d parts%s, at most %d in flight, "
                         "%d requests on %d connections; %d bytes, as COPY TO writes them."
                         % (tool, st.get("puts", 0), st.get("parts", 0),
                            " of %s" % ", ".join("%.1f MB" % (x / MB) for x in sizes[-3:]) if sizes else "",
                            st.get("max_parts_in_flight", 0), st.get("requests", 0), st.get("connections", 0),
                            st.get("put_bytes", 0) + st.get("part_bytes", 0)))
        for b, w in getattr(self, "w9", {}).items():
            lines = self.info.get("t9_explain", {}).get(b)
            if lines:
                notes.append("T9 %s, s3_fdw's EXPLAIN ANALYZE of its query (after the measured runs): %s."
                             % (b, "; ".join("`%s`" % l for l in lines)))
            q = self.get(w, "s3_fdw sequential")
            if q and q.peak:
                notes.append("T9 %s, the sequential chain's backend VmHWM: %s." % (b, fmt_kb(q.peak)))
        so_now = self.so_stamp()
        if so_now != self.so_start:
            notes.append("**s3_fdw.so was replaced during the run** (%s, then %s): sessions after that "
                         "measured the new build." % (self.so_start, so_now))
        runs = []
        for w, tools in self.results.items():
            for tool, m in tools.items():
                if m.secs:
                    runs.append("- %s, %s: %s" % (w, tool, ", ".join("%.3f" % x for x in m.secs)))
        for tr, (up, rd) in self.info.get("t2", {}).items():
            runs.append("- %s, upload query: %s; read-only query: %s" % (
                self.w2[tr], ", ".join("%.3f" % x for x in up.secs), ", ".join("%.3f" % x for x in rd.secs)))
        elapsed = time.time() - t0
        text = ["# s3_fdw benchmark", ""] + self.machine() + [
            "- stand-ins: nginx (static files, DAV PUT, pre-generated ListObjectsV2 pages, MD5 ETags) on "
            "127.0.0.1, %s; T4 through a proxy adding %s ms per request; T6 to a Python multipart stand-in "
            "through the same proxy capped at %s/s per connection; T7 from nginx (its own ETags, which "
            "If-Match needs) and T8 to the multipart stand-in, each through the same delay without a cap, "
            "both keeping connections open; T9 from a Python ListObjectsV2 stand-in (list_server.py, "
            "1,000,000 keys a bucket) through the same delay" % (
                "over http and https (a certificate of a CA made for the run): T1 and T2 are judged over https, "
                "their http rows are informative; T3 to T6 over http" if self.nginx_tls else "over http only",
                self.delay_ms, self.rate),
            "- measurements took %.0f s; load average %s before, %s after (other work on the machine "
            "shows up here)" % (elapsed, self.load_start, self.loadavg()), "", "## Times (median)", ""] + table + [
            "", "## Peak memory", ""] + mem + ["", "## Targets", "", "```"] + targets + ["```", ""] + \
            ["## Notes", ""] + ["- " + n for n in notes] + ["", "## Every run (seconds)", ""] + runs + \
            ([""] + ["## Errors", ""] + ["- " + e.replace("\n", " ") for e in self.errors] if self.errors else []) + [""]
        os.makedirs(os.path.dirname(self.out_md), exist_ok=True)
        with open(self.out_md, "w") as f:
            f.write("\n".join(text))
        print("\n".join(text))
        shutil.rmtree(self.scratch, ignore_errors=True)
        return 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "boto3":
        return boto3_main(sys.argv[2:])
    if len(sys.argv) >= 2 and sys.argv[1] == "run":
        return Bench().main()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
