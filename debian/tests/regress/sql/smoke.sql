--
-- smoke: the installed package, without an S3 server.  The extension's SQL
-- files (1.2, and the updates from 1.0 and 1.1), its library (the handler, the
-- validator, the SigV4 signer with OpenSSL) and libcurl (a refused
-- connection) are all reached.  The regression suite proper (make
-- installcheck) needs the servers scripts/test.sh starts.
--
CREATE EXTENSION s3_fdw;
SELECT extname, extversion FROM pg_extension WHERE extname = 's3_fdw';
SELECT fdwname, fdwhandler::regproc, fdwvalidator::regproc FROM pg_foreign_data_wrapper;
DROP EXTENSION s3_fdw;

-- the update scripts
CREATE EXTENSION s3_fdw VERSION '1.0';
ALTER EXTENSION s3_fdw UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 's3_fdw';
DROP EXTENSION s3_fdw;
CREATE EXTENSION s3_fdw VERSION '1.1';
ALTER EXTENSION s3_fdw UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 's3_fdw';

-- the validator
CREATE SERVER bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (no_such_option 'x');

-- port 1 of the loopback address: nobody listens there
CREATE SERVER smoke FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint 'http://127.0.0.1:1', region 'eu-west-1', max_retries '0');
CREATE USER MAPPING FOR PUBLIC SERVER smoke
  OPTIONS (access_key_id 'AKIDEXAMPLE', secret_access_key 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');

-- a presigned URL is signed locally (time and signature masked)
SELECT regexp_replace(regexp_replace(regexp_replace(
         s3_presign_get('smoke', 'bucket', 'a b/c.csv', 60),
         'X-Amz-Signature=[0-9a-f]{64}$', 'X-Amz-Signature=<64 hex>'),
         'X-Amz-Date=[0-9]{8}T[0-9]{6}Z', 'X-Amz-Date=<now>'),
         '%2F[0-9]{8}%2F', '%2F<date>%2F') AS url;

-- a request: libcurl is loaded and reports the refused connection
DO $$
BEGIN
  PERFORM s3_read('smoke', 'bucket', 'key');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'SQLSTATE %: %', SQLSTATE, SQLERRM;
END $$;

DROP EXTENSION s3_fdw CASCADE;
