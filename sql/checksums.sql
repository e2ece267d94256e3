--
-- checksums: an upload sends the checksum of its body (x-amz-checksum-<alg>
-- with x-amz-sdk-checksum-algorithm) in the algorithm asked for (CRC32C,
-- CRC32, SHA256, SHA1), for S3 to check and keep; a multipart upload
-- declares it (x-amz-checksum-algorithm), sends each part's and lists them
-- in CompleteMultipartUpload, and S3 keeps the composite ("-N").  A read of
-- a whole object asks for the stored checksum (x-amz-checksum-mode:
-- ENABLED) and checks the body against it, a composite one part by part;
-- a mismatch is an error (XX001) and nothing is returned.  moto checks
-- every signature; boto3 (test/s3tool.py stored-checksum) reads the stored
-- checksum and compares it with one computed in Python (zlib, hashlib, a
-- CRC32C of its own); test/fakes/fault_server.py corrupts answers.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE SERVER ck FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER ck OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE SERVER ckf FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'fault_endpoint', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER ckf OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_create_bucket('ck', 'regress-ck');
-- the bytes boto3's put-checksum uploads: (i * 7) % 251, as a table of sizes
CREATE FUNCTION pattern(n integer) RETURNS bytea LANGUAGE sql AS
$$SELECT string_agg(set_byte('\x00'::bytea, 0, (i * 7) % 251), ''::bytea ORDER BY i)
    FROM generate_series(0, n - 1) i$$;
CREATE TEMP TABLE small AS SELECT pattern(1000) AS b;
-- 5 MB and 600 kB: two parts
CREATE TEMP TABLE big AS SELECT decode(repeat('00ff7f80', 1400000), 'hex') AS b;

-- each algorithm on one PUT: S3 keeps it; s3_head shows it; boto3 computes the same
SELECT a, s3_upload('ck', 'regress-ck', 'one/' || a, b, checksum_algorithm => a) = md5(b) AS uploaded
  FROM small, unnest(ARRAY['CRC32C', 'crc32', 'Sha256', 'SHA1']) a;
SELECT key, h.checksum_algorithm, h.checksum, h.checksum_type
  FROM unnest(ARRAY['one/CRC32C', 'one/crc32', 'one/Sha256', 'one/SHA1']) key,
       s3_head('ck', 'regress-ck', key) h;
\! python3 test/s3tool.py stored-checksum regress-ck one/CRC32C + stored-checksum regress-ck one/crc32 + stored-checksum regress-ck one/Sha256 + stored-checksum regress-ck one/SHA1
-- read back: each body checked against its checksum
SELECT key, s3_read('ck', 'regress-ck', key) = b AS same_bytes
  FROM small, unnest(ARRAY['one/CRC32C', 'one/crc32', 'one/Sha256', 'one/SHA1']) key;
