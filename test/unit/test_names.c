/*
 * test_names.c
 *		Unit tests of s3_names.c: bucket, key, region and endpoint rules, and
 *		the URLs built from them.
 */
#include <stdlib.h>
#include <string.h>

#include "s3_names.h"
#include "unit.h"

static void
bucket_rules(void)
{
	static const char *const good[] = {
		"abc", "my-bucket", "my.bucket.name", "a1b2c3", "123bucket",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",	/* 63 */
		"1.2.3", "xn-ok", NULL
	};
	static const char *const bad[] = {
		"", "ab", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",	/* 64 */
		"MyBucket", "my_bucket", "-bucket", "bucket-", ".bucket", "bucket.",
		"my..bucket", "192.168.5.4", "xn--bucket", "sthree-bucket",
		"amzn-s3-demo-bucket", "bucket-s3alias", "bucket--ol-s3", "bucket.mrap",
		"bucket--x-s3", "bucket--table-s3", "buck et", "bucket/", "bücket", NULL
	};
	int			i;

	for (i = 0; good[i]; i++)
		CHECK(s3_check_bucket_name(good[i]) == NULL, "bucket [%s] should be valid", good[i]);
	for (i = 0; bad[i]; i++)
		CHECK(s3_check_bucket_name(bad[i]) != NULL, "bucket [%s] should be invalid", bad[i]);
	CHECK(s3_check_bucket_name(NULL) != NULL, "NULL bucket");
}

static void
key_rules(void)
{
	char		big[1100];

	memset(big, 'k', sizeof(big));
	CHECK(s3_check_key("a", 1) == NULL, "one-byte key");
	CHECK(s3_check_key(big, 1024) == NULL, "1024-byte key");
	CHECK(s3_check_key(big, 1025) != NULL, "1025-byte key");
	CHECK(s3_check_key("", 0) != NULL, "empty key");
	CHECK(s3_check_key("a\0b", 3) != NULL, "key with NUL");
	CHECK(s3_check_key("dir//file", 9) == NULL, "key with //");
}

static void
region_rules(void)
{
	CHECK(s3_check_region("us-east-1") == NULL, "us-east-1");
	CHECK(s3_check_region("auto") == NULL, "auto");
	CHECK(s3_check_region("ap-southeast-2") == NULL, "ap-southeast-2");
	CHECK(s3_check_region("") != NULL, "empty region");
	CHECK(s3_check_region("US-EAST-1") != NULL, "upper-case region");
	CHECK(s3_check_region("us east 1") != NULL, "region with spaces");
	CHECK(s3_check_region("us--east") != NULL, "region with --");
	CHECK(s3_check_region("-us") != NULL, "region starting with -");
	CHECK(s3_check_region("us-east-1.example.com") != NULL, "region with dots");
}

static void
endpoint_rules(void)
{
	s3_endpoint ep;

	CHECK(s3_parse_endpoint("http://127.0.0.1:9000", &ep) == NULL && !ep.https &&
		  strcmp(ep.host, "127.0.0.1") == 0 && ep.port == 9000, "http ip:port");
	CHECK(s3_parse_endpoint("HTTPS://S3.Example.com/", &ep) == NULL && ep.https &&
		  strcmp(ep.host, "s3.example.com") == 0 && ep.port == 0, "https host/");
	CHECK(s3_parse_endpoint("http://[::1]:9000", &ep) == NULL &&
		  strcmp(ep.host, "[::1]") == 0 && ep.port == 9000, "ipv6");
	CHECK(s3_parse_endpoint("ftp://host", &ep) != NULL, "ftp scheme");
	CHECK(s3_parse_endpoint("host:9000", &ep) != NULL, "no scheme");
	CHECK(s3_parse_endpoint("http://", &ep) != NULL, "no host");
	CHECK(s3_parse_endpoint("http://host:0", &ep) != NULL, "port 0");
	CHECK(s3_parse_endpoint("http://host:65536", &ep) != NULL, "port 65536");
	CHECK(s3_parse_endpoint("http://host:99999999999999999999", &ep) != NULL, "huge port");
	CHECK(s3_parse_endpoint("http://host:", &ep) != NULL, "empty port");
	CHECK(s3_parse_endpoint("http://host/path", &ep) != NULL, "path");
	CHECK(s3_parse_endpoint("http://host?x=1", &ep) != NULL, "query");
	CHECK(s3_parse_endpoint("http://user:pw@host", &ep) != NULL, "userinfo");
	CHECK(s3_parse_endpoint("http://ho st", &ep) != NULL, "space");
	CHECK(s3_parse_endpoint("http://a..b", &ep) != NULL, "empty label");
	CHECK(s3_parse_endpoint("http://[zz]", &ep) != NULL, "bad ipv6");
	CHECK(s3_parse_endpoint(NULL, &ep) != NULL, "NULL endpoint");
}

