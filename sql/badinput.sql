--
-- badinput: a table of bad arguments, options and definitions.  Every one
-- must be refused with a clear error and a fitting SQLSTATE: never XX000,
-- never a crash, never silence.  None of them reaches S3.
--
CREATE TEMP TABLE bad_input (n serial, what text, sql text);
INSERT INTO bad_input (what, sql) VALUES
  -- bucket names
  ('empty bucket', $$SELECT s3_read('s3', '', 'k')$$),
  ('short bucket', $$SELECT s3_read('s3', 'ab', 'k')$$),
  ('long bucket', $$SELECT s3_read('s3', repeat('b', 64), 'k')$$),
  ('upper-case bucket', $$SELECT s3_read('s3', 'Bucket', 'k')$$),
  ('underscore bucket', $$SELECT s3_upload('s3', 'my_bucket', 'k', 'x')$$),
  ('bucket ip', $$SELECT s3_remove('s3', '10.0.0.1', 'k')$$),
  ('bucket ..', $$SELECT s3_create_bucket('s3', 'a..b')$$),
  ('bucket -', $$SELECT s3_create_bucket('s3', '-abc')$$),
  ('bucket xn--', $$SELECT s3_presign_get('s3', 'xn--abc', 'k')$$),
  ('bucket -s3alias', $$SELECT s3_presign_put('s3', 'abc-s3alias', 'k')$$),
  ('bucket unicode', $$SELECT s3_read('s3', 'bücket', 'k')$$),
  ('bucket slash', $$SELECT s3_read('s3', 'a/b', 'k')$$),
  ('bucket with a backslash', $$SELECT s3_read('s3', E'ab\\x01c', 'k')$$),
  -- keys
  ('empty key', $$SELECT s3_read('s3', 'regress', '')$$),
  ('key 1025 bytes', $$SELECT s3_read_text('s3', 'regress', repeat('k', 1025))$$),
  ('key 1026 UTF-8 bytes', $$SELECT s3_upload('s3', 'regress', repeat('é', 513), 'x')$$),
  ('key 4-byte chars', $$SELECT s3_remove('s3', 'regress', repeat('🎉', 257))$$),
  ('presign empty key', $$SELECT s3_presign_get('s3', 'regress', '')$$),
  -- NULLs
  ('NULL server', $$SELECT s3_read(NULL, 'regress', 'k')$$),
  ('NULL bucket', $$SELECT s3_read('s3', NULL, 'k')$$),
  ('NULL key', $$SELECT s3_read('s3', 'regress', NULL)$$),
  ('NULL data bytea', $$SELECT s3_upload('s3', 'regress', 'k', NULL::bytea)$$),
  ('NULL data text', $$SELECT s3_upload('s3', 'regress', 'k', NULL::text)$$),
  ('NULL content type', $$SELECT s3_upload('s3', 'regress', 'k', 'x'::bytea, NULL)$$),
  ('NULL expires_in', $$SELECT s3_presign_put('s3', 'regress', 'k', NULL)$$),
  ('NULL list server', $$SELECT * FROM s3_list_buckets(NULL)$$),
  ('NULL create bucket', $$SELECT s3_create_bucket(NULL, 'b')$$),
  -- numbers
  ('expires 0', $$SELECT s3_presign_get('s3', 'regress', 'k', 0)$$),
  ('expires negative', $$SELECT s3_presign_get('s3', 'regress', 'k', -1)$$),
  ('expires 7 days + 1 s', $$SELECT s3_presign_put('s3', 'regress', 'k', 604801)$$),
  ('expires int overflow', $$SELECT s3_presign_get('s3', 'regress', 'k', 2147483648)$$),
  ('expires not a number', $$SELECT s3_presign_get('s3', 'regress', 'k', 'soon')$$),
  ('max_keys 0', $$SELECT * FROM listing WHERE max_keys = 0$$),
  ('max_keys negative', $$SELECT * FROM listing WHERE max_keys = -5$$),
  -- wrong types
  ('server as integer', $$SELECT s3_read(1, 'regress', 'k')$$),
  ('data as jsonb', $$SELECT s3_upload('s3', 'regress', 'k', '{}'::jsonb)$$),
  ('expires as interval', $$SELECT s3_presign_get('s3', 'regress', 'k', interval '1 hour')$$),
  ('too many arguments', $$SELECT s3_read('s3', 'regress', 'k', 'x', 'y', 'z', 'w')$$),
  -- servers
  ('empty server name', $$SELECT s3_read('', 'regress', 'k')$$),
  ('unknown server', $$SELECT s3_read('nowhere', 'regress', 'k')$$),
  ('another wrapper''s server', $$SELECT s3_read('bad_other', 'regress', 'k')$$),
  -- server options
  ('unknown server option', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (bucket 'b')$$),
  ('secret in server', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (secret_access_key 's')$$),
  ('token in server', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (session_token 't')$$),
  ('region upper case', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'EU-WEST-1')$$),
  ('region with dots', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'eu.west')$$),
  ('region too long', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')$$),
  ('endpoint ftp', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'ftp://h')$$),
  ('endpoint path', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://h/p')$$),
  ('endpoint port 0', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://h:0')$$),
  ('endpoint user info', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://u:p@h')$$),
  ('endpoint empty', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint '')$$),
  ('url_style', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (url_style 'host')$$),
  ('credentials', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'iam')$$),
  ('connect_timeout 0', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (connect_timeout '0')$$),
  ('connect_timeout text', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (connect_timeout 'ten')$$),
  ('request_timeout huge', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (request_timeout '99999999999')$$),
  ('request_timeout fraction', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (request_timeout '1.5')$$),
  ('max_retries negative', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (max_retries '-1')$$),
  ('max_retries 11', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (max_retries '11')$$),
  ('ca_file relative', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (ca_file 'ca.pem')$$),
  ('role without arn', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'role')$$),
  ('role arn malformed', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (credentials 'role', role_arn 'role/x')$$),
  ('sts_endpoint malformed', $$CREATE SERVER bad_x FOREIGN DATA WRAPPER s3_fdw OPTIONS (sts_endpoint 'sts')$$),
  ('wrapper option', $$ALTER FOREIGN DATA WRAPPER s3_fdw OPTIONS (ADD region 'us-east-1')$$),
  -- user mapping options
  ('mapping unknown option', $$CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (user 'x')$$),
  ('mapping server option', $$CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (endpoint 'http://h')$$),
  ('mapping key id with slash', $$CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (access_key_id 'AK/IA')$$),
  ('mapping empty secret', $$CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (secret_access_key '')$$),
  ('mapping secret newline', $$CREATE USER MAPPING FOR regress_s3_outsider SERVER s3 OPTIONS (secret_access_key E'a\nb')$$),
  -- foreign tables
  ('table unknown option', $$CREATE FOREIGN TABLE bad_t (key text) SERVER s3 OPTIONS (region 'x')$$),
  ('table bad bucket', $$CREATE FOREIGN TABLE bad_t (key text) SERVER s3 OPTIONS (bucket 'B')$$),
  ('table empty prefix', $$CREATE FOREIGN TABLE bad_t (key text) SERVER s3 OPTIONS (bucket 'regress', prefix '')$$),
  ('table unknown column', $$SELECT * FROM bad_col$$),
  ('table wrong column type', $$SELECT * FROM bad_type$$),
  ('table content as json', $$SELECT * FROM bad_content$$),
  ('table without bucket', $$SELECT * FROM bad_nobucket$$);

