/*
 * test_names.c
 *		Unit tests of s3_names.c: bucket, key, region, endpoint and time
 *		rules, link-local addresses, and the URLs built from them.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

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

	/* IPv6 literals: what inet_pton() takes, no zone id */
	CHECK(s3_parse_endpoint("http://[fd00::1]", &ep) == NULL &&
		  strcmp(ep.host, "[fd00::1]") == 0 && ep.port == 0, "ipv6 fd00::1");
	CHECK(s3_parse_endpoint("https://[2001:DB8::A]:8443/", &ep) == NULL && ep.https &&
		  strcmp(ep.host, "[2001:DB8::A]") == 0 && ep.port == 8443, "ipv6 upper case");
	CHECK(s3_parse_endpoint("http://[::ffff:1.2.3.4]", &ep) == NULL &&
		  strcmp(ep.host, "[::ffff:1.2.3.4]") == 0, "ipv4-mapped ipv6");
	CHECK(s3_parse_endpoint("http://[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:1", &ep) == NULL,
		  "longest ipv6");
	CHECK(s3_parse_endpoint("http://[:::::::]", &ep) != NULL, "ipv6 only colons");
	CHECK(s3_parse_endpoint("http://[1.2.3.4]", &ep) != NULL, "ipv4 in brackets");
	CHECK(s3_parse_endpoint("http://[1::2::3]", &ep) != NULL, "ipv6 two ::");
	CHECK(s3_parse_endpoint("http://[]", &ep) != NULL, "empty brackets");
	CHECK(s3_parse_endpoint("http://[]:9000", &ep) != NULL, "empty brackets with port");
	CHECK(s3_parse_endpoint("http://[::1", &ep) != NULL, "unclosed bracket");
	CHECK(s3_parse_endpoint("http://[fe80::1%25eth0]", &ep) != NULL, "zone id %%25");
	CHECK(s3_parse_endpoint("http://[fe80::1%eth0]", &ep) != NULL, "zone id %%");
	CHECK(s3_parse_endpoint("http://[1:2:3:4:5:6:7:8:9]", &ep) != NULL, "nine groups");
	CHECK(s3_parse_endpoint("http://[00000::1]", &ep) != NULL, "five-digit group");
	CHECK(s3_parse_endpoint("http://[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555]", &ep) != NULL,
		  "too long ipv6");
	CHECK(s3_parse_endpoint("http://[::1]x", &ep) != NULL, "junk after bracket");
	CHECK(s3_parse_endpoint("http://[::1/x]", &ep) != NULL, "slash in brackets");
	{
		const char *m = s3_parse_endpoint("http://[:::::::]", &ep);

		CHECK(m != NULL && strstr(m, "IPv6") != NULL && strchr(m, ':') == NULL,
			  "ipv6 message [%s]", m ? m : "(null)");
	}
}

/* Is the address given as text link-local?  family is AF_INET or AF_INET6. */
static bool
text_link_local(int family, const char *text)
{
	if (family == AF_INET)
	{
		struct sockaddr_in sin;

		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		if (inet_pton(AF_INET, text, &sin.sin_addr) != 1)
		{
			CHECK(false, "bad test address %s", text);
			return false;
		}
		return s3_address_is_link_local((const struct sockaddr *) &sin);
	}
	else
	{
		struct sockaddr_in6 sin6;

		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, text, &sin6.sin6_addr) != 1)
		{
			CHECK(false, "bad test address %s", text);
			return false;
		}
		return s3_address_is_link_local((const struct sockaddr *) &sin6);
	}
}

