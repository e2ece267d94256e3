/*-------------------------------------------------------------------------
 *
 * test_fast.c
 *		Unit tests for src/s3_xml_fast.c, the scanner of ListObjectsV2 pages
 *		that reads a subset of XML without libxml2: every page it reads must
 *		be what s3_xml_parse_list_objects() makes of it, field by field, and
 *		every page beyond the subset must be left to that parser (1).
 *		And the peek at a page's head (s3_xml_fast_list_peek()), which must
 *		tell the continuation token as soon as it has come before the keys,
 *		and only the token the whole page has.
 *
 * Run as "test_fast x" (the argument is ignored).
 *
 * IDENTIFICATION
 *	  test/unit/test_fast.c
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_fast.h"
#include "unit.h"
#include "../list_compare.h"

#define S3NS "http://s3.amazonaws.com/doc/2006-03-01/"
#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
#define LBR(body) "<ListBucketResult xmlns=\"" S3NS "\">" body "</ListBucketResult>"
#define C(body) "<Contents>" body "</Contents>"

/* What the scanner returns */
#define READ	0				/* read, as the tree parser reads it */
#define OTHER	1				/* beyond the subset: left to libxml2 */

/* Compares the scanner's page with the tree's, field by field, one CHECK each */
static void
check_same_list(const s3_object_list *want, const s3_object_list *got, const char *what)
{
	size_t		i;

	CHECK(want->n == got->n, "%s: n %zu, fast %zu", what, want->n, got->n);
	for (i = 0; i < want->n && i < got->n; i++)
	{
		const s3_object_entry *w = &want->items[i];
		const s3_object_entry *g = &got->items[i];

		CHECK(same_str(w->key, g->key), "%s: key %zu [%s] fast [%s]",
			  what, i, w->key ? w->key : "(null)", g->key ? g->key : "(null)");
		CHECK(w->size == g->size, "%s: size %zu %lld fast %lld", what, i, w->size, g->size);
		CHECK(same_str(w->last_modified, g->last_modified), "%s: last_modified %zu", what, i);
		CHECK(same_str(w->etag, g->etag), "%s: etag %zu [%s] fast [%s]", what, i,
			  w->etag ? w->etag : "(null)", g->etag ? g->etag : "(null)");
		CHECK(same_str(w->storage_class, g->storage_class), "%s: storage_class %zu", what, i);
	}
	CHECK(want->n_prefixes == got->n_prefixes, "%s: prefixes %zu, fast %zu",
		  what, want->n_prefixes, got->n_prefixes);
	for (i = 0; i < want->n_prefixes && i < got->n_prefixes; i++)
		CHECK(same_str(want->common_prefixes[i], got->common_prefixes[i]),
			  "%s: prefix %zu [%s] fast [%s]", what, i, want->common_prefixes[i],
			  got->common_prefixes[i] ? got->common_prefixes[i] : "(null)");
	CHECK(want->is_truncated == got->is_truncated, "%s: is_truncated", what);
	CHECK(same_str(want->next_continuation_token, got->next_continuation_token),
		  "%s: next_continuation_token", what);
	CHECK(want->key_count == got->key_count, "%s: key_count %d, fast %d",
		  what, want->key_count, got->key_count);
}

/*
 * Scans buf and expects want (READ or OTHER); a page read must be the tree
 * parser's, a page refused must leave the result zeroed.  *page, when not
 * NULL, gets the page read (for more checks; the caller frees it).
 */
static void
expect_fast_page(const char *buf, size_t len, int want, const char *what,
				 s3_object_list *page)
{
	s3_object_list got;
	s3_object_list tree;
	char		err[256];
	int			rc;
	int			tree_rc;

	/* the peek at its head (not at the made-up lengths of the size tests) */
	if (len <= (size_t) 16 * 1024 * 1024)
		CHECK(peek_matches_tree(buf, len), "%s: the peek says what the page does not", what);
	memset(&got, 0x7f, sizeof(got));
	rc = s3_xml_fast_list_objects(buf, len, &got);
	CHECK(rc == want, "%s: fast rc=%d, want %d", what, rc, want);
	CHECK(masks_agree(buf, len, rc, &got),
		  "%s: a scan keeping only some fields differs from one keeping all", what);
	if (rc != READ)
	{
		CHECK(list_is_zero(&got), "%s: a refused page leaves a result", what);
		if (page != NULL)
			memset(page, 0, sizeof(*page));
		return;
	}
	tree_rc = s3_xml_parse_list_objects(buf, len, &tree, err, sizeof(err));
	CHECK(tree_rc == 0, "%s: fast reads a page the tree parser refuses [%s]", what, err);
	if (tree_rc == 0)
	{
		check_same_list(&tree, &got, what);
		s3_object_list_free(&tree);
	}
	if (page != NULL)
		*page = got;
	else
		s3_object_list_free(&got);
}

static void
expect_fast(const char *doc, int want, const char *what)
{
	expect_fast_page(doc, strlen(doc), want, what, NULL);
}

/*
 * The rule on its own, quietly: true unless the scanner reads buf and the
 * tree parser refuses it or reads it otherwise.
 */
static bool
agrees(const char *buf, size_t len, bool *read)
{
	s3_object_list got;
	s3_object_list tree;
	char		err[256];
	int			rc = s3_xml_fast_list_objects(buf, len, &got);
	bool		ok;

	*read = rc == READ;
	if (!peek_matches_tree(buf, len) || !masks_agree(buf, len, rc, &got))
	{
		if (rc == READ)
			s3_object_list_free(&got);
		return false;
	}
	if (rc != READ)
		return rc == OTHER && list_is_zero(&got);
	ok = s3_xml_parse_list_objects(buf, len, &tree, err, sizeof(err)) == 0 &&
		same_list(&tree, &got);
	if (ok)
		s3_object_list_free(&tree);
	s3_object_list_free(&got);
	return ok;
}

/* ---- the documents of test_xml.c ---- */

