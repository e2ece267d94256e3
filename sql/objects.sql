--
-- objects: every object and bucket operation against moto with signature
-- checks on, so that each request proves its SigV4 signature.
--
-- (the keep-open run comes after the other tests and finds their buckets too)
SELECT name FROM s3_list_buckets('s3')
  WHERE name IN ('regress', 'regress-interop', 'regress-listing') ORDER BY name;
SELECT count(*) >= 3 AS three_or_more, bool_and(creation_date > now() - interval '1 hour') AS recent
  FROM s3_list_buckets('s3');

-- upload returns the ETag without quotes: the MD5 of the body for a single PUT
SELECT s3_upload('s3', 'regress', 'hello.txt', 'hello, world');
SELECT md5('hello, world');
SELECT s3_read_text('s3', 'regress', 'hello.txt');
SELECT s3_read('s3', 'regress', 'hello.txt');

-- content types: text defaults to UTF-8 text, bytea to octet-stream, or as given
\! python3 test/s3tool.py head regress hello.txt
SELECT s3_upload('s3', 'regress', 'blob.bin', '\x00ff'::bytea) IS NOT NULL AS uploaded;
\! python3 test/s3tool.py head regress blob.bin
SELECT s3_upload('s3', 'regress', 'data.csv', 'a,b' || chr(10) || '1,2', 'text/csv') IS NOT NULL AS uploaded;
\! python3 test/s3tool.py head regress data.csv

-- binary data with NUL bytes round-trips byte for byte
CREATE TEMP TABLE blobs AS
  SELECT n, decode(string_agg(lpad(to_hex((i * 7 + n) % 256), 2, '0'), ''), 'hex') AS data
    FROM generate_series(0, 3) n, generate_series(0, 100000 * n) i GROUP BY n;
SELECT n, length(data), s3_upload('s3', 'regress', 'bin/' || n, data) = md5(data) AS etag_is_md5
  FROM blobs ORDER BY n;
SELECT n, s3_read('s3', 'regress', 'bin/' || n) = data AS identical FROM blobs ORDER BY n;

-- an empty object
SELECT s3_upload('s3', 'regress', 'empty', ''::bytea);
SELECT s3_read('s3', 'regress', 'empty') = ''::bytea AS empty, s3_read_text('s3', 'regress', 'empty') = '' AS empty_text;

-- keys that need encoding: each request's signature is checked
CREATE TEMP TABLE keys (key text);
INSERT INTO keys VALUES ('my photo.jpg'), ('dir//file'), ('/leading'), ('dots/../x'), ('./here'),
  ('sp  ace/ tab'), ('x~y_z-1.txt'), (repeat('k', 1024)), ('a+b=c&d.txt'), ('café/日本.txt'),
  ('100%.txt'), ('q?x=1#frag'), ('~tilde*star(paren)!'), ('emoji 🎉.txt'),
  ('semi;colon:at@dollar$,'), ('%2F not decoded'), ('deep/' || repeat('é', 509));
SELECT left(key, 20) AS key, octet_length(key) AS bytes,
       s3_upload('s3', 'regress', key, 'body of ' || key) = md5(convert_to('body of ' || key, 'UTF8')) AS uploaded
  FROM keys ORDER BY key;
SELECT left(key, 20) AS key, s3_read_text('s3', 'regress', key) = 'body of ' || key AS read_back
  FROM keys ORDER BY key;
-- boto3 finds them under the same names
\! python3 test/s3tool.py sha256 regress 'café/日本.txt'
SELECT octet_length(convert_to('body of café/日本.txt', 'UTF8')) AS bytes,
       encode(sha256(convert_to('body of café/日本.txt', 'UTF8')), 'hex');
\! python3 test/s3tool.py sha256 regress 'a+b=c&d.txt'
SELECT encode(sha256('body of a+b=c&d.txt'), 'hex');

