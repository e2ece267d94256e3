--
-- writes_guard: what guards the writes through a foreign table.
-- An UPDATE that renames never replaces an object: a target that exists is
-- refused with 23505 before anything is written.  A statement's scans skip
-- only the objects it created, not those it updated in place.  A server's
-- updatable 'false' is a ceiling no table option lifts.  Each kind of write
-- takes EXECUTE on the functions that write that way, and no more.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
SELECT s3_create_bucket('s3', 'regress-guard');
SELECT s3_create_bucket('s3', 'regress-guard2');
CREATE FOREIGN TABLE g (key text, content text, content_type text, prefix text)
  SERVER s3 OPTIONS (bucket 'regress-guard');
CREATE FOREIGN TABLE g_any (bucket text, key text, content text) SERVER s3;
-- the keep-open group runs this file again against the same store: start empty
WITH gone AS (DELETE FROM g_any WHERE bucket IN ('regress-guard', 'regress-guard2') RETURNING 1)
SELECT count(*) >= 0 AS emptied FROM gone;
-- every object under a prefix, with its content, read with the functions
CREATE FUNCTION guard_objects(p text) RETURNS TABLE (key text, content text)
  LANGUAGE sql AS $$
  SELECT key, s3_read_text('s3', 'regress-guard', key)
    FROM g WHERE prefix = p ORDER BY key $$;

-- a swap of two keys: the first rename's target exists, refused
INSERT INTO g (key, content) VALUES ('sw/x', 'X'), ('sw/y', 'Y');
SELECT s3_try($$UPDATE g SET key = CASE key WHEN 'sw/x' THEN 'sw/y' ELSE 'sw/x' END
                WHERE prefix = 'sw/'$$);
SELECT * FROM guard_objects('sw/');
-- a new key and a new body onto an existing key: refused as well
SELECT s3_try($$UPDATE g SET key = 'sw/y', content = 'Z' WHERE key = 'sw/x'$$);
SELECT * FROM guard_objects('sw/');

-- SET key = key || '.bak' where a .bak is there already
INSERT INTO g (key, content) VALUES ('col/a', 'new'), ('col/a.bak', 'old');
SELECT s3_try($$UPDATE g SET key = key || '.bak' WHERE prefix = 'col/'$$);
SELECT * FROM guard_objects('col/');

-- a chain a -> b, b -> c: b is there when a's rename comes
INSERT INTO g (key, content) VALUES ('ch/a', 'A'), ('ch/b', 'B');
SELECT s3_try($$UPDATE g SET key = CASE key WHEN 'ch/a' THEN 'ch/b' WHEN 'ch/b' THEN 'ch/c' END
                WHERE prefix = 'ch/'$$);
SELECT * FROM guard_objects('ch/');
-- the other way round each target is free when its rename comes: both done
INSERT INTO g (key, content) VALUES ('ch2/1', 'one'), ('ch2/2', 'two');
UPDATE g SET key = CASE key WHEN 'ch2/1' THEN 'ch2/3' WHEN 'ch2/2' THEN 'ch2/1' END
  WHERE prefix = 'ch2/' RETURNING key, content;
SELECT * FROM guard_objects('ch2/');
-- two objects onto one key: the second is refused, the first is moved
-- already (S3 is not transactional), and nothing is lost
INSERT INTO g (key, content) VALUES ('m/1', 'one'), ('m/2', 'two');
SELECT s3_try($$UPDATE g SET key = 'm/t' WHERE prefix = 'm/'$$);
SELECT * FROM guard_objects('m/');
-- SET key to the same key renames nothing: no copy, no error
UPDATE g SET key = key WHERE key = 'm/t' RETURNING key, content;
-- SET bucket onto an object of the other bucket: refused too
INSERT INTO g_any VALUES ('regress-guard', 'bk/k', 'first'), ('regress-guard2', 'bk/k', 'second');
SELECT s3_try($$UPDATE g_any SET bucket = 'regress-guard2'
                WHERE bucket = 'regress-guard' AND key = 'bk/k'$$);
SELECT bucket, key, content FROM g_any WHERE bucket = 'regress-guard' AND key = 'bk/k'
UNION ALL
SELECT bucket, key, content FROM g_any WHERE bucket = 'regress-guard2' AND key = 'bk/k';

-- a statement's scans skip the objects it created, not those it updated:
-- a scan of the same statement, after the update, still lists the object
INSERT INTO g (key, content) VALUES ('inpl/k', 'before');
UPDATE g SET content = 'after' WHERE key = 'inpl/k'
  RETURNING key, (SELECT count(*) FROM g AS g2 WHERE g2.prefix = 'inpl/') AS listed;
-- a renamed object's new key is skipped: the statement created it
INSERT INTO g (key, content) VALUES ('inpl/r', 'r');
UPDATE g SET key = 'inpl/r2' WHERE key = 'inpl/r'
  RETURNING key, (SELECT count(*) FROM g AS g2 WHERE g2.prefix = 'inpl/') AS listed;
