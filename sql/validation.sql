--
-- validation: bad options and bad arguments are refused with a clear error
-- and a proper SQLSTATE before any request is made.
--
SELECT requests AS r0 FROM s3_fdw_connection_stats() \gset
\set VERBOSITY default

-- server options
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (bucket 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (secret_access_key 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (access_key_id 'AKIA');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (session_token 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'US-EAST-1');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'us east 1');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (region '');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'eu-west-1.amazonaws.com');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'ftp://example.com');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'localhost:9000');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://example.com/prefix');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://user:secret@example.com');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://example.com:99999');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://exa mple.com');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'https://key@example.com');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://[:::::::]');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://[1.2.3.4]');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://[fe80::1%eth0]');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (url_style 'dns');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'password');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'eu-west-1', region 'eu-west-2');
ALTER SERVER s3 OPTIONS (ADD secret_access_key 'x');
ALTER FOREIGN DATA WRAPPER s3_fdw OPTIONS (ADD region 'us-east-1');

-- good servers: AWS itself, S3-compatible stores
CREATE SERVER aws_eu FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'eu-west-3');
CREATE SERVER minio FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint 'https://minio.example.com:9000', region 'us-east-1', url_style 'path');
CREATE SERVER r2 FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint 'https://0123456789abcdef.r2.cloudflarestorage.com', region 'auto');
CREATE SERVER v6 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://[::1]:9000/');
ALTER SERVER minio OPTIONS (SET url_style 'virtual');
ALTER SERVER minio OPTIONS (SET url_style 'both');
DROP SERVER aws_eu, minio, r2, v6;

-- user mapping options
CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (password 'x');
CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (region 'us-east-1');
CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (access_key_id 'AKIA/EXAMPLE');
CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (access_key_id '');
CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key E'abc\ndef');

-- function arguments: bucket names (S3's naming rules)
SELECT s3_try(format('SELECT s3_read(%L, %L, %L)', 's3', b, 'k'))
  FROM unnest(ARRAY['', 'ab', repeat('a', 64), 'Upper', 'under_score', '-dash', 'dash-',
                    'two..dots', '192.168.1.1', 'xn--punycode', 'sthree-x', 'amzn-s3-demo-x',
                    'x-s3alias', 'x--ol-s3', 'x.mrap', 'x--x-s3', 'x--table-s3', 'spa ce', 'slash/']) b;
SELECT s3_try($$SELECT s3_create_bucket('s3', 'Bad_Bucket')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'a', 'k', 'x')$$);

-- keys: empty, longer than 1024 bytes of UTF-8
SELECT s3_try($$SELECT s3_read('s3', 'regress', '')$$);
SELECT s3_try($$SELECT s3_read('s3', 'regress', repeat('k', 1025))$$);
SELECT s3_try($$SELECT s3_read('s3', 'regress', repeat('é', 513))$$);
SELECT s3_try($$SELECT s3_remove('s3', 'regress', '')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', repeat('k', 2000), 'x')$$);

-- expires_in
SELECT s3_try($$SELECT s3_presign_get('s3', 'regress', 'k', 0)$$);
SELECT s3_try($$SELECT s3_presign_get('s3', 'regress', 'k', -5)$$);
SELECT s3_try($$SELECT s3_presign_get('s3', 'regress', 'k', 604801)$$);
SELECT s3_try($$SELECT s3_presign_put('s3', 'regress', 'k', 2147483647)$$);
SELECT s3_try($$SELECT s3_presign_get('s3', 'regress', 'k', 'soon')$$);

-- NULL arguments
SELECT s3_try($$SELECT s3_list_buckets(NULL)$$);
SELECT s3_try($$SELECT s3_create_bucket('s3', NULL)$$);
SELECT s3_try($$SELECT s3_read(NULL, 'regress', 'k')$$);
SELECT s3_try($$SELECT s3_read_text('s3', NULL, 'k')$$);
SELECT s3_try($$SELECT s3_remove('s3', 'regress', NULL)$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'k', NULL::bytea)$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'k', NULL::text)$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'k', 'x'::text, NULL)$$);
SELECT s3_try($$SELECT s3_presign_get('s3', 'regress', 'k', NULL)$$);

