/*-------------------------------------------------------------------------
 *
 * test_xml.c
 *		Unit tests for src/s3_xml.c: the ListBuckets, ListObjectsV2,
 *		ListObjectVersions, GetBucketVersioning and Error document parsers
 *		and s3_uri_decode(); and of the peek at a
 *		page's head (s3_xml_fast_list_peek), which must say nothing of any
 *		listing document here that the tree parser does not read in it, at
 *		any prefix, in any pieces (its own tests are in test_fast.c).
 *
 * Run as "test_xml x" (the argument is ignored).  Meant to be run under
 * valgrind as well: every failure path must free what it allocated.
 *
 * IDENTIFICATION
 *	  test/unit/test_xml.c
 *
 *-------------------------------------------------------------------------
 */
#include <iconv.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

#include "core.h"
#include "s3_xml.h"
#include "unit.h"
#include "../list_compare.h"

#define S3NS "http://s3.amazonaws.com/doc/2006-03-01/"

static char errbuf[256];

static bool
bucket_list_is_zero(const s3_bucket_list *l)
{
	return l->items == NULL && l->n == 0 && l->continuation_token == NULL;
}

static bool
error_info_is_zero(const s3_error_info *e)
{
	return e->code == NULL && e->message == NULL && e->request_id == NULL &&
		e->region == NULL && e->endpoint == NULL && e->bucket_name == NULL &&
		e->key == NULL;
}

/* ---- the peek at a page's head against the tree parser ---- */

/*
 * Whenever the peek at buf, at any prefix and in any pieces, says it knows
 * the continuation token, the tree parser reads the same in the whole of
 * buf (when it reads it).
 */
static void
expect_peek_agrees(const char *buf, size_t len, const char *what)
{
	CHECK(peek_matches_tree(buf, len), "%s: the peek says what the page does not", what);
}

/* Expects every parser to reject buf, leaving its result zeroed. */
static void
expect_all_fail(const char *buf, size_t len, const char *what)
{
	s3_bucket_list bl;
	s3_object_list ol;
	s3_error_info ei;
	int			rc;

	memset(&bl, 0x7f, sizeof(bl));
	errbuf[0] = '\0';
	rc = s3_xml_parse_buckets(buf, len, &bl, errbuf, sizeof(errbuf));
	CHECK(rc == -1 && bucket_list_is_zero(&bl) && errbuf[0] != '\0',
		  "%s: buckets rc=%d", what, rc);
	s3_bucket_list_free(&bl);

	memset(&ol, 0x7f, sizeof(ol));
	errbuf[0] = '\0';
	rc = s3_xml_parse_list_objects(buf, len, &ol, errbuf, sizeof(errbuf));
	CHECK(rc == -1 && list_is_zero(&ol) && errbuf[0] != '\0',
		  "%s: list_objects rc=%d", what, rc);
	s3_object_list_free(&ol);

	memset(&ei, 0x7f, sizeof(ei));
	errbuf[0] = '\0';
	rc = s3_xml_parse_error(buf, len, &ei, errbuf, sizeof(errbuf));
	CHECK(rc == -1 && error_info_is_zero(&ei) && errbuf[0] != '\0',
		  "%s: error rc=%d", what, rc);
	s3_error_info_free(&ei);

	expect_peek_agrees(buf, len, what);
}

/* Expects s3_xml_parse_list_objects to reject doc with this message. */
static void
expect_list_fail(const char *doc, const char *want_msg, const char *what)
{
	s3_object_list ol;
	int			rc;

	errbuf[0] = '\0';
	rc = s3_xml_parse_list_objects(doc, strlen(doc), &ol, errbuf,
								   sizeof(errbuf));
	CHECK(rc == -1 && list_is_zero(&ol), "%s: rc=%d", what, rc);
	if (want_msg != NULL)
		CHECK(strstr(errbuf, want_msg) != NULL,
			  "%s: message [%s] lacks [%s]", what, errbuf, want_msg);
	s3_object_list_free(&ol);
	expect_peek_agrees(doc, strlen(doc), what);
}

