/*-------------------------------------------------------------------------
 *
 * s3_xml.c
 *		Parsing of the XML documents S3 answers with: ListAllMyBucketsResult
 *		(ListBuckets), ListBucketResult (ListObjectsV2) and Error.
 *
 * The code runs inside a PostgreSQL backend, which uses libxml2 itself for
 * the xml type, so it leaves libxml2's global state alone: no error
 * handler, allocator or cleanup calls.  A document is parsed into a tree
 * with network access disabled, without entity substitution and without
 * DTD loading, walked, and freed.  Documents carrying a DOCTYPE are
 * rejected (S3 never sends one); they are refused before parsing when the
 * declaration is visible as ASCII, and again after parsing in any case.
 *
 * Elements are matched by local name only: S3 documents carry the
 * namespace http://s3.amazonaws.com/doc/2006-03-01/, error documents carry
 * none, and some S3-compatible servers omit it everywhere.  When an element
 * that holds a single value appears more than once, the first one wins.
 *
 * Only libc and libxml2 are used, so that this file can be compiled,
 * unit-tested and fuzzed without PostgreSQL.  Every string handed back is
 * malloc'd and owned by the result structure; on failure everything
 * allocated so far is released, the result structure is left zeroed, and a
 * short message naming at most an element (never text content) is written
 * to errbuf.
 *
 * IDENTIFICATION
 *	  src/s3_xml.c
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "s3_xml.h"

/* Largest response handed to libxml2. */
#define S3_XML_MAX_INPUT	((size_t) 64 * 1024 * 1024)

/* Longest element name quoted in an error message. */
#define S3_XML_MAX_NAME		64

#define S3_XML_PARSE_OPTIONS \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
	 XML_PARSE_NOBLANKS)

/* Results of url_decode_internal(). */
#define URLDEC_OK			0
#define URLDEC_MALFORMED	(-1)
#define URLDEC_OOM			(-2)

#if defined(__GNUC__)
#define S3_XML_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define S3_XML_PRINTF(f, a)
#endif

static void set_error(char *errbuf, size_t errlen, const char *fmt,...)
			S3_XML_PRINTF(3, 4);


/*
 * Writes a message into errbuf, when there is one.
 */
