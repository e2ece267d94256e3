--
-- presign: presigned download and upload URLs.  moto cannot serve presigned
-- URLs while it checks signatures, so they are used against the second moto
-- (server s3p), and their signatures are proven by test/presign_check.py,
-- which has botocore presign the same request and compares the URLs.
--
SELECT s3_upload('s3p', 'presign', 'shared/report 2026.csv', 'id,total' || chr(10) || '1,42' || chr(10)) IS NOT NULL AS uploaded;

-- the shape of a URL (time, keys and signature masked)
CREATE FUNCTION mask_url(u text) RETURNS text LANGUAGE sql AS $$
  SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(u,
    '^http://127\.0\.0\.1:[0-9]+', 'http://<moto>'),
    'X-Amz-Credential=[A-Z0-9]+%2F[0-9]{8}%2F', 'X-Amz-Credential=<key>%2F<date>%2F'),
    'X-Amz-Date=[0-9]{8}T[0-9]{6}Z', 'X-Amz-Date=<now>'),
    'X-Amz-Signature=[0-9a-f]{64}$', 'X-Amz-Signature=<64 hex>') $$;

SELECT mask_url(s3_presign_get('s3p', 'presign', 'shared/report 2026.csv'));
SELECT mask_url(s3_presign_get('s3p', 'presign', 'shared/report 2026.csv', 60));
SELECT mask_url(s3_presign_put('s3p', 'presign', 'uploads/new.csv'));
SELECT mask_url(s3_presign_put('s3p', 'presign', 'uploads/new.csv', 600, 'text/csv'));

-- a download URL works with any HTTP client, and its signature is botocore's
SELECT s3_presign_get('s3p', 'presign', 'shared/report 2026.csv', 300) AS get_url \gset
\setenv GET_URL :get_url
\! python3 test/s3tool.py fetch "$GET_URL"
\! python3 test/presign_check.py "$GET_URL" GET
SELECT octet_length(b) AS bytes, encode(sha256(b), 'hex') AS sha256
  FROM s3_read('s3p', 'presign', 'shared/report 2026.csv') b;

-- an upload URL: with a content type, that type is signed
SELECT s3_presign_put('s3p', 'presign', 'uploads/new.csv', 600, 'text/csv') AS put_url \gset
\setenv PUT_URL :put_url
\! python3 test/presign_check.py "$PUT_URL" PUT text/csv
\! python3 test/s3tool.py fetch "$PUT_URL" PUT test/data/upload.csv text/csv
SELECT s3_read_text('s3p', 'presign', 'uploads/new.csv');
\! S3FDW_ENDPOINT=$S3FDW_PRESIGN_ENDPOINT python3 test/s3tool.py head presign uploads/new.csv

-- an upload URL without a content type
SELECT s3_presign_put('s3p', 'presign', 'uploads/any.bin', 60) AS put_url \gset
\setenv PUT_URL :put_url
\! python3 test/presign_check.py "$PUT_URL" PUT
\! python3 test/s3tool.py fetch "$PUT_URL" PUT test/data/upload.csv
SELECT octet_length(s3_read('s3p', 'presign', 'uploads/any.bin')) AS bytes;

-- keys that need encoding, and the longest expiry
SELECT s3_presign_get('s3p', 'presign', 'a+b=c&d/café 🎉.txt', 604800) AS get_url \gset
\setenv GET_URL :get_url
\! python3 test/presign_check.py "$GET_URL" GET
SELECT s3_upload('s3p', 'presign', 'a+b=c&d/café 🎉.txt', 'unicode key') IS NOT NULL AS uploaded;
\! python3 test/s3tool.py fetch "$GET_URL"

-- temporary credentials: the session token travels in the URL
\getenv presign_endpoint S3FDW_PRESIGN_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE SERVER s3tok FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'presign_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3tok
  OPTIONS (access_key_id :'ak', secret_access_key :'sk', session_token 'FQoGZXIvYXdzEXAMPLE//////////wEaDN+session/token+with=chars');
SELECT mask_url(s3_presign_get('s3tok', 'presign', 'shared/report 2026.csv', 120));
SELECT s3_presign_get('s3tok', 'presign', 'shared/report 2026.csv', 120) AS get_url \gset
\setenv GET_URL :get_url
\! S3FDW_TOKEN='FQoGZXIvYXdzEXAMPLE//////////wEaDN+session/token+with=chars' python3 test/presign_check.py "$GET_URL" GET
DROP SERVER s3tok CASCADE;

-- AWS itself: virtual-hosted URLs in the server's region (nothing is sent)
CREATE SERVER aws_syd FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'ap-southeast-2');
CREATE USER MAPPING FOR PUBLIC SERVER aws_syd OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT mask_url(s3_presign_get('aws_syd', 'my-bucket', 'reports/q3.pdf', 900));
SELECT mask_url(s3_presign_get('aws_syd', 'my.dotted.bucket', 'q3.pdf', 900));
SELECT s3_presign_get('aws_syd', 'my-bucket', 'reports/q3.pdf', 900) AS get_url \gset
\setenv GET_URL :get_url
\! python3 test/presign_check.py "$GET_URL" GET
DROP SERVER aws_syd CASCADE;

-- url_style: path style on AWS when asked; another store gets path style
-- unless it asks for virtual (nothing is sent)
CREATE SERVER aws_path FOREIGN DATA WRAPPER s3_fdw OPTIONS (region 'ap-southeast-2', url_style 'path');
CREATE SERVER store_virtual FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint 'https://store.example.com:9000', url_style 'virtual');
CREATE SERVER store_path FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint 'https://store.example.com:9000', region 'eu-west-3');
CREATE USER MAPPING FOR PUBLIC SERVER aws_path OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE USER MAPPING FOR PUBLIC SERVER store_virtual OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE USER MAPPING FOR PUBLIC SERVER store_path OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT mask_url(s3_presign_get('aws_path', 'my-bucket', 'q3.pdf', 900));
SELECT mask_url(s3_presign_get('store_virtual', 'my-bucket', 'q3.pdf', 900));
SELECT mask_url(s3_presign_get('store_path', 'my-bucket', 'q3.pdf', 900));
DROP USER MAPPING FOR PUBLIC SERVER aws_path;
DROP USER MAPPING FOR PUBLIC SERVER store_virtual;
DROP USER MAPPING FOR PUBLIC SERVER store_path;
DROP SERVER aws_path, store_virtual, store_path;
