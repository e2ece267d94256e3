--
-- archive: storage classes and restores.  Every write sends the storage
-- class it is given, or its table's or server's storage_class (s3_upload,
-- s3_copy, s3_export, INSERT and UPDATE through a table, uploads and copies
-- in parts); s3_head and the listing show it, and boto3 sees the same.  An
-- archived object (GLACIER, DEEP_ARCHIVE, INTELLIGENT_TIERING's archive
-- tiers) cannot be read until it is restored: every way of reading it says
-- so, with SQLSTATE 55000 and a hint naming s3_restore().  s3_restore starts
-- a restore (RestoreObject) and says when one runs already or is done;
-- s3_head shows its progress.  moto 5.2.1 models GLACIER and DEEP_ARCHIVE
-- and restores at once; test/fakes/fault_server.py answers as S3 does while
-- a restore runs, for INTELLIGENT_TIERING's archive tiers and for expedited
-- retrievals S3 has no capacity for.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
SET timezone = 'UTC';
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
CREATE OR REPLACE FUNCTION requests() RETURNS bigint LANGUAGE sql AS
  $$ SELECT requests FROM s3_fdw_connection_stats() $$;
SELECT s3_create_bucket('s3', 'regress-archive');
CREATE FOREIGN TABLE arch (key text, storage_class text, size bigint, prefix text, content text)
  SERVER s3 OPTIONS (bucket 'regress-archive');

--
-- the storage class of a write
--
-- s3_upload's argument
SELECT s3_upload('s3', 'regress-archive', 'classes/upload-ia.txt', 'infrequent',
                 storage_class => 'STANDARD_IA') IS NOT NULL AS uploaded;
SELECT s3_upload('s3', 'regress-archive', 'classes/upload-onezone.bin', '\x0001'::bytea,
                 storage_class => 'ONEZONE_IA') IS NOT NULL AS uploaded;
SELECT s3_upload('s3', 'regress-archive', 'classes/upload-plain.txt', 'plain') IS NOT NULL AS uploaded;
-- s3_copy's: the copy's own class; without one, the source's (CopyObject alone would give STANDARD)
SELECT s3_copy('s3', 'regress-archive', 'classes/upload-ia.txt', 'regress-archive',
               'classes/copy-glacier-ir.txt', storage_class => 'GLACIER_IR') IS NOT NULL AS copied;
SELECT s3_copy('s3', 'regress-archive', 'classes/upload-ia.txt', 'regress-archive',
               'classes/copy-default.txt') IS NOT NULL AS copied;
-- a copy onto itself changes the class (S3 refuses a copy in place that changes nothing)
SELECT s3_upload('s3', 'regress-archive', 'classes/moved.txt', 'moved') IS NOT NULL AS uploaded;
SELECT s3_copy('s3', 'regress-archive', 'classes/moved.txt', 'regress-archive',
               'classes/moved.txt', storage_class => 'REDUCED_REDUNDANCY') IS NOT NULL AS copied;
-- s3_export's option, one PUT (COPY's options fold a word to lower case:
-- storage classes are upper-case, and the option's value is taken so)
SELECT * FROM s3_export('s3', 'SELECT i, i * i FROM generate_series(1, 3) i', 'regress-archive',
                        'classes/export-ia.csv', 'format csv, storage_class STANDARD_IA');
-- the server's storage_class, unless the call gives one
CREATE SERVER s3_ia FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', storage_class 'STANDARD_IA', multipart_threshold '5MB',
           part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER s3_ia OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('s3_ia', 'regress-archive', 'classes/server-default.txt', 'x') IS NOT NULL AS uploaded;
SELECT s3_upload('s3_ia', 'regress-archive', 'classes/server-overridden.txt', 'x',
                 storage_class => 'STANDARD') IS NOT NULL AS uploaded;
-- the table's, over the server's, for INSERT and UPDATE
CREATE FOREIGN TABLE arch_it (key text, content text, storage_class text, prefix text)
  SERVER s3_ia OPTIONS (bucket 'regress-archive', storage_class 'INTELLIGENT_TIERING');