static void
set_error(char *errbuf, size_t errlen, const char *fmt,...)
{
	va_list		ap;

	if (errbuf == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

/*
 * Copies an element name for use in a message: at most S3_XML_MAX_NAME
 * bytes, anything but printable ASCII replaced by '?', so that the message
 * is valid in any server encoding.  dst must hold S3_XML_MAX_NAME + 1 bytes.
 */
static void
safe_name(const xmlChar *name, char *dst)
{
	size_t		i = 0;

	if (name != NULL)
	{
		for (; i < S3_XML_MAX_NAME && name[i] != '\0'; i++)
		{
			unsigned char c = name[i];

			dst[i] = (c > 0x20 && c < 0x7f) ? (char) c : '?';
		}
	}
	dst[i] = '\0';
}

/*
 * Is this an XML whitespace character?
 */
static bool
is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Looks for a DOCTYPE declaration written in ASCII.  A literal "<!DOCTYPE"
 * cannot occur in element text (where '<' is escaped), only in markup.
 */
static bool
has_ascii_doctype(const char *buf, size_t len)
{
	static const char marker[] = "<!DOCTYPE";
	const size_t mlen = sizeof(marker) - 1;
	const char *p = buf;
	const char *end = buf + len;

	while ((size_t) (end - p) >= mlen)
	{
		p = memchr(p, '<', (size_t) (end - p) - mlen + 1);
		if (p == NULL)
			return false;
		if (memcmp(p, marker, mlen) == 0)
			return true;
		p++;
	}
	return false;
}

/*
 * Checks a response buffer and parses it into a tree.  Returns NULL, with a
 * message in errbuf, when the buffer is unacceptable or not well-formed.
 * "what" names the response in messages.
 */
static xmlDocPtr
parse_document(const char *buf, size_t len, const char *what,
			   char *errbuf, size_t errlen)
{
	xmlDocPtr	doc;

	if (buf == NULL || len == 0)
	{
		set_error(errbuf, errlen, "empty %s", what);
		return NULL;
	}
	if (len > S3_XML_MAX_INPUT || len > (size_t) INT_MAX)
	{
		set_error(errbuf, errlen, "%s larger than %zu bytes",
				  what, S3_XML_MAX_INPUT);
		return NULL;
	}
	if (memchr(buf, '\0', len) != NULL)
	{
		set_error(errbuf, errlen, "%s contains a NUL byte", what);
		return NULL;
	}
	if (has_ascii_doctype(buf, len))
	{
		set_error(errbuf, errlen, "%s contains a DOCTYPE declaration", what);
		return NULL;
	}

	doc = xmlReadMemory(buf, (int) len, NULL, "UTF-8", S3_XML_PARSE_OPTIONS);
	if (doc == NULL)
	{
		set_error(errbuf, errlen, "malformed XML in %s", what);
		return NULL;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL)
	{
		xmlFreeDoc(doc);
		set_error(errbuf, errlen, "%s contains a DOCTYPE declaration", what);
		return NULL;
	}
	if (xmlDocGetRootElement(doc) == NULL)
	{
		xmlFreeDoc(doc);
		set_error(errbuf, errlen, "malformed XML in %s", what);
		return NULL;
	}
	return doc;
}

/*
 * Checks the name of the root element; on mismatch writes a message naming
 * the element found.
 */
/*
 * The start every parser shares: zero the result, parse the buffer, find
 * the root element.  NULL (with errbuf set) when there is no document.
 */
static xmlDocPtr
open_document(const char *buf, size_t len, void *out, size_t outsize,
			  const char *what, char *errbuf, size_t errlen, xmlNodePtr *root)
{
	xmlDocPtr	doc;

	if (out == NULL)
	{
		set_error(errbuf, errlen, "no result structure for %s", what);
		return NULL;
	}
	memset(out, 0, outsize);
	doc = parse_document(buf, len, what, errbuf, errlen);
	if (doc != NULL)
		*root = xmlDocGetRootElement(doc);
	return doc;
}

static bool
check_root(xmlNodePtr root, const char *want, const char *what,
		   char *errbuf, size_t errlen)
{
	char		name[S3_XML_MAX_NAME + 1];

	if (root != NULL && root->type == XML_ELEMENT_NODE &&
		root->name != NULL && strcmp((const char *) root->name, want) == 0)
		return true;

	safe_name(root != NULL ? root->name : NULL, name);
	set_error(errbuf, errlen, "unexpected root element <%s> in %s",
			  name, what);
	return false;
}

/*
 * Is node an element with this local name?
 */
static bool
name_is(xmlNodePtr node, const char *local)
{
	return node->type == XML_ELEMENT_NODE && node->name != NULL &&
		strcmp((const char *) node->name, local) == 0;
}

/*
 * Concatenates the text and CDATA children of an element into a malloc'd
 * string (empty when there are none).  Returns NULL when out of memory.
 */
static char *
node_text(xmlNodePtr node)
{
	xmlNodePtr	c;
	size_t		total = 0;
	size_t		pos = 0;
	char	   *s;

	for (c = node->children; c != NULL; c = c->next)
	{
		size_t		l;

		if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) ||
			c->content == NULL)
			continue;
		l = strlen((const char *) c->content);
		if (l > SIZE_MAX - 1 - total)
			return NULL;
		total += l;
	}

	s = malloc(total + 1);
	if (s == NULL)
		return NULL;

	for (c = node->children; c != NULL; c = c->next)
	{
		size_t		l;

		if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) ||
			c->content == NULL)
			continue;
		l = strlen((const char *) c->content);
		memcpy(s + pos, c->content, l);
		pos += l;
	}
	s[pos] = '\0';
	return s;
}