static void
test_xml_documents(void)
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
	static const char valid[] =
		"<ListBucketResult xmlns=\"" S3NS "\"><IsTruncated>false</IsTruncated>"
		"<Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>";
	/* the tree parser refuses each (test_list_objects_bad) */
	static const char *const bad[] = {
		LBR("<Contents><Key>a</Key><Size>-5</Size></Contents>"),
		LBR("<Contents><Key>a</Key><Size>abc</Size></Contents>"),
		LBR("<Contents><Key>a</Key><Size>99999999999999999999999</Size></Contents>"),
		LBR("<Contents><Key>a</Key><Size>9223372036854775808</Size></Contents>"),
		LBR("<Contents><Key>a</Key><Size></Size></Contents>"),
		LBR("<Contents><Key>a</Key><Size>+5</Size></Contents>"),
		LBR("<Contents><Key>a</Key><Size>1 2</Size></Contents>"),
		LBR("<Contents><Key>a</Key><Size>0x10</Size></Contents>"),
		LBR("<Contents><Key>ok</Key><Size>1</Size></Contents>"
			"<Contents><Size>1</Size><ETag>\"e\"</ETag></Contents>"),
		LBR("<Contents><Key></Key></Contents>"),
		LBR("<EncodingType>url</EncodingType>"
			"<Contents><Key>ok%20</Key></Contents>"
			"<Contents><Key>bad%zz</Key><Size>1</Size></Contents>"),
		LBR("<Contents><Key>a%00b</Key></Contents>"
			"<EncodingType>url</EncodingType>"),
		LBR("<CommonPrefixes><Prefix>x%2</Prefix></CommonPrefixes>"
			"<EncodingType>url</EncodingType>"),
		LBR("<CommonPrefixes></CommonPrefixes>"),
		LBR("<EncodingType>base64</EncodingType>"),
		LBR("<IsTruncated>yes</IsTruncated>"),
		LBR("<KeyCount>-1</KeyCount>"),
		LBR("<KeyCount>2147483648</KeyCount>"),
		"<Error><Code>NoSuchBucket</Code></Error>",
		/* test_malformed */
		"not xml",
		"<Error><Code>x</Code>",
		"<Error><Code>x</Error></Code>",
		"<Error/><Error/>",
		"<!DOCTYPE Error [<!ENTITY x \"y\">]><Error><Code>&x;</Code></Error>",
		"<!DOCTYPE Error SYSTEM \"http://127.0.0.1:1/evil.dtd\"><Error/>",
		"<Error><Code>&undeclared;</Code></Error>",
		"<Error>\xff\xfe</Error>",
	};
	/* test_stream_same, and what the scanner says of each */
	static const struct
	{
		const char *doc;
		int			want;
	}			stream_docs[] = {
		{LBR(C("<Key><!--c-->  </Key>")), OTHER},
		{LBR(C("<Key><![CDATA[a]]>  <![CDATA[b]]></Key>")), OTHER},
		{LBR(C("<Key>  <![CDATA[a]]></Key>")), OTHER},
		{LBR(C("<Key><![CDATA[]]> </Key>")), OTHER},
		{LBR(C("<Key>k</Key><Size><![CDATA[1]]> <![CDATA[2]]></Size>")), OTHER},
		{LBR(C("<Key><!----> a<!----> </Key>")), OTHER},
		{LBR(C("<Key xml:space=\"default\"><!----> a<!----> </Key>")), OTHER},
		{LBR(C("<Key xml:space=\"preserve\"><!----> a<!----> </Key>")), OTHER},
		{LBR(C("<Key>a<x>y</x>b</Key>")), OTHER},
		{LBR(C("<Key><?pi x?>k</Key>")), OTHER},
		{LBR(C("<Key xml:space=\"preserve\"> k </Key>")), OTHER},
		{LBR("<IsTruncated><!---->true</IsTruncated>"
			 "<NextContinuationToken><![CDATA[t]]> </NextContinuationToken>"), OTHER},
		{LBR(C("<Key>  \r\n</Key>")), OTHER},
		{LBR(C("<Key>a\rb</Key>")), OTHER},
		{LBR(C("<Key>a&#13;b</Key>")), READ},
		{"<?xml version=\"1.0\"?>\r\n<ListBucketResult>\r\n  <Contents>\r\n"
			"    <Key>k</Key>\r\n    <Size>1</Size>\r\n  </Contents>\r\n</ListBucketResult>\r\n", OTHER},
		{"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" LBR(C("<Key>caf\xe9</Key>")), OTHER},
		{"<?xml version=\"1.0\" encoding=\"US-ASCII\"?>" LBR(C("<Key>caf\xc3\xa9</Key>")), OTHER},
		{"<?xml version=\"1.0\" encoding=\"utf-8\"?>" LBR(C("<Key>caf\xc3\xa9</Key>")), READ},
		{"\xEF\xBB\xBF" LBR(C("<Key>k</Key>")), OTHER},
		{"\xEF\xBB\xBF<?xml version=\"1.0\"?>" LBR(C("<Key>k</Key>")), OTHER},
		{"\xEF\xBB\xBF\xEF\xBB\xBF" LBR(C("<Key>k</Key>")), OTHER},
		{"\xEF\xBB" LBR(""), OTHER},
		{LBR(C("<s3:Key>k</s3:Key>")), OTHER},
		{LBR(C("<s3:Key xmlns:s3=\"" S3NS "\">k</s3:Key>")), OTHER},
		{"<s3:ListBucketResult><s3:Contents/></s3:ListBucketResult>", OTHER},
		{"<s3:ListBucketResult xmlns:s3=\"" S3NS "\"><s3:Contents><s3:Key>k</s3:Key>"
			"</s3:Contents></s3:ListBucketResult>", OTHER},
		{"<ListBucketResult xmlns=\"urn:other\"><Contents><Key>k</Key></Contents></ListBucketResult>", READ},
		{LBR(C("<Key>a%20b</Key>") "<CommonPrefixes><Prefix>p%2F</Prefix></CommonPrefixes>"
			 "<EncodingType>url</EncodingType><EncodingType>base64</EncodingType>"
			 C("<Key>c+d</Key>")), READ},
		{LBR(C("<Key>a%20b</Key><EncodingType>url</EncodingType>")), READ},
		{LBR("<Name><EncodingType>url</EncodingType></Name>" C("<Key>a%20b</Key>")), READ},
		{LBR(C("<Key>a</Key><Key>b</Key><Size>1</Size><Size>x</Size>"
			   "<ETag>\"e\"</ETag><ETag>f</ETag><LastModified>l</LastModified>"
			   "<LastModified>m</LastModified><StorageClass>S</StorageClass>"
			   "<StorageClass>T</StorageClass>")), READ},
		{LBR("<IsTruncated>true</IsTruncated><IsTruncated>bogus</IsTruncated>"
			 "<NextContinuationToken>t1</NextContinuationToken>"
			 "<NextContinuationToken>t2</NextContinuationToken>"
			 "<KeyCount>1</KeyCount><KeyCount>x</KeyCount>"
			 "<CommonPrefixes><Prefix>p</Prefix><Prefix>q</Prefix></CommonPrefixes>"), READ},
		{LBR(C("<Key>a</Key>" C("<Key>b</Key>") "<IsTruncated>x</IsTruncated>")
			 "<Other>" C("<Size>x</Size>") "<IsTruncated>bad</IsTruncated></Other>"
			 "text<!-- c --><?pi?>"), OTHER},
		{LBR(C("<Key>a</Key>" C("<Key>b</Key>") "<IsTruncated>x</IsTruncated>")
			 "<Other>" C("<Size>x</Size>") "<IsTruncated>bad</IsTruncated></Other>"
			 "text"), READ},
		{"<?xml version=\"1.0\"?><!-- before --><?pi?>" LBR(C("<Key>k</Key>")) "<!-- after --><?pi?>", OTHER},
		{LBR(C("<Key/>")), OTHER},
		{LBR(C("<Key>k</Key><ETag/><Size/>")), OTHER},
		{LBR(C("<Key>k</Key><ETag/><StorageClass></StorageClass>")
			 "<CommonPrefixes><Prefix/></CommonPrefixes><NextContinuationToken/>"), READ},
		{LBR(C("<Key a=\"x>y\" b='&amp;'>&lt;k&gt;&#x20;&#233;&quot;</Key>")), OTHER},
		{LBR(C("<Key a=\"x>y\" b='amp'>&lt;k&gt;&#x20;&#233;&quot;</Key>")), READ},
		{LBR(C("<Key>\xc3\xa9                                                                                                                                                                                                                                                                                                                                  x</Key>")), READ},
		{LBR(C("<Key>k</Key>")) "<ListBucketResult/>", OTHER},
		{LBR(C("<Key>&nbsp;</Key>")), OTHER},
		{LBR(C("<Key>a]]>b</Key>")), OTHER},
		{"<ListBucketResult><Contents><Key>k</Key></Contents>", OTHER},
		{"<ListAllMyBucketsResult/>", OTHER},
		{"<ListBucketResult", OTHER},
	};
	s3_object_list l;
	size_t		i;
	char		what[64];

	expect_fast_page(encoded, strlen(encoded), READ, "encoded list", &l);
	if (l.n == 3 && l.n_prefixes == 2)
	{
		CHECK_STR(l.items[0].key, "data/2024/r\xc3\xa9sum\xc3\xa9-\xe2\x82\xac.csv", "unicode key");
		CHECK_STR(l.items[0].etag, "abc", "&quot; etag");
		CHECK_STR(l.items[1].key, "my file+plus.txt", "space and plus key");
		CHECK_STR(l.items[1].etag, "d41d8cd98f00b204e9800998ecf8427e-2", "quoted etag");
		CHECK_STR(l.items[2].key, "big file", "'+' decodes to space");
		CHECK(l.items[2].size == 9223372036854775807LL, "LLONG_MAX size");
		CHECK(l.items[2].etag == NULL && l.items[2].last_modified == NULL &&
			  l.items[2].storage_class == NULL, "absent fields are NULL");
		CHECK_STR(l.common_prefixes[0], "logs/", "prefix 0, decoded after the fact");
		CHECK_STR(l.common_prefixes[1], "dir two/", "prefix 1");
		CHECK(l.is_truncated && l.key_count == 3, "truncated, KeyCount 3");
	}
	s3_object_list_free(&l);

	expect_fast_page(plain, strlen(plain), READ, "plain list", &l);
	if (l.n == 2)
	{
		CHECK_STR(l.items[0].key, "a+b%20c.txt", "no EncodingType: key verbatim");
		CHECK(l.items[0].size == 42, "size with blanks");
		CHECK_STR(l.items[1].key, "   ", "blank key kept");
		CHECK(l.items[1].size == -1, "missing Size -> -1");
		CHECK_STR(l.items[1].etag, "\"", "lone quote not stripped");
	}
	s3_object_list_free(&l);

	expect_fast(no_ns_cdata, OTHER, "CDATA list");
	expect_fast_page(empty_list, strlen(empty_list), READ, "empty list", &l);
	CHECK(l.n == 0 && l.items == NULL && l.n_prefixes == 0 && l.key_count == 0 &&
		  !l.is_truncated && l.next_continuation_token == NULL, "empty list fields");
	s3_object_list_free(&l);
	expect_fast(valid, READ, "valid document");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		snprintf(what, sizeof(what), "refused document %zu", i);
		expect_fast(bad[i], OTHER, what);
	}
	for (i = 0; i < sizeof(stream_docs) / sizeof(stream_docs[0]); i++)
	{
		snprintf(what, sizeof(what), "stream document %zu", i);
		expect_fast(stream_docs[i].doc, stream_docs[i].want, what);
	}

	/* NUL bytes, inside and after */
	expect_fast_page("<ListBucketResult><Contents><Key>A\0B</Key></Contents></ListBucketResult>",
					 72, OTHER, "NUL inside", NULL);
	expect_fast_page(LBR("") "\0junk", strlen(LBR("")) + 5, OTHER, "NUL after the root", NULL);

	/* no buffer, an empty one, no result structure, too large */
	expect_fast_page(NULL, 0, OTHER, "NULL buffer", NULL);
	expect_fast_page(NULL, 10, OTHER, "NULL buffer with a length", NULL);
	expect_fast_page("", 0, OTHER, "empty buffer", NULL);
	expect_fast_page(valid, (size_t) 64 * 1024 * 1024 + 1, OTHER, "over 64 MiB", NULL);
	CHECK(s3_xml_fast_list_objects(valid, strlen(valid), NULL) == OTHER, "NULL result");
}