static void
test_buckets(void)
{
	static const char two[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<ListAllMyBucketsResult xmlns=\"" S3NS "\">\n"
		"  <Owner>\n"
		"    <ID>bcaf1ffd86f461ca5fb16fd081034f</ID>\n"
		"    <DisplayName>webfile</DisplayName>\n"
		"  </Owner>\n"
		"  <Buckets>\n"
		"    <Bucket>\n"
		"      <Name>amzn-s3-demo-bucket</Name>\n"
		"      <CreationDate>2019-12-11T23:32:47+00:00</CreationDate>\n"
		"    </Bucket>\n"
		"    <Bucket>\n"
		"      <Name>second.bucket-01</Name>\n"
		"      <CreationDate>2020-01-02T03:04:05.000Z</CreationDate>\n"
		"    </Bucket>\n"
		"  </Buckets>\n"
		"  <ContinuationToken>tok/en==</ContinuationToken>\n"
		"</ListAllMyBucketsResult>\n";
	static const char zero[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<ListAllMyBucketsResult xmlns=\"" S3NS "\">"
		"<Owner><ID>x</ID></Owner><Buckets></Buckets>"
		"</ListAllMyBucketsResult>";
	static const char prefixed[] =
		"<s3:ListAllMyBucketsResult xmlns:s3=\"" S3NS "\">"
		"<s3:Buckets><s3:Bucket><s3:Name>b</s3:Name></s3:Bucket></s3:Buckets>"
		"</s3:ListAllMyBucketsResult>";
	static const char no_name[] =
		"<ListAllMyBucketsResult><Buckets>"
		"<Bucket><Name>ok</Name></Bucket>"
		"<Bucket><CreationDate>2020-01-01T00:00:00Z</CreationDate></Bucket>"
		"</Buckets></ListAllMyBucketsResult>";
	static const char wrong_root[] =
		"<ListBucketResult xmlns=\"" S3NS "\"><Name>secret</Name></ListBucketResult>";
	char		longroot[300];
	s3_bucket_list l;
	int			rc;

	rc = s3_xml_parse_buckets(two, strlen(two), &l, errbuf, sizeof(errbuf));
	CHECK(rc == 0, "two buckets: rc=%d (%s)", rc, errbuf);
	CHECK(l.n == 2, "two buckets: n=%zu", l.n);
	if (rc == 0 && l.n == 2)
	{
		CHECK_STR(l.items[0].name, "amzn-s3-demo-bucket", "bucket 0 name");
		CHECK_STR(l.items[0].creation_date, "2019-12-11T23:32:47+00:00",
				  "bucket 0 date");
		CHECK_STR(l.items[1].name, "second.bucket-01", "bucket 1 name");
		CHECK_STR(l.items[1].creation_date, "2020-01-02T03:04:05.000Z",
				  "bucket 1 date");
	}
	CHECK_STR(l.continuation_token, "tok/en==", "ListBuckets token");
	s3_bucket_list_free(&l);
	CHECK(bucket_list_is_zero(&l), "free zeroes the bucket list");
	s3_bucket_list_free(&l);	/* twice is harmless */
	s3_bucket_list_free(NULL);

	rc = s3_xml_parse_buckets(zero, strlen(zero), &l, errbuf, sizeof(errbuf));
	CHECK(rc == 0 && l.n == 0 && l.items == NULL &&
		  l.continuation_token == NULL, "zero buckets: rc=%d n=%zu", rc, l.n);
	s3_bucket_list_free(&l);

	rc = s3_xml_parse_buckets(prefixed, strlen(prefixed), &l, errbuf,
							  sizeof(errbuf));
	CHECK(rc == 0 && l.n == 1, "prefixed namespace: rc=%d", rc);
	if (rc == 0 && l.n == 1)
	{
		CHECK_STR(l.items[0].name, "b", "prefixed bucket name");
		CHECK(l.items[0].creation_date == NULL, "no CreationDate -> NULL");
	}
	s3_bucket_list_free(&l);

	rc = s3_xml_parse_buckets(no_name, strlen(no_name), &l, errbuf,
							  sizeof(errbuf));
	CHECK(rc == -1 && bucket_list_is_zero(&l), "Bucket without Name: rc=%d", rc);
	CHECK(strstr(errbuf, "Bucket without Name") != NULL, "msg [%s]", errbuf);

	rc = s3_xml_parse_buckets(wrong_root, strlen(wrong_root), &l, errbuf,
							  sizeof(errbuf));
	CHECK(rc == -1 && bucket_list_is_zero(&l), "wrong root: rc=%d", rc);
	CHECK_STR(errbuf,
			  "unexpected root element <ListBucketResult> in ListBuckets response",
			  "wrong root message");
	CHECK(strstr(errbuf, "secret") == NULL, "no text content in message");

	/* a long root element name is truncated to 64 characters */
	strcpy(longroot, "<");
	memset(longroot + 1, 'A', 100);
	strcpy(longroot + 101, "/>");
	rc = s3_xml_parse_buckets(longroot, strlen(longroot), &l, errbuf,
							  sizeof(errbuf));
	CHECK(rc == -1, "long root: rc=%d", rc);
	CHECK(strstr(errbuf, "<AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA>")
		  != NULL, "long root message [%s]", errbuf);

	/* a non-ASCII element name is not echoed verbatim */
	{
		static const char uroot[] = "<R\xc3\xa9sultat/>";

		rc = s3_xml_parse_buckets(uroot, strlen(uroot), &l, errbuf,
								  sizeof(errbuf));
		CHECK(rc == -1, "unicode root: rc=%d", rc);
		CHECK(strstr(errbuf, "<R??sultat>") != NULL, "unicode root msg [%s]",
			  errbuf);
	}

	/* NULL errbuf is allowed */
	rc = s3_xml_parse_buckets("x", 1, &l, NULL, 0);
	CHECK(rc == -1, "NULL errbuf: rc=%d", rc);
	rc = s3_xml_parse_buckets(two, strlen(two), NULL, errbuf, sizeof(errbuf));
	CHECK(rc == -1, "NULL out: rc=%d", rc);
}

static void
test_list_objects(void)
{
	static const char encoded[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<ListBucketResult xmlns=\"" S3NS "\">\n"
		"  <Name>bucket</Name>\n"
		"  <Prefix></Prefix>\n"
		"  <KeyCount>3</KeyCount>\n"
		"  <MaxKeys>3</MaxKeys>\n"
		"  <Delimiter>%2F</Delimiter>\n"
		"  <IsTruncated>true</IsTruncated>\n"
		"  <Contents>\n"
		"    <Key>data/2024/r%C3%A9sum%C3%A9-%E2%82%AC.csv</Key>\n"
		"    <LastModified>2024-05-06T07:08:09.000Z</LastModified>\n"
		"    <ETag>&quot;abc&quot;</ETag>\n"
		"    <ChecksumAlgorithm>CRC32</ChecksumAlgorithm>\n"
		"    <Size>1234</Size>\n"
		"    <StorageClass>STANDARD</StorageClass>\n"
		"  </Contents>\n"
		"  <Contents>\n"
		"    <Key>my%20file%2Bplus.txt</Key>\n"
		"    <LastModified>2024-05-06T07:08:10.000Z</LastModified>\n"
		"    <ETag>\"d41d8cd98f00b204e9800998ecf8427e-2\"</ETag>\n"
		"    <Size>0</Size>\n"
		"    <StorageClass>GLACIER</StorageClass>\n"
		"  </Contents>\n"
		"  <Contents>\n"
		"    <Key>big+file</Key>\n"
		"    <Size>9223372036854775807</Size>\n"
		"  </Contents>\n"
		"  <CommonPrefixes><Prefix>logs%2F</Prefix></CommonPrefixes>\n"
		"  <CommonPrefixes><Prefix>dir%20two/</Prefix></CommonPrefixes>\n"
		"  <EncodingType>url</EncodingType>\n"
		"  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>\n"
		"</ListBucketResult>\n";
	static const char plain[] =
		"<ListBucketResult xmlns=\"" S3NS "\">"
		"<Name>bucket</Name><KeyCount>2</KeyCount>"
		"<IsTruncated>false</IsTruncated>"
		"<Contents><Key>a+b%20c.txt</Key><Size> 42 </Size>"
		"<ETag>noquotes</ETag></Contents>"
		"<Contents><Key>   </Key><ETag>\"</ETag></Contents>"
		"<CommonPrefixes><Prefix>x+y/</Prefix></CommonPrefixes>"
		"</ListBucketResult>";
	static const char no_ns_cdata[] =
		"<ListBucketResult><Contents><Key><![CDATA[a<b]]>&amp;c</Key>"
		"</Contents></ListBucketResult>";
	static const char empty_list[] =
		"<ListBucketResult xmlns=\"" S3NS "\"><Name>b</Name>"
		"<KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"
		"</ListBucketResult>";
	s3_object_list l;
	int			rc;
	size_t		i;

	expect_peek_agrees(encoded, strlen(encoded), "encoded list");
	expect_peek_agrees(plain, strlen(plain), "plain list");
	expect_peek_agrees(no_ns_cdata, strlen(no_ns_cdata), "CDATA list");
	expect_peek_agrees(empty_list, strlen(empty_list), "empty list");

	rc = s3_xml_parse_list_objects(encoded, strlen(encoded), &l, errbuf,
								   sizeof(errbuf));
	CHECK(rc == 0, "encoded list: rc=%d (%s)", rc, errbuf);
	CHECK(l.n == 3, "encoded list: n=%zu", l.n);
	if (rc == 0 && l.n == 3)
	{
		CHECK_STR(l.items[0].key,
				  "data/2024/r\xc3\xa9sum\xc3\xa9-\xe2\x82\xac.csv", "unicode key");
		CHECK(l.items[0].size == 1234, "size 0: %lld", l.items[0].size);
		CHECK_STR(l.items[0].etag, "abc", "&quot; etag");
		CHECK_STR(l.items[0].last_modified, "2024-05-06T07:08:09.000Z",
				  "last modified 0");
		CHECK_STR(l.items[0].storage_class, "STANDARD", "storage class 0");

		CHECK_STR(l.items[1].key, "my file+plus.txt", "space and plus key");
		CHECK(l.items[1].size == 0, "size 1: %lld", l.items[1].size);
		CHECK_STR(l.items[1].etag, "d41d8cd98f00b204e9800998ecf8427e-2",
				  "quoted etag");
		CHECK_STR(l.items[1].storage_class, "GLACIER", "storage class 1");

		CHECK_STR(l.items[2].key, "big file", "'+' decodes to space");
		CHECK(l.items[2].size == 9223372036854775807LL, "size 2: %lld",
			  l.items[2].size);
		CHECK(l.items[2].etag == NULL && l.items[2].last_modified == NULL &&
			  l.items[2].storage_class == NULL, "absent fields are NULL");
	}
	CHECK(l.n_prefixes == 2, "prefixes: %zu", l.n_prefixes);
	if (l.n_prefixes == 2)
	{
		CHECK_STR(l.common_prefixes[0], "logs/", "prefix 0");
		CHECK_STR(l.common_prefixes[1], "dir two/", "prefix 1");
	}
	CHECK(l.is_truncated, "IsTruncated true");
	CHECK_STR(l.next_continuation_token,
			  "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", "next token");
	CHECK(l.key_count == 3, "KeyCount: %d", l.key_count);
	s3_object_list_free(&l);
	CHECK(l.items == NULL && l.common_prefixes == NULL && l.n == 0 &&
		  l.next_continuation_token == NULL, "free zeroes the object list");
	s3_object_list_free(&l);
	s3_object_list_free(NULL);

	rc = s3_xml_parse_list_objects(plain, strlen(plain), &l, errbuf,
								   sizeof(errbuf));
	CHECK(rc == 0 && l.n == 2, "plain list: rc=%d n=%zu (%s)", rc, l.n, errbuf);
	if (rc == 0 && l.n == 2)
	{
		CHECK_STR(l.items[0].key, "a+b%20c.txt", "no EncodingType: key verbatim");
		CHECK(l.items[0].size == 42, "size with blanks: %lld", l.items[0].size);
		CHECK_STR(l.items[0].etag, "noquotes", "unquoted etag");
		CHECK_STR(l.items[1].key, "   ", "blank key survives NOBLANKS");
		CHECK(l.items[1].size == -1, "missing Size -> -1: %lld",
			  l.items[1].size);
		CHECK_STR(l.items[1].etag, "\"", "lone quote not stripped");
	}
	CHECK(l.n_prefixes == 1 && l.common_prefixes != NULL &&
		  strcmp(l.common_prefixes[0], "x+y/") == 0, "plain prefix");
	CHECK(!l.is_truncated && l.next_continuation_token == NULL,
		  "not truncated");
	CHECK(l.key_count == 2, "KeyCount 2: %d", l.key_count);
	s3_object_list_free(&l);

	rc = s3_xml_parse_list_objects(no_ns_cdata, strlen(no_ns_cdata), &l,
								   errbuf, sizeof(errbuf));
	CHECK(rc == 0 && l.n == 1, "CDATA: rc=%d", rc);
	if (rc == 0 && l.n == 1)
	{
		CHECK_STR(l.items[0].key, "a<b&c", "CDATA and text concatenated");
		CHECK(l.items[0].size == -1, "no Size");
	}
	CHECK(l.key_count == -1, "KeyCount absent -> -1: %d", l.key_count);
	CHECK(!l.is_truncated, "IsTruncated absent -> false");
	s3_object_list_free(&l);

	rc = s3_xml_parse_list_objects(empty_list, strlen(empty_list), &l,
								   errbuf, sizeof(errbuf));
	CHECK(rc == 0 && l.n == 0 && l.items == NULL && l.n_prefixes == 0 &&
		  l.key_count == 0, "empty list: rc=%d", rc);
	s3_object_list_free(&l);

	/* more entries than the initial capacity: the arrays must grow */
	{
		size_t		cap = 200 * 80 + 200;
		char	   *big = malloc(cap);
		size_t		pos = 0;

		CHECK(big != NULL, "malloc");
		if (big != NULL)
		{
			pos += snprintf(big + pos, cap - pos, "<ListBucketResult>");
			for (i = 0; i < 100; i++)
				pos += snprintf(big + pos, cap - pos,
								"<Contents><Key>k%zu</Key><Size>%zu</Size></Contents>"
								"<CommonPrefixes><Prefix>p%zu/</Prefix></CommonPrefixes>",
								i, i * 10, i);
			pos += snprintf(big + pos, cap - pos, "</ListBucketResult>");
			expect_peek_agrees(big, pos, "100 entries");
			rc = s3_xml_parse_list_objects(big, pos, &l, errbuf, sizeof(errbuf));
			CHECK(rc == 0 && l.n == 100 && l.n_prefixes == 100,
				  "100 entries: rc=%d n=%zu", rc, l.n);
			if (rc == 0 && l.n == 100 && l.n_prefixes == 100)
			{
				CHECK_STR(l.items[99].key, "k99", "key 99");
				CHECK(l.items[57].size == 570, "size 57");
				CHECK_STR(l.common_prefixes[63], "p63/", "prefix 63");
			}
			s3_object_list_free(&l);
			free(big);
		}
	}
}

static void
test_list_objects_bad(void)
{
#define LBR(body) "<ListBucketResult xmlns=\"" S3NS "\">" body "</ListBucketResult>"
	expect_list_fail(LBR("<Contents><Key>a</Key><Size>-5</Size></Contents>"),
					 "invalid Size in ListObjectsV2 response", "Size -5");
	expect_list_fail(LBR("<Contents><Key>a</Key><Size>abc</Size></Contents>"),
					 "invalid Size in ListObjectsV2 response", "Size abc");
	expect_list_fail(LBR("<Contents><Key>a</Key><Size>99999999999999999999999</Size></Contents>"),
					 "invalid Size in ListObjectsV2 response", "Size huge");
	expect_list_fail(LBR("<Contents><Key>a</Key><Size>9223372036854775808</Size></Contents>"),
					 "invalid Size", "Size LLONG_MAX+1");
	expect_list_fail(LBR("<Contents><Key>a</Key><Size></Size></Contents>"),
					 "invalid Size", "Size empty");
	expect_list_fail(LBR("<Contents><Key>a</Key><Size>+5</Size></Contents>"),
					 "invalid Size", "Size +5");
	expect_list_fail(LBR("<Contents><Key>a</Key><Size>1 2</Size></Contents>"),
					 "invalid Size", "Size 1 2");
	expect_list_fail(LBR("<Contents><Key>a</Key><Size>0x10</Size></Contents>"),
					 "invalid Size", "Size 0x10");
	expect_list_fail(LBR("<Contents><Key>ok</Key><Size>1</Size></Contents>"
						 "<Contents><Size>1</Size><ETag>\"e\"</ETag></Contents>"),
					 "Contents without Key", "Contents without Key");
	expect_list_fail(LBR("<Contents><Key></Key></Contents>"),
					 "empty Key", "empty Key");
	expect_list_fail(LBR("<EncodingType>url</EncodingType>"
						 "<Contents><Key>ok%20</Key></Contents>"
						 "<Contents><Key>bad%zz</Key><Size>1</Size></Contents>"),
					 "invalid URL encoding of Key", "Key %zz");
	expect_list_fail(LBR("<Contents><Key>a%00b</Key></Contents>"
						 "<EncodingType>url</EncodingType>"),
					 "invalid URL encoding of Key", "Key %00");
	expect_list_fail(LBR("<CommonPrefixes><Prefix>x%2</Prefix></CommonPrefixes>"
						 "<EncodingType>url</EncodingType>"),
					 "invalid URL encoding of CommonPrefixes", "Prefix %2");
	expect_list_fail(LBR("<CommonPrefixes></CommonPrefixes>"),
					 "CommonPrefixes without Prefix", "CommonPrefixes empty");
	expect_list_fail(LBR("<EncodingType>base64</EncodingType>"),
					 "unsupported EncodingType", "EncodingType base64");
	expect_list_fail(LBR("<IsTruncated>yes</IsTruncated>"),
					 "invalid IsTruncated", "IsTruncated yes");
	expect_list_fail(LBR("<KeyCount>-1</KeyCount>"),
					 "invalid KeyCount", "KeyCount -1");
	expect_list_fail(LBR("<KeyCount>2147483648</KeyCount>"),
					 "invalid KeyCount", "KeyCount INT_MAX+1");
	expect_list_fail("<Error><Code>NoSuchBucket</Code></Error>",
					 "unexpected root element <Error> in ListObjectsV2 response",
					 "Error document as list");
#undef LBR
}

static void
test_errors(void)
{
	static const char nosuchkey[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Error>\n"
		"  <Code>NoSuchKey</Code>\n"
		"  <Message>The specified key does not exist.</Message>\n"
		"  <Key>dir/missing file.txt</Key>\n"
		"  <RequestId>4442587FB7D0A2F9</RequestId>\n"
		"  <HostId>eftixk72aD6Ap51TnqcoF8eFidJG9Z/2mkiDFu8yU9AS1ed4OpIszj7UDNEHGran</HostId>\n"
		"</Error>\n";
	static const char redirect[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Error><Code>PermanentRedirect</Code>"
		"<Message>The bucket you are attempting to access must be addressed "
		"using the specified endpoint. Please send all future requests to "
		"this endpoint.</Message>"
		"<Endpoint>my-bucket.s3.eu-west-1.amazonaws.com</Endpoint>"
		"<Bucket>my-bucket</Bucket>"
		"<Region>eu-west-1</Region>"
		"<RequestId>0C5A9F1E2B3D4C5E</RequestId>"
		"<HostId>abc=</HostId></Error>";
	static const char with_ns[] =
		"<Error xmlns=\"" S3NS "\"><Code>NoSuchBucket</Code>"
		"<Message>The specified bucket does not exist</Message>"
		"<BucketName>nope</BucketName><Bucket>other</Bucket>"
		"<Resource>/nope</Resource></Error>";
	static const char minimal[] = "<Error/>";
	static const char wrong_root[] =
		"<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>";
	s3_error_info e;
	int			rc;

	rc = s3_xml_parse_error(nosuchkey, strlen(nosuchkey), &e, errbuf,
							sizeof(errbuf));
	CHECK(rc == 0, "NoSuchKey: rc=%d (%s)", rc, errbuf);
	CHECK_STR(e.code, "NoSuchKey", "code");
	CHECK_STR(e.message, "The specified key does not exist.", "message");
	CHECK_STR(e.key, "dir/missing file.txt", "key");
	CHECK_STR(e.request_id, "4442587FB7D0A2F9", "request id");
	CHECK(e.region == NULL && e.endpoint == NULL && e.bucket_name == NULL,
		  "absent fields NULL");
	s3_error_info_free(&e);
	CHECK(error_info_is_zero(&e), "free zeroes the error");
	s3_error_info_free(&e);
	s3_error_info_free(NULL);

	rc = s3_xml_parse_error(redirect, strlen(redirect), &e, errbuf,
							sizeof(errbuf));
	CHECK(rc == 0, "PermanentRedirect: rc=%d (%s)", rc, errbuf);
	CHECK_STR(e.code, "PermanentRedirect", "redirect code");
	CHECK_STR(e.endpoint, "my-bucket.s3.eu-west-1.amazonaws.com", "endpoint");
	CHECK_STR(e.region, "eu-west-1", "region");
	CHECK_STR(e.bucket_name, "my-bucket", "<Bucket> as bucket_name");
	CHECK_STR(e.request_id, "0C5A9F1E2B3D4C5E", "redirect request id");
	CHECK(e.key == NULL, "no key");
	s3_error_info_free(&e);

	rc = s3_xml_parse_error(with_ns, strlen(with_ns), &e, errbuf,
							sizeof(errbuf));
	CHECK(rc == 0, "namespaced error: rc=%d (%s)", rc, errbuf);
	CHECK_STR(e.code, "NoSuchBucket", "ns code");
	CHECK_STR(e.bucket_name, "nope", "BucketName wins over Bucket");
	s3_error_info_free(&e);

	rc = s3_xml_parse_error(minimal, strlen(minimal), &e, errbuf,
							sizeof(errbuf));
	CHECK(rc == 0 && error_info_is_zero(&e), "empty Error: rc=%d", rc);
	s3_error_info_free(&e);

	rc = s3_xml_parse_error(wrong_root, strlen(wrong_root), &e, errbuf,
							sizeof(errbuf));
	CHECK(rc == -1 && error_info_is_zero(&e), "Error wrong root: rc=%d", rc);
	CHECK(strstr(errbuf, "<ListAllMyBucketsResult>") != NULL, "msg [%s]",
		  errbuf);
}

static void
test_malformed(void)
{
	static const char laughs[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE lolz [\n"
		" <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		"]>\n"
		"<Error a=\"&lol9;\"><Code>&lol9;</Code></Error>\n";
	static const char simple_dtd[] =
		"<!DOCTYPE Error [<!ENTITY x \"y\">]><Error><Code>&x;</Code></Error>";
	static const char ext_dtd[] =
		"<!DOCTYPE Error SYSTEM \"http://127.0.0.1:1/evil.dtd\"><Error/>";
	static const char undeclared[] =
		"<Error><Code>&undeclared;</Code></Error>";
	static const char valid[] =
		"<ListBucketResult xmlns=\"" S3NS "\"><IsTruncated>false</IsTruncated>"
		"<Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>";
	static const char nul_inside[] = "<Error><Code>A\0B</Code></Error>";
	static const char nul_after[] = "<Error><Code>AB</Code></Error>\0junk";
	static const char two_roots[] = "<Error/><Error/>";
	s3_error_info e;
	s3_object_list l;
	size_t		i;
	int			rc;

	expect_all_fail("", 0, "empty buffer");
	expect_all_fail(NULL, 0, "NULL buffer");
	expect_all_fail(NULL, 10, "NULL buffer with length");
	expect_all_fail("not xml", 7, "not xml");
	expect_all_fail("<Error><Code>x</Code>", 21, "truncated");
	expect_all_fail("<Error><Code>x</Error></Code>", 29, "misnested");
	expect_all_fail(two_roots, strlen(two_roots), "two roots");
	expect_all_fail(laughs, strlen(laughs), "billion laughs");
	expect_all_fail(simple_dtd, strlen(simple_dtd), "internal DTD");
	expect_all_fail(ext_dtd, strlen(ext_dtd), "external DTD");
	expect_all_fail(undeclared, strlen(undeclared), "undeclared entity");
	expect_all_fail(nul_inside, sizeof(nul_inside) - 1, "NUL inside");
	expect_all_fail(nul_after, sizeof(nul_after) - 1, "NUL after root");
	expect_all_fail("<Error>\xff\xfe</Error>", 17, "invalid UTF-8");

	rc = s3_xml_parse_error(laughs, strlen(laughs), &e, errbuf, sizeof(errbuf));
	CHECK(rc == -1 && strstr(errbuf, "DOCTYPE") != NULL,
		  "billion laughs message [%s]", errbuf);

	/* Oversized: the length is checked before the buffer is read. */
	rc = s3_xml_parse_error(valid, (size_t) 64 * 1024 * 1024 + 1, &e, errbuf,
							sizeof(errbuf));
	CHECK(rc == -1 && error_info_is_zero(&e), "over 64 MiB: rc=%d", rc);
	rc = s3_xml_parse_error(valid, (size_t) INT_MAX + 10, &e, errbuf,
							sizeof(errbuf));
	CHECK(rc == -1, "over INT_MAX: rc=%d", rc);

	/*
	 * A DOCTYPE that is not visible as ASCII (the document is EBCDIC) gets
	 * past the pre-scan and must be caught after parsing.
	 */
	{
		static const char src[] =
			"<?xml version=\"1.0\" encoding=\"IBM037\"?>"
			"<!DOCTYPE Error [<!ENTITY a \"x\">]>"
			"<Error><Code>&a;</Code></Error>";
		static const char plain_src[] =
			"<?xml version=\"1.0\" encoding=\"IBM037\"?>"
			"<Error><Code>Ok</Code></Error>";
		char		ebc[256];
		char		ebc2[256];
		char	   *ip;
		char	   *op;
		size_t		il,
					ol;
		iconv_t		cd = iconv_open("IBM037", "UTF-8");

		if (cd == (iconv_t) -1)
			fprintf(stderr, "note: no IBM037 iconv, EBCDIC DOCTYPE test skipped\n");
		else
		{
			size_t		n1,
						n2;

			ip = (char *) src;
			il = strlen(src);
			op = ebc;
			ol = sizeof(ebc);
			iconv(cd, &ip, &il, &op, &ol);
			n1 = (size_t) (op - ebc);
			ip = (char *) plain_src;
			il = strlen(plain_src);
			op = ebc2;
			ol = sizeof(ebc2);
			iconv(cd, &ip, &il, &op, &ol);
			n2 = (size_t) (op - ebc2);
			iconv_close(cd);

			rc = s3_xml_parse_error(ebc2, n2, &e, errbuf, sizeof(errbuf));
			if (rc != 0)
				fprintf(stderr, "note: libxml2 cannot read IBM037, EBCDIC test skipped\n");
			else
			{
				CHECK_STR(e.code, "Ok", "EBCDIC error code");
				s3_error_info_free(&e);
				expect_all_fail(ebc, n1, "EBCDIC DOCTYPE");
				rc = s3_xml_parse_error(ebc, n1, &e, errbuf, sizeof(errbuf));
				CHECK(rc == -1 && strstr(errbuf, "DOCTYPE") != NULL,
					  "EBCDIC DOCTYPE message [%s]", errbuf);
			}
		}
	}

	/* Every proper prefix of a valid document is rejected, cleanly. */
	for (i = 0; i < strlen(valid); i++)
	{
		rc = s3_xml_parse_list_objects(valid, i, &l, errbuf, sizeof(errbuf));
		CHECK(rc == -1 && list_is_zero(&l),
			  "prefix of %zu bytes: rc=%d", i, rc);
		s3_object_list_free(&l);
		expect_peek_agrees(valid, i, "prefix of the valid document");
	}
	expect_peek_agrees(valid, strlen(valid), "valid document");
	rc = s3_xml_parse_list_objects(valid, strlen(valid), &l, errbuf,
								   sizeof(errbuf));
	CHECK(rc == 0 && l.n == 1, "whole document: rc=%d", rc);
	s3_object_list_free(&l);

	/* A tiny errbuf is truncated, not overrun. */
	{
		char		tiny[8];

		memset(tiny, 'Z', sizeof(tiny));
		rc = s3_xml_parse_error("x", 1, &e, tiny, 4);
		CHECK(rc == -1 && strlen(tiny) == 3 && tiny[4] == 'Z',
			  "tiny errbuf [%s]", tiny);
	}
}

static void
check_decode(const char *in, size_t len, const char *want, size_t want_len,
			 const char *what)
{
	size_t		outlen = 12345;
	char	   *got = s3_uri_decode(in, len, &outlen);

	if (want == NULL)
		CHECK(got == NULL && outlen == 12345, "%s: expected NULL", what);
	else
	{
		CHECK(got != NULL && outlen == want_len &&
			  memcmp(got, want, want_len + 1) == 0,
			  "%s: got [%s] len %zu", what, got ? got : "(null)", outlen);
	}
	free(got);
}

static void
test_url_decode(void)
{
	char	   *s;

#define DEC_OK(in, want) check_decode(in, strlen(in), want, strlen(want), in)
#define DEC_BAD(in) check_decode(in, strlen(in), NULL, 0, in)
	DEC_OK("", "");
	DEC_OK("abc", "abc");
	DEC_OK("%41%62", "Ab");
	DEC_OK("%e2%82%ac", "\xe2\x82\xac");
	DEC_OK("%E2%82%AC", "\xe2\x82\xac");
	DEC_OK("%C3%a9", "\xc3\xa9");
	DEC_OK("a+b", "a b");
	DEC_OK("%2B", "+");
	DEC_OK("%2b%2B+", "++ ");
	DEC_OK("100%25", "100%");
	DEC_OK("%25%32%30", "%20");	/* decoded once only */
	DEC_OK("a/b/c%2F", "a/b/c/");
	DEC_OK("%ff%FE", "\xff\xfe");
	DEC_OK("my%20file%2Bplus.txt", "my file+plus.txt");
	DEC_BAD("%");
	DEC_BAD("%4");
	DEC_BAD("a%");
	DEC_BAD("%zz");
	DEC_BAD("%g0");
	DEC_BAD("%0g");
	DEC_BAD("%%41");
	DEC_BAD("% 41");
	DEC_BAD("%-1");
	DEC_BAD("%00");
	DEC_BAD("a%00b");
	DEC_BAD("abc%2");
#undef DEC_OK
#undef DEC_BAD

	/* only len bytes are read */
	check_decode("%41%42", 3, "A", 1, "len stops after escape");
	check_decode("%41%42", 2, NULL, 0, "len cuts an escape");
	check_decode("ab\0cd", 5, NULL, 0, "literal NUL in input");
	check_decode(NULL, 0, "", 0, "NULL with length 0");
	check_decode(NULL, 3, NULL, 0, "NULL with length 3");

	s = s3_uri_decode("x%20y", 5, NULL);
	CHECK(s != NULL && strcmp(s, "x y") == 0, "NULL outlen");
	free(s);
}

/*
 * Documents beyond those above, where the peek must say nothing the tree
 * parser does not read: the tree's rules for blanks, encodings,
 * namespaces, first-wins, nesting.
 */
static void
test_peek_agrees(void)
{
#define LBR(body) "<ListBucketResult xmlns=\"" S3NS "\">" body "</ListBucketResult>"
#define C(body) "<Contents>" body "</Contents>"
	static const char *const docs[] = {
		/* blanks next to markup inside a value: the tree drops some */
		LBR(C("<Key><!--c-->  </Key>")),
		LBR(C("<Key><![CDATA[a]]>  <![CDATA[b]]></Key>")),
		LBR(C("<Key>  <![CDATA[a]]></Key>")),
		LBR(C("<Key><![CDATA[]]> </Key>")),
		LBR(C("<Key>k</Key><Size><![CDATA[1]]> <![CDATA[2]]></Size>")),
		LBR(C("<Key><!----> a<!----> </Key>")),
		LBR(C("<Key xml:space=\"default\"><!----> a<!----> </Key>")),
		LBR(C("<Key xml:space=\"preserve\"><!----> a<!----> </Key>")),
		LBR(C("<Key>a<x>y</x>b</Key>")),
		LBR(C("<Key><?pi x?>k</Key>")),
		LBR(C("<Key xml:space=\"preserve\"> k </Key>")),
		LBR("<IsTruncated><!---->true</IsTruncated>"
			"<NextContinuationToken><![CDATA[t]]> </NextContinuationToken>"),
		/* carriage returns, raw and as references */
		LBR(C("<Key>  \r\n</Key>")),
		LBR(C("<Key>a\rb</Key>")),
		LBR(C("<Key>a&#13;b</Key>")),
		"<?xml version=\"1.0\"?>\r\n<ListBucketResult>\r\n  <Contents>\r\n"
		"    <Key>k</Key>\r\n    <Size>1</Size>\r\n  </Contents>\r\n</ListBucketResult>\r\n",
		/* encodings and byte order marks */
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" LBR(C("<Key>caf\xe9</Key>")),
		"<?xml version=\"1.0\" encoding=\"US-ASCII\"?>" LBR(C("<Key>caf\xc3\xa9</Key>")),
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>" LBR(C("<Key>caf\xc3\xa9</Key>")),
		"\xEF\xBB\xBF" LBR(C("<Key>k</Key>")),
		"\xEF\xBB\xBF<?xml version=\"1.0\"?>" LBR(C("<Key>k</Key>")),
		"\xEF\xBB\xBF\xEF\xBB\xBF" LBR(C("<Key>k</Key>")),
		"\xEF\xBB" LBR(""),
		/* names: a prefix bound to no namespace is part of the name */
		LBR(C("<s3:Key>k</s3:Key>")),
		LBR(C("<s3:Key xmlns:s3=\"" S3NS "\">k</s3:Key>")),
		"<s3:ListBucketResult><s3:Contents/></s3:ListBucketResult>",
		"<s3:ListBucketResult xmlns:s3=\"" S3NS "\"><s3:Contents><s3:Key>k</s3:Key>"
		"</s3:Contents></s3:ListBucketResult>",
		"<ListBucketResult xmlns=\"urn:other\"><Contents><Key>k</Key></Contents></ListBucketResult>",
		/* EncodingType: the first, wherever it stands */
		LBR(C("<Key>a%20b</Key>") "<CommonPrefixes><Prefix>p%2F</Prefix></CommonPrefixes>"
			"<EncodingType>url</EncodingType><EncodingType>base64</EncodingType>"
			C("<Key>c+d</Key>")),
		LBR(C("<Key>a%20b</Key><EncodingType>url</EncodingType>")),
		LBR("<Name><EncodingType>url</EncodingType></Name>" C("<Key>a%20b</Key>")),
		/* the first of each wins */
		LBR(C("<Key>a</Key><Key>b</Key><Size>1</Size><Size>x</Size>"
			  "<ETag>\"e\"</ETag><ETag>f</ETag><LastModified>l</LastModified>"
			  "<LastModified>m</LastModified><StorageClass>S</StorageClass>"
			  "<StorageClass>T</StorageClass>")),
		LBR("<IsTruncated>true</IsTruncated><IsTruncated>bogus</IsTruncated>"
			"<NextContinuationToken>t1</NextContinuationToken>"
			"<NextContinuationToken>t2</NextContinuationToken>"
			"<KeyCount>1</KeyCount><KeyCount>x</KeyCount>"
			"<CommonPrefixes><Prefix>p</Prefix><Prefix>q</Prefix></CommonPrefixes>"),
		/* only the children of the root, and theirs, count */
		LBR(C("<Key>a</Key>" C("<Key>b</Key>") "<IsTruncated>x</IsTruncated>")
			"<Other>" C("<Size>x</Size>") "<IsTruncated>bad</IsTruncated></Other>"
			"text<!-- c --><?pi?>"),
		"<?xml version=\"1.0\"?><!-- before --><?pi?>" LBR(C("<Key>k</Key>")) "<!-- after --><?pi?>",
		/* empty values */
		LBR(C("<Key/>")),
		LBR(C("<Key>k</Key><ETag/><Size/>")),
		LBR(C("<Key>k</Key><ETag/><StorageClass></StorageClass>")
			"<CommonPrefixes><Prefix/></CommonPrefixes><NextContinuationToken/>"),
		/* references, attributes, and text libxml2 reads the slow way */
		LBR(C("<Key a=\"x>y\" b='&amp;'>&lt;k&gt;&#x20;&#233;&quot;</Key>")),
		LBR(C("<Key>\xc3\xa9                                                                                                                                                                                                                                                                                                                                  x</Key>")),
		/* not well-formed, or not a listing */
		LBR(C("<Key>k</Key>")) "<ListBucketResult/>",
		LBR(C("<Key>&nbsp;</Key>")),
		LBR(C("<Key>a]]>b</Key>")),
		"<ListBucketResult><Contents><Key>k</Key></Contents>",
		"<ListAllMyBucketsResult/>",
		"<ListBucketResult",
	};
	size_t		i;
	char		what[32];

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
	{
		snprintf(what, sizeof(what), "peek document %zu", i);
		expect_peek_agrees(docs[i], strlen(docs[i]), what);
	}
#undef C
#undef LBR
}

/* Counts what reaches libxml2's global error handler */
static int	global_errors;

static void
count_error(void *ctx, xmlErrorPtr error)
{
	(void) ctx;
	(void) error;
	global_errors++;
}

/*
 * Parse errors of a listing the tree parser reads (those the fast scanner
 * leaves to it) reach no handler of the process (nor stderr), and the
 * global handler is left as it was found.
 */
static void
test_list_quiet(void)
{
	static const char *const bad[] = {
		"<ListBucketResult><Contents>",
		"<?xml version=\"1.0\" encoding=\"US-ASCII\"?><ListBucketResult>\xff</ListBucketResult>",
		"<?xml version=\"1.0\" encoding=\"nonesuch\"?><ListBucketResult/>",
		"<ListBucketResult>&undefined;</ListBucketResult>",
	};
	s3_object_list l;
	size_t		i;
	int			dummy;

	xmlSetStructuredErrorFunc(&dummy, count_error);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(s3_xml_parse_list_objects(bad[i], strlen(bad[i]), &l, errbuf, sizeof(errbuf)) == -1,
			  "quiet %zu: fails", i);
	CHECK(global_errors == 0, "errors reached the global handler: %d", global_errors);
	CHECK(xmlStructuredError == count_error && xmlStructuredErrorContext == &dummy,
		  "global handler put back");
	xmlSetStructuredErrorFunc(NULL, NULL);
}

/* DeleteObjects' answer: the keys that could not be deleted */
static void
test_delete_result(void)
{
	static const char ok[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
		"<Deleted><Key>a</Key></Deleted>"
		"<Error><Key>b&amp;c</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
		"<Error><Key>d \xc3\xbc</Key><Code>InternalError</Code></Error>"
		"</DeleteResult>";
	static const char quiet[] = "<DeleteResult></DeleteResult>";
	static const char nokey[] = "<DeleteResult><Error><Code>X</Code></Error></DeleteResult>";
	static const char wrong[] = "<Error><Code>AccessDenied</Code></Error>";
	s3_delete_result r;
	char		errbuf[128];

	CHECK(s3_xml_parse_delete_result(ok, strlen(ok), &r, errbuf, sizeof(errbuf)) == 0,
		  "delete result parses: %s", errbuf);
	CHECK(r.ndeleted == 1 && r.nerrors == 2, "1 deleted, 2 errors: %zu %zu", r.ndeleted, r.nerrors);
	if (r.nerrors == 2)
	{
		CHECK_STR(r.errors[0].key, "b&c", "first error's key, unescaped");
		CHECK_STR(r.errors[0].code, "AccessDenied", "first error's code");
		CHECK_STR(r.errors[0].message, "Access Denied", "first error's message");
		CHECK_STR(r.errors[1].key, "d \xc3\xbc", "second error's key");
		CHECK(r.errors[1].message == NULL, "no message: NULL");
	}
	s3_delete_result_free(&r);
	CHECK(s3_xml_parse_delete_result(quiet, strlen(quiet), &r, errbuf, sizeof(errbuf)) == 0 &&
		  r.nerrors == 0 && r.ndeleted == 0, "quiet mode: nothing");
	s3_delete_result_free(&r);
	CHECK(s3_xml_parse_delete_result(nokey, strlen(nokey), &r, errbuf, sizeof(errbuf)) == -1,
		  "an <Error> without <Key> is refused");
	CHECK(s3_xml_parse_delete_result(wrong, strlen(wrong), &r, errbuf, sizeof(errbuf)) == -1 &&
		  strstr(errbuf, "<Error>") != NULL, "a whole-request <Error> is not a result: %s", errbuf);
	CHECK(s3_xml_parse_delete_result("", 0, &r, errbuf, sizeof(errbuf)) == -1, "empty body refused");
	CHECK(s3_xml_parse_delete_result("<DeleteResult><Deleted></Deleted></DeleteResult>", 48, &r,
									 errbuf, sizeof(errbuf)) == -1, "a <Deleted> without <Key> is refused");
}

/* check one answer against the keys sent: 0 or -1, the key blamed in *bad */
static int
delete_check(const char *xml, const char *const *sent, size_t nsent, const char **bad)
{
	s3_delete_result r;
	char		errbuf[128];
	static char blamed[64];
	int			rc;

	*bad = NULL;
	if (s3_xml_parse_delete_result(xml, strlen(xml), &r, errbuf, sizeof(errbuf)) != 0)
		return -2;
	rc = s3_delete_result_check(&r, sent, nsent, bad, errbuf, sizeof(errbuf));
	if (*bad != NULL)
	{
		snprintf(blamed, sizeof(blamed), "%s", *bad);
		*bad = blamed;
	}
	s3_delete_result_free(&r);
	return rc;
}

/* DeleteObjects' answer names only keys the batch sent, each as often as sent */
static void
test_delete_check(void)
{
	static const char *const sent[] = {"a", "b&c", "d \xc3\xbc", "a", "cr\rlf", "crlf\r\nx"};
	const char *bad;

	CHECK(delete_check("<DeleteResult></DeleteResult>", sent, 6, &bad) == 0, "quiet: nothing named");
	CHECK(delete_check("<DeleteResult><Deleted><Key>a</Key></Deleted>"
					   "<Error><Key>b&amp;c</Key><Code>X</Code></Error>"
					   "<Deleted><Key>a</Key></Deleted>"
					   "<Deleted><Key>d \xc3\xbc</Key></Deleted></DeleteResult>", sent, 6, &bad) == 0,
		  "every key once, \"a\" twice as sent twice");
	CHECK(delete_check("<DeleteResult><Error><Key>zzz</Key><Code>X</Code></Error></DeleteResult>",
					   sent, 6, &bad) == -1 && bad != NULL && strcmp(bad, "zzz") == 0,
		  "an error for a key never sent");
	CHECK(delete_check("<DeleteResult><Deleted><Key>nope</Key></Deleted></DeleteResult>",
					   sent, 6, &bad) == -1 && bad != NULL && strcmp(bad, "nope") == 0,
		  "a deleted key never sent");
	CHECK(delete_check("<DeleteResult><Error><Key>b&amp;c</Key></Error>"
					   "<Error><Key>b&amp;c</Key></Error></DeleteResult>", sent, 6, &bad) == -1 &&
		  bad != NULL && strcmp(bad, "b&c") == 0, "a key sent once named twice");
	CHECK(delete_check("<DeleteResult><Deleted><Key>b&amp;c</Key></Deleted>"
					   "<Error><Key>b&amp;c</Key></Error></DeleteResult>", sent, 6, &bad) == -1,
		  "a key both deleted and not");
	CHECK(delete_check("<DeleteResult><Deleted><Key>a</Key></Deleted><Deleted><Key>a</Key></Deleted>"
					   "<Deleted><Key>a</Key></Deleted></DeleteResult>", sent, 6, &bad) == -1,
		  "a key sent twice named three times");
	/* a CR the answer did not escape reads as LF (XML 2.11); an escaped one stays */
	CHECK(delete_check("<DeleteResult><Deleted><Key>cr\rlf</Key></Deleted>"
					   "<Deleted><Key>crlf\r\nx</Key></Deleted></DeleteResult>", sent, 6, &bad) == 0,
		  "raw CR and CR LF in keys");
	CHECK(delete_check("<DeleteResult><Deleted><Key>cr&#13;lf</Key></Deleted>"
					   "<Deleted><Key>crlf&#13;\nx</Key></Deleted></DeleteResult>", sent, 6, &bad) == 0,
		  "escaped CR in keys");
	CHECK(delete_check("<DeleteResult><Deleted><Key>a</Key></Deleted></DeleteResult>", NULL, 0, &bad) == -1,
		  "nothing sent, something named");
}

/* GetObjectTagging's answer: the tags, in order, unescaped */
static void
test_tagging(void)
{
	static const char ok[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>"
		"<Tag><Key>project</Key><Value>blue</Value></Tag>"
		"<Tag><Key>a&amp;b&lt;c&gt;&quot;&apos;</Key><Value>x&#13;y</Value></Tag>"
		"<Tag><Key>caf\xc3\xa9</Key><Value/></Tag>"
		"<Tag><Key>no value</Key></Tag>"
		"</TagSet></Tagging>";
	static const char empty[] = "<Tagging><TagSet/></Tagging>";
	static const char noset[] = "<Tagging></Tagging>";
	static const char nokey[] = "<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>";
	static const char wrong[] = "<Error><Code>NoSuchKey</Code></Error>";
	s3_tag_set t;
	char		errbuf[128];

	CHECK(s3_xml_parse_tagging(ok, strlen(ok), &t, errbuf, sizeof(errbuf)) == 0,
		  "tagging parses: %s", errbuf);
	CHECK(t.n == 4, "4 tags: %zu", t.n);
	if (t.n == 4)
	{
		CHECK_STR(t.items[0].key, "project", "first name");
		CHECK_STR(t.items[0].value, "blue", "first value");
		CHECK_STR(t.items[1].key, "a&b<c>\"'", "XML's five escapes read back");
		CHECK_STR(t.items[1].value, "x\ry", "an escaped CR kept");
		CHECK_STR(t.items[2].key, "caf\xc3\xa9", "UTF-8 name");
		CHECK_STR(t.items[2].value, "", "<Value/> is empty");
		CHECK_STR(t.items[3].value, "", "no <Value> is empty");
	}
	s3_tag_set_free(&t);
	CHECK(s3_xml_parse_tagging(empty, strlen(empty), &t, errbuf, sizeof(errbuf)) == 0 && t.n == 0,
		  "an empty TagSet: no tags");
	s3_tag_set_free(&t);
	CHECK(s3_xml_parse_tagging(noset, strlen(noset), &t, errbuf, sizeof(errbuf)) == 0 && t.n == 0,
		  "no TagSet: no tags");
	s3_tag_set_free(&t);
	CHECK(s3_xml_parse_tagging(nokey, strlen(nokey), &t, errbuf, sizeof(errbuf)) == -1 &&
		  strstr(errbuf, "<Key>") != NULL && t.n == 0 && t.items == NULL,
		  "a <Tag> without <Key> is refused, the result freed: %s", errbuf);
	CHECK(s3_xml_parse_tagging(wrong, strlen(wrong), &t, errbuf, sizeof(errbuf)) == -1 &&
		  strstr(errbuf, "<Error>") != NULL, "an <Error> is not tags: %s", errbuf);
	CHECK(s3_xml_parse_tagging("", 0, &t, errbuf, sizeof(errbuf)) == -1, "empty body refused");
}

/* ListObjectVersions: versions and delete markers in S3's order, markers */
static void
test_list_versions(void)
{
	/* S3's own order, interleaved, URL-encoded keys */
	static const char s3[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<ListVersionsResult xmlns=\"" S3NS "\"><Name>b</Name><Prefix></Prefix>"
		"<KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>"
		"<NextKeyMarker>k%20%C3%BC</NextKeyMarker><NextVersionIdMarker>v1</NextVersionIdMarker>"
		"<MaxKeys>4</MaxKeys><IsTruncated>true</IsTruncated><EncodingType>url</EncodingType>"
		"<Version><Key>a%2Bb</Key><VersionId>null</VersionId><IsLatest>true</IsLatest>"
		"<LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>&quot;e1&quot;</ETag>"
		"<Size>3</Size><StorageClass>STANDARD</StorageClass></Version>"
		"<DeleteMarker><Key>k%20%C3%BC</Key><VersionId>v3</VersionId><IsLatest>true</IsLatest>"
		"<LastModified>2024-01-03T00:00:00.000Z</LastModified></DeleteMarker>"
		"<Version><Key>k%20%C3%BC</Key><VersionId>v2</VersionId><IsLatest>false</IsLatest>"
		"<LastModified>2024-01-02T00:00:00.000Z</LastModified><ETag>\"e2\"</ETag><Size>0</Size></Version>"
		"<Version><Key>k%20%C3%BC</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest>"
		"<LastModified>2024-01-02T00:00:00.000Z</LastModified><ETag>\"e3\"</ETag><Size>5</Size></Version>"
		"<CommonPrefixes><Prefix>d%2F</Prefix></CommonPrefixes>"
		"</ListVersionsResult>";
	/* moto's: every Version, then every DeleteMarker; a marker in between in time */
	static const char grouped[] =
		"<ListVersionsResult><IsTruncated>false</IsTruncated>"
		"<Version><Key>k</Key><VersionId>v4</VersionId><IsLatest>true</IsLatest>"
		"<LastModified>2024-01-04T00:00:00.000Z</LastModified><Size>1</Size></Version>"
		"<Version><Key>k</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest>"
		"<LastModified>2024-01-01T00:00:00.000Z</LastModified><Size>1</Size></Version>"
		"<Version><Key>z</Key><VersionId>v9</VersionId><IsLatest>false</IsLatest>"
		"<LastModified>2024-01-01T00:00:00.000Z</LastModified><Size>1</Size></Version>"
		"<DeleteMarker><Key>k</Key><VersionId>v2</VersionId><IsLatest>false</IsLatest>"
		"<LastModified>2024-01-02T00:00:00.000Z</LastModified></DeleteMarker>"
		"<DeleteMarker><Key>z</Key><VersionId>v10</VersionId><IsLatest>true</IsLatest>"
		"<LastModified>2024-01-01T00:00:00.000Z</LastModified></DeleteMarker>"
		"</ListVersionsResult>";
	static const char *const bad[] = {
		"<ListVersionsResult><Version><VersionId>v</VersionId></Version></ListVersionsResult>",
		"<ListVersionsResult><Version><Key>k</Key></Version></ListVersionsResult>",
		"<ListVersionsResult><DeleteMarker><Key>k</Key><VersionId></VersionId></DeleteMarker></ListVersionsResult>",
		"<ListVersionsResult><Version><Key>k</Key><VersionId>v</VersionId><IsLatest>yes</IsLatest></Version></ListVersionsResult>",
		"<ListVersionsResult><Version><Key>k</Key><VersionId>v</VersionId><Size>-1</Size></Version></ListVersionsResult>",
		"<ListVersionsResult><IsTruncated>maybe</IsTruncated></ListVersionsResult>",
		"<ListBucketResult></ListBucketResult>",
		"<ListVersionsResult><EncodingType>url</EncodingType><Version><Key>%zz</Key><VersionId>v</VersionId></Version></ListVersionsResult>",
	};
	s3_version_list l;
	size_t		i;

	CHECK(s3_xml_parse_list_versions(s3, strlen(s3), &l, errbuf, sizeof(errbuf)) == 0,
		  "S3's versions page parses: %s", errbuf);
	CHECK(l.n == 4 && l.n_prefixes == 1 && l.is_truncated, "4 entries, 1 prefix, truncated");
	CHECK_STR(l.next_key_marker, "k \xc3\xbc", "NextKeyMarker decoded");
	CHECK_STR(l.next_version_id_marker, "v1", "NextVersionIdMarker");
	if (l.n == 4 && l.n_prefixes == 1)
	{
		CHECK_STR(l.items[0].key, "a+b", "first key decoded");
		CHECK_STR(l.items[0].version_id, "null", "the null version");
		CHECK(l.items[0].is_latest && !l.items[0].is_delete_marker && l.items[0].size == 3,
			  "a latest version of 3 bytes");
		CHECK_STR(l.items[0].etag, "e1", "ETag without quotes");
		CHECK(l.items[1].is_delete_marker && l.items[1].is_latest && l.items[1].size == -1 &&
			  l.items[1].etag == NULL && l.items[1].storage_class == NULL,
			  "a delete marker: no size, ETag or class");
		CHECK_STR(l.items[2].version_id, "v2", "S3's order kept (v2)");
		CHECK_STR(l.items[3].version_id, "v1", "S3's order kept (v1, same time as v2)");
		CHECK(l.items[2].size == 0 && !l.items[2].is_latest, "an older version of 0 bytes");
		CHECK_STR(l.common_prefixes[0], "d/", "common prefix decoded");
	}
	s3_version_list_free(&l);

	CHECK(s3_xml_parse_list_versions(grouped, strlen(grouped), &l, errbuf, sizeof(errbuf)) == 0,
		  "grouped page parses: %s", errbuf);
	CHECK(l.n == 5 && !l.is_truncated && l.next_key_marker == NULL, "5 entries, the last page");
	if (l.n == 5)
	{
		static const char *const order[] = {"v4", "v2", "v1", "v10", "v9"};

		for (i = 0; i < 5; i++)
			CHECK(strcmp(l.items[i].version_id, order[i]) == 0, "S3's order restored: %zu is %s, not %s",
				  i, l.items[i].version_id, order[i]);
		CHECK(l.items[1].is_delete_marker && l.items[3].is_delete_marker, "markers in their place");
	}
	s3_version_list_free(&l);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		CHECK(s3_xml_parse_list_versions(bad[i], strlen(bad[i]), &l, errbuf, sizeof(errbuf)) == -1,
			  "bad versions page %zu refused", i);
		CHECK(l.items == NULL && l.n == 0 && l.next_key_marker == NULL, "and left zeroed (%zu)", i);
	}
}

/* GetBucketVersioning's answer: 0 or -1, the status in *status */
static int
versioning(const char *xml, char **status)
{
	return s3_xml_parse_versioning(xml, strlen(xml), status, errbuf, sizeof(errbuf));
}

/* GetBucketVersioning: Enabled, Suspended, or never versioned */
static void
test_versioning(void)
{
	char	   *status;

	CHECK(versioning("<VersioningConfiguration xmlns=\"" S3NS "\"><Status>Enabled</Status>"
					 "</VersioningConfiguration>", &status) == 0, "Enabled parses: %s", errbuf);
	CHECK_STR(status, "Enabled", "Enabled");
	free(status);
	CHECK(versioning("<GetBucketVersioningResponse><Status> Suspended </Status>"
					 "<MfaDelete>Disabled</MfaDelete></GetBucketVersioningResponse>", &status) == 0,
		  "moto's root, Suspended: %s", errbuf);
	CHECK_STR(status, "Suspended", "Suspended, trimmed");
	free(status);
	CHECK(versioning("<VersioningConfiguration/>", &status) == 0 && status == NULL,
		  "never versioned: NULL");
	CHECK(versioning("<VersioningConfiguration><Status></Status></VersioningConfiguration>",
					 &status) == 0 && status == NULL, "an empty Status: NULL");
	CHECK(versioning("<VersioningConfiguration><Status>On</Status></VersioningConfiguration>",
					 &status) == -1 && status == NULL, "an unknown status is refused");
	CHECK(versioning("<Error><Code>X</Code></Error>", &status) == -1 &&
		  strstr(errbuf, "<Error>") != NULL, "another root is refused: %s", errbuf);
}

int
main(int argc, char **argv)
{
	(void) argc;
	(void) argv;

	test_buckets();
	test_list_objects();
	test_list_objects_bad();
	test_errors();
	test_malformed();
	test_url_decode();
	test_peek_agrees();
	test_list_quiet();
	test_delete_result();
	test_delete_check();
	test_tagging();
	test_list_versions();
	test_versioning();
	return unit_report("xml");
}