static void
check_target(const s3_endpoint *ep, bool virt, const char *bucket, const char *key,
			 const char *query, const char *url, const char *host, const char *path)
{
	s3_target	t;

	CHECK(s3_build_target(ep, virt, bucket, key, query, &t) == 0, "build %s", url);
	CHECK_STR(t.url, url, "url");
	CHECK_STR(t.host, host, "host");
	CHECK_STR(t.path, path, "path");
	s3_target_free(&t);
}

static void
targets(void)
{
	s3_endpoint aws,
				local,
				local80;

	s3_default_endpoint("eu-west-1", &aws);
	CHECK_STR(aws.host, "s3.eu-west-1.amazonaws.com", "default endpoint");
	s3_default_endpoint("cn-north-1", &aws);
	CHECK_STR(aws.host, "s3.cn-north-1.amazonaws.com.cn", "china endpoint");
	s3_default_endpoint("us-east-1", &aws);
	s3_parse_endpoint("http://127.0.0.1:9000", &local);
	s3_parse_endpoint("http://localhost:80", &local80);

	check_target(&aws, true, NULL, NULL, NULL,
				 "https://s3.us-east-1.amazonaws.com/", "s3.us-east-1.amazonaws.com", "/");
	check_target(&aws, true, "bucket", "my photo+1.jpg", NULL,
				 "https://bucket.s3.us-east-1.amazonaws.com/my%20photo%2B1.jpg",
				 "bucket.s3.us-east-1.amazonaws.com", "/my%20photo%2B1.jpg");
	check_target(&aws, true, "bucket", NULL, "list-type=2",
				 "https://bucket.s3.us-east-1.amazonaws.com/?list-type=2",
				 "bucket.s3.us-east-1.amazonaws.com", "/");
	/* dotted bucket over https: path style */
	check_target(&aws, true, "my.bucket", "k", NULL,
				 "https://s3.us-east-1.amazonaws.com/my.bucket/k",
				 "s3.us-east-1.amazonaws.com", "/my.bucket/k");
	check_target(&local, false, "bucket", "dir//a=b&c.txt", NULL,
				 "http://127.0.0.1:9000/bucket/dir//a%3Db%26c.txt",
				 "127.0.0.1:9000", "/bucket/dir//a%3Db%26c.txt");
	check_target(&local, false, "bucket", "caf\xc3\xa9/../x", NULL,
				 "http://127.0.0.1:9000/bucket/caf%C3%A9/../x",
				 "127.0.0.1:9000", "/bucket/caf%C3%A9/../x");
	check_target(&local, false, "bucket", NULL, NULL,
				 "http://127.0.0.1:9000/bucket", "127.0.0.1:9000", "/bucket");
	check_target(&local80, false, NULL, NULL, NULL,
				 "http://localhost/", "localhost", "/");
}

static void
role_rules(void)
{
	s3_endpoint sts;

	CHECK(s3_check_role_arn("arn:aws:iam::123456789012:role/s3-reader") == NULL, "plain role");
	CHECK(s3_check_role_arn("arn:aws-cn:iam::123456789012:role/path/to/role+x=y,z.a@b_c-d") == NULL, "role with path");
	CHECK(s3_check_role_arn("arn:aws:iam::12345678901:role/x") != NULL, "11-digit account");
	CHECK(s3_check_role_arn("arn:aws:iam::123456789012:user/x") != NULL, "a user");
	CHECK(s3_check_role_arn("arn:aws:iam::123456789012:role/") != NULL, "no name");
	CHECK(s3_check_role_arn("arn:aws:iam::123456789012:role/a b") != NULL, "space");
	CHECK(s3_check_role_arn("arn:aws:s3:::bucket") != NULL, "s3 arn");
	CHECK(s3_check_role_arn("role/x") != NULL, "not an arn");
	CHECK(s3_check_role_arn("arn:AWS:iam::123456789012:role/x") != NULL, "upper partition");
	CHECK(s3_check_role_session_name("s3_fdw") == NULL, "session name");
	CHECK(s3_check_role_session_name("x") != NULL, "short session name");
	CHECK(s3_check_role_session_name("a b") != NULL, "session name with space");
	CHECK(s3_check_external_id("ext-id:1/2") == NULL, "external id");
	CHECK(s3_check_external_id("a") != NULL, "short external id");
	s3_default_sts_endpoint("eu-west-1", &sts);
	CHECK_STR(sts.host, "sts.eu-west-1.amazonaws.com", "sts endpoint");
}

int
main(int argc, char **argv)
{
	(void) argc;
	(void) argv;
	bucket_rules();
	key_rules();
	region_rules();
	endpoint_rules();
	targets();
	role_rules();
	return unit_report("names");
}