INSERT INTO arch_it (key, content) VALUES ('classes/insert-1.txt', 'one'), ('classes/insert-2.txt', 'two');
UPDATE arch_it SET content = 'two again' WHERE key = 'classes/insert-2.txt' RETURNING key;
SELECT s3_read_text('s3', 'regress-archive', 'classes/insert-2.txt') AS updated;
CREATE FOREIGN TABLE arch_srv (key text, content text) SERVER s3_ia OPTIONS (bucket 'regress-archive');
INSERT INTO arch_srv VALUES ('classes/insert-server.txt', 'server''s class');
-- in parts: an upload and a copy above multipart_threshold, an export of several parts
CREATE TEMP TABLE big AS SELECT decode(repeat('00ff7f80', 1600000), 'hex') AS b;
SELECT s3_upload('s3_ia', 'regress-archive', 'classes/multipart-ia.bin', b) ~ '-2$' AS in_two_parts FROM big;
SELECT s3_upload('s3_ia', 'regress-archive', 'classes/multipart-glacier-ir.bin', b,
                 storage_class => 'GLACIER_IR') ~ '-2$' AS in_two_parts FROM big;
SELECT s3_copy('s3_ia', 'regress-archive', 'classes/multipart-ia.bin', 'regress-archive',
               'classes/multipart-copy-onezone.bin', storage_class => 'ONEZONE_IA') ~ '-2$' AS in_two_parts;
SELECT rows, parts FROM s3_export('s3_ia', 'SELECT repeat(''x'', 1000) FROM generate_series(1, 6000)',
                                  'regress-archive', 'classes/export-multipart.csv',
                                  'format csv, storage_class ''GLACIER_IR''');
-- s3_head, the listing and boto3 agree
SELECT key, (SELECT storage_class FROM s3_head('s3', 'regress-archive', key)) AS head, storage_class AS listing
  FROM arch WHERE prefix = 'classes/' ORDER BY key;
\! python3 test/s3tool.py storage-class regress-archive classes/copy-default.txt classes/copy-glacier-ir.txt classes/export-ia.csv classes/export-multipart.csv classes/insert-1.txt classes/insert-2.txt classes/insert-server.txt classes/moved.txt classes/multipart-copy-onezone.bin classes/multipart-glacier-ir.bin classes/multipart-ia.bin classes/server-default.txt classes/server-overridden.txt classes/upload-ia.txt classes/upload-onezone.bin classes/upload-plain.txt
-- the listing pushes nothing down for storage_class: S3 filters by prefix only
SELECT count(*) FROM arch WHERE prefix = 'classes/' AND storage_class = 'STANDARD_IA';

-- bad values are refused before anything is sent
SELECT requests() AS r0 \gset
SELECT s3_try($$SELECT s3_upload('s3', 'regress-archive', 'classes/bad.txt', 'x', storage_class => 'standard_ia')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-archive', 'classes/bad.txt', 'x', storage_class => '')$$);
SELECT s3_try($$SELECT s3_copy('s3', 'regress-archive', 'classes/upload-ia.txt', 'regress-archive',
                               'classes/bad.txt', storage_class => 'STANDARD IA')$$);
SELECT s3_try($$SELECT * FROM s3_export('s3', 'SELECT 1', 'regress-archive', 'classes/bad.csv',
                                        'format csv, storage_class ''GLACIER IR''')$$);
SELECT requests() - :r0 AS requests_sent;
CREATE SERVER bad_class FOREIGN DATA WRAPPER s3_fdw OPTIONS (storage_class 'Glacier');
CREATE FOREIGN TABLE bad_class (key text) SERVER s3 OPTIONS (bucket 'regress-archive', storage_class 'DEEP ARCHIVE');
ALTER SERVER s3_ia OPTIONS (SET storage_class 'standard');
-- a class of the right shape that S3 does not know is S3's to refuse
SELECT s3_try($$SELECT s3_upload('s3', 'regress-archive', 'classes/bad.txt', 'x', storage_class => 'PLATINUM')$$);
\! python3 test/s3tool.py exists regress-archive classes/bad.txt

--
-- an archived object cannot be read until it is restored
--
SELECT s3_upload('s3', 'regress-archive', 'cold/glacier.csv', E'1,one\n2,two\n',
                 storage_class => 'GLACIER') IS NOT NULL AS uploaded;
\! python3 test/s3tool.py put-class regress-archive cold/deep.txt 'deep down' DEEP_ARCHIVE
-- its headers can be read, and its listing row
SELECT size, storage_class, restore_status, restore_expiry, archive_status
  FROM s3_head('s3', 'regress-archive', 'cold/glacier.csv');
SELECT key, size, storage_class FROM arch WHERE prefix = 'cold/' ORDER BY key;
\! python3 test/s3tool.py restore-status regress-archive cold/glacier.csv + get regress-archive cold/glacier.csv
-- not its bytes, whichever way they are read
SELECT s3_try($$SELECT s3_read('s3', 'regress-archive', 'cold/glacier.csv')$$);
SELECT s3_try($$SELECT s3_read_text('s3', 'regress-archive', 'cold/deep.txt')$$);
SELECT s3_try($$SELECT s3_read('s3', 'regress-archive', 'cold/glacier.csv', 2, 3)$$);
SELECT s3_try($$SELECT s3_read_text('s3', 'regress-archive', 'cold/glacier.csv', 0, 5)$$);
CREATE TABLE cold_rows (id int, name text);
SELECT s3_try($$SELECT s3_import('s3', 'regress-archive', 'cold/glacier.csv', 'cold_rows')$$);
SELECT s3_try($$SELECT key, content FROM arch WHERE prefix = 'cold/'$$);
-- nor copied (moto answers ObjectNotInActiveTierError, S3 InvalidObjectState: see below)
SELECT s3_try($$SELECT s3_copy('s3', 'regress-archive', 'cold/glacier.csv', 'regress-archive', 'cold/copy.csv')$$);

--
-- s3_restore
--
-- days and tier are checked before anything is sent
SELECT requests() AS r0 \gset
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'cold/glacier.csv', 0)$$);
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'cold/glacier.csv', -1)$$);
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'cold/glacier.csv', 30001)$$);
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'cold/glacier.csv', tier => 'standard')$$);
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'cold/glacier.csv', tier => 'Fast')$$);
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'cold/glacier.csv', version_id => '')$$);
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', NULL)$$);
SELECT s3_try($$SELECT s3_restore('s3', 'Bad_Bucket', 'cold/glacier.csv')$$);
SELECT requests() - :r0 AS requests_sent;
-- a restore starts (moto's are done at once: S3's take minutes to hours)
SELECT s3_restore('s3', 'regress-archive', 'cold/glacier.csv');
SELECT storage_class, restore_status,
       restore_expiry > now() AND restore_expiry <= now() + interval '2 days' AS expires_in_a_day
  FROM s3_head('s3', 'regress-archive', 'cold/glacier.csv');