-- UTF-8 text round-trips; invalid UTF-8 is refused by s3_read_text
SELECT s3_upload('s3', 'regress', 'utf8.txt', 'Grüße, 世界 🌍');
SELECT s3_read_text('s3', 'regress', 'utf8.txt'), length(s3_read('s3', 'regress', 'utf8.txt'));
SELECT s3_upload('s3', 'regress', 'latin1.txt', '\x4772fc7373'::bytea) IS NOT NULL AS uploaded;
SELECT s3_try($$SELECT s3_read_text('s3', 'regress', 'latin1.txt')$$);
SELECT s3_upload('s3', 'regress', 'nul.txt', '\x610062'::bytea) IS NOT NULL AS uploaded;
SELECT s3_try($$SELECT s3_read_text('s3', 'regress', 'nul.txt')$$);

-- overwrite, remove, and removing again is not an error (as in S3)
SELECT s3_upload('s3', 'regress', 'hello.txt', 'second version') = md5('second version') AS overwritten;
SELECT s3_read_text('s3', 'regress', 'hello.txt');
SELECT s3_remove('s3', 'regress', 'hello.txt');
\! python3 test/s3tool.py exists regress hello.txt
SELECT s3_remove('s3', 'regress', 'hello.txt');
SELECT s3_try($$SELECT s3_read('s3', 'regress', 'hello.txt')$$);

-- a role without its own mapping uses PUBLIC's; one with its own uses it
SET ROLE regress_s3_user;
SELECT s3_read_text('s3', 'regress', 'data.csv');
RESET ROLE;
SET ROLE regress_s3_reader;
SELECT s3_read_text('s3', 'regress', 'data.csv');
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'x', 'y')$$);
RESET ROLE;

-- triggers: automation from SQL
CREATE TABLE reports (id int PRIMARY KEY, body text);
CREATE FUNCTION reports_to_s3() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM s3_remove('s3', 'regress', 'reports/' || OLD.id || '.txt');
    RETURN OLD;
  END IF;
  PERFORM s3_upload('s3', 'regress', 'reports/' || NEW.id || '.txt', NEW.body);
  RETURN NEW;
END $$;
CREATE TRIGGER reports_s3 AFTER INSERT OR UPDATE OR DELETE ON reports
  FOR EACH ROW EXECUTE FUNCTION reports_to_s3();
INSERT INTO reports VALUES (1, 'first'), (2, 'second');
UPDATE reports SET body = 'first, revised' WHERE id = 1;
DELETE FROM reports WHERE id = 2;
SELECT s3_read_text('s3', 'regress', 'reports/1.txt');
\! python3 test/s3tool.py exists regress reports/2.txt

-- keep-alive: one connection serves many requests (moto itself closes every
-- connection, so this goes through a keep-alive relay that counts them)
-- (in the keep-open run, where the s3 server goes through the relay too, the
-- connection may be open already: at most one is new)
SELECT requests AS r0, connections AS c0 FROM s3_fdw_connection_stats() \gset
\set relay0 `curl -s "$S3FDW_PROXY_ENDPOINT/__proxy/stats"`
SELECT count(*) FILTER (WHERE s3_read_text('s3ka', 'regress', 'data.csv') IS NOT NULL) AS reads
  FROM generate_series(1, 10);
SELECT requests - :r0 AS requests, connections - :c0 <= 1 AS at_most_one_new_connection
  FROM s3_fdw_connection_stats();
\set relay1 `curl -s "$S3FDW_PROXY_ENDPOINT/__proxy/stats"`
-- the relay agrees: ten requests, over at most one connection it accepted
-- (besides the one that asked for its counts the second time)
SELECT split_part(:'relay1', ' ', 4)::int - split_part(:'relay0', ' ', 4)::int AS relay_requests,
       split_part(:'relay1', ' ', 2)::int - split_part(:'relay0', ' ', 2)::int - 1 <= 1 AS relay_at_most_one_connection;
