--
-- encoding: a database whose encoding is not UTF-8 (WIN1251, C collation).
-- S3 orders keys by their UTF-8 bytes, which is not WIN1251's byte order,
-- so key > x is checked locally there, never sent as start-after; keys are
-- converted, and one that WIN1251 cannot hold is named with its bytes.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
SELECT current_database() AS home \gset
CREATE DATABASE regress_win1251 ENCODING 'WIN1251' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c regress_win1251
SET client_encoding = 'UTF8';
CREATE EXTENSION s3_fdw;
CREATE SERVER s3 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3 OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE SERVER hostile FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER hostile OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('s3', 'regress', k, 'body') IS NOT NULL AS uploaded
  FROM unnest(ARRAY['enc/a', 'enc/z', 'enc/ё', 'enc/ж', 'enc/я']) k;
CREATE FOREIGN TABLE enc (key text, prefix text) SERVER s3 OPTIONS (bucket 'regress');
-- in WIN1251 'ё' (0xB8) sorts before 'ж' (0xE6) and 'я' (0xFF); in UTF-8
-- it sorts after them (d1 91 against d0 b6 and d1 8f): sent as start-after,
-- S3 would return neither
EXPLAIN (COSTS OFF) SELECT key FROM enc WHERE prefix = 'enc/' AND key > 'enc/ё';
SELECT key FROM enc WHERE prefix = 'enc/' AND key > 'enc/ё' ORDER BY key;
SELECT key FROM enc WHERE prefix = 'enc/' AND key >= 'enc/ё' ORDER BY key;
SELECT key FROM enc WHERE prefix = 'enc/' ORDER BY key;
-- a key WIN1251 cannot hold
CREATE FOREIGN TABLE hostile_enc (key text, size bigint, prefix text) SERVER hostile OPTIONS (bucket 'regress');
SELECT key FROM hostile_enc WHERE prefix = 'emoji/';
SELECT count(*) FROM hostile_enc WHERE prefix = 'emoji/';
\c :home
DROP DATABASE regress_win1251;