/*
 * Stores the text of node in *field unless a value is already there (the
 * first occurrence wins).  Returns false when out of memory.
 */
static bool
take_text(xmlNodePtr node, char **field)
{
	if (*field != NULL)
		return true;
	*field = node_text(node);
	return *field != NULL;
}

/*
 * Parses a non-negative decimal integer, optionally surrounded by XML
 * whitespace, no larger than max.
 */
static bool
parse_nonneg(const char *s, long long max, long long *result)
{
	long long	v = 0;
	bool		digits = false;

	while (is_xml_space(*s))
		s++;
	while (*s >= '0' && *s <= '9')
	{
		int			d = *s - '0';

		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
		digits = true;
		s++;
	}
	while (is_xml_space(*s))
		s++;
	if (!digits || *s != '\0')
		return false;
	*result = v;
	return true;
}

/*
 * Does s equal word, ignoring surrounding XML whitespace?
 */
static bool
equals_trimmed(const char *s, const char *word)
{
	size_t		wlen = strlen(word);

	while (is_xml_space(*s))
		s++;
	if (strncmp(s, word, wlen) != 0)
		return false;
	s += wlen;
	while (is_xml_space(*s))
		s++;
	return *s == '\0';
}

/*
 * Makes sure an array of n elements has room for one more, doubling its
 * capacity when full.  Returns the (possibly moved) array, or NULL when out
 * of memory, in which case the old array is untouched.
 */
static void *
array_reserve(void *items, size_t n, size_t *cap, size_t elsize)
{
	size_t		newcap;
	void	   *p;

	if (n < *cap)
		return items;
	if (*cap == 0)
		newcap = 16;
	else
	{
		if (*cap > SIZE_MAX / 2)
			return NULL;
		newcap = *cap * 2;
	}
	if (newcap > SIZE_MAX / elsize)
		return NULL;
	p = realloc(items, newcap * elsize);
	if (p == NULL)
		return NULL;
	*cap = newcap;
	return p;
}

/*
 * Removes one pair of surrounding double quotes, in place.
 */