-- and an object meets one UPDATE once, however many rows of the join name it
UPDATE g SET content = g.content || '+'
  FROM (VALUES (1, 'inpl/'), (2, 'inpl/')) v(n, p) WHERE g.prefix = v.p;
SELECT * FROM guard_objects('inpl/');

-- a server's updatable 'false' is a ceiling: a table cannot lift it
CREATE SERVER s3_ro FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', updatable 'false');
CREATE USER MAPPING FOR PUBLIC SERVER s3_ro OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE FOREIGN TABLE g_ro (key text, content text, prefix text)
  SERVER s3_ro OPTIONS (bucket 'regress-guard', updatable 'true');
SELECT pg_relation_is_updatable('g_ro'::regclass, false) AS events;
SELECT s3_try($$INSERT INTO g_ro VALUES ('ro/k', 'x')$$);
SELECT s3_try($$UPDATE g_ro SET content = 'x' WHERE key = 'sw/x'$$);
SELECT s3_try($$DELETE FROM g_ro WHERE key = 'sw/x'$$);
SELECT s3_try($$COPY g_ro (key, content) FROM PROGRAM 'true'$$);
SELECT key FROM g_ro WHERE key = 'sw/x';
-- nor can a role with USAGE on the server, in a table of its own
BEGIN;
GRANT USAGE ON FOREIGN SERVER s3_ro TO regress_s3_user;
GRANT CREATE ON SCHEMA public TO regress_s3_user;
SET ROLE regress_s3_user;
CREATE FOREIGN TABLE g_mine (key text, content text)
  SERVER s3_ro OPTIONS (bucket 'regress-guard', updatable 'true');
SELECT s3_try($$INSERT INTO g_mine VALUES ('ro/mine', 'x')$$);
RESET ROLE;
ROLLBACK;
\! python3 test/s3tool.py exists regress-guard ro/mine
-- a table of a writable server, made read-only by ALTER SERVER afterwards
CREATE SERVER s3_rw FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3_rw OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE FOREIGN TABLE g_rw (key text, content text)
  SERVER s3_rw OPTIONS (bucket 'regress-guard', updatable 'true');
PREPARE ins_rw AS INSERT INTO g_rw VALUES ('rw/k', 'x');
EXECUTE ins_rw;
ALTER SERVER s3_rw OPTIONS (ADD updatable 'false');
SELECT s3_try($$EXECUTE ins_rw$$);
SELECT s3_try($$DELETE FROM g_rw WHERE key = 'rw/k'$$);
-- a table may still narrow a writable server
ALTER SERVER s3_rw OPTIONS (SET updatable 'true');
ALTER FOREIGN TABLE g_rw OPTIONS (SET updatable 'false');
SELECT s3_try($$DELETE FROM g_rw WHERE key = 'rw/k'$$);
ALTER FOREIGN TABLE g_rw OPTIONS (DROP updatable);
DELETE FROM g_rw WHERE key = 'rw/k';

-- privileges: INSERT and UPDATE take EXECUTE on s3_upload; an UPDATE that
-- assigns key or bucket (a rename), and DELETE, take EXECUTE on s3_remove
INSERT INTO g (key, content) VALUES ('priv/a', 'a'), ('priv/b', 'b');
GRANT SELECT, INSERT, UPDATE, DELETE ON g TO regress_s3_user;
-- a role that may upload but not remove
BEGIN;
REVOKE EXECUTE ON FUNCTION s3_remove(text, text, text[]) FROM PUBLIC;
SET ROLE regress_s3_user;
SELECT s3_try($$INSERT INTO g (key, content) VALUES ('priv/c', 'c')$$);
SELECT s3_try($$UPDATE g SET content = 'a2' WHERE key = 'priv/a'$$);
SELECT s3_try($$UPDATE g SET content_type = 'text/csv' WHERE key = 'priv/a'$$);
SELECT s3_try($$UPDATE g SET key = 'priv/a.bak' WHERE key = 'priv/a'$$);
SELECT s3_try($$UPDATE g SET key = key WHERE key = 'priv/a'$$);
SELECT s3_try($$DELETE FROM g WHERE key = 'priv/b'$$);
RESET ROLE;
ROLLBACK;
-- a role that may remove but not upload
BEGIN;
REVOKE EXECUTE ON FUNCTION s3_upload(text, text, text, bytea, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean) FROM PUBLIC;
SET ROLE regress_s3_user;
SELECT s3_try($$INSERT INTO g (key, content) VALUES ('priv/d', 'd')$$);
SELECT s3_try($$UPDATE g SET content = 'a3' WHERE key = 'priv/a'$$);
SELECT s3_try($$UPDATE g SET content_type = 'text/plain' WHERE key = 'priv/a'$$);
SELECT s3_try($$UPDATE g SET key = 'priv/a.bak' WHERE key = 'priv/a'$$);
SELECT s3_try($$DELETE FROM g WHERE key = 'priv/b'$$);
RESET ROLE;
ROLLBACK;
SELECT key, content, content_type FROM g WHERE prefix = 'priv/' ORDER BY key;
REVOKE ALL ON g FROM regress_s3_user;