SELECT restore_expiry AS first_expiry FROM s3_head('s3', 'regress-archive', 'cold/glacier.csv') \gset
\! python3 test/s3tool.py restore-status regress-archive cold/glacier.csv | sed -E 's/expiry-date="[^"]+"/expiry-date="<date>"/'
-- restored, it reads whichever way
SELECT s3_read_text('s3', 'regress-archive', 'cold/glacier.csv');
SELECT s3_read_text('s3', 'regress-archive', 'cold/glacier.csv', 2, 3);
SELECT s3_import('s3', 'regress-archive', 'cold/glacier.csv', 'cold_rows');
SELECT * FROM cold_rows ORDER BY id;
SELECT key, content FROM arch WHERE prefix = 'cold/glacier' ORDER BY key;
-- asked again, it is restored already: the expiry moves to days from now
SELECT s3_restore('s3', 'regress-archive', 'cold/glacier.csv', days => 3);
SELECT restore_status, restore_expiry > :'first_expiry' AS expiry_moved
  FROM s3_head('s3', 'regress-archive', 'cold/glacier.csv');
-- a restored copy can be copied; onto itself as STANDARD, it is no longer archived
SELECT s3_copy('s3', 'regress-archive', 'cold/glacier.csv', 'regress-archive',
               'cold/glacier-copy.csv') IS NOT NULL AS copied;
SELECT s3_copy('s3', 'regress-archive', 'cold/glacier.csv', 'regress-archive', 'cold/glacier.csv',
               storage_class => 'STANDARD') IS NOT NULL AS copied;
SELECT storage_class, restore_status, restore_expiry FROM s3_head('s3', 'regress-archive', 'cold/glacier.csv');
-- DEEP_ARCHIVE, Bulk, a week
SELECT s3_restore('s3', 'regress-archive', 'cold/deep.txt', 7, 'Bulk');
SELECT s3_read_text('s3', 'regress-archive', 'cold/deep.txt');
-- an object that is not archived, one that does not exist
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'classes/upload-plain.txt')$$);
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'classes/upload-ia.txt', 1, 'Expedited')$$);
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'cold/nothing-here.txt')$$);
-- the privilege: a role with the read-only user's keys (no s3:RestoreObject)
SET ROLE regress_s3_reader;
SELECT s3_try($$SELECT s3_restore('s3', 'regress-archive', 'cold/deep.txt')$$);
RESET ROLE;