-- without an algorithm over http: no checksum (the signature covers the body's SHA-256)
SELECT s3_upload('ck', 'regress-ck', 'one/none', b) = md5(b) AS uploaded FROM small;
SELECT checksum_algorithm, checksum FROM s3_head('ck', 'regress-ck', 'one/none');
SELECT s3_read('ck', 'regress-ck', 'one/none') = b AS same_bytes FROM small;

-- multipart: the upload declares the algorithm, every part carries its own,
-- CompleteMultipartUpload lists them; S3 keeps the composite of the two parts
-- (moto's HEAD shows it without its "-2" and type, which its GET sends)
SELECT a, s3_upload('ck', 'regress-ck', 'mp/' || a, b, checksum_algorithm => a) ~ '-2$' AS two_parts
  FROM big, unnest(ARRAY['CRC32C', 'CRC32', 'SHA256', 'SHA1']) a;
SELECT key, h.checksum_algorithm, h.checksum
  FROM unnest(ARRAY['mp/CRC32C', 'mp/CRC32', 'mp/SHA256', 'mp/SHA1']) key,
       s3_head('ck', 'regress-ck', key) h;
\! python3 test/s3tool.py stored-checksum regress-ck mp/CRC32C + stored-checksum regress-ck mp/CRC32 + stored-checksum regress-ck mp/SHA256 + stored-checksum regress-ck mp/SHA1
-- read back: the composite checked part by part (a HEAD of part 1 gives the part size)
SELECT key, sha256(s3_read('ck', 'regress-ck', key)) = sha256(b) AS same_bytes
  FROM big, unnest(ARRAY['mp/CRC32C', 'mp/CRC32', 'mp/SHA256', 'mp/SHA1']) key;

-- boto3's uploads with each algorithm, one PUT and in parts (5 MB, and parts of
-- 5 MB, 6 MB and what is left: the sizes asked for part by part) read fine
\! python3 test/s3tool.py put-checksum regress-ck boto/CRC32C CRC32C 1000 + put-checksum regress-ck boto/CRC32 CRC32 1000 + put-checksum regress-ck boto/SHA256 SHA256 1000 + put-checksum regress-ck boto/SHA1 SHA1 1000
\! python3 test/s3tool.py put-checksum regress-ck boto/mp-CRC32C CRC32C 5600000 5242880 + put-checksum regress-ck boto/mp-SHA1 SHA1 5600000 5242880
SELECT key, s3_read('ck', 'regress-ck', key) = b AS same_bytes
  FROM small, unnest(ARRAY['boto/CRC32C', 'boto/CRC32', 'boto/SHA256', 'boto/SHA1']) key;
SELECT key, length(s3_read('ck', 'regress-ck', key)) AS bytes,
       encode(sha256(s3_read('ck', 'regress-ck', key)), 'hex') AS sha256
  FROM unnest(ARRAY['boto/mp-CRC32C', 'boto/mp-SHA1']) key;
\! python3 test/s3tool.py sha256 regress-ck boto/mp-CRC32C + sha256 regress-ck boto/mp-SHA1

-- the server's option, and a call's argument over it
CREATE SERVER ck_sha FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', checksum_algorithm 'sha256', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER ck_sha OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('ck_sha', 'regress-ck', 'server/default', b) = md5(b) AS uploaded FROM small;
SELECT s3_upload('ck_sha', 'regress-ck', 'server/crc32', b, checksum_algorithm => 'CRC32') = md5(b) AS uploaded FROM small;
SELECT s3_upload('ck_sha', 'regress-ck', 'server/parts', b) ~ '-2$' AS two_parts FROM big;
SELECT key, h.checksum_algorithm, h.checksum
  FROM unnest(ARRAY['server/default', 'server/crc32', 'server/parts']) key,
       s3_head('ck_sha', 'regress-ck', key) h;
-- the foreign table's option, for INSERT
CREATE FOREIGN TABLE ck_objects (key text, content text) SERVER ck
  OPTIONS (bucket 'regress-ck', prefix 'table/', checksum_algorithm 'SHA1');
INSERT INTO ck_objects VALUES ('table/a.txt', 'through the table');
SELECT checksum_algorithm, checksum FROM s3_head('ck', 'regress-ck', 'table/a.txt');
-- the listing's content column checks each body too
SELECT key, content FROM ck_objects;

-- s3_copy: S3 computes the copy's checksum in the algorithm asked for
SELECT s3_copy('ck', 'regress-ck', 'one/none', 'regress-ck', 'copy/crc32', checksum_algorithm => 'CRC32') IS NOT NULL AS copied;
SELECT checksum_algorithm, checksum FROM s3_head('ck', 'regress-ck', 'copy/crc32');
\! python3 test/s3tool.py stored-checksum regress-ck copy/crc32

-- s3_export's option: one PUT, and a streamed multipart upload
CREATE TEMP TABLE ck_rows AS SELECT i AS id, md5(i::text) AS v FROM generate_series(1, 100) i;
SELECT * FROM s3_export('ck', 'SELECT * FROM ck_rows ORDER BY id', 'regress-ck', 'export/small.csv',
                        'format csv, checksum_algorithm crc32c');
SELECT rows, parts FROM s3_export('ck', 'SELECT i, repeat(''x'', 100) FROM generate_series(1, 60000) i',
                                  'regress-ck', 'export/big.csv', 'format csv, checksum_algorithm SHA256');
SELECT key, h.checksum_algorithm, h.checksum
  FROM unnest(ARRAY['export/small.csv', 'export/big.csv']) key, s3_head('ck', 'regress-ck', key) h;
\! python3 test/s3tool.py stored-checksum regress-ck export/small.csv + stored-checksum regress-ck export/big.csv
-- s3_import reads them back (the small one in one GET, checked)
CREATE TEMP TABLE ck_rows2 (id integer, v text);
SELECT s3_import('ck', 'regress-ck', 'export/small.csv', 'ck_rows2');
SELECT count(*), sum(id) FROM ck_rows2;

-- over https without an algorithm: CRC32C with the unsigned payload (the
-- default, as the AWS SDKs do); a multipart upload declares it (S3 refuses
-- parts with a checksum the upload did not declare), and S3 keeps the composite
\getenv tls_port S3FDW_TLS_PORT
\getenv ca_file S3FDW_CA_FILE
\set tls_endpoint 'https://127.0.0.1:' :tls_port
CREATE SERVER ck_tls FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'tls_endpoint', ca_file :'ca_file', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER ck_tls OPTIONS (access_key_id 'AKIAEXAMPLE', secret_access_key 'x');
SELECT s3_create_bucket('ck_tls', 'regress-ck-tls');
SELECT s3_upload('ck_tls', 'regress-ck-tls', 'default.bin', b) = md5(b) AS uploaded FROM small;
SELECT s3_upload('ck_tls', 'regress-ck-tls', 'default-parts.bin', b) ~ '-2$' AS two_parts FROM big;
SELECT s3_upload('ck_tls', 'regress-ck-tls', 'sha1-parts.bin', b, checksum_algorithm => 'SHA1') ~ '-2$' AS two_parts FROM big;
\! S3TOOL_ENDPOINT="https://127.0.0.1:$S3FDW_TLS_PORT" S3TOOL_CA_FILE="$S3FDW_CA_FILE" python3 test/s3tool.py stored-checksum regress-ck-tls default.bin + stored-checksum regress-ck-tls default-parts.bin + stored-checksum regress-ck-tls sha1-parts.bin
SELECT key, sha256(s3_read('ck_tls', 'regress-ck-tls', key)) = sha256(b) AS same_bytes
  FROM big, unnest(ARRAY['default-parts.bin', 'sha1-parts.bin']) key;

-- a body that does not match its checksum: an error, nothing returned
SELECT s3_upload('ckf', 'regress-ck', 'badcrc/a.bin', b, checksum_algorithm => 'CRC32C') = md5(b) AS uploaded FROM small;
SELECT s3_try($$SELECT s3_read('ckf', 'regress-ck', 'badcrc/a.bin')$$);
SELECT s3_try($$SELECT s3_read_text('ckf', 'regress-ck', 'badcrc/a.bin')$$);
-- the listing's content column, and s3_import
CREATE FOREIGN TABLE ck_bad (key text, content bytea) SERVER ckf
  OPTIONS (bucket 'regress-ck', prefix 'badcrc/');
SELECT s3_try($$SELECT key, content FROM ck_bad$$);
SELECT s3_try($$SELECT s3_import('ckf', 'regress-ck', 'badcrc/a.bin', 'ck_rows2', options => 'format text')$$);
-- an object imported in several ranged GETs (above 8 MB): S3 sends no checksum
-- with a range, so the HEAD's is computed over the chunks as they come and
-- compared before COPY ends; a changed byte in the second chunk loads nothing
CREATE SERVER ck_big FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', checksum_algorithm 'CRC32');
CREATE USER MAPPING FOR PUBLIC SERVER ck_big OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT rows, bytes, parts FROM s3_export('ck_big', 'SELECT repeat(''x'', 99) FROM generate_series(1, 100000)',
                                         'regress-ck', 'badchunk/rows.csv');
SELECT checksum_algorithm, checksum FROM s3_head('ck', 'regress-ck', 'badchunk/rows.csv');
CREATE TEMP TABLE ck_lines (line text);
SELECT s3_import('ck', 'regress-ck', 'badchunk/rows.csv', 'ck_lines');
SELECT s3_try($$SELECT s3_import('ckf', 'regress-ck', 'badchunk/rows.csv', 'ck_lines')$$);
SELECT count(*) FROM ck_lines;
-- a ranged read gets no checksum from S3: not checked
SELECT s3_read('ckf', 'regress-ck', 'badcrc/a.bin', 0, 4) = substring(b for 4) AS first_bytes FROM small;
-- a multipart object whose second part came back with a byte changed: its
-- composite checksum, recomputed from the part sizes, differs
SELECT s3_upload('ckf', 'regress-ck', 'badpart/big.bin', b, checksum_algorithm => 'CRC32C') ~ '-2$' AS two_parts FROM big;
SELECT s3_try($$SELECT s3_read('ckf', 'regress-ck', 'badpart/big.bin')$$);
-- the same object read without the fault: fine
SELECT sha256(s3_read('ck', 'regress-ck', 'badpart/big.bin')) = sha256(b) AS same_bytes FROM big;
-- S3 answering a PUT with another checksum than the one sent
SELECT s3_try($$SELECT s3_upload('ckf', 'regress-ck', 'badecho/a.bin', 'x'::bytea, checksum_algorithm => 'SHA1')$$);

-- algorithm names: refused before anything is sent
SELECT s3_try($$SELECT s3_upload('ck', 'regress-ck', 'x', 'x'::bytea, checksum_algorithm => 'MD5')$$);
SELECT s3_try($$SELECT s3_upload('ck', 'regress-ck', 'x', 'x'::bytea, checksum_algorithm => 'CRC64NVME')$$);
SELECT s3_try($$SELECT * FROM s3_export('ck', 'SELECT 1', 'regress-ck', 'x', 'format csv, checksum_algorithm sha512')$$);
CREATE SERVER ck_bad_opt FOREIGN DATA WRAPPER s3_fdw OPTIONS (checksum_algorithm 'crc');
\! python3 test/s3tool.py exists regress-ck x

DROP FOREIGN TABLE ck_objects, ck_bad;
DROP SERVER ck, ckf, ck_sha, ck_tls, ck_big CASCADE;
DROP FUNCTION pattern(integer);