/* A page as S3 writes it: n keys, URL-encoded (with ChecksumAlgorithm, when asked) */
static char *
s3_page(size_t n, bool checksum, size_t *len)
{
	cbuf		b;
	size_t		i;
	char		line[512];

	cbuf_init(&b);
	cbuf_append(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				"<ListBucketResult xmlns=\"" S3NS "\"><Name>bucket</Name>"
				"<Prefix>data%2F</Prefix>"
				"<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
				"<KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys>"
				"<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>");
	for (i = 0; i < n; i++)
	{
		snprintf(line, sizeof(line),
				 "<Contents><Key>data%%2Fyear%%3D2024%%2Fpart-%05zu-r%%C3%%A9sum%%C3%%A9.csv</Key>"
				 "<LastModified>2024-05-06T07:08:09.000Z</LastModified>"
				 "<ETag>&quot;d41d8cd98f00b204e9800998ecf8%04zu&quot;</ETag>%s"
				 "<Size>%zu</Size><StorageClass>STANDARD</StorageClass></Contents>",
				 i, i % 10000, checksum ? "<ChecksumAlgorithm>CRC32</ChecksumAlgorithm>" : "",
				 i * 1000 + 7);
		cbuf_append(&b, line);
	}
	cbuf_append(&b, "</ListBucketResult>");
	*len = b.len;
	return cbuf_finish(&b);
}

static void
test_big_pages(void)
{
	s3_object_list l;
	size_t		len;
	char	   *page;
	int			checksum;

	for (checksum = 0; checksum < 2; checksum++)
	{
		page = s3_page(1000, checksum, &len);
		CHECK(page != NULL, "page");
		if (page == NULL)
			continue;
		expect_fast_page(page, len, READ, checksum ? "1000 keys, checksums" : "1000 keys", &l);
		if (l.n == 1000)
		{
			CHECK_STR(l.items[999].key, "data/year=2024/part-00999-r\xc3\xa9sum\xc3\xa9.csv",
					  "page: key 999");
			CHECK_STR(l.items[3].etag, "d41d8cd98f00b204e9800998ecf80003", "page: etag 3");
			CHECK(l.items[5].size == 5007, "page: size 5");
			CHECK(l.key_count == 1000 && l.is_truncated, "page: KeyCount, IsTruncated");
		}
		s3_object_list_free(&l);
		free(page);
	}

	/* more entries than any first capacity, both arrays, EncodingType last */
	{
		cbuf		b;
		size_t		i;
		char		line[200];

		cbuf_init(&b);
		cbuf_append(&b, "<ListBucketResult>");
		for (i = 0; i < 300; i++)
		{
			snprintf(line, sizeof(line),
					 "<Contents><Key>k%zu%%21</Key><Size>%zu</Size></Contents>"
					 "<CommonPrefixes><Prefix>p%zu+/</Prefix></CommonPrefixes>", i, i * 10, i);
			cbuf_append(&b, line);
		}
		cbuf_append(&b, "<EncodingType>url</EncodingType></ListBucketResult>");
		len = b.len;
		page = cbuf_finish(&b);
		CHECK(page != NULL, "page");
		if (page != NULL)
		{
			expect_fast_page(page, len, READ, "300 entries", &l);
			if (l.n == 300 && l.n_prefixes == 300)
			{
				CHECK_STR(l.items[299].key, "k299!", "key 299");
				CHECK(l.items[57].size == 570, "size 57");
				CHECK_STR(l.common_prefixes[63], "p63 /", "prefix 63");
			}
			s3_object_list_free(&l);
			free(page);
		}
	}
}

/* ---- pages as stores send them ---- */

