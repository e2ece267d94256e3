--
-- versions: S3 Versioning.  s3_put_bucket_versioning and
-- s3_get_bucket_versioning; the version_id arguments of s3_read,
-- s3_read_text (whole and ranged), s3_head and s3_remove, and s3_copy's
-- src_version_id; a foreign table with versions 'true', which lists with
-- ListObjectVersions (versions and delete markers, the same pushdowns,
-- pages, each version's content, DELETE of versions).  Against moto with
-- signatures checked; boto3 lists and reads the same versions.
--
-- Version ids are random: the output names them by labels (v1, v2...)
-- kept in a table as each version is made.  moto's LastModified has whole
-- seconds, and it sends a page's versions before its delete markers: the
-- listing puts them back in S3's order (by key, newest first) by their
-- time, so a delete marker is made a second apart from its neighbours.
--
SET timezone = 'UTC';
CREATE TEMP TABLE labels (label text, version_id text);
-- the version s3_head calls the latest, under a label
CREATE FUNCTION label_latest(label text, key text) RETURNS text LANGUAGE sql AS $$
  INSERT INTO labels SELECT label, version_id FROM s3_head('s3', 'regress-versions', key)
  RETURNING label $$;
CREATE FUNCTION version_of(l text) RETURNS text LANGUAGE sql AS
  $$ SELECT version_id FROM labels WHERE label = l $$;

SELECT s3_create_bucket('s3', 'regress-versions');
-- a bucket never versioned: NULL
SELECT s3_get_bucket_versioning('s3', 'regress-versions') IS NULL AS never_versioned;
\! python3 test/s3tool.py versioning regress-versions
-- an object stored before versioning keeps the version "null"
SELECT s3_upload('s3', 'regress-versions', 'old.txt', 'from before') IS NOT NULL AS uploaded;
SELECT s3_put_bucket_versioning('s3', 'regress-versions', true);
SELECT s3_get_bucket_versioning('s3', 'regress-versions');
\! python3 test/s3tool.py versioning regress-versions
-- arguments: NULL enabled, a bucket that does not exist
SELECT s3_try($$SELECT s3_put_bucket_versioning('s3', 'regress-versions', NULL)$$);
SELECT s3_try($$SELECT s3_put_bucket_versioning('s3', 'no-such-bucket-here', true)$$);
SELECT s3_try($$SELECT s3_get_bucket_versioning('s3', 'no-such-bucket-here')$$);
SELECT s3_try($$SELECT s3_get_bucket_versioning('s3', 'Bad_Bucket')$$);

-- three versions of doc.txt, then a delete marker (the latest)
SELECT s3_upload('s3', 'regress-versions', 'doc.txt', 'one') IS NOT NULL AS uploaded;
SELECT label_latest('v1', 'doc.txt');
SELECT s3_upload('s3', 'regress-versions', 'doc.txt', 'two!') IS NOT NULL AS uploaded;
SELECT label_latest('v2', 'doc.txt');
SELECT s3_upload('s3', 'regress-versions', 'doc.txt', 'three') IS NOT NULL AS uploaded;
SELECT label_latest('v3', 'doc.txt');
SELECT count(DISTINCT version_id) AS distinct_ids, bool_and(version_id <> 'null') AS real_ids FROM labels;
SELECT pg_sleep(1.1);
SELECT s3_remove('s3', 'regress-versions', 'doc.txt');
SELECT pg_sleep(1.1);
-- more keys: under a folder, and one that doc.txt is a prefix of
SELECT s3_upload('s3', 'regress-versions', 'dir/a', 'a') IS NOT NULL AS uploaded,
       s3_upload('s3', 'regress-versions', 'dir/b', 'b') IS NOT NULL AS uploaded,
       s3_upload('s3', 'regress-versions', 'doc.txt2', 'longer key') IS NOT NULL AS uploaded;
SELECT label_latest('a1', 'dir/a'), label_latest('b1', 'dir/b'), label_latest('d1', 'doc.txt2');

-- the latest is a delete marker: no row, and reading it fails as for a missing key
SELECT count(*) AS head_rows FROM s3_head('s3', 'regress-versions', 'doc.txt');
SELECT s3_try($$SELECT s3_read_text('s3', 'regress-versions', 'doc.txt')$$);
-- each version, by its id: whole, ranged, as bytea and as text
SELECT l.label, s3_read_text('s3', 'regress-versions', 'doc.txt', version_id => l.version_id)
  FROM labels l WHERE l.label LIKE 'v%' ORDER BY l.label;
SELECT s3_read('s3', 'regress-versions', 'doc.txt', version_of('v2'));
SELECT s3_read('s3', 'regress-versions', 'doc.txt', 1, 2, version_id => version_of('v3'));
SELECT s3_read_text('s3', 'regress-versions', 'doc.txt', 1, 3, version_of('v2'));
SELECT version_of('v2') AS v2_id \gset
\setenv V2_ID :v2_id
\! python3 test/s3tool.py get-version regress-versions doc.txt "$V2_ID"
-- s3_head of an old version: its own size, ETag and version id
SELECT l.label, h.size, h.etag = md5(s3_read_text('s3', 'regress-versions', 'doc.txt', version_id => l.version_id)) AS etag_is_md5,
       h.version_id = l.version_id AS its_version
  FROM labels l, s3_head('s3', 'regress-versions', 'doc.txt', l.version_id) h
 WHERE l.label LIKE 'v%' ORDER BY l.label;
-- the object from before versioning: version "null"
SELECT s3_read_text('s3', 'regress-versions', 'old.txt', version_id => 'null');

-- a table of versions
CREATE FOREIGN TABLE versions (
  key text, version_id text, is_latest boolean, is_delete_marker boolean,
  size bigint, etag text, last_modified timestamptz, storage_class text,
  prefix text, start_after text, max_keys integer, delimiter text, is_prefix boolean,
  continuation_token text, next_continuation_token text, content text
) SERVER s3 OPTIONS (bucket 'regress-versions', versions 'true');
-- its rows in the listing's order, the versions named by their labels
CREATE FUNCTION show(q text) RETURNS TABLE (n bigint, key text, version text, is_latest boolean,
                                           is_delete_marker boolean, size bigint, etag boolean,
                                           storage_class text, is_prefix boolean)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT r.n, r.key, coalesce(l.label, CASE WHEN r.version_id = ''null'' THEN ''null''
                                            WHEN r.is_delete_marker THEN ''marker'' END),
            r.is_latest, r.is_delete_marker, r.size, r.etag IS NOT NULL, r.storage_class, r.is_prefix
       FROM (SELECT row_number() OVER () AS n, * FROM (%s) q) r
       LEFT JOIN labels l ON l.version_id = r.version_id ORDER BY r.n', q);
END $$;
SELECT * FROM show('SELECT * FROM versions');
-- boto3 lists the same versions and delete markers
\! python3 test/s3tool.py version-counts regress-versions
\set boto3_versions `python3 test/s3tool.py versions regress-versions`
SELECT string_agg(key || ' ' || version_id || ' ' || CASE WHEN is_latest THEN 'latest' ELSE 'old' END
                  || ' ' || CASE WHEN is_delete_marker THEN 'marker' ELSE 'version' END, E'\n'
                  ORDER BY key COLLATE "C", version_id COLLATE "C") = :'boto3_versions' AS same_as_boto3
  FROM versions;
-- one latest per key, each version's time
SELECT key, count(*) FILTER (WHERE is_latest) AS latest, count(*) AS versions,
       bool_and(last_modified IS NOT NULL) AS times
  FROM versions GROUP BY key ORDER BY key;
-- what the delete marker is: no size, ETag or class
SELECT key, size, etag, storage_class, last_modified IS NOT NULL AS has_time
  FROM versions WHERE is_delete_marker;
-- its version id: HEAD says no row (S3 answers 405), a read fails
SELECT version_id AS marker_id FROM versions WHERE is_delete_marker \gset
SELECT count(*) AS head_rows FROM s3_head('s3', 'regress-versions', 'doc.txt', :'marker_id');
SELECT s3_try(format($$SELECT s3_read('s3', 'regress-versions', 'doc.txt', %L)$$, :'marker_id'));

-- pushdowns: a prefix (key LIKE, the prefix column)
SELECT * FROM show($$SELECT * FROM versions WHERE key LIKE 'doc%'$$);
SELECT * FROM show($$SELECT * FROM versions WHERE prefix = 'dir/'$$);
EXPLAIN (COSTS OFF) SELECT key FROM versions WHERE key LIKE 'doc%';
-- key = value: every version of that key, and no page beyond them
SELECT * FROM show($$SELECT * FROM versions WHERE key = 'doc.txt'$$);
EXPLAIN (COSTS OFF) SELECT key FROM versions WHERE key = 'doc.txt';
SELECT * FROM s3_explain_analyze($$SELECT key FROM versions WHERE key = 'doc.txt'$$);
-- key = ANY: one listing per key
SELECT * FROM show($$SELECT * FROM versions WHERE key IN ('old.txt', 'doc.txt2', 'none')$$);
-- a delimiter: the folder is a row, with no version
SELECT * FROM show($$SELECT * FROM versions WHERE delimiter = '/'$$);
-- start_after (sent as key-marker) and key > value.  (moto skips the first
-- version after a key-marker that is not a key; these name keys.  After a
-- key of several versions, moto lists the others: they are dropped)
SELECT * FROM show($$SELECT * FROM versions WHERE start_after = 'dir/b'$$);
SELECT * FROM show($$SELECT * FROM versions WHERE start_after = 'doc.txt'$$);
SELECT * FROM show($$SELECT * FROM versions WHERE key > 'doc.txt' COLLATE "C"$$);
EXPLAIN (COSTS OFF) SELECT key FROM versions WHERE key > 'doc.txt' COLLATE "C";
-- max_keys: one page of that many, and its continuation token
SELECT * FROM show($$SELECT * FROM versions WHERE max_keys = 3$$);
SELECT next_continuation_token = 'doc.txt' || E'\n' || :'marker_id' AS token_is_key_and_version,
       max_keys
  FROM versions WHERE max_keys = 3 LIMIT 1;
-- the next page from it, and the one after
SELECT next_continuation_token AS tok FROM versions WHERE max_keys = 3 LIMIT 1 \gset
SELECT * FROM show(format($$SELECT * FROM versions WHERE max_keys = 3 AND continuation_token = %L$$, :'tok'));
SELECT next_continuation_token AS tok FROM versions WHERE max_keys = 3 AND continuation_token = :'tok' LIMIT 1 \gset
SELECT * FROM show(format($$SELECT * FROM versions WHERE max_keys = 3 AND continuation_token = %L$$, :'tok'));
SELECT bool_and(next_continuation_token IS NULL) AS last_page
  FROM versions WHERE max_keys = 3 AND continuation_token = :'tok';
-- a token written by hand: after a key (and a version of it)
SELECT * FROM show($$SELECT * FROM versions WHERE continuation_token = 'dir/b'$$);
SELECT * FROM show(format($$SELECT * FROM versions WHERE continuation_token = %L$$,
                          'doc.txt' || E'\n' || version_of('v2')));
SELECT s3_try($$SELECT * FROM versions WHERE continuation_token = E'\nabc'$$);
SELECT s3_try($$SELECT * FROM versions WHERE continuation_token = E'doc.txt\nbad\u00e9id'$$);
-- LIMIT: sent as max-keys
EXPLAIN (COSTS OFF) SELECT key FROM versions LIMIT 2;
SELECT * FROM show('SELECT * FROM versions LIMIT 2');

-- each version's content: GetObject of that version; a delete marker has none
SELECT r.key, l.label, r.content, r.is_delete_marker
  FROM (SELECT row_number() OVER () AS n, * FROM versions WHERE key LIKE 'doc%') r
  LEFT JOIN labels l USING (version_id) ORDER BY r.n;
SELECT * FROM s3_explain_analyze($$SELECT content FROM versions WHERE key = 'doc.txt'$$);

-- remove one version for good: the others stay, and no delete marker is added
SELECT s3_remove('s3', 'regress-versions', 'doc.txt', version_of('v2'));
SELECT * FROM show($$SELECT * FROM versions WHERE key = 'doc.txt'$$);
\! python3 test/s3tool.py version-counts regress-versions doc.txt
-- copy an old version back: it becomes the latest, with its bytes
SELECT s3_copy('s3', 'regress-versions', 'doc.txt', 'regress-versions', 'doc.txt',
               src_version_id => version_of('v1')) = md5('one') AS etag_is_md5;
SELECT label_latest('v4 (v1 restored)', 'doc.txt');
SELECT s3_read_text('s3', 'regress-versions', 'doc.txt');
SELECT * FROM show($$SELECT * FROM versions WHERE key = 'doc.txt'$$);
\! python3 test/s3tool.py version-counts regress-versions doc.txt
-- a copy of another key's version, to another key
SELECT s3_copy('s3', 'regress-versions', 'doc.txt', 'regress-versions', 'copy.txt',
               src_version_id => version_of('v3')) = md5('three') AS etag_is_md5;
SELECT s3_read_text('s3', 'regress-versions', 'copy.txt');

-- version ids that are no version: S3's NoSuchVersion, with its SQLSTATE;
-- HEAD says no row; DeleteObject of a version that is not there is no error
SELECT s3_try($$SELECT s3_read_text('s3', 'regress-versions', 'doc.txt', version_id => 'no-such-version')$$);
SELECT s3_try($$SELECT s3_read('s3', 'regress-versions', 'doc.txt', 0, 10, 'no-such-version')$$);
SELECT count(*) AS head_rows FROM s3_head('s3', 'regress-versions', 'doc.txt', 'no-such-version');
SELECT s3_try($$SELECT s3_copy('s3', 'regress-versions', 'doc.txt', 'regress-versions', 'x', src_version_id => 'no-such-version')$$);
SELECT s3_try(format($$SELECT s3_copy('s3', 'regress-versions', 'doc.txt', 'regress-versions', 'x', src_version_id => %L)$$, :'marker_id'));
SELECT s3_remove('s3', 'regress-versions', 'doc.txt', 'no-such-version');
-- an empty version id, or one that is no printable ASCII: refused before any request
SELECT s3_try($$SELECT s3_read('s3', 'regress-versions', 'doc.txt', '')$$);
SELECT s3_try($$SELECT s3_read_text('s3', 'regress-versions', 'doc.txt', 0, 1, '')$$);
SELECT s3_try($$SELECT count(*) FROM s3_head('s3', 'regress-versions', 'doc.txt', '')$$);
SELECT s3_try($$SELECT s3_remove('s3', 'regress-versions', 'doc.txt', '')$$);
SELECT s3_try($$SELECT s3_copy('s3', 'regress-versions', 'doc.txt', 'regress-versions', 'x', src_version_id => '')$$);
SELECT s3_try($$SELECT s3_read('s3', 'regress-versions', 'doc.txt', E'a\nb')$$);
SELECT count(*) AS versions_unchanged FROM versions WHERE key = 'doc.txt';

-- writes through a table of versions: INSERT and UPDATE are refused ...
SELECT s3_try($$INSERT INTO versions (key, content) VALUES ('new.txt', 'x')$$);
SELECT s3_try($$UPDATE versions SET content = 'x' WHERE key = 'doc.txt'$$);
SELECT s3_try($$COPY versions (key, content) FROM PROGRAM 'echo x'$$);
CREATE FOREIGN TABLE versions_noid (key text, is_latest boolean) SERVER s3
  OPTIONS (bucket 'regress-versions', versions 'true');
SELECT s3_try($$DELETE FROM versions_noid WHERE NOT is_latest$$);
-- ... a DELETE removes the rows' versions for good: the old ones of doc.txt
DELETE FROM versions WHERE key = 'doc.txt' AND NOT is_latest
  RETURNING key, coalesce((SELECT label FROM labels l WHERE l.version_id = versions.version_id),
                          'marker') AS version;
SELECT * FROM show($$SELECT * FROM versions WHERE key = 'doc.txt'$$);
\! python3 test/s3tool.py version-counts regress-versions doc.txt
-- removing a delete marker brings the version before it back
SELECT s3_remove('s3', 'regress-versions', 'dir/a');
SELECT count(*) AS head_rows FROM s3_head('s3', 'regress-versions', 'dir/a');
DELETE FROM versions WHERE key = 'dir/a' AND is_delete_marker;
SELECT s3_read_text('s3', 'regress-versions', 'dir/a');
SELECT * FROM show($$SELECT * FROM versions WHERE prefix = 'dir/'$$);

-- a table without versions: the latest objects, without version ids
CREATE FOREIGN TABLE latest (key text, version_id text, is_latest boolean, is_delete_marker boolean)
  SERVER s3 OPTIONS (bucket 'regress-versions');
SELECT * FROM latest;
-- a bucket never versioned, listed with versions 'true': each object once, version "null"
CREATE FOREIGN TABLE listing_versions (key text, version_id text, is_latest boolean,
                                       is_delete_marker boolean, size bigint, max_keys integer)
  SERVER s3 OPTIONS (bucket 'regress-listing', versions 'true');
SELECT count(*) AS objects, count(DISTINCT key) AS keys, bool_and(version_id = 'null') AS null_versions,
       bool_and(is_latest AND NOT is_delete_marker) AS all_latest
  FROM listing_versions;
\! python3 test/s3tool.py count regress-listing ''
-- 2,501 versions come in pages of 1,000: three requests
SELECT * FROM s3_explain_analyze('SELECT count(*) FROM listing_versions');
-- pages of a given size: max_keys above 1,000
SELECT count(*) AS rows, min(key) AS first, max(key) AS last
  FROM listing_versions WHERE max_keys = 1500;
SELECT * FROM s3_explain_analyze('SELECT count(*) FROM listing_versions WHERE max_keys = 1500');
-- 1,001 versions of one key (boto3 makes them, in a bucket of their own),
-- then another key: the key's versions in two pages (the second after a
-- version-id-marker), and no page after them
SELECT s3_create_bucket('s3', 'regress-versions-many');
SELECT s3_put_bucket_versioning('s3', 'regress-versions-many', true);
\! python3 test/s3tool.py put-versions regress-versions-many many 1001 + put regress-versions-many many2 x + put regress-versions-many more x
CREATE FOREIGN TABLE many_versions (key text, version_id text, is_latest boolean)
  SERVER s3 OPTIONS (bucket 'regress-versions-many', versions 'true');
