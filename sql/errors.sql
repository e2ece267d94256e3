--
-- errors: S3's answers become errors with a fitting SQLSTATE, a message that
-- names the operation, bucket and key, and S3's code, message and request id
-- in the detail.  Never XX000, never a secret.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK

SELECT s3_try($$SELECT s3_read('s3', 'regress', 'no/such/key.txt')$$);
SELECT s3_try($$SELECT s3_read_text('s3', 'no-such-bucket', 'k')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'no-such-bucket', 'k', 'x')$$);
SELECT s3_try($$SELECT s3_remove('s3', 'no-such-bucket', 'k')$$);

-- buckets in another region carry a LocationConstraint; creating one that
-- exists is an error there (us-east-1 quietly accepts it, as AWS does)
SELECT s3_try($$SELECT s3_create_bucket('s3', 'regress')$$);
CREATE SERVER s3eu FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', region 'eu-west-1');
CREATE USER MAPPING FOR PUBLIC SERVER s3eu OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_create_bucket('s3eu', 'regress-eu');
\! python3 test/s3tool.py location regress-eu
SELECT s3_upload('s3eu', 'regress-eu', 'k', 'in Ireland') = md5('in Ireland') AS uploaded;
SELECT s3_read_text('s3eu', 'regress-eu', 'k');
SELECT s3_try($$SELECT s3_create_bucket('s3eu', 'regress-eu')$$);
DROP SERVER s3eu CASCADE;

-- the read-only IAM user may read but not write
SET ROLE regress_s3_reader;
SELECT s3_try($$SELECT s3_upload('s3', 'regress', 'denied.txt', 'x')$$);
SELECT s3_try($$SELECT s3_create_bucket('s3', 'denied-bucket')$$);
SELECT s3_try($$SELECT s3_remove('s3', 'regress', 'data.csv')$$);
RESET ROLE;

-- a wrong secret, an unknown key id
CREATE SERVER s3wrong FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3wrong
  OPTIONS (access_key_id :'ak', secret_access_key 'wrongsecretwrongsecretwrongsecret');
SELECT s3_try($$SELECT * FROM s3_list_buckets('s3wrong')$$);
SELECT s3_try($$SELECT s3_read('s3wrong', 'regress', 'data.csv')$$);
ALTER USER MAPPING FOR PUBLIC SERVER s3wrong
  OPTIONS (SET access_key_id 'AKIAUNKNOWNKEY000000', SET secret_access_key :'sk');
SELECT s3_try($$SELECT s3_read('s3wrong', 'regress', 'data.csv')$$);
-- a session token S3 does not know
ALTER USER MAPPING FOR PUBLIC SERVER s3wrong
  OPTIONS (SET access_key_id :'ak', ADD session_token 'FQoGZXIvYXdzEXAMPLETOKEN');
SELECT s3_try($$SELECT s3_read('s3wrong', 'regress', 'data.csv')$$);

-- no secret ever appears in a message (the secrets are read from the
-- catalog, so that this statement itself holds none)
CREATE TEMP TABLE secrets AS
  SELECT o.option_value AS secret
    FROM pg_user_mapping um, pg_options_to_table(um.umoptions) o
   WHERE o.option_name IN ('secret_access_key', 'session_token');
SELECT count(*) AS secrets_known FROM secrets;
SELECT count(*) AS messages,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM secrets WHERE position(secret IN m) > 0)) AS with_secret
  FROM (SELECT s3_try(q) AS m FROM unnest(ARRAY[
          $$SELECT s3_read('s3wrong', 'regress', 'data.csv')$$,
          $$SELECT * FROM s3_list_buckets('s3wrong')$$,
          $$SELECT s3_upload('s3wrong', 'regress', 'x', 'y')$$,
          $$SELECT s3_presign_get('s3wrong', 'regress', 'x')$$,
          $$SELECT s3_read('s3', 'regress', 'missing')$$]) q) t;
DROP SERVER s3wrong CASCADE;

-- nobody listening
SELECT s3_try($$SELECT s3_read('closed', 'regress', 'k')$$);
SELECT s3_try($$SELECT * FROM s3_list_buckets('closed')$$);

-- the backend is still fine after all of that
SELECT s3_read_text('s3', 'regress', 'data.csv');