static void
test_real_pages(void)
{
	/* S3, ListObjectsV2 with fetch-owner, StartAfter, a continuation */
	static const char aws[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<ListBucketResult xmlns=\"" S3NS "\"><Name>amzn-s3-demo-bucket</Name>"
		"<Prefix>photos/</Prefix><ContinuationToken>1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg==</ContinuationToken>"
		"<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
		"<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><StartAfter>photos/2005</StartAfter>"
		"<IsTruncated>true</IsTruncated>"
		"<Contents><Key>photos/2006/January/sample.jpg</Key>"
		"<LastModified>2011-02-26T01:56:20.000Z</LastModified>"
		"<ETag>&quot;bf1d737a4d46a19f3bced6905cc8b902&quot;</ETag>"
		"<ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>"
		"<Size>142863</Size>"
		"<Owner><ID>canonical-user-id</ID><DisplayName>display-name</DisplayName></Owner>"
		"<StorageClass>STANDARD</StorageClass></Contents>"
		"<Contents><Key>photos/2006/February/sample2.jpg</Key>"
		"<LastModified>2011-02-26T01:56:20.000Z</LastModified>"
		"<ETag>&quot;3b2c4e7e2c2b2c6d5bd6c9d3e0d5bbb1-12&quot;</ETag>"
		"<Size>5368709120</Size><StorageClass>GLACIER</StorageClass>"
		"<RestoreStatus><IsRestoreInProgress>false</IsRestoreInProgress>"
		"<RestoreExpiryDate>2012-12-21T00:00:00.000Z</RestoreExpiryDate></RestoreStatus>"
		"</Contents></ListBucketResult>";
	/* S3 with a delimiter and EncodingType=url */
	static const char aws_encoded[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<ListBucketResult xmlns=\"" S3NS "\"><Name>bucket</Name><Prefix>a%2F</Prefix>"
		"<KeyCount>4</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>%2F</Delimiter>"
		"<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
		"<Contents><Key>a%2Fone%20two.txt</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
		"<ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm>"
		"<Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>"
		"<Contents><Key>a%2F%E6%97%A5%E6%9C%AC%E8%AA%9E.csv</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
		"<ETag>&quot;92eb5ffee6ae2fec3ad71c777531578f&quot;</ETag><Size>1</Size>"
		"<StorageClass>INTELLIGENT_TIERING</StorageClass></Contents>"
		"<CommonPrefixes><Prefix>a%2Fb%2B%2F</Prefix></CommonPrefixes>"
		"<CommonPrefixes><Prefix>a%2Fc%25d%2F</Prefix></CommonPrefixes>"
		"</ListBucketResult>";
	/* MinIO (Go's encoding/xml: &#34; for quotes, &#39; for apostrophes) */
	static const char minio[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<ListBucketResult xmlns=\"" S3NS "\"><Name>test</Name><Prefix></Prefix>"
		"<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter></Delimiter>"
		"<IsTruncated>false</IsTruncated>"
		"<Contents><Key>it&#39;s &amp; &lt;that&gt;.txt</Key>"
		"<LastModified>2024-03-01T10:11:12.345Z</LastModified>"
		"<ETag>&#34;d41d8cd98f00b204e9800998ecf8427e&#34;</ETag><Size>0</Size>"
		"<Owner><ID>02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4</ID>"
		"<DisplayName>minio</DisplayName></Owner><StorageClass>STANDARD</StorageClass></Contents>"
		"<Contents><Key>tab&#x9;new&#xA;line</Key>"
		"<LastModified>2024-03-01T10:11:12.345Z</LastModified>"
		"<ETag>&#34;x&#34;</ETag><Size>7</Size><StorageClass>STANDARD</StorageClass></Contents>"
		"</ListBucketResult>";
	/* Ceph RGW, and a pretty-printed page */
	static const char ceph[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<ListBucketResult xmlns=\"" S3NS "\"><Name>b</Name><Prefix/><MaxKeys>1000</MaxKeys>"
		"<IsTruncated>false</IsTruncated>"
		"<Contents><Key>obj</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
		"<ETag>&quot;e&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass>"
		"<Owner><ID>u</ID><DisplayName>U</DisplayName></Owner><Type>Normal</Type></Contents>"
		"<Marker></Marker></ListBucketResult>\n";
	static const char pretty[] =
		"<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n\n"
		"<ListBucketResult xmlns=\"" S3NS "\">\n"
		"\t<Name>b</Name>\n"
		"\t<IsTruncated> true </IsTruncated>\n"
		"\t<KeyCount>\n\t\t1\n\t</KeyCount>\n"
		"\t<NextContinuationToken>  tok  </NextContinuationToken>\n"
		"\t<Contents >\n"
		"\t\t<Key >  spaced key  </Key >\n"
		"\t\t<Size>\t42\n</Size>\n"
		"\t\t<ETag>  \"q\"  </ETag>\n"
		"\t</Contents\n>\n"
		"\t<CommonPrefixes>\n\t\t<Prefix>\n</Prefix>\n\t</CommonPrefixes>\n"
		"</ListBucketResult>\n\n\t \n";
	/* references and raw UTF-8 in keys */
	static const char refs[] =
		LBR(C("<Key>a&amp;b&lt;c&gt;d&apos;e&quot;f&#65;&#x42;&#xe9;&#233;&#x1F600;&#128512;</Key>")
			C("<Key>r\xc3\xa9sum\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e/\xf0\x9f\x98\x80.txt</Key>")
			C("<Key>\xc2\x80\xc2\x9f\x7f\xef\xbf\xbd\xf4\x8f\xbf\xbf\xee\x80\x80</Key>")
			C("<Key>&#x10FFFF;&#xFFFD;&#xE000;&#xD7FF;&#1114111;&#0000065;&#x000041;</Key>")
			C("<Key>&#13;</Key><Size>&#32;&#13;5&#x9;</Size><ETag>&quot;&quot;</ETag>")
			C("<Key>]] ]> ]]]</Key><StorageClass>&gt;]]&gt;</StorageClass>")
			C("<Key>>\"'=/?</Key>")
			"<IsTruncated>&#x20;true&#10;</IsTruncated>"
			"<NextContinuationToken>a&amp;b</NextContinuationToken>"
			"<KeyCount>&#x35;</KeyCount>");
	/* a truncated page whose EncodingType comes last, and an empty page */
	static const char late_encoding[] =
		LBR("<IsTruncated>true</IsTruncated>"
			"<NextContinuationToken>next%2Btoken</NextContinuationToken>"
			C("<Key>x%2By+z</Key><Size>1</Size>")
			"<CommonPrefixes><Prefix>p%2F</Prefix></CommonPrefixes>"
			C("<Key>%41</Key><Size>2</Size>")
			"<EncodingType> url\n</EncodingType>");
	static const char empty_page[] =
		DECL "<ListBucketResult xmlns=\"" S3NS "\"><Name>b</Name><Prefix>nothing/</Prefix>"
		"<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
		"</ListBucketResult>";
	static const char *const more[] = {
		"<ListBucketResult/>",
		"<ListBucketResult></ListBucketResult>",
		"<ListBucketResult xmlns=\"\"/>",
		"\n \t<ListBucketResult />\n",
		"<?xml version=\"1.0\"?><ListBucketResult/>",
		"<?xml version = \"1.0\"  encoding = 'UTF-8'  standalone = \"no\"?><ListBucketResult/>",
		"<?xml version=\"1.0\" standalone=\"yes\"?><ListBucketResult/>",
		"<?xml\tversion=\"1.0\"\n?>\n<ListBucketResult/>",
		LBR(C("<Key a=\"1\" b='2' c = \"3\">k</Key>")),
		LBR("<Contents a=\"\" _b.c-d=\"x\tz\"><Key>k</Key></Contents>"),
		LBR(C("<Key>k</Key><Owner/><Owner></Owner><Owner><ID/></Owner>")),
		LBR(C("<Key>k</Key><Other>a<b>c<d>e</d></b>f</Other>")),
		LBR(C("<Key>k</Key>") "<Contents2/><Key>not read</Key><Size>x</Size>"),
		LBR("<CommonPrefixes><Other>x</Other><Prefix>p</Prefix><Prefix>q</Prefix></CommonPrefixes>"),
		LBR("<CommonPrefixes><Prefix></Prefix></CommonPrefixes>"),
		LBR("<IsTruncated>false</IsTruncated><KeyCount>2147483647</KeyCount>"),
		LBR("<KeyCount>0000000000000000000000000000007</KeyCount>"),
		LBR(C("<Key>k</Key><Size>0009223372036854775807</Size>")),
		LBR(C("<Size>1</Size><Key>late key</Key>")),
		LBR("<EncodingType>url</EncodingType>" C("<Key>%e2%82%ac%2b+</Key>")),
		LBR("<Name>\xe6\x97\xa5</Name><Prefix>&amp;</Prefix>"),
		LBR(C("<Key>k</Key><ETag>\"\"</ETag>")),
		LBR(C("<Key>k</Key><ETag>\"a\"b\"</ETag>")),
		LBR(C("<Key>k</Key><ETag>&quot;</ETag>")),
		"<ListBucketResult a1=\"1\" a2=\"2\" a3=\"3\" a4=\"4\" a5=\"5\" a6=\"6\" a7=\"7\" a8=\"8\"/>",
	};
	s3_object_list l;
	size_t		i;
	char		what[64];

	expect_fast_page(aws, strlen(aws), READ, "S3 page", &l);
	if (l.n == 2)
	{
		CHECK_STR(l.items[0].key, "photos/2006/January/sample.jpg", "S3 key 0");
		CHECK_STR(l.items[0].etag, "bf1d737a4d46a19f3bced6905cc8b902", "S3 etag 0");
		CHECK(l.items[1].size == 5368709120LL, "S3 size 1");
		CHECK_STR(l.items[1].storage_class, "GLACIER", "S3 storage class 1");
		CHECK_STR(l.next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=",
				  "S3 token");
	}
	s3_object_list_free(&l);

	expect_fast_page(aws_encoded, strlen(aws_encoded), READ, "S3 page, url", &l);
	if (l.n == 2 && l.n_prefixes == 2)
	{
		CHECK_STR(l.items[0].key, "a/one two.txt", "url key 0");
		CHECK_STR(l.items[1].key, "a/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.csv", "url key 1");
		CHECK_STR(l.common_prefixes[0], "a/b+/", "url prefix 0");
		CHECK_STR(l.common_prefixes[1], "a/c%d/", "url prefix 1");
	}
	s3_object_list_free(&l);

	expect_fast_page(minio, strlen(minio), READ, "MinIO page", &l);
	if (l.n == 2)
	{
		CHECK_STR(l.items[0].key, "it's & <that>.txt", "MinIO key 0");
		CHECK_STR(l.items[0].etag, "d41d8cd98f00b204e9800998ecf8427e", "MinIO &#34; etag");
		CHECK_STR(l.items[1].key, "tab\tnew\nline", "MinIO key 1");
	}
	s3_object_list_free(&l);

	expect_fast(ceph, READ, "Ceph page");

	expect_fast_page(pretty, strlen(pretty), READ, "pretty page", &l);
	if (l.n == 1 && l.n_prefixes == 1)
	{
		CHECK_STR(l.items[0].key, "  spaced key  ", "blanks of a key kept");
		CHECK(l.items[0].size == 42, "Size with tab and newline");
		CHECK_STR(l.items[0].etag, "  \"q\"  ", "quotes inside blanks kept");
		CHECK_STR(l.common_prefixes[0], "\n", "newline prefix");
		CHECK_STR(l.next_continuation_token, "  tok  ", "token with blanks");
		CHECK(l.is_truncated && l.key_count == 1, "blanks around true and 1");
	}
	s3_object_list_free(&l);

	expect_fast_page(refs, strlen(refs), READ, "references", &l);
	if (l.n == 7)
	{
		CHECK_STR(l.items[0].key, "a&b<c>d'e\"fAB\xc3\xa9\xc3\xa9\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
				  "references in a key");
		CHECK_STR(l.items[4].key, "\r", "&#13; is a key");
		CHECK(l.items[4].size == 5, "Size between references");
		CHECK_STR(l.items[4].etag, "", "ETag of two quotes");
		CHECK_STR(l.items[5].storage_class, ">]]>", "]]> from references");
		CHECK(l.is_truncated && l.key_count == 5, "references around values");
		CHECK_STR(l.next_continuation_token, "a&b", "token with a reference");
	}
	s3_object_list_free(&l);

	expect_fast_page(late_encoding, strlen(late_encoding), READ, "EncodingType last", &l);
	if (l.n == 2 && l.n_prefixes == 1)
	{
		CHECK_STR(l.items[0].key, "x+y z", "key decoded at the end");
		CHECK_STR(l.items[1].key, "A", "key 1 decoded at the end");
		CHECK_STR(l.common_prefixes[0], "p/", "prefix decoded at the end");
		CHECK_STR(l.next_continuation_token, "next%2Btoken", "the token is not decoded");
	}
	s3_object_list_free(&l);

	expect_fast_page(empty_page, strlen(empty_page), READ, "empty page", &l);
	CHECK(l.n == 0 && l.n_prefixes == 0 && l.key_count == 0 && !l.is_truncated,
		  "empty page fields");
	s3_object_list_free(&l);

	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
	{
		snprintf(what, sizeof(what), "page %zu", i);
		expect_fast(more[i], READ, what);
	}
}

/* ---- what the scanner leaves to libxml2 ---- */

static void
test_other(void)
{
	static const char *const docs[] = {
		/* byte order mark, DOCTYPE, comments, processing instructions, CDATA */
		"\xEF\xBB\xBF<ListBucketResult/>",
		"<!DOCTYPE ListBucketResult><ListBucketResult/>",
		"<!-- c --><ListBucketResult/>",
		"<ListBucketResult><!-- c --></ListBucketResult>",
		"<ListBucketResult/><!-- c -->",
		LBR(C("<Key>k<!-- c --></Key>")),
		"<?pi x?><ListBucketResult/>",
		"<ListBucketResult><?pi x?></ListBucketResult>",
		"<ListBucketResult/><?pi?>",
		LBR(C("<Key><![CDATA[k]]></Key>")),
		LBR("<Other><![CDATA[k]]></Other>"),
		/* declarations */
		" <?xml version=\"1.0\"?><ListBucketResult/>",
		"<?xml version=\"1.0\"?><?xml version=\"1.0\"?><ListBucketResult/>",
		"<?xml version=\"1.1\"?><ListBucketResult/>",
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><ListBucketResult/>",
		"<?xml version=\"1.0\" encoding=\"UTF8\"?><ListBucketResult/>",
		"<?xml version=\"1.0\" encoding=\"UTF-16\"?><ListBucketResult/>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"><ListBucketResult/>",
		"<?xml encoding=\"UTF-8\"?><ListBucketResult/>",
		"<?xml?><ListBucketResult/>",
		"<?xml version=\"1.0\"encoding=\"UTF-8\"?><ListBucketResult/>",
		"<?xml version=\"1.0' ?><ListBucketResult/>",
		"<?xml version=\"1.0\" standalone=\"maybe\"?><ListBucketResult/>",
		"<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?><ListBucketResult/>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\" encoding=\"UTF-8\"?><ListBucketResult/>",
		"<?xml version=\"1.0\" foo=\"bar\"?><ListBucketResult/>",
		"<?xml version=\"1.0\"?>",
		"<?xml version=\"1.0\"",
		"<?xml-stylesheet href=\"x\"?><ListBucketResult/>",
		"<?xml version=\"1.0\"?>\r<ListBucketResult/>",
		/* names */
		"<s3:ListBucketResult xmlns:s3=\"" S3NS "\"/>",
		"<ListBucketResult xmlns:s3=\"" S3NS "\"/>",
		LBR(C("<Key xml:space=\"preserve\">k</Key>")),
		LBR(C("<K\xc3\xa9y>k</K\xc3\xa9y><Key>k</Key>")),
		LBR(C("<Key>k</Key><1a>x</1a>")),
		LBR(C("<Key>k</Key><.a>x</.a>")),
		LBR(C("<Key>k</Key><-a>x</-a>")),
		"<ListBucketResult><Key:>k</Key:></ListBucketResult>",
		"< ListBucketResult/>",
		"<ListBucketResult/ >",
		/* references */
		LBR(C("<Key>&nbsp;</Key>")),
		LBR(C("<Key>&#0;</Key>")),
		LBR(C("<Key>&#8;</Key>")),
		LBR(C("<Key>&#xD800;</Key>")),
		LBR(C("<Key>&#xDFFF;</Key>")),
		LBR(C("<Key>&#xFFFE;</Key>")),
		LBR(C("<Key>&#xFFFF;</Key>")),
		LBR(C("<Key>&#x110000;</Key>")),
		LBR(C("<Key>&#1114112;</Key>")),
		LBR(C("<Key>&#X41;</Key>")),
		LBR(C("<Key>&#65</Key>")),
		LBR(C("<Key>&#;</Key>")),
		LBR(C("<Key>&#x;</Key>")),
		LBR(C("<Key>&#x4g;</Key>")),
		LBR(C("<Key>& </Key>")),
		LBR(C("<Key>&amp</Key>")),
		LBR(C("<Key>&AMP;</Key>")),
		LBR(C("<Key>&00000065;</Key>")),
		LBR(C("<Key>&#00000065;</Key>")),
		LBR(C("<Key>&#x0000041;</Key>")),
		LBR("<Other>&bogus;</Other>" C("<Key>k</Key>")),
		LBR("text &#0; between" C("<Key>k</Key>")),
		/* carriage returns, "]]>" */
		LBR(C("<Key>k\r</Key>")),
		LBR(C("<Key>k</Key>") "\r\n"),
		LBR(C("<Key\r>k</Key>")),
		LBR(C("<Key>k</Key\r>")),
		LBR(C("<Key a=\"\r\">k</Key>")),
		LBR(C("<Key>k]]>")),
		LBR(C("<Key>k</Key>") "]]>"),
		/* UTF-8 and the characters XML forbids */
		LBR(C("<Key>\x80</Key>")),
		LBR(C("<Key>\xc0\x80</Key>")),
		LBR(C("<Key>\xc1\xbf</Key>")),
		LBR(C("<Key>\xe0\x80\x80</Key>")),
		LBR(C("<Key>\xe0\x9f\xbf</Key>")),
		LBR(C("<Key>\xed\xa0\x80</Key>")),
		LBR(C("<Key>\xed\xbf\xbf</Key>")),
		LBR(C("<Key>\xef\xbf\xbe</Key>")),
		LBR(C("<Key>\xef\xbf\xbf</Key>")),
		LBR(C("<Key>\xf0\x80\x80\x80</Key>")),
		LBR(C("<Key>\xf4\x90\x80\x80</Key>")),
		LBR(C("<Key>\xf5\x80\x80\x80</Key>")),
		LBR(C("<Key>\xff</Key>")),
		LBR(C("<Key>\xc3</Key>")),
		LBR(C("<Key>\xe6\x97</Key>")),
		LBR(C("<Key>\xc3\xc3\xa9</Key>")),
		LBR(C("<Key>k</Key><Other a=\"\xc3\"/>")),
		LBR(C("<Key>k</Key><Other>\xed\xa0\x80</Other>")),
		LBR(C("<Key>\x01</Key>")),
		LBR(C("<Key>\x0b</Key>")),
		LBR(C("<Key>\x0c</Key>")),
		LBR(C("<Key>\x1f</Key>")),
		LBR(C("<Key>k</Key>") "\x1b"),
		LBR(C("<Key a=\"\x01\">k</Key>")),
		/* tags */
		LBR(C("<Key>k</Kez>")),
		LBR(C("<Key>k</KeyX>")),
		LBR(C("<Key>k</Ke>")),
		LBR(C("<Key>k</ Key>")),
		LBR(C("<Key>k</Key")),
		LBR(C("<Key>k</Key>") "</Contents>"),
		LBR(C("<Key>k") "</Key>"),
		"<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult",
		"<ListBucketResult><Contents><Key>k</Key></Contents>",
		"<ListBucketResult><Other><a></b></Other></ListBucketResult>",
		"<ListBucketResult><Other><a></Other></ListBucketResult>",
		"<ListBucketResult>",
		"<ListBucketResult",
		"<ListBucketResult/",
		"<",
		/* attributes */
		LBR("<Contents a=\"1\" a=\"2\"><Key>k</Key></Contents>"),
		"<ListBucketResult xmlns=\"" S3NS "\" xmlns=\"" S3NS "\"/>",
		LBR(C("<Key a>k</Key>")),
		LBR(C("<Key a=1>k</Key>")),
		LBR(C("<Key a=\"1\"b=\"2\">k</Key>")),
		LBR(C("<Key a=\"1>k</Key>")),
		LBR(C("<Key a=\"<\">k</Key>")),
		LBR(C("<Key a=\"&amp;\">k</Key>")),
		LBR(C("<Key a=\"&#65;\">k</Key>")),
		LBR(C("<Key =\"1\">k</Key>")),
		"<ListBucketResult xmlns=\"http://www.w3.org/XML/1998/namespace\"/>",
		"<ListBucketResult xmlns=\"http://www.w3.org/2000/xmlns/\"/>",
		"<ListBucketResult a1=\"1\" a2=\"2\" a3=\"3\" a4=\"4\" a5=\"5\" a6=\"6\" a7=\"7\" a8=\"8\" a9=\"9\"/>",
		/* around the root */
		"<ListBucketResult/>x",
		"<ListBucketResult/><ListBucketResult/>",
		"x<ListBucketResult/>",
		"&amp;<ListBucketResult/>",
		"<ListBucketResult/>&#32;",
		"",
		" \n\t",
		/* a value holding an element */
		LBR(C("<Key>a<b/>c</Key>")),
		LBR(C("<Key>k</Key><Size>1<b/></Size>")),
		LBR(C("<Key><b/></Key>")),
		LBR("<IsTruncated><b/>true</IsTruncated>"),
		LBR("<CommonPrefixes><Prefix>p<q/></Prefix></CommonPrefixes>"),
		/* the second of a value counts as one too */
		LBR(C("<Key>k</Key><Key>a<b/></Key>")),
		/* what the tree parser refuses */
		"<ListAllMyBucketsResult/>",
		"<Error/>",
		"<listbucketresult/>",
		LBR(C("<Key></Key>")),
		LBR(C("<Key/><Key>k</Key>")),
		LBR("<Contents/>"),
		LBR("<Contents></Contents>"),
		LBR(C("<Size>1</Size>")),
		LBR(C("<Key>k</Key><Size> </Size>")),
		LBR(C("<Key>k</Key><Size>1.0</Size>")),
		LBR(C("<Key>k</Key><Size>&#x31;&#x2D;</Size>")),
		LBR("<CommonPrefixes/>"),
		LBR("<CommonPrefixes><Other>p</Other></CommonPrefixes>"),
		LBR("<EncodingType>URL</EncodingType>"),
		LBR("<EncodingType></EncodingType>"),
		LBR("<EncodingType>url url</EncodingType>"),
		LBR("<IsTruncated>True</IsTruncated>"),
		LBR("<IsTruncated></IsTruncated>"),
		LBR("<KeyCount></KeyCount>"),
		LBR("<KeyCount>1 </KeyCount><KeyCount>x</KeyCount><KeyCount>2x</KeyCount>" C("<Size>x</Size>")),
		LBR("<EncodingType>url</EncodingType>" C("<Key>%</Key>")),
		LBR("<EncodingType>url</EncodingType>" C("<Key>%4</Key>")),
		LBR("<EncodingType>url</EncodingType>" C("<Key>%g1</Key>")),
		LBR("<EncodingType>url</EncodingType>" C("<Key>a%00</Key>")),
		LBR(C("<Key>%ZZ</Key>") "<EncodingType>url</EncodingType>"),
		LBR("<CommonPrefixes><Prefix>%%</Prefix></CommonPrefixes><EncodingType>url</EncodingType>"),
		LBR("<EncodingType>url</EncodingType><CommonPrefixes><Prefix>%2</Prefix></CommonPrefixes>"),
	};
	size_t		i;
	char		what[64];
	char	   *deep;
	size_t		depth;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
	{
		snprintf(what, sizeof(what), "other %zu", i);
		expect_fast(docs[i], OTHER, what);
	}

	/* nesting: deep is fine, too deep is left to libxml2 */
	deep = malloc(100 * 8 + 200);
	CHECK(deep != NULL, "malloc");
	if (deep == NULL)
		return;
	for (depth = 20; depth <= 40; depth += 20)
	{
		char	   *o = deep;

		o += sprintf(o, "<ListBucketResult><Contents><Key>k</Key>");
		for (i = 0; i < depth; i++)
			o += sprintf(o, "<a%zu>", i);
		for (i = depth; i-- > 0;)
			o += sprintf(o, "</a%zu>", i);
		sprintf(o, "</Contents></ListBucketResult>");
		snprintf(what, sizeof(what), "nested %zu deep", depth + 2);
		expect_fast(deep, depth == 20 ? READ : OTHER, what);
	}
	free(deep);

	/* a long name is left to libxml2 */
	{
		char		doc[600];
		char		name[300];

		memset(name, 'n', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		snprintf(doc, sizeof(doc), LBR(C("<Key>k</Key><%s/>")), name);
		expect_fast(doc, OTHER, "long name");
		name[100] = '\0';
		snprintf(doc, sizeof(doc), LBR(C("<Key>k</Key><%s/>")), name);
		expect_fast(doc, READ, "name of 100");
	}
}

/*
 * Every proper prefix of pages, and each page with every byte replaced,
 * removed or doubled: whatever the scanner reads, the tree parser reads
 * alike.  One CHECK per page.
 */
static void
test_mutations(void)
{
	static const char *const pages[] = {
		DECL "\n" LBR("<Name>b</Name><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>"
					  "<NextContinuationToken>t=</NextContinuationToken>"
					  C("<Key>a%20b</Key><LastModified>2024-01-01T00:00:00Z</LastModified>"
						"<ETag>&quot;e1&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass>")
					  "<CommonPrefixes><Prefix>p%2F</Prefix></CommonPrefixes>"
					  "<EncodingType>url</EncodingType>") "\n",
		LBR(C("<Key a='1'>&#xe9;&amp;\xc3\xa9</Key><Size> 1 </Size><ETag>\"x\"</ETag>")
			"<IsTruncated>false</IsTruncated><Other><x/>t</Other>"),
	};
	static const char repl[] = "<>&/ \r\n\t\"'=;#x]?!:%+0a-\x80\xc3\xff";
	size_t		p;

	for (p = 0; p < sizeof(pages) / sizeof(pages[0]); p++)
	{
		const char *page = pages[p];
		size_t		len = strlen(page);
		char	   *buf = malloc(len + 2);
		size_t		i,
					k;
		size_t		cases = 0;
		size_t		nread = 0;
		long		first_bad = -1;
		bool		r;

		CHECK(buf != NULL, "malloc");
		if (buf == NULL)
			continue;
		for (i = 0; i < len; i++)
		{
			/* the first i bytes */
			if (!agrees(page, i, &r) && first_bad < 0)
				first_bad = (long) i;
			cases++;
			nread += r;
			/* byte i replaced */
			for (k = 0; k < sizeof(repl) - 1; k++)
			{
				memcpy(buf, page, len);
				buf[i] = repl[k];
				if (!agrees(buf, len, &r) && first_bad < 0)
					first_bad = (long) i;
				cases++;
				nread += r;
			}
			/* byte i removed, and doubled */
			memcpy(buf, page, i);
			memcpy(buf + i, page + i + 1, len - i - 1);
			if (!agrees(buf, len - 1, &r) && first_bad < 0)
				first_bad = (long) i;
			memcpy(buf, page, i + 1);
			memcpy(buf + i + 1, page + i, len - i);
			if (!agrees(buf, len + 1, &r) && first_bad < 0)
				first_bad = (long) i;
			cases += 2;
		}
		CHECK(first_bad < 0, "mutations of page %zu: disagreement at byte %ld", p, first_bad);
		CHECK(nread > 0 && nread < cases, "mutations of page %zu: %zu of %zu read", p, nread, cases);
		free(buf);
	}
}

/*
 * Keeping only some fields: those left out are NULL, the others the tree
 * parser's, and the answer (read or not) never depends on the mask, even
 * where only a field left out makes the page one the scanner leaves.
 */
static void
test_masks(void)
{
	static const char page[] =
		LBR("<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
			"<NextContinuationToken>tok</NextContinuationToken>"
			C("<Key>a%2Fb+c</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
			  "<ETag>&quot;e1&quot;</ETag><Size>7</Size><StorageClass>STANDARD</StorageClass>")
			C("<Key>d</Key><Size>8</Size>")
			"<CommonPrefixes><Prefix>p%20q/</Prefix></CommonPrefixes>");
	static const struct
	{
		const char *doc;
		int			want;
	}			docs[] = {
		/* a key left out is still checked: empty, missing, escapes */
		{LBR(C("<Key></Key><Size>1</Size>")), OTHER},
		{LBR(C("<Key/>")), OTHER},
		{LBR(C("<Size>1</Size>")), OTHER},
		{LBR("<EncodingType>url</EncodingType>" C("<Key>a%zz</Key>")), OTHER},
		{LBR("<EncodingType>url</EncodingType>" C("<Key>a%00</Key>")), OTHER},
		{LBR("<EncodingType>url</EncodingType>" C("<Key>a%2</Key>")), OTHER},
		{LBR("<EncodingType>url</EncodingType>" C("<Key>&#37;41</Key>")), READ},
		{LBR("<EncodingType>url</EncodingType>" C("<Key>&#37;4</Key>")), OTHER},
		/* before the first EncodingType: decoded only if it says so */
		{LBR(C("<Key>a%zz</Key>") "<EncodingType>url</EncodingType>"), OTHER},
		{LBR(C("<Key>a%zz</Key>")), READ},
		{LBR(C("<Key>a%zz</Key>") "<EncodingType>url</EncodingType><EncodingType>x</EncodingType>"),
		OTHER},
		/* only the first Key counts */
		{LBR("<EncodingType>url</EncodingType>" C("<Key>a</Key><Key>%zz</Key>")), READ},
		{LBR(C("<Key>a</Key><Key></Key>")), READ},
		/* a value left out is still checked as text */
		{LBR(C("<Key>k</Key><ETag>&bogus;</ETag>")), OTHER},
		{LBR(C("<Key>k</Key><ETag><x/></ETag>")), OTHER},
		{LBR(C("<Key>k</Key><ETag>a]]>b</ETag>")), OTHER},
		{LBR(C("<Key>k</Key><ETag>\xc3</ETag>")), OTHER},
		{LBR(C("<Key>k</Key><ETag>\x01</ETag>")), OTHER},
		{LBR(C("<Key>k</Key><ETag>e</Tag>")), OTHER},
		{LBR(C("<Key>k</Key><ETag>e")), OTHER},
		{LBR(C("<Key>k</Key><LastModified>&#xD800;</LastModified>")), OTHER},
		{LBR(C("<Key>k</Key><StorageClass><!-- c --></StorageClass>")), OTHER},
		{LBR(C("<Key>k</Key><StorageClass/><ETag></ETag><LastModified>  </LastModified>")), READ},
		{LBR(C("<Key>k</Key><StorageClass>a</StorageClass ><ETag>&amp;&#233;\xc3\xa9</ETag>")), READ},
		/* sizes are always read */
		{LBR(C("<Key>k</Key><Size>x</Size>")), OTHER},
		{LBR(C("<Key>k</Key><Size>9223372036854775808</Size>")), OTHER},
	};
	s3_object_list l;
	size_t		i;
	char		what[64];

	expect_fast_page(page, strlen(page), READ, "page for masks", &l);
	s3_object_list_free(&l);
	CHECK(s3_xml_fast_list_objects_want(page, strlen(page), 0, &l) == READ, "no fields: read");
	if (l.n == 2 && l.n_prefixes == 1)
	{
		CHECK(l.items[0].key == NULL && l.items[0].last_modified == NULL &&
			  l.items[0].etag == NULL && l.items[0].storage_class == NULL &&
			  l.items[1].key == NULL, "no fields: all NULL");
		CHECK(l.items[0].size == 7 && l.items[1].size == 8, "no fields: sizes");
		CHECK_STR(l.common_prefixes[0], "p q/", "no fields: prefixes kept, decoded");
		CHECK_STR(l.next_continuation_token, "tok", "no fields: token kept");
		CHECK(l.is_truncated, "no fields: truncated");
	}
	s3_object_list_free(&l);
	CHECK(s3_xml_fast_list_objects_want(page, strlen(page), S3_WANT_KEY | S3_WANT_ETAG, &l) == READ,
		  "keys and ETags: read");
	if (l.n == 2)
	{
		CHECK_STR(l.items[0].key, "a/b c", "keys and ETags: key decoded");
		CHECK_STR(l.items[0].etag, "e1", "keys and ETags: etag");
		CHECK(l.items[0].last_modified == NULL && l.items[0].storage_class == NULL,
			  "keys and ETags: the others NULL");
		CHECK_STR(l.items[1].key, "d", "keys and ETags: second key");
	}
	s3_object_list_free(&l);

	/* a page with nothing kept allocates no strings */
	CHECK(s3_xml_fast_list_objects_want(LBR(C("<Key>k</Key><ETag>e</ETag>")),
										strlen(LBR(C("<Key>k</Key><ETag>e</ETag>"))), 0, &l) == READ &&
		  l.n == 1 && l.arena == NULL, "no fields: no strings");
	s3_object_list_free(&l);

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
	{
		snprintf(what, sizeof(what), "mask document %zu", i);
		expect_fast(docs[i].doc, docs[i].want, what);
	}
}

/* ---- the peek at a page's head ---- */

/* A new peek at the first len bytes of doc, at once; the caller resets it */
static s3_peek_answer
peek_at(s3_list_peek *pk, const char *doc, size_t len)
{
	memset(pk, 0, sizeof(*pk));
	return s3_xml_fast_list_peek(pk, doc, len);
}

/*
 * The peek at doc, whole, and fed a byte at a time in a buffer that moves
 * each time (as the body kept by s3_list.c may): the answer want, with
 * IsTruncated and the token; and it says so as soon as the first known
 * bytes (a prefix of doc ending with known_at) have come, MORE before.
 */
static void
expect_peek(const char *doc, const char *known_at, s3_peek_answer want, bool truncated,
			const char *token, const char *what)
{
	size_t		len = strlen(doc);
	size_t		at = len;
	s3_list_peek pk;
	s3_list_peek inc;
	size_t		i;
	bool		ok = true;
	char	   *moving = NULL;

	if (known_at != NULL)
	{
		const char *p = strstr(doc, known_at);

		CHECK(p != NULL, "%s: [%s] is in the document", what, known_at);
		if (p != NULL)
			at = (size_t) (p - doc) + strlen(known_at);
	}
	/* IsTruncated and the token say something only when known */
	CHECK(peek_at(&pk, doc, len) == want, "%s: answer %d, want %d", what, pk.answer, want);
	if (want != S3_PEEK_MORE)
	{
		CHECK(pk.is_truncated == truncated, "%s: is_truncated %d", what, pk.is_truncated);
		CHECK(same_str(pk.token, token), "%s: token [%s], want [%s]", what,
			  pk.token ? pk.token : "(null)", token ? token : "(null)");
	}
	s3_xml_fast_list_peek_reset(&pk);
	CHECK(pk.answer == S3_PEEK_MORE && pk.token == NULL && pk.split == 0, "%s: reset", what);

	memset(&inc, 0, sizeof(inc));
	for (i = 1; i <= len && ok; i++)
	{
		char	   *grown = malloc(i);
		s3_peek_answer a;

		if (grown == NULL)
			break;
		memcpy(grown, doc, i);
		free(moving);
		moving = grown;
		a = s3_xml_fast_list_peek(&inc, moving, i);
		if ((i < at && a != S3_PEEK_MORE) || (i >= at && a != want))
		{
			CHECK(false, "%s: after %zu bytes (of %zu; known at %zu): answer %d",
				  what, i, len, at, a);
			ok = false;
		}
		/* a new peek at the same bytes says the same */
		if (ok && i % 7 == 0)
		{
			if (peek_at(&pk, doc, i) != a || !same_peek(&pk, &inc))
			{
				CHECK(false, "%s: a new peek at %zu bytes says otherwise", what, i);
				ok = false;
			}
			s3_xml_fast_list_peek_reset(&pk);
		}
	}
	free(moving);
	if (ok)
		CHECK(inc.answer == want && (want == S3_PEEK_MORE ||
									 (inc.is_truncated == truncated && same_str(inc.token, token))),
			  "%s: a byte at a time", what);
	s3_xml_fast_list_peek_reset(&inc);
	CHECK(peek_matches_tree(doc, len), "%s: the peek says what the page does not", what);
}

static void
test_peek(void)
{
	s3_list_peek pk;
	char	   *page;
	size_t		len;
	size_t		pos;

	/* AWS's order: the token, then IsTruncated, before the keys */
	expect_peek(DECL "\n" LBR("<Name>b</Name><Prefix></Prefix>"
							  "<NextContinuationToken>1ueG/xLP=</NextContinuationToken>"
							  "<KeyCount>1</KeyCount><MaxKeys>1</MaxKeys>"
							  "<IsTruncated>true</IsTruncated>" C("<Key>k</Key>")),
				"</IsTruncated>", S3_PEEK_KNOWN, true, "1ueG/xLP=", "AWS order");
	expect_peek(LBR("<IsTruncated>true</IsTruncated>"
					"<NextContinuationToken>t1</NextContinuationToken>" C("<Key>k</Key>")),
				"</NextContinuationToken>", S3_PEEK_KNOWN, true, "t1", "IsTruncated first");
	/* moto's (and RGW's): the keys first; known once they begin */
	expect_peek(LBR("<Name>b</Name><IsTruncated>true</IsTruncated>" C("<Key>k</Key>")
					"<NextContinuationToken>late</NextContinuationToken>"),
				"<Contents>", S3_PEEK_UNKNOWN, false, NULL, "moto order");
	expect_peek(LBR("<NextContinuationToken>t</NextContinuationToken>"
					"<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes>"
					"<IsTruncated>true</IsTruncated>"),
				"<CommonPrefixes>", S3_PEEK_UNKNOWN, false, NULL, "prefixes first");
	expect_peek(LBR("<Contents >" "<Key>k</Key></Contents><IsTruncated>false</IsTruncated>"),
				"<Contents >", S3_PEEK_UNKNOWN, false, NULL, "Contents with a blank");
	/* the last page: IsTruncated false, with or without a token */
	expect_peek(LBR("<IsTruncated>false</IsTruncated>" C("<Key>k</Key>")),
				"</IsTruncated>", S3_PEEK_KNOWN, false, NULL, "IsTruncated false");
	expect_peek(LBR("<NextContinuationToken>x</NextContinuationToken>"
					"<IsTruncated> false\n</IsTruncated>" C("<Key>k</Key>")),
				"</IsTruncated>", S3_PEEK_KNOWN, false, NULL, "false with a token");
	/* what the root does not hold before its end, the page does not */
	expect_peek(LBR("<Name>b</Name><KeyCount>0</KeyCount>"), "</ListBucketResult>",
				S3_PEEK_KNOWN, false, NULL, "no IsTruncated, no keys");
	expect_peek(LBR("<IsTruncated>true</IsTruncated>"), "</ListBucketResult>",
				S3_PEEK_KNOWN, true, NULL, "truncated, no token");
	expect_peek("<ListBucketResult/>", "/>", S3_PEEK_KNOWN, false, NULL, "empty root");
	expect_peek("<ListBucketResult  xmlns='" S3NS "' />", "/>", S3_PEEK_KNOWN, false, NULL,
				"empty root with an attribute");
	/* references in the token, decoded as the page's parsers decode them */
	expect_peek(LBR("<IsTruncated>&#32;true&#x0A;</IsTruncated>"
					"<NextContinuationToken>a&amp;b&#x2F;c&lt;&#233;&gt;&quot;&apos;"
					"</NextContinuationToken>" C("<Key>k</Key>")),
				"</NextContinuationToken>", S3_PEEK_KNOWN, true,
				"a&b/c<\xc3\xa9>\"'", "references");
	expect_peek(LBR("<IsTruncated>true</IsTruncated><NextContinuationToken/>"),
				"<NextContinuationToken/>", S3_PEEK_KNOWN, true, "", "empty token");
	/* the first of each counts; attributes and blanks in tags; nested others */
	expect_peek(LBR("<IsTruncated a=\"x>y\">true</IsTruncated ><IsTruncated>false</IsTruncated>"
					"<Owner><ID>i</ID><DisplayName>d<x/></DisplayName></Owner>"
					"<NextContinuationToken>first</NextContinuationToken>"
					"<NextContinuationToken>second</NextContinuationToken>"),
				"</NextContinuationToken>", S3_PEEK_KNOWN, true, "first", "first wins");
	/* beyond the subset: the whole page will tell */
	expect_peek("\xEF\xBB\xBF" LBR("<IsTruncated>false</IsTruncated>"),
				"/\">", S3_PEEK_UNKNOWN, false, NULL, "byte order mark");
	expect_peek("<!-- c -->" LBR("<IsTruncated>false</IsTruncated>"), "<!",
				S3_PEEK_UNKNOWN, false, NULL, "a comment first");
	expect_peek("<?xml version=\"1.1\"?>" LBR("<IsTruncated>false</IsTruncated>"), "/\">",
				S3_PEEK_UNKNOWN, false, NULL, "XML 1.1");
	expect_peek("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
				LBR("<IsTruncated>false</IsTruncated>"),
				"\">", S3_PEEK_UNKNOWN, false, NULL, "another encoding");
	expect_peek("<!DOCTYPE x>" LBR("<IsTruncated>false</IsTruncated>"), "<!",
				S3_PEEK_UNKNOWN, false, NULL, "DOCTYPE");
	expect_peek(LBR("\r\n<IsTruncated>false</IsTruncated>"), "<IsTruncated>false</IsTruncated>",
				S3_PEEK_UNKNOWN, false, NULL, "a carriage return");
	expect_peek(LBR("<IsTruncated><![CDATA[true]]></IsTruncated>"), "<!",
				S3_PEEK_UNKNOWN, false, NULL, "CDATA");
	expect_peek(LBR("<s3:IsTruncated>false</s3:IsTruncated>"), "</s3:IsTruncated>",
				S3_PEEK_UNKNOWN, false, NULL, "a namespace prefix");
	expect_peek(LBR("<IsTruncated>maybe</IsTruncated>"), "</IsTruncated>",
				S3_PEEK_UNKNOWN, false, NULL, "IsTruncated neither true nor false");
	expect_peek(LBR("<IsTruncated>true<b/></IsTruncated>"), "</IsTruncated>",
				S3_PEEK_UNKNOWN, false, NULL, "an element in a value");
	expect_peek("<Error><Code>NoSuchBucket</Code></Error>", "<Error>",
				S3_PEEK_UNKNOWN, false, NULL, "an error document");
	expect_peek("HTTP/1.1 200 OK\n\n<x", NULL, S3_PEEK_MORE, false, NULL, "garbage, cut");
	expect_peek("garbage <3 ", "<3", S3_PEEK_UNKNOWN, false, NULL, "garbage");
	expect_peek("</ListBucketResult>", "</ListBucketResult>", S3_PEEK_UNKNOWN, false, NULL,
				"an end tag first");
	expect_peek(LBR("<IsTruncated>true</IsTruncated>"
					"<NextContinuationToken>t</NextContinuation>"), "</NextContinuation>",
				S3_PEEK_UNKNOWN, false, NULL, "mismatched end tag");
	{
		char		deep[600];
		int			i;

		strcpy(deep, "<ListBucketResult>");
		for (i = 0; i < 40; i++)
			strcat(deep, "<a>");
		/* the root and 31 elements in it are read (FAST_MAX_DEPTH) */
		expect_peek(deep, "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
					"<a><a><a><a><a><a><a><a><a><a><a><a>", S3_PEEK_UNKNOWN, false, NULL,
					"nested too deep");
	}
	/* a cut document: not yet, whatever comes */
	expect_peek("<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>to", NULL,
				S3_PEEK_MORE, false, NULL, "cut in the token");

	/* a whole S3 page: known from its first piece of 16 kB */
	page = s3_page(1000, false, &len);
	CHECK(page != NULL, "page");
	if (page != NULL)
	{
		memset(&pk, 0, sizeof(pk));
		CHECK(s3_xml_fast_list_peek(&pk, page, 16384) == S3_PEEK_KNOWN && pk.is_truncated &&
			  same_str(pk.token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="),
			  "page: known from the first piece");
		/* and then it reads nothing more, whatever it is given */
		CHECK(s3_xml_fast_list_peek(&pk, "<x", 2) == S3_PEEK_KNOWN &&
			  same_str(pk.token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="),
			  "page: known stays known");
		s3_xml_fast_list_peek_reset(&pk);
		CHECK(peek_matches_tree(page, len), "page: the peek agrees with the page");
		free(page);
	}

	/* a head longer than the bound: not known, however it goes on */
	{
		size_t		big = S3_PEEK_MAX_HEAD + 1000;
		char	   *doc = malloc(big + 200);

		CHECK(doc != NULL, "malloc");
		if (doc != NULL)
		{
			pos = (size_t) sprintf(doc, "<ListBucketResult><Name>");
			memset(doc + pos, 'n', big - pos);
			pos = big;
			pos += (size_t) sprintf(doc + pos, "</Name><IsTruncated>false</IsTruncated>"
									"</ListBucketResult>");
			CHECK(peek_at(&pk, doc, S3_PEEK_MAX_HEAD - 1) == S3_PEEK_MORE,
				  "big head: not yet below the bound");
			CHECK(s3_xml_fast_list_peek(&pk, doc, S3_PEEK_MAX_HEAD) == S3_PEEK_UNKNOWN,
				  "big head: unknown at the bound");
			CHECK(s3_xml_fast_list_peek(&pk, doc, pos) == S3_PEEK_UNKNOWN,
				  "big head: unknown stays unknown");
			s3_xml_fast_list_peek_reset(&pk);
			CHECK(peek_at(&pk, doc, pos) == S3_PEEK_UNKNOWN, "big head: at once");
			s3_xml_fast_list_peek_reset(&pk);
			/* a head within the bound, in a page beyond it: known */
			pos = (size_t) sprintf(doc, "<ListBucketResult><IsTruncated>false</IsTruncated>"
								   "<Name>");
			memset(doc + pos, 'n', big - pos);
			CHECK(peek_at(&pk, doc, big) == S3_PEEK_KNOWN && !pk.is_truncated,
				  "small head, big page: known");
			s3_xml_fast_list_peek_reset(&pk);
			free(doc);
		}
	}

	/* nothing yet, and NULL */
	CHECK(peek_at(&pk, "", 0) == S3_PEEK_MORE, "nothing yet");
	CHECK(peek_at(&pk, NULL, 5) == S3_PEEK_MORE, "NULL buffer");
	s3_xml_fast_list_peek_reset(NULL);
}

int
main(int argc, char **argv)
{
	(void) argc;
	(void) argv;

	test_xml_documents();
	test_big_pages();
	test_real_pages();
	test_other();
	test_mutations();
	test_masks();
	test_peek();
	return unit_report("fast");
}