static void
link_local_rules(void)
{
	static const char *const v4_in[] = {
		"169.254.169.254", "169.254.0.0", "169.254.255.255", "169.254.170.2",
		"169.254.170.23", NULL
	};
	static const char *const v4_out[] = {
		"169.253.255.255", "169.255.0.0", "127.0.0.1", "10.0.0.1",
		"172.16.0.1", "192.168.1.1", "8.8.8.8", "0.0.0.0", "255.255.255.255",
		"254.169.0.1", NULL
	};
	static const char *const v6_in[] = {
		"fe80::1", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"fe80::a9fe:a9fe", "fd00:ec2::254", "fd00:ec2::23", "fd00:ec2::",
		"fd00:ec2:ffff:ffff:ffff:ffff:ffff:ffff",
		"::ffff:169.254.169.254", "::ffff:169.254.0.0", "::169.254.169.254",
		"::a9fe:a9fe", "64:ff9b::a9fe:a9fe", "64:ff9b::169.254.170.2", NULL
	};
	static const char *const v6_out[] = {
		"fec0::1", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fd00:ec3::1",
		"fd00:ec1:ffff:ffff:ffff:ffff:ffff:ffff", "fd00::254", "fd01:ec2::254",
		"::1", "::", "2001:db8::1", "::ffff:127.0.0.1", "::ffff:169.253.255.255",
		"::ffff:169.255.0.0", "::127.0.0.1", "64:ff9b::a9fd:ffff",
		"64:ff9b::1:a9fe:a9fe", "64:ff9a::a9fe:a9fe", "::1:ffff:a9fe:a9fe",
		"::fffe:a9fe:a9fe", NULL
	};
	struct sockaddr other;
	s3_endpoint ep;
	int			i;

	for (i = 0; v4_in[i]; i++)
		CHECK(text_link_local(AF_INET, v4_in[i]), "%s should be link-local", v4_in[i]);
	for (i = 0; v4_out[i]; i++)
		CHECK(!text_link_local(AF_INET, v4_out[i]), "%s should not be link-local", v4_out[i]);
	for (i = 0; v6_in[i]; i++)
		CHECK(text_link_local(AF_INET6, v6_in[i]), "%s should be link-local", v6_in[i]);
	for (i = 0; v6_out[i]; i++)
		CHECK(!text_link_local(AF_INET6, v6_out[i]), "%s should not be link-local", v6_out[i]);
	memset(&other, 0, sizeof(other));
	other.sa_family = AF_UNIX;
	CHECK(!s3_address_is_link_local(&other), "AF_UNIX link-local");
	CHECK(!s3_address_is_link_local(NULL), "NULL link-local");

	/* endpoints given as literals */
	{
		static const char *const refused[] = {
			"http://169.254.169.254", "http://169.254.169.254:80/",
			"https://[fd00:ec2::254]", "http://[FD00:EC2::23]:80",
			"http://2852039166", "http://2851995648", "http://0xa9fea9fe",
			"http://0XA9FEA9FE", "http://169.254.43518", "http://0251.0376.0251.0376",
			"http://[::ffff:169.254.169.254]", "http://[::ffff:a9fe:a9fe]",
			"http://[64:ff9b::169.254.169.254]", "http://[fe80::1]", NULL
		};
		static const char *const allowed[] = {
			"http://127.0.0.1:9000", "http://s3.amazonaws.com", "http://[::1]:9000",
			"http://[fd00::1]", "http://169.253.255.255", "http://169.255.0.0",
			"http://2851995647", "http://localhost", "http://169.254.169.254.nip.io",
			"http://a9fea9fe", "https://s3.eu-west-1.amazonaws.com", NULL
		};

		for (i = 0; refused[i]; i++)
		{
			const char *m = NULL;

			CHECK(s3_parse_endpoint(refused[i], &ep) == NULL &&
				  (m = s3_endpoint_literal_link_local(&ep)) != NULL,
				  "endpoint %s should be refused as link-local", refused[i]);
			CHECK(m == NULL || strstr(m, "169") == NULL, "message holds input");
		}
		for (i = 0; allowed[i]; i++)
			CHECK(s3_parse_endpoint(allowed[i], &ep) == NULL &&
				  s3_endpoint_literal_link_local(&ep) == NULL,
				  "endpoint %s should not be link-local", allowed[i]);
		s3_default_endpoint("us-east-1", &ep);
		CHECK(s3_endpoint_literal_link_local(&ep) == NULL, "default endpoint link-local");
		CHECK(s3_endpoint_literal_link_local(NULL) == NULL, "NULL endpoint link-local");
	}
}

