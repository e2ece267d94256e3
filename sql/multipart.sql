--
-- multipart: a body above the server's multipart_threshold goes to S3 in
-- parts of part_size, up to max_concurrency at once, each tried again on
-- its own; whatever ends an upload early (a part that keeps failing, an
-- error document in a 200 answer, statement_timeout), AbortMultipartUpload
-- leaves no upload and no parts behind.  moto checks every signature;
-- test/fakes/fault_server.py in front of it makes the parts fail.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK

-- the options: sizes with PostgreSQL's units, from 5 MB (S3's smallest part) to 1 GB
CREATE SERVER bad_mp FOREIGN DATA WRAPPER s3_fdw OPTIONS (multipart_threshold '1MB');
CREATE SERVER bad_mp FOREIGN DATA WRAPPER s3_fdw OPTIONS (part_size '2GB');
CREATE SERVER bad_mp FOREIGN DATA WRAPPER s3_fdw OPTIONS (part_size 'large');
CREATE SERVER bad_mp FOREIGN DATA WRAPPER s3_fdw OPTIONS (payload_signing 'sometimes');
CREATE SERVER bad_mp FOREIGN DATA WRAPPER s3_fdw OPTIONS (part_size '5242880', multipart_threshold '8 MB');
ALTER SERVER bad_mp OPTIONS (SET multipart_threshold '1GB', SET part_size '1GB');
DROP SERVER bad_mp;

CREATE SERVER mp FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', multipart_threshold '5MB', part_size '5MB', max_concurrency '4');
CREATE USER MAPPING FOR PUBLIC SERVER mp OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE SERVER mpf FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'fault_endpoint', multipart_threshold '5MB', part_size '5MB', max_concurrency '4');
CREATE USER MAPPING FOR PUBLIC SERVER mpf OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE TEMP TABLE body AS
  SELECT decode(repeat('00ff7f80', 3 * 1024 * 1024), 'hex') || '\x0102'::bytea AS b;

-- 12 MB and 2 bytes: three parts (5 + 5 + 2), the ETag says so; boto3 reads the same bytes
SELECT s3_upload('mp', 'regress', 'mp/big.bin', b) ~ '^[0-9a-f]{32}-3$' AS three_parts FROM body;
\! python3 test/s3tool.py sha256 regress mp/big.bin
SELECT sha256(s3_read('mp', 'regress', 'mp/big.bin')) = sha256(b) AS same_bytes FROM body;
-- with a content type
SELECT s3_upload('mp', 'regress', 'mp/big.txt', b, 'text/plain') ~ '-3$' AS three_parts FROM body;
\! python3 test/s3tool.py head regress mp/big.txt | cut -c1-24
-- at the threshold or below it: one PUT, an MD5 ETag
SELECT s3_upload('mp', 'regress', 'mp/five.bin', substring(b for 5 * 1024 * 1024)) = md5(substring(b for 5 * 1024 * 1024)) AS one_put FROM body;
SELECT s3_upload('mp', 'regress', 'mp/small.bin', 'small'::bytea) = md5('small') AS one_put;
-- S3's 10,000 parts at most: bigger parts when the body would need more (not testable below 48 GB)

-- a part answered 503 twice is tried again on its own, and the upload completes
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT s3_upload('mpf', 'regress', 'partflaky/big.bin', b) ~ '-3$' AS three_parts FROM body;
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/partflaky/big.bin%231"
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress/partflaky/big.bin%232"
SELECT sha256(s3_read('mp', 'regress', 'partflaky/big.bin')) = sha256(b) AS same_bytes FROM body;

-- a part that always fails: the error, and nothing left in the bucket
SELECT s3_try($$SELECT s3_upload('mpf', 'regress', 'partfail/big.bin', b) FROM body$$);
\! python3 test/s3tool.py uploads regress
\! python3 test/s3tool.py exists regress partfail/big.bin
-- CompleteMultipartUpload answered 200 with an error document
SELECT s3_try($$SELECT s3_upload('mpf', 'regress', 'completefail/big.bin', b) FROM body$$);
\! python3 test/s3tool.py uploads regress
\! python3 test/s3tool.py exists regress completefail/big.bin
-- CompleteMultipartUpload answered with an empty <ETag></ETag> (Ceph RGW 16.2's answer):
-- the object is complete; the ETag given back is the object's (HeadObject's, as boto3
-- sees it), and nothing is aborted; the same for a copy in parts and an export
SELECT s3_upload('mpf', 'regress', 'emptyetag/big.bin', b) AS etag FROM body;
\! python3 test/s3tool.py head regress emptyetag/big.bin
SELECT s3_copy('mpf', 'regress', 'mp/big.bin', 'regress', 'emptyetag/copy.bin') AS etag;
\! python3 test/s3tool.py head regress emptyetag/copy.bin
SELECT * FROM s3_export('mpf', 'SELECT i, md5(i::text) FROM generate_series(1, 200000) i',
                        'regress', 'emptyetag/export.csv');
\! python3 test/s3tool.py object regress emptyetag/export.csv
\! python3 test/s3tool.py uploads regress
-- an abort that fails is a WARNING, and the session can still be cancelled afterwards
SELECT s3_try($$SELECT s3_upload('mpf', 'regress', 'abortfail/big.bin', b) FROM body$$);
SET statement_timeout = '300ms';
SELECT pg_sleep(3);
RESET statement_timeout;
-- statement_timeout with every part in flight: the statement ends, the upload is aborted
CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
SET statement_timeout = '1s';
SELECT s3_upload('mpf', 'regress', 'partslow/big.bin', b) FROM body;
RESET statement_timeout;
SELECT clock_timestamp() - t < interval '3 s' AS ended_quickly FROM t0;
\! python3 test/s3tool.py uploads regress
\! python3 test/s3tool.py exists regress partslow/big.bin
-- in a subtransaction that fails too; the session goes on
DO $$
BEGIN
  PERFORM s3_upload('mpf', 'regress', 'partfail/again.bin', b) FROM body;
EXCEPTION WHEN fdw_error THEN
  RAISE NOTICE 'caught %', sqlstate;
END $$;
\! python3 test/s3tool.py uploads regress
SELECT s3_upload('mp', 'regress', 'mp/after.bin', b) ~ '-3$' AS three_parts FROM body;
