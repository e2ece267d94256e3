--
-- security: what an attacker with a role and USAGE on the wrapper tried.
-- Header values from SQL never carry a line break (request smuggling onto a
-- pooled connection); servers of non-superusers never reach link-local
-- addresses (where a cloud machine serves its own credentials); a
-- connection whose exchange went wrong is never used again.
--
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE OR REPLACE FUNCTION requests() RETURNS bigint LANGUAGE sql AS
  $$ SELECT requests FROM s3_fdw_connection_stats() $$;
CREATE FUNCTION connections() RETURNS bigint LANGUAGE sql AS
  $$ SELECT connections FROM s3_fdw_connection_stats() $$;

-- 1. header injection: refused before any request, upload and presign alike
SELECT requests() AS r0 \gset
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'inj.txt', 'x', E'text/plain\r\nX-Injected: yes')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'inj.txt', 'x', E'text/plain\r\n\r\nGET /latest/api/token HTTP/1.1')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'inj.txt', 'x'::bytea, E'a\nb')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'inj.txt', 'x', E'text/plain\x01')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'inj.txt', 'x', 'téxt/plain')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'inj.txt', 'x', repeat('a', 1025))$$);
SELECT s3_try($$SELECT s3_presign_put('s3', 'regress', 'inj.txt', 60, E'text/plain\r\nX-Injected: yes')$$);
-- an empty or blank content type is refused too (curl would drop the header
-- after it was signed, and S3 would blame the secret key)
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'inj.txt', 'x', '')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'inj.txt', 'x', '   ')$$);
SELECT s3_try($$SELECT s3_presign_put('s3', 'regress', 'inj.txt', 60, '')$$);
SELECT requests() - :r0 AS requests_made;
-- a tab inside a value is allowed, as HTTP allows it
SELECT s3_upload('s3', 'regress', 'tab.txt', 'x', E'text/plain;\tcharset=utf-8') IS NOT NULL AS uploaded;
-- the user mapping's session token, with a line break: refused when set
CREATE SERVER sec_tok FOREIGN DATA WRAPPER s3_fdw;
CREATE USER MAPPING FOR CURRENT_USER SERVER sec_tok
  OPTIONS (access_key_id 'AKIAIOSFODNN7EXAMPLE', secret_access_key 'x', session_token E'tok\r\nX-Injected: yes');
DROP SERVER sec_tok;

-- 2. link-local addresses: a role that may create servers cannot aim them
-- at the metadata service, in any spelling of the address
CREATE ROLE regress_s3_owner;
GRANT USAGE ON FOREIGN DATA WRAPPER s3_fdw TO regress_s3_owner;
SET ROLE regress_s3_owner;
CREATE SERVER imds FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://169.254.169.254');
CREATE SERVER imds FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://169.254.170.2:80/');
CREATE SERVER imds FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://2852039166');
CREATE SERVER imds FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://0xa9fea9fe');
CREATE SERVER imds FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://[fd00:ec2::254]');
CREATE SERVER imds FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://[fe80::1]');
CREATE SERVER imds FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://[::ffff:169.254.169.254]');
CREATE SERVER imds FOREIGN DATA WRAPPER s3_fdw OPTIONS (sts_endpoint 'http://169.254.169.254');
-- any other host is allowed
CREATE SERVER mine FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://127.0.0.1:9');
ALTER SERVER mine OPTIONS (SET endpoint 'http://[fe80::a9fe:a9fe]');
RESET ROLE;
-- a superuser may, and the rule holds for whoever owns the server: handed to
-- a non-superuser, it is refused at connect time, on the address itself,
-- before any socket is opened
CREATE SERVER ll FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://169.254.169.254:9', connect_timeout '1');
CREATE USER MAPPING FOR regress_s3_owner SERVER ll OPTIONS (access_key_id 'AKIAIOSFODNN7EXAMPLE', secret_access_key 'x');
ALTER SERVER ll OWNER TO regress_s3_owner;
SET ROLE regress_s3_owner;
SELECT s3_try($$SELECT s3_read('ll', 'regress', 'k')$$);
RESET ROLE;
CREATE SERVER ll6 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint 'http://[fd00:ec2::254]:9', connect_timeout '1');
CREATE USER MAPPING FOR regress_s3_owner SERVER ll6 OPTIONS (access_key_id 'AKIAIOSFODNN7EXAMPLE', secret_access_key 'x');
ALTER SERVER ll6 OWNER TO regress_s3_owner;
SET ROLE regress_s3_owner;
SELECT s3_try($$SELECT s3_list_buckets('ll6')$$);
RESET ROLE;
DROP SERVER ll, ll6, mine CASCADE;
REVOKE USAGE ON FOREIGN DATA WRAPPER s3_fdw FROM regress_s3_owner;
DROP ROLE regress_s3_owner;

-- 3. a connection whose exchange went wrong is closed, not pooled: the next
-- request opens a new one.  Good exchanges share one.
CREATE SERVER sec_faulty FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint', max_retries '0');
CREATE USER MAPPING FOR PUBLIC SERVER sec_faulty OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('s3', 'regress', 'sec/ok.txt', 'fine') IS NOT NULL AS uploaded;
SELECT s3_read_text('sec_faulty', 'regress', 'sec/ok.txt');
SELECT connections() AS c0 \gset
SELECT s3_read_text('sec_faulty', 'regress', 'sec/ok.txt');
SELECT connections() - :c0 AS new_connections_after_a_good_read;
-- a body longer than its Content-Length, with an ETag that cannot tell:
-- reported, and its connection (with bytes left on it) dropped
SELECT s3_try($$SELECT s3_read('sec_faulty', 'regress', 'longmulti/a')$$);
SELECT connections() AS c0 \gset
SELECT s3_read_text('sec_faulty', 'regress', 'sec/ok.txt');
SELECT connections() - :c0 AS new_connections;
SELECT s3_try($$SELECT s3_read('sec_faulty', 'regress', 'twolengths/a')$$);
SELECT connections() AS c0 \gset
SELECT s3_read_text('sec_faulty', 'regress', 'sec/ok.txt');
SELECT connections() - :c0 AS new_connections;
SELECT s3_try($$SELECT s3_read('sec_faulty', 'regress', 'bigheader/a')$$);
SELECT connections() AS c0 \gset
SELECT s3_read_text('sec_faulty', 'regress', 'sec/ok.txt');
SELECT connections() - :c0 AS new_connections;
SELECT s3_try($$SELECT s3_read('sec_faulty', 'regress', 'bigerror/a')$$);
SELECT connections() AS c0 \gset
SELECT s3_read_text('sec_faulty', 'regress', 'sec/ok.txt');
SELECT connections() - :c0 AS new_connections;
DROP SERVER sec_faulty CASCADE;
