--
-- tls: certificates are verified for https endpoints; the server option
-- ca_file names a private certificate authority.  The endpoint is a moto
-- serving a certificate for 127.0.0.1 signed by such an authority.
--
\getenv tls_port S3FDW_TLS_PORT
\getenv ca_file S3FDW_CA_FILE
\set tls_endpoint 'https://127.0.0.1:' :tls_port
\set tls_by_name 'https://localhost:' :tls_port
CREATE SERVER tls FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'tls_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER tls OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
-- an authority the system does not know: refused, with a hint
SELECT s3_try($$SELECT s3_create_bucket('tls', 'tls-bucket')$$);
-- trusted through ca_file
ALTER SERVER tls OPTIONS (ADD ca_file :'ca_file');
SELECT s3_create_bucket('tls', 'tls-bucket');
SELECT s3_upload('tls', 'tls-bucket', 'k.txt', 'over TLS') = md5('over TLS') AS uploaded;
SELECT s3_read_text('tls', 'tls-bucket', 'k.txt');
-- the certificate must also name the host: it is for 127.0.0.1, not localhost
CREATE SERVER tls_by_name FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'tls_by_name', ca_file :'ca_file');
CREATE USER MAPPING FOR PUBLIC SERVER tls_by_name OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
SELECT s3_try($$SELECT s3_read_text('tls_by_name', 'tls-bucket', 'k.txt')$$);
-- a ca_file that does not hold the endpoint's authority: the hint says so
\getenv other_ca S3FDW_OTHER_CA_FILE
CREATE SERVER tls_other_ca FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'tls_endpoint', ca_file :'other_ca');
CREATE USER MAPPING FOR PUBLIC SERVER tls_other_ca OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
SELECT s3_try($$SELECT s3_read_text('tls_other_ca', 'tls-bucket', 'k.txt')$$);
-- an https endpoint that speaks plain http: said at once, not as a timeout
\getenv plain_port S3FDW_PLAIN_PORT
\set plain_as_https 'https://127.0.0.1:' :plain_port
CREATE SERVER tls_plain FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'plain_as_https', connect_timeout '2');
CREATE USER MAPPING FOR PUBLIC SERVER tls_plain OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
SELECT s3_try($$SELECT s3_read_text('tls_plain', 'tls-bucket', 'k.txt')$$);
DROP SERVER tls_other_ca, tls_plain CASCADE;
-- ca_file: an absolute path, set by a superuser
ALTER SERVER tls OPTIONS (SET ca_file 'certs/ca.pem');
GRANT USAGE ON FOREIGN DATA WRAPPER s3_fdw TO regress_s3_user;
SET ROLE regress_s3_user;
CREATE SERVER mine FOREIGN DATA WRAPPER s3_fdw OPTIONS (ca_file '/etc/ssl/certs/ca-certificates.crt');
RESET ROLE;
REVOKE USAGE ON FOREIGN DATA WRAPPER s3_fdw FROM regress_s3_user;
DROP SERVER tls, tls_by_name CASCADE;

-- payload_signing 'unsigned': over https the body is not hashed into the
-- signature; an x-amz-checksum-crc32c header lets S3 check it instead
-- (moto stores it: boto3 reads it back and compares it with the body's)
CREATE SERVER tls_unsigned FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'tls_endpoint', ca_file :'ca_file', payload_signing 'unsigned',
           multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER tls_unsigned OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
SELECT s3_upload('tls_unsigned', 'tls-bucket', 'crc.bin', decode(repeat('0123456789abcdef', 4096), 'hex'))
       = md5(decode(repeat('0123456789abcdef', 4096), 'hex')) AS uploaded;
\! S3TOOL_ENDPOINT="https://127.0.0.1:$S3FDW_TLS_PORT" S3TOOL_CA_FILE="$S3FDW_CA_FILE" python3 test/s3tool.py checksum tls-bucket crc.bin
SELECT s3_upload('tls_unsigned', 'tls-bucket', 'crc-parts.bin', decode(repeat('0123456789abcdef', 700000), 'hex')) ~ '-2$' AS two_parts;
SELECT sha256(s3_read('tls_unsigned', 'tls-bucket', 'crc-parts.bin')) = sha256(decode(repeat('0123456789abcdef', 700000), 'hex')) AS same_bytes;
-- the default (payload_signing 'auto') does the same over https, as the AWS SDKs do
CREATE SERVER tls_default FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'tls_endpoint', ca_file :'ca_file');
CREATE USER MAPPING FOR PUBLIC SERVER tls_default OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
SELECT s3_upload('tls_default', 'tls-bucket', 'crc-default.bin', 'by default'::bytea) = md5('by default') AS uploaded;
\! S3TOOL_ENDPOINT="https://127.0.0.1:$S3FDW_TLS_PORT" S3TOOL_CA_FILE="$S3FDW_CA_FILE" python3 test/s3tool.py checksum tls-bucket crc-default.bin
-- payload_signing 'signed' keeps the body's SHA-256 in the signature over https too
CREATE SERVER tls_signed FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'tls_endpoint', ca_file :'ca_file', payload_signing 'signed');
CREATE USER MAPPING FOR PUBLIC SERVER tls_signed OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
SELECT s3_upload('tls_signed', 'tls-bucket', 'signed.bin', 'signed'::bytea) = md5('signed') AS uploaded;
\! S3TOOL_ENDPOINT="https://127.0.0.1:$S3FDW_TLS_PORT" S3TOOL_CA_FILE="$S3FDW_CA_FILE" python3 test/s3tool.py checksum tls-bucket signed.bin
SELECT s3_read('tls_default', 'tls-bucket', 'signed.bin');
-- over plain http the payload stays signed: no checksum header is sent
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE SERVER plain_unsigned FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', payload_signing 'unsigned');
CREATE USER MAPPING FOR PUBLIC SERVER plain_unsigned OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('plain_unsigned', 'regress', 'signed-anyway.bin', 'signed anyway'::bytea) = md5('signed anyway') AS uploaded;
\! python3 test/s3tool.py checksum regress signed-anyway.bin