static void
time_rules(void)
{
	static const char *const good[] = {
		"2026-11-30T15:09:03.000Z", "2026-11-30T15:09:03Z",
		"2024-02-29T00:00:00+02:00", "2000-02-29T12:00:00Z",
		"2026-11-30T15:09:03.1Z", "2026-11-30T15:09:03.123456789Z",
		"2026-11-30T15:09:03-05:30", "2026-11-30T15:09:03+0200",
		"2026-11-30T15:09:03.5-0000", "2016-12-31T23:59:60Z",
		"1000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
		"2026-01-31T00:00:00Z", "2026-04-30T00:00:00Z", NULL
	};
	static const char *const bad[] = {
		"2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "yesterday", "",
		"2026-11-30 15:09:03Z", "2026-11-30T15:09:03", "2026-11-30T15:09:03.Z",
		"2026-11-30T25:00:00Z", "1900-02-29T00:00:00Z", "2026-00-10T00:00:00Z",
		"2026-04-31T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-32T00:00:00Z",
		"2026-11-30T24:00:00Z", "2026-11-30T15:60:00Z", "2026-11-30T15:09:61Z",
		"0999-12-31T23:59:59Z", "2026-11-30T15:09:03.1234567890Z",
		"2026-11-30T15:09:03ZZ", "2026-11-30T15:09:03Z ", " 2026-11-30T15:09:03Z",
		"2026-11-30T15:09:03z", "2026-11-30t15:09:03Z", "2026-11-30T15:09:03+02",
		"2026-11-30T15:09:03+2:00", "2026-11-30T15:09:03+02:0",
		"2026-11-30T15:09:03+02:60", "2026-11-30T15:09:03+16:00",
		"2026-11-30T15:09:03+02:00Z", "2026-11-30T15:09:03UTC",
		"2026-11-30T15:09Z", "2026-11-30", "2026-1-30T15:09:03Z",
		"+2026-11-30T15:09:03Z", "20261130T150903Z", "2026-11-30T15:09:03,5Z",
		"2026-11-30T15:09:03.000Z\n", NULL
	};
	char		longest[100];
	int			i;

	for (i = 0; good[i]; i++)
		CHECK(s3_check_iso8601(good[i]) == NULL, "time [%s] should be valid", good[i]);
	for (i = 0; bad[i]; i++)
	{
		const char *m = s3_check_iso8601(bad[i]);

		CHECK(m != NULL, "time [%s] should be invalid", bad[i]);
		CHECK(m == NULL || strstr(m, "2026") == NULL, "time message holds input");
	}
	CHECK(s3_check_iso8601(NULL) != NULL, "NULL time");
	memset(longest, '0', sizeof(longest));
	memcpy(longest, "2026-11-30T15:09:03.", 20);
	longest[sizeof(longest) - 2] = 'Z';
	longest[sizeof(longest) - 1] = '\0';
	CHECK(s3_check_iso8601(longest) != NULL, "very long time");
	CHECK_STR(s3_check_iso8601("soon"), "a time must have the form YYYY-MM-DDTHH:MM:SSZ",
			  "time message");
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

static void
content_ranges(void)
{
	s3_content_range cr;

	CHECK(s3_parse_content_range("bytes 24-35/100", &cr) == NULL &&
		  cr.first == 24 && cr.last == 35 && cr.total == 100, "plain range");
	CHECK(s3_parse_content_range("Bytes  0-0/1 ", &cr) == NULL &&
		  cr.first == 0 && cr.last == 0 && cr.total == 1, "unit in capitals, spaces");
	CHECK(s3_parse_content_range("bytes 5-9/*", &cr) == NULL &&
		  cr.first == 5 && cr.last == 9 && cr.total == -1, "unknown total");
	CHECK(s3_parse_content_range("bytes */10", &cr) == NULL &&
		  cr.first == -1 && cr.total == 10, "416 form");
	CHECK(s3_parse_content_range(NULL, &cr) != NULL, "none");
	CHECK(s3_parse_content_range("", &cr) != NULL, "empty");
	CHECK(s3_parse_content_range("bytes */*", &cr) != NULL, "nothing known");
	CHECK(s3_parse_content_range("items 0-1/2", &cr) != NULL, "other unit");
	CHECK(s3_parse_content_range("bytes=0-1/2", &cr) != NULL, "request syntax");
	CHECK(s3_parse_content_range("bytes 0-1", &cr) != NULL, "no total");
	CHECK(s3_parse_content_range("bytes 5-4/10", &cr) != NULL, "backwards");
	CHECK(s3_parse_content_range("bytes 0-10/10", &cr) != NULL, "past the total");
	CHECK(s3_parse_content_range("bytes -1-5/10", &cr) != NULL, "negative");
	CHECK(s3_parse_content_range("bytes +1-5/10", &cr) != NULL, "sign");
	CHECK(s3_parse_content_range("bytes 0-5/10x", &cr) != NULL, "trailing bytes");
	CHECK(s3_parse_content_range("bytes 0-5/10, 7-8/10", &cr) != NULL, "two ranges");
	CHECK(s3_parse_content_range("bytes 0-1/99999999999999999999", &cr) != NULL, "overflow");

	/* 206: what was asked for, short only at the object's end */
	CHECK(s3_check_partial_answer("bytes 24-35/100", 24, 35, -1, 12) == NULL, "exact");
	CHECK(s3_check_partial_answer("bytes 24-35/100", 24, 35, 100, 12) == NULL, "exact, total known");
	CHECK(s3_check_partial_answer("bytes 8-9/10", 8, 17, -1, 2) == NULL, "short at the end");
	CHECK(s3_check_partial_answer("bytes 5-9/10", 5, 9223372036854775807LL, -1, 5) == NULL, "to the end");
	CHECK(s3_check_partial_answer("bytes 24-35/*", 24, 35, -1, 12) == NULL, "unknown total, whole range");
	CHECK(s3_check_partial_answer("bytes 0-11/100", 24, 35, -1, 12) != NULL, "from byte 0 instead");
	CHECK(s3_check_partial_answer("bytes 24-35/101", 24, 35, 100, 12) != NULL, "another total");
	CHECK(s3_check_partial_answer("bytes 24-34/100", 24, 35, -1, 11) != NULL, "short, not at the end");
	CHECK(s3_check_partial_answer("bytes 24-34/*", 24, 35, -1, 11) != NULL, "short, total unknown");
	CHECK(s3_check_partial_answer("bytes 24-34/*", 24, 35, 35, 11) == NULL, "short, total known before");
	CHECK(s3_check_partial_answer("bytes 24-35/*", 24, 35, 30, 12) != NULL, "past the known length");
	CHECK(s3_check_partial_answer("bytes 24-36/100", 24, 35, -1, 13) != NULL, "longer than asked");
	CHECK(s3_check_partial_answer("bytes 24-35/100", 24, 35, -1, 11) != NULL, "body shorter than its range");
	CHECK(s3_check_partial_answer(NULL, 24, 35, -1, 12) != NULL, "no Content-Range");
	CHECK(s3_check_partial_answer("bytes */100", 24, 35, -1, 12) != NULL, "416 form in a 206");

	/* 416: past the end, as its total says */
	CHECK(s3_check_unsatisfiable_answer(NULL, 10) == NULL, "416 without Content-Range");
	CHECK(s3_check_unsatisfiable_answer("bytes */10", 10) == NULL, "416 at the end");
	CHECK(s3_check_unsatisfiable_answer("bytes */0", 0) == NULL, "416 of an empty object");
	CHECK(s3_check_unsatisfiable_answer("bytes */10", 9) != NULL, "416 inside the object");
	CHECK(s3_check_unsatisfiable_answer("bytes 0-1/10", 10) != NULL, "416 with a range");
	CHECK(s3_check_unsatisfiable_answer("garbage", 10) != NULL, "416 with garbage");
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
	link_local_rules();
	time_rules();
	targets();
	role_rules();
	content_ranges();
	return unit_report("names");
}
