--
-- interop: objects written by boto3 and the AWS CLI read back identical
-- through s3_fdw, and objects written by s3_fdw read back identical through
-- them (on moto with signature checks on).
--
\! python3 test/s3tool.py put regress-interop from-boto3.txt 'written by boto3: Grüße'
\! python3 test/s3tool.py put-pattern regress-interop from-boto3.bin 1048579
\! python3 test/s3tool.py cli-put regress-interop from-cli.txt 'written by the AWS CLI'
SELECT s3_read_text('s3', 'regress-interop', 'from-boto3.txt');
SELECT s3_read_text('s3', 'regress-interop', 'from-cli.txt');
SELECT octet_length(b) AS bytes, encode(sha256(b), 'hex') AS sha256
  FROM s3_read('s3', 'regress-interop', 'from-boto3.bin') b;
SELECT s3_read('s3', 'regress-interop', 'from-boto3.bin')
       = (SELECT decode(string_agg(lpad(to_hex(i % 256), 2, '0'), '' ORDER BY i), 'hex')
            FROM generate_series(0, 1048578) i) AS same_pattern;

-- the other way round
SELECT s3_upload('s3', 'regress-interop', 'from-s3fdw.bin',
                 (SELECT decode(string_agg(lpad(to_hex((i * 31) % 256), 2, '0'), '' ORDER BY i), 'hex')
                    FROM generate_series(0, 2000000) i)) AS etag;
SELECT octet_length(b) AS bytes, encode(sha256(b), 'hex') AS sha256, md5(b)
  FROM s3_read('s3', 'regress-interop', 'from-s3fdw.bin') b;
\! python3 test/s3tool.py sha256 regress-interop from-s3fdw.bin
\! python3 test/s3tool.py cli-sha256 regress-interop from-s3fdw.bin
SELECT s3_upload('s3', 'regress-interop', 'dir/from s3fdw.txt', 'written by s3_fdw: 日本') AS etag;
SELECT encode(sha256(convert_to('written by s3_fdw: 日本', 'UTF8')), 'hex') AS sha256;
\! python3 test/s3tool.py sha256 regress-interop 'dir/from s3fdw.txt'
\! python3 test/s3tool.py cli-sha256 regress-interop 'dir/from s3fdw.txt'
\! python3 test/s3tool.py head regress-interop 'dir/from s3fdw.txt'
