--
-- listing_compare.sql: what sql/listing_parallel.sql (moto) and
-- sql/rgw_listing.sql (Ceph RGW) share, read with \i: the keys that
-- test/s3tool.py's partition_keys() lists (pkeys, a temporary table made
-- from the hex of their UTF-8 bytes), and functions that compare a foreign
-- table's listing, in the order the scan gave it, with another table's and
-- with the listing computed here from pkeys.
--
CREATE TEMP TABLE pkeys_hex (h text);
\copy pkeys_hex FROM PROGRAM 'python3 test/s3tool.py keys'
CREATE TEMP TABLE pkeys AS SELECT convert_from(decode(h, 'hex'), 'UTF8') AS key FROM pkeys_hex;

-- what a listing should be, computed from pkeys: the keys under PREFIX, or
-- with a delimiter the keys and common prefixes (each once) under PREFIX,
-- those after START_AFTER, in the order of their UTF-8 bytes
CREATE FUNCTION pl_expected(prefix text DEFAULT '', delim text DEFAULT NULL, after text DEFAULT NULL)
RETURNS text[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(k ORDER BY convert_to(k, 'UTF8')), '{}') FROM (
    SELECT DISTINCT CASE WHEN delim IS NOT NULL AND strpos(substr(key, length(prefix) + 1), delim) > 0
                         THEN left(key, length(prefix) + strpos(substr(key, length(prefix) + 1), delim)
                                        + length(delim) - 1)
                         ELSE key END AS k
      FROM pkeys WHERE starts_with(key, prefix)) e
   WHERE after IS NULL OR convert_to(k, 'UTF8') > convert_to(after, 'UTF8') $$;

-- a scan's keys in the order it gave them, and whether every row was right:
-- an object's size and ETag those of its body (its key), a folder row
-- (is_prefix) ending with the delimiter and nothing else one
CREATE TYPE pl_listed AS (keys text[], rows_ok boolean);
CREATE FUNCTION pl_scan(tbl text, cond text DEFAULT 'true') RETURNS pl_listed LANGUAGE plpgsql AS $$
DECLARE
  r pl_listed;
BEGIN
  EXECUTE format('SELECT coalesce(array_agg(key), ''{}''), coalesce(bool_and(coalesce(
      CASE WHEN is_prefix THEN right(key, length(delimiter)) = delimiter AND size IS NULL AND etag IS NULL
           ELSE size = octet_length(key) AND etag = md5(key)
                AND (delimiter IS NULL OR strpos(substr(key, length(coalesce(prefix, '''')) + 1), delimiter) = 0) END,
      false)), true) FROM %s WHERE %s', tbl, cond) INTO r;
  RETURN r;
END $$;
-- "same N keys", or where two listings first differ
CREATE FUNCTION pl_diff(got text[], want text[]) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF got = want THEN
    RETURN format('same %s keys', cardinality(want));
  END IF;
  FOR i IN 1 .. greatest(cardinality(got), cardinality(want)) LOOP
    IF got[i] IS DISTINCT FROM want[i] THEN
      RETURN format('%s keys, %s expected; key %s is %s, expected %s', cardinality(got), cardinality(want),
                    i, quote_nullable(got[i]), quote_nullable(want[i]));
    END IF;
  END LOOP;
END $$;
-- tables' listings against the sequential one's and against pl_expected()
CREATE FUNCTION pl_compare(tbls text[], cond text, seq text, want text[]) RETURNS TABLE (
  listing text, against_sequential text, against_expected text, rows_ok boolean) LANGUAGE plpgsql AS $$
DECLARE
  s pl_listed := pl_scan(seq, cond);
  t pl_listed;
  tbl text;
BEGIN
  FOREACH tbl IN ARRAY tbls LOOP
    t := pl_scan(tbl, cond);
    listing := tbl || CASE WHEN cond = 'true' THEN '' ELSE ' where ' || cond END;
    against_sequential := pl_diff(t.keys, s.keys);
    against_expected := pl_diff(t.keys, want);
    rows_ok := t.rows_ok AND s.rows_ok;
    RETURN NEXT;
  END LOOP;
END $$;