static void
strip_quotes(char *s)
{
	size_t		l = strlen(s);

	if (l >= 2 && s[0] == '"' && s[l - 1] == '"')
	{
		memmove(s, s + 1, l - 2);
		s[l - 2] = '\0';
	}
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The body of s3_url_decode(), telling malformed input from lack of memory.
 */
static int
url_decode_internal(const char *in, size_t len, char **out, size_t *outlen)
{
	char	   *s;
	size_t		i;
	size_t		o = 0;

	*out = NULL;
	if (in == NULL && len > 0)
		return URLDEC_MALFORMED;
	if (len == SIZE_MAX)
		return URLDEC_OOM;
	s = malloc(len + 1);
	if (s == NULL)
		return URLDEC_OOM;

	for (i = 0; i < len; i++)
	{
		char		c = in[i];

		if (c == '%')
		{
			int			hi,
						lo;

			if (len - i < 3)
				goto malformed;
			hi = hex_value(in[i + 1]);
			lo = hex_value(in[i + 2]);
			if (hi < 0 || lo < 0)
				goto malformed;
			c = (char) (hi * 16 + lo);
			i += 2;
		}
		else if (c == '+')
			c = ' ';
		if (c == '\0')
			goto malformed;
		s[o++] = c;
	}
	s[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	*out = s;
	return URLDEC_OK;

malformed:
	free(s);
	return URLDEC_MALFORMED;
}

char *
s3_url_decode(const char *in, size_t len, size_t *outlen)
{
	char	   *s;

	if (url_decode_internal(in, len, &s, outlen) != URLDEC_OK)
		return NULL;
	return s;
}

/*
 * Replaces *field by its URL-decoded form.  Returns URLDEC_* codes.
 */
static int
url_decode_field(char **field)
{
	char	   *dec;
	int			rc;

	rc = url_decode_internal(*field, strlen(*field), &dec, NULL);
	if (rc != URLDEC_OK)
		return rc;
	free(*field);
	*field = dec;
	return URLDEC_OK;
}


/* ---- ListBuckets ---- */

void
s3_bucket_list_free(s3_bucket_list *l)
{
	size_t		i;

	if (l == NULL)
		return;
	if (l->items != NULL)
	{
		for (i = 0; i < l->n; i++)
		{
			free(l->items[i].name);
			free(l->items[i].creation_date);
		}
		free(l->items);
	}
	free(l->continuation_token);
	memset(l, 0, sizeof(*l));
}

int
s3_xml_parse_buckets(const char *buf, size_t len, s3_bucket_list *out,
					 char *errbuf, size_t errlen)
{
	static const char what[] = "ListBuckets response";
	s3_bucket_list res;
	size_t		cap = 0;
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNodePtr	n;

	memset(&res, 0, sizeof(res));
	doc = open_document(buf, len, out, sizeof(*out), what, errbuf, errlen, &root);
	if (doc == NULL)
		return -1;
	if (!check_root(root, "ListAllMyBucketsResult", what, errbuf, errlen))
		goto fail;

	for (n = root->children; n != NULL; n = n->next)
	{
		xmlNodePtr	b;

		if (name_is(n, "ContinuationToken"))
		{
			if (!take_text(n, &res.continuation_token))
				goto oom;
			continue;
		}
		if (!name_is(n, "Buckets"))
			continue;

		for (b = n->children; b != NULL; b = b->next)
		{
			s3_bucket_entry *e;
			xmlNodePtr	f;
			void	   *p;

			if (!name_is(b, "Bucket"))
				continue;
			p = array_reserve(res.items, res.n, &cap, sizeof(*res.items));
			if (p == NULL)
				goto oom;
			res.items = p;
			e = &res.items[res.n++];
			memset(e, 0, sizeof(*e));

			for (f = b->children; f != NULL; f = f->next)
			{
				if (name_is(f, "Name"))
				{
					if (!take_text(f, &e->name))
						goto oom;
				}
				else if (name_is(f, "CreationDate"))
				{
					if (!take_text(f, &e->creation_date))
						goto oom;
				}
			}
			if (e->name == NULL)
			{
				set_error(errbuf, errlen, "Bucket without Name in %s", what);
				goto fail;
			}
		}
	}

	xmlFreeDoc(doc);
	*out = res;
	return 0;

oom:
	set_error(errbuf, errlen, "out of memory parsing %s", what);
fail:
	xmlFreeDoc(doc);
	s3_bucket_list_free(&res);
	return -1;
}


/* ---- ListObjectsV2 ---- */

void
s3_object_list_free(s3_object_list *l)
{
	size_t		i;

	if (l == NULL)
		return;
	if (l->items != NULL)
	{
		for (i = 0; i < l->n; i++)
		{
			free(l->items[i].key);
			free(l->items[i].last_modified);
			free(l->items[i].etag);
			free(l->items[i].storage_class);
		}
		free(l->items);
	}
	if (l->common_prefixes != NULL)
	{
		for (i = 0; i < l->n_prefixes; i++)
			free(l->common_prefixes[i]);
		free(l->common_prefixes);
	}
	free(l->next_continuation_token);
	memset(l, 0, sizeof(*l));
}

/*
 * Fills in one Contents entry, which the caller has zeroed and counted.
 * Returns 0, or -1 with a message in errbuf.
 */
static int
parse_contents(xmlNodePtr node, s3_object_entry *e, bool url_encoded,
			   const char *what, char *errbuf, size_t errlen)
{
	xmlNodePtr	f;
	bool		have_size = false;
	int			rc;

	e->size = -1;
	for (f = node->children; f != NULL; f = f->next)
	{
		if (name_is(f, "Key"))
		{
			if (!take_text(f, &e->key))
				goto oom;
		}
		else if (name_is(f, "Size"))
		{
			char	   *t;
			bool		ok;
			long long	v = 0;

			if (have_size)
				continue;
			t = node_text(f);
			if (t == NULL)
				goto oom;
			ok = parse_nonneg(t, LLONG_MAX, &v);
			free(t);
			if (!ok)
			{
				set_error(errbuf, errlen, "invalid Size in %s", what);
				return -1;
			}
			e->size = v;
			have_size = true;
		}
		else if (name_is(f, "LastModified"))
		{
			if (!take_text(f, &e->last_modified))
				goto oom;
		}
		else if (name_is(f, "ETag"))
		{
			if (e->etag != NULL)
				continue;
			if (!take_text(f, &e->etag))
				goto oom;
			strip_quotes(e->etag);
		}
		else if (name_is(f, "StorageClass"))
		{
			if (!take_text(f, &e->storage_class))
				goto oom;
		}
	}

	if (e->key == NULL)
	{
		set_error(errbuf, errlen, "Contents without Key in %s", what);
		return -1;
	}
	if (url_encoded)
	{
		rc = url_decode_field(&e->key);
		if (rc == URLDEC_OOM)
			goto oom;
		if (rc != URLDEC_OK)
		{
			set_error(errbuf, errlen, "invalid URL encoding of Key in %s",
					  what);
			return -1;
		}
	}
	if (e->key[0] == '\0')
	{
		set_error(errbuf, errlen, "empty Key in %s", what);
		return -1;
	}
	return 0;

oom:
	set_error(errbuf, errlen, "out of memory parsing %s", what);
	return -1;
}

int
s3_xml_parse_list_objects(const char *buf, size_t len, s3_object_list *out,
						  char *errbuf, size_t errlen)
{
	static const char what[] = "ListObjectsV2 response";
	s3_object_list res;
	size_t		cap = 0;
	size_t		pcap = 0;
	bool		url_encoded = false;
	bool		have_truncated = false;
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNodePtr	n;

	if (out == NULL)
	{
		set_error(errbuf, errlen, "no result structure for %s", what);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	memset(&res, 0, sizeof(res));
	res.key_count = -1;

	doc = parse_document(buf, len, what, errbuf, errlen);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (!check_root(root, "ListBucketResult", what, errbuf, errlen))
		goto fail;

	/* EncodingType may follow the keys, so look for it first. */
	for (n = root->children; n != NULL; n = n->next)
	{
		char	   *t;
		bool		ok;

		if (!name_is(n, "EncodingType"))
			continue;
		t = node_text(n);
		if (t == NULL)
			goto oom;
		ok = equals_trimmed(t, "url");
		free(t);
		if (!ok)
		{
			set_error(errbuf, errlen, "unsupported EncodingType in %s", what);
			goto fail;
		}
		url_encoded = true;
		break;
	}

	for (n = root->children; n != NULL; n = n->next)
	{
		if (name_is(n, "Contents"))
		{
			s3_object_entry *e;
			void	   *p;

			p = array_reserve(res.items, res.n, &cap, sizeof(*res.items));
			if (p == NULL)
				goto oom;
			res.items = p;
			e = &res.items[res.n++];
			memset(e, 0, sizeof(*e));
			if (parse_contents(n, e, url_encoded, what, errbuf, errlen) != 0)
				goto fail;
		}
		else if (name_is(n, "CommonPrefixes"))
		{
			xmlNodePtr	f;
			char	   *prefix = NULL;
			void	   *p;

			for (f = n->children; f != NULL; f = f->next)
			{
				if (name_is(f, "Prefix"))
				{
					prefix = node_text(f);
					if (prefix == NULL)
						goto oom;
					break;
				}
			}
			if (prefix == NULL)
			{
				set_error(errbuf, errlen, "CommonPrefixes without Prefix in %s",
						  what);
				goto fail;
			}
			p = array_reserve(res.common_prefixes, res.n_prefixes, &pcap,
							  sizeof(*res.common_prefixes));
			if (p == NULL)
			{
				free(prefix);
				goto oom;
			}
			res.common_prefixes = p;
			res.common_prefixes[res.n_prefixes++] = prefix;
			if (url_encoded)
			{
				int			rc;

				rc = url_decode_field(&res.common_prefixes[res.n_prefixes - 1]);
				if (rc == URLDEC_OOM)
					goto oom;
				if (rc != URLDEC_OK)
				{
					set_error(errbuf, errlen,
							  "invalid URL encoding of CommonPrefixes in %s",
							  what);
					goto fail;
				}
			}
		}
		else if (name_is(n, "IsTruncated"))
		{
			char	   *t;

			if (have_truncated)
				continue;
			t = node_text(n);
			if (t == NULL)
				goto oom;
			if (equals_trimmed(t, "true"))
				res.is_truncated = true;
			else if (equals_trimmed(t, "false"))
				res.is_truncated = false;
			else
			{
				free(t);
				set_error(errbuf, errlen, "invalid IsTruncated in %s", what);
				goto fail;
			}
			free(t);
			have_truncated = true;
		}
		else if (name_is(n, "NextContinuationToken"))
		{
			if (!take_text(n, &res.next_continuation_token))
				goto oom;
		}
		else if (name_is(n, "KeyCount"))
		{
			char	   *t;
			bool		ok;
			long long	v = 0;

			if (res.key_count >= 0)
				continue;
			t = node_text(n);
			if (t == NULL)
				goto oom;
			ok = parse_nonneg(t, INT_MAX, &v);
			free(t);
			if (!ok)
			{
				set_error(errbuf, errlen, "invalid KeyCount in %s", what);
				goto fail;
			}
			res.key_count = (int) v;
		}
	}

	xmlFreeDoc(doc);
	*out = res;
	return 0;

oom:
	set_error(errbuf, errlen, "out of memory parsing %s", what);
fail:
	xmlFreeDoc(doc);
	s3_object_list_free(&res);
	return -1;
}


/* ---- Error ---- */

void
s3_error_info_free(s3_error_info *e)
{
	if (e == NULL)
		return;
	free(e->code);
	free(e->message);
	free(e->request_id);
	free(e->region);
	free(e->endpoint);
	free(e->bucket_name);
	free(e->key);
	memset(e, 0, sizeof(*e));
}

int
s3_xml_parse_error(const char *buf, size_t len, s3_error_info *out,
				   char *errbuf, size_t errlen)
{
	static const char what[] = "error response";
	s3_error_info res;
	char	   *bucket = NULL;
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNodePtr	n;

	memset(&res, 0, sizeof(res));
	doc = open_document(buf, len, out, sizeof(*out), what, errbuf, errlen, &root);
	if (doc == NULL)
		return -1;
	if (root != NULL && name_is(root, "ErrorResponse"))
	{
		/*
		 * STS and IAM: <ErrorResponse><Error>...</Error><RequestId/>; some
		 * implementations wrap the Error in <Errors>, as EC2 does.
		 */
		xmlNodePtr	inner = NULL;

		for (n = root->children; n != NULL; n = n->next)
		{
			if (name_is(n, "Error") && inner == NULL)
				inner = n;
			else if (name_is(n, "Errors") && inner == NULL)
			{
				xmlNodePtr	e;

				for (e = n->children; e != NULL; e = e->next)
					if (name_is(e, "Error"))
					{
						inner = e;
						break;
					}
			}
			else if (name_is(n, "RequestId") && !take_text(n, &res.request_id))
				goto oom;
		}
		if (inner == NULL)
		{
			set_error(errbuf, errlen, "no <Error> in %s", what);
			goto fail;
		}
		root = inner;
	}
	else if (!check_root(root, "Error", what, errbuf, errlen))
		goto fail;

	for (n = root->children; n != NULL; n = n->next)
	{
		char	  **field = NULL;

		if (name_is(n, "Code"))
			field = &res.code;
		else if (name_is(n, "Message"))
			field = &res.message;
		else if (name_is(n, "RequestId"))
			field = &res.request_id;
		else if (name_is(n, "Region"))
			field = &res.region;
		else if (name_is(n, "Endpoint"))
			field = &res.endpoint;
		else if (name_is(n, "BucketName"))
			field = &res.bucket_name;
		else if (name_is(n, "Bucket"))
			field = &bucket;	/* PermanentRedirect says <Bucket> */
		else if (name_is(n, "Key"))
			field = &res.key;
		if (field != NULL && !take_text(n, field))
			goto oom;
	}

	if (res.bucket_name == NULL)
	{
		res.bucket_name = bucket;
		bucket = NULL;
	}
	free(bucket);
	xmlFreeDoc(doc);
	*out = res;
	return 0;

oom:
	set_error(errbuf, errlen, "out of memory parsing %s", what);
fail:
	free(bucket);
	xmlFreeDoc(doc);
	s3_error_info_free(&res);
	return -1;
}

void
s3_temp_credentials_free(s3_temp_credentials *c)
{
	free(c->access_key_id);
	free(c->secret_access_key);
	free(c->session_token);
	free(c->expiration);
	memset(c, 0, sizeof(*c));
}

/* The first element with this local name below node, depth first. */
static xmlNodePtr
find_descendant(xmlNodePtr node, const char *local, int depth)
{
	xmlNodePtr	n;

	if (depth > 8)
		return NULL;
	for (n = node->children; n != NULL; n = n->next)
	{
		xmlNodePtr	found;

		if (name_is(n, local))
			return n;
		if (n->type == XML_ELEMENT_NODE &&
			(found = find_descendant(n, local, depth + 1)) != NULL)
			return found;
	}
	return NULL;
}

int
s3_xml_parse_sts_credentials(const char *buf, size_t len, s3_temp_credentials *out,
							 char *errbuf, size_t errlen)
{
	static const char what[] = "STS response";
	s3_temp_credentials res;
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNodePtr	creds;
	xmlNodePtr	n;

	memset(&res, 0, sizeof(res));
	doc = open_document(buf, len, out, sizeof(*out), what, errbuf, errlen, &root);
	if (doc == NULL)
		return -1;
	if (root == NULL || !(name_is(root, "AssumeRoleResponse") ||
						  name_is(root, "AssumeRoleWithWebIdentityResponse")))
	{
		check_root(root, "AssumeRoleResponse", what, errbuf, errlen);
		goto fail;
	}
	creds = find_descendant(root, "Credentials", 0);
	if (creds == NULL)
	{
		set_error(errbuf, errlen, "no <Credentials> in %s", what);
		goto fail;
	}
	for (n = creds->children; n != NULL; n = n->next)
	{
		char	  **field = NULL;

		if (name_is(n, "AccessKeyId"))
			field = &res.access_key_id;
		else if (name_is(n, "SecretAccessKey"))
			field = &res.secret_access_key;
		else if (name_is(n, "SessionToken"))
			field = &res.session_token;
		else if (name_is(n, "Expiration"))
			field = &res.expiration;
		if (field != NULL && !take_text(n, field))
		{
			set_error(errbuf, errlen, "out of memory parsing %s", what);
			goto fail;
		}
	}
	if (res.access_key_id == NULL || res.secret_access_key == NULL ||
		res.access_key_id[0] == '\0' || res.secret_access_key[0] == '\0')
	{
		set_error(errbuf, errlen, "incomplete <Credentials> in %s", what);
		goto fail;
	}
	xmlFreeDoc(doc);
	*out = res;
	return 0;

fail:
	xmlFreeDoc(doc);
	s3_temp_credentials_free(&res);
	return -1;
}