--
-- what moto does not model, from the fake (test/fakes/fault_server.py)
--
CREATE SERVER archfake FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'fault_endpoint', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER archfake OPTIONS (access_key_id :'ak', secret_access_key :'sk');
-- a restore under way: s3_head says so, the object still cannot be read, and
-- asking again (S3's 409 RestoreAlreadyInProgress) is no error
SELECT storage_class, restore_status, restore_expiry, archive_status
  FROM s3_head('archfake', 'regress', 'restoring/a.txt');
\! S3TOOL_ENDPOINT=$S3FDW_FAULT_ENDPOINT python3 test/s3tool.py restore-status regress restoring/a.txt + get regress restoring/a.txt
SELECT s3_try($$SELECT s3_read_text('archfake', 'regress', 'restoring/a.txt')$$);
SELECT s3_restore('archfake', 'regress', 'restoring/a.txt');
-- DEEP_ARCHIVE from start to end: started, in progress, restored, then its expiry moved
SELECT storage_class, restore_status FROM s3_head('archfake', 'regress', 'deeparchive/b.txt');
SELECT s3_restore('archfake', 'regress', 'deeparchive/b.txt', days => 5, tier => 'Bulk');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__restore?path=/regress/deeparchive/b.txt"
SELECT restore_status, restore_expiry FROM s3_head('archfake', 'regress', 'deeparchive/b.txt');
SELECT s3_restore('archfake', 'regress', 'deeparchive/b.txt', days => 5, tier => 'Bulk');
SELECT s3_try($$SELECT s3_read_text('archfake', 'regress', 'deeparchive/b.txt')$$);
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__restored?path=/regress/deeparchive/b.txt"
SELECT restore_status, restore_expiry FROM s3_head('archfake', 'regress', 'deeparchive/b.txt');
SELECT s3_read_text('archfake', 'regress', 'deeparchive/b.txt');
SELECT s3_restore('archfake', 'regress', 'deeparchive/b.txt', days => 2);
SELECT restore_status, restore_expiry FROM s3_head('archfake', 'regress', 'deeparchive/b.txt');
-- one version of an object; no tier (S3's default)
SELECT s3_restore('archfake', 'regress', 'deeparchive/v.txt', tier => NULL, version_id => 'v1+/=');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__restore?path=/regress/deeparchive/v.txt"
-- INTELLIGENT_TIERING's archive tiers: no days (S3 refuses them), then in progress
SELECT storage_class, restore_status, archive_status FROM s3_head('archfake', 'regress', 'itarchive/c.txt');
\! S3TOOL_ENDPOINT=$S3FDW_FAULT_ENDPOINT python3 test/s3tool.py restore-status regress itarchive/c.txt
SELECT s3_try($$SELECT s3_read('archfake', 'regress', 'itarchive/c.txt')$$);
SELECT s3_try($$SELECT s3_restore('archfake', 'regress', 'itarchive/c.txt')$$);
SELECT s3_restore('archfake', 'regress', 'itarchive/c.txt', days => NULL);
\! curl -s "$S3FDW_FAULT_ENDPOINT/__restore?path=/regress/itarchive/c.txt"
SELECT storage_class, restore_status, archive_status FROM s3_head('archfake', 'regress', 'itarchive/c.txt');
SELECT s3_restore('archfake', 'regress', 'itarchive/c.txt', days => NULL);
-- no capacity for an expedited retrieval (503, tried again, then an error); Standard starts
SELECT s3_try($$SELECT s3_restore('archfake', 'regress', 'noexpedite/d.txt', 1, 'Expedited')$$);
SELECT s3_restore('archfake', 'regress', 'noexpedite/d.txt', 1, 'Standard');
-- S3 answers a copy of an archived object with InvalidObjectState: CopyObject,
-- and UploadPartCopy for a copy in parts (whose upload is then aborted)
SELECT s3_try($$SELECT s3_copy('archfake', 'regress', 'deeparchive/f.txt', 'regress-archive', 'copies/f.txt')$$);
SELECT requests() AS r0 \gset
SELECT s3_try($$SELECT s3_copy('archfake', 'regress', 'restoring/e-big', 'regress-archive', 'copies/e')$$);
SELECT requests() - :r0 > 3 AS in_parts;
\! python3 test/s3tool.py uploads regress-archive
-- x-amz-restore that cannot be read is an invalid answer, not a guess
SELECT s3_try($$SELECT restore_status FROM s3_head('archfake', 'regress', 'badhead/badrestore')$$);
SELECT s3_try($$SELECT restore_status FROM s3_head('archfake', 'regress', 'badhead/badexpiry')$$);

DROP TABLE cold_rows;
DROP SERVER archfake CASCADE;
DROP SERVER s3_ia CASCADE;
DROP FOREIGN TABLE arch;