-- servers: unknown, another wrapper's, no USAGE, no user mapping, incomplete mapping
SELECT s3_try($$SELECT s3_read('nosuchserver', 'regress', 'k')$$);
CREATE FOREIGN DATA WRAPPER other_fdw;
CREATE SERVER other FOREIGN DATA WRAPPER other_fdw;
SELECT s3_try($$SELECT s3_read('other', 'regress', 'k')$$);
SET ROLE regress_s3_outsider;
SELECT s3_try($$SELECT s3_read('s3', 'regress', 'k')$$);
SELECT s3_try($$SELECT * FROM s3_list_buckets('s3')$$);
RESET ROLE;
CREATE SERVER nomap FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://127.0.0.1:1');
GRANT USAGE ON FOREIGN SERVER nomap TO regress_s3_user;
SET ROLE regress_s3_user;
SELECT s3_try($$SELECT s3_read('nomap', 'regress', 'k')$$);
SELECT s3_try($$SELECT s3_presign_get('nomap', 'regress', 'k')$$);
RESET ROLE;
CREATE USER MAPPING FOR regress_s3_user SERVER nomap OPTIONS (access_key_id 'AKIAEXAMPLE');
SET ROLE regress_s3_user;
SELECT s3_try($$SELECT s3_read('nomap', 'regress', 'k')$$);
RESET ROLE;
-- another role's mapping is never used
DROP USER MAPPING FOR regress_s3_user SERVER nomap;
CREATE USER MAPPING FOR regress_s3_reader SERVER nomap OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
SET ROLE regress_s3_user;
SELECT s3_try($$SELECT s3_presign_get('nomap', 'regress', 'k')$$);
RESET ROLE;
DROP SERVER nomap CASCADE;
SELECT count(*) AS mappings_left FROM pg_user_mappings WHERE srvname = 'nomap';
DROP SERVER other;
DROP FOREIGN DATA WRAPPER other_fdw;

-- nothing above reached the network
SELECT requests - :r0 AS requests_made FROM s3_fdw_connection_stats();
-- updatable: a boolean, on servers and tables
CREATE SERVER s3_upd FOREIGN DATA WRAPPER s3_fdw OPTIONS (updatable 'false');
CREATE SERVER s3_upd_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (updatable 'sometimes');
CREATE FOREIGN TABLE upd_t (key text) SERVER s3_upd OPTIONS (bucket 'bucket-b', updatable 'true');
DROP SERVER s3_upd CASCADE;

-- the details of numbers and sizes: the range, its unit, an example
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (connect_timeout '301');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (request_timeout '0');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (max_retries '11');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (part_size '1MB');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (multipart_threshold '2GB');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (verify_md5 'sometimes');
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (verify_md5 '');
-- the spellings each kind takes
CREATE SERVER spellings FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (verify_md5 'AUTO', updatable 'Off', part_size '5242880', multipart_threshold '1GB');
ALTER SERVER spellings OPTIONS (SET verify_md5 'on', SET updatable 'TRUE', SET part_size '8192kB');
ALTER SERVER spellings OPTIONS (SET updatable 'yes');
ALTER SERVER spellings OPTIONS (SET part_size '16 MB');
ALTER SERVER spellings OPTIONS (ADD connect_timeout '+5');
ALTER SERVER spellings OPTIONS (ADD request_timeout ' 5');
DROP SERVER spellings;
-- options of one context given in another
CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (bucket 'b');
CREATE FOREIGN TABLE bad_t (key text) SERVER s3 OPTIONS (bucket 'bkt', secret_access_key 'x');
CREATE FOREIGN TABLE bad_t (key text) SERVER s3 OPTIONS (bucket 'bkt', part_size '8MB');
CREATE FOREIGN TABLE bad_t (key text) SERVER s3 OPTIONS (bucket 'bkt', max_concurrency '65');
CREATE FOREIGN TABLE bad_t (key text) SERVER s3 OPTIONS (bucket 'bkt', updatable 'maybe');
CREATE FOREIGN TABLE bad_t (key text) SERVER s3 OPTIONS (bucket 'bkt', prefix E'a\x01');
DROP FOREIGN TABLE bad_t;