SELECT count(*) AS versions, count(DISTINCT version_id) AS ids, count(*) FILTER (WHERE is_latest) AS latest
  FROM many_versions WHERE key = 'many';
SELECT * FROM s3_explain_analyze($$SELECT key FROM many_versions WHERE key = 'many'$$);
SELECT key, count(*) FROM many_versions GROUP BY key ORDER BY key;
SELECT * FROM s3_explain_analyze($$SELECT key FROM many_versions$$);
\! python3 test/s3tool.py version-counts regress-versions-many
-- the same keys as ListObjectsV2
CREATE FOREIGN TABLE listing_plain (key text) SERVER s3 OPTIONS (bucket 'regress-listing');
SELECT (SELECT array_agg(key ORDER BY key COLLATE "C") FROM listing_versions WHERE key LIKE 'docs/%')
     = (SELECT array_agg(key ORDER BY key COLLATE "C") FROM listing_plain WHERE key LIKE 'docs/%') AS same_keys;

-- suspended: new writes become the "null" version (a bucket of its own)
SELECT s3_create_bucket('s3', 'regress-versions-suspended');
SELECT s3_put_bucket_versioning('s3', 'regress-versions-suspended', true);
SELECT s3_put_bucket_versioning('s3', 'regress-versions-suspended', false);
SELECT s3_get_bucket_versioning('s3', 'regress-versions-suspended');
\! python3 test/s3tool.py versioning regress-versions-suspended
SELECT s3_put_bucket_versioning('s3', 'regress-versions-suspended', true);
SELECT s3_get_bucket_versioning('s3', 'regress-versions-suspended');