CREATE FOREIGN DATA WRAPPER bad_other_fdw;
CREATE SERVER bad_other FOREIGN DATA WRAPPER bad_other_fdw;
CREATE FOREIGN TABLE bad_col (key text, owner text) SERVER s3 OPTIONS (bucket 'regress');
CREATE FOREIGN TABLE bad_type (key text, last_modified date) SERVER s3 OPTIONS (bucket 'regress');
CREATE FOREIGN TABLE bad_content (key text, content json) SERVER s3 OPTIONS (bucket 'regress');
CREATE FOREIGN TABLE bad_nobucket (key text) SERVER s3;

SELECT requests AS r0 FROM s3_fdw_connection_stats() \gset
CREATE TEMP TABLE bad_result AS
  SELECT n, what, split_part(s3_try(sql), E'\n', 1) AS result FROM bad_input ORDER BY n;
SELECT n, what, result FROM bad_result ORDER BY n;
SELECT count(*) AS cases,
       count(*) FILTER (WHERE result = 'no error') AS accepted,
       count(*) FILTER (WHERE result LIKE 'XX000%') AS internal_errors,
       count(DISTINCT left(result, 5)) AS sqlstates
  FROM bad_result;
SELECT requests - :r0 AS requests_made FROM s3_fdw_connection_stats();
DROP SERVER bad_other;
DROP FOREIGN DATA WRAPPER bad_other_fdw;
