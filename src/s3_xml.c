/*-------------------------------------------------------------------------
 *
 * s3_xml.c
 *		Parsing of the XML documents S3 and STS answer with: how a document
 *		is opened and walked, Error, the STS credentials and an object's
 *		tags (Tagging); the listings (ListAllMyBucketsResult,
 *		ListBucketResult) are in s3_xml_list.c.
 *
 * The code runs inside a PostgreSQL backend, which uses libxml2 itself for
 * the xml type, so it leaves libxml2's global state as it finds it: no
 * allocator or cleanup calls, and an error handler that drops libxml2's
 * messages only for the length of one parse (else they would reach the
 * server's log, with bits of the body).  A document is parsed into a tree
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
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_internal.h"

/* Largest response handed to libxml2. */
#define S3_XML_MAX_INPUT	((size_t) 64 * 1024 * 1024)


#define S3_XML_PARSE_OPTIONS \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
	 XML_PARSE_NOBLANKS)


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

/* libxml2 2.12 made the structured error handler's error const */
#if LIBXML_VERSION >= 21200
#define S3X_ERROR_CONST const
#else
#define S3X_ERROR_CONST
#endif

/* libxml2's errors are counted in its parser context; shown nowhere */
static void
drop_error(void *ctx, S3X_ERROR_CONST xmlError *error)
{
	(void) ctx;
	(void) error;
}

/*
 * xmlReadMemory() with errors dropped: XML_PARSE_NOERROR silences the
 * parser's own messages, not those it sends to the global structured
 * handler (its encoders', for one).  That handler (PostgreSQL's, if any)
 * is put back after the parse; nothing in between jumps.
 */
static xmlDocPtr
read_quietly(const char *buf, int len)
{
	xmlStructuredErrorFunc fn = xmlStructuredError;
	void	   *ctx = xmlStructuredErrorContext;
	xmlDocPtr	doc;

	xmlSetStructuredErrorFunc(NULL, drop_error);
	doc = xmlReadMemory(buf, len, NULL, "UTF-8", S3_XML_PARSE_OPTIONS);
	xmlSetStructuredErrorFunc(ctx, fn);
	return doc;
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
		core_set_error(errbuf, errlen, "empty %s", what);
		return NULL;
	}
	if (len > S3_XML_MAX_INPUT || len > (size_t) INT_MAX)
	{
		core_set_error(errbuf, errlen, "%s larger than %zu bytes",
				  what, S3_XML_MAX_INPUT);
		return NULL;
	}
	if (memchr(buf, '\0', len) != NULL)
	{
		core_set_error(errbuf, errlen, "%s contains a NUL byte", what);
		return NULL;
	}
	if (has_ascii_doctype(buf, len))
	{
		core_set_error(errbuf, errlen, "%s contains a DOCTYPE declaration", what);
		return NULL;
	}

	doc = read_quietly(buf, (int) len);
	if (doc == NULL)
	{
		core_set_error(errbuf, errlen, "malformed XML in %s", what);
		return NULL;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL)
	{
		xmlFreeDoc(doc);
		core_set_error(errbuf, errlen, "%s contains a DOCTYPE declaration", what);
		return NULL;
	}
	if (xmlDocGetRootElement(doc) == NULL)
	{
		xmlFreeDoc(doc);
		core_set_error(errbuf, errlen, "malformed XML in %s", what);
		return NULL;
	}
	return doc;
}

int
s3x_parse(const char *buf, size_t len, const char *root_name, const char *what,
		  s3x_reader read, void *result, size_t result_size,
		  void (*free_result) (void *), char *errbuf, size_t errlen)
{
	xmlDocPtr	doc;
	xmlNodePtr	root;
	int			rc;

	if (result == NULL)
	{
		core_set_error(errbuf, errlen, "no result structure for %s", what);
		return -1;
	}
	memset(result, 0, result_size);
	doc = parse_document(buf, len, what, errbuf, errlen);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root_name != NULL && !s3x_check_root(root, root_name, what, errbuf, errlen))
		rc = S3X_FAIL;
	else
		rc = read(root, result, what, errbuf, errlen);
	xmlFreeDoc(doc);
	if (rc == S3X_OK)
		return 0;
	if (rc == S3X_OOM)
		core_set_error(errbuf, errlen, "out of memory parsing %s", what);
	free_result(result);
	memset(result, 0, result_size);
	return -1;
}

/*
 * Checks the name of the root element; on mismatch writes a message naming
 * the element found.
 */
bool
s3x_check_root(xmlNodePtr root, const char *want, const char *what,
		   char *errbuf, size_t errlen)
{
	char		name[S3_XML_MAX_NAME + 1];

	if (root != NULL && root->type == XML_ELEMENT_NODE &&
		root->name != NULL && strcmp((const char *) root->name, want) == 0)
		return true;

	safe_name(root != NULL ? root->name : NULL, name);
	core_set_error(errbuf, errlen, "unexpected root element <%s> in %s",
			  name, what);
	return false;
}

/*
 * Is node an element with this local name?
 */
bool
s3x_name_is(xmlNodePtr node, const char *local)
{
	return node->type == XML_ELEMENT_NODE && node->name != NULL &&
		strcmp((const char *) node->name, local) == 0;
}

/*
 * Concatenates the text and CDATA children of an element into a malloc'd
 * string (empty when there are none).  Returns NULL when out of memory.
 */
char *
s3x_node_text(xmlNodePtr node)
{
	xmlNodePtr	c;
	cbuf		text;

	cbuf_init(&text);
	for (c = node->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
			c->content != NULL)
			cbuf_append(&text, (const char *) c->content);
	return cbuf_finish(&text);
}

/*
 * Stores the text of node in *field unless a value is already there (the
 * first occurrence wins).  Returns false when out of memory.
 */
bool
s3x_take_text(xmlNodePtr node, char **field)
{
	if (*field != NULL)
		return true;
	*field = s3x_node_text(node);
	return *field != NULL;
}

/* A child element whose text goes into a string field of a result */
typedef struct text_field
{
	const char *element;
	size_t		offset;			/* of the char * field */
} text_field;

/*
 * Takes the text of every child of parent named in fields (ending with a
 * NULL element) into its field of out: the documents whose elements are
 * all strings, read one way.  A later element of the same name wins.
 * False when out of memory.
 */
static bool
take_fields(xmlNodePtr parent, const text_field *fields, void *out)
{
	xmlNodePtr	n;
	const text_field *f;

	for (n = parent->children; n != NULL; n = n->next)
		for (f = fields; f->element != NULL; f++)
			if (s3x_name_is(n, f->element) &&
				!s3x_take_text(n, (char **) ((char *) out + f->offset)))
				return false;
	return true;
}

/*
 * Parses a non-negative decimal integer, optionally surrounded by XML
 * whitespace, no larger than max.
 */
bool
s3x_parse_nonneg(const char *s, long long max, long long *result)
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
bool
s3x_equals_trimmed(const char *s, const char *word)
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
 * Appends one zeroed element to the array *arrayp (of *n elements, room for
 * *cap) and sets *elemp to it; false when out of memory, in which case the
 * array is untouched.  arrayp and elemp are the addresses of the caller's
 * typed pointers (copied with memcpy, so that any element type will do).
 */
bool
s3x_array_append(void *arrayp, size_t *n, size_t *cap, size_t elsize, void *elemp)
{
	void	   *items;
	char	   *e;

	memcpy(&items, arrayp, sizeof(items));
	items = array_reserve(items, *n, cap, elsize);
	if (items == NULL)
		return false;
	memcpy(arrayp, &items, sizeof(items));
	e = (char *) items + (*n)++ * elsize;
	memset(e, 0, elsize);
	memcpy(elemp, &e, sizeof(e));
	return true;
}

/*
 * Removes one pair of surrounding double quotes, in place.
 */
void
s3x_strip_quotes(char *s)
{
	size_t		l = strlen(s);

	if (l >= 2 && s[0] == '"' && s[l - 1] == '"')
	{
		memmove(s, s + 1, l - 2);
		s[l - 2] = '\0';
	}
}


/*
 * Replaces *field by its URL-decoded form.  Returns URLDEC_* codes.
 */
int
s3x_url_decode_field(char **field)
{
	char	   *dec;
	int			rc;

	rc = s3_uri_decode_status(*field, strlen(*field), &dec, NULL);
	if (rc != URLDEC_OK)
		return rc;
	free(*field);
	*field = dec;
	return URLDEC_OK;
}


/* The string elements of an <Error> document */
static const text_field error_fields[] = {
	{"Code", offsetof(s3_error_info, code)},
	{"Message", offsetof(s3_error_info, message)},
	{"RequestId", offsetof(s3_error_info, request_id)},
	{"Region", offsetof(s3_error_info, region)},
	{"Endpoint", offsetof(s3_error_info, endpoint)},
	{"BucketName", offsetof(s3_error_info, bucket_name)},
	{"Key", offsetof(s3_error_info, key)},
	{NULL, 0}
};

/* The elements of STS's <Credentials> */
static const text_field sts_fields[] = {
	{"AccessKeyId", offsetof(s3_temp_credentials, access_key_id)},
	{"SecretAccessKey", offsetof(s3_temp_credentials, secret_access_key)},
	{"SessionToken", offsetof(s3_temp_credentials, session_token)},
	{"Expiration", offsetof(s3_temp_credentials, expiration)},
	{NULL, 0}
};

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

/* Error (S3), or ErrorResponse (STS, IAM) around it */
static int
read_error(xmlNodePtr root, void *result, const char *what, char *errbuf, size_t errlen)
{
	s3_error_info *res = (s3_error_info *) result;
	char	   *bucket = NULL;
	xmlNodePtr	n;

	if (root != NULL && s3x_name_is(root, "ErrorResponse"))
	{
		/*
		 * STS and IAM: <ErrorResponse><Error>...</Error><RequestId/>; some
		 * implementations wrap the Error in <Errors>, as EC2 does.
		 */
		xmlNodePtr	inner = NULL;

		for (n = root->children; n != NULL; n = n->next)
		{
			if (s3x_name_is(n, "Error") && inner == NULL)
				inner = n;
			else if (s3x_name_is(n, "Errors") && inner == NULL)
			{
				xmlNodePtr	e;

				for (e = n->children; e != NULL; e = e->next)
					if (s3x_name_is(e, "Error"))
					{
						inner = e;
						break;
					}
			}
			else if (s3x_name_is(n, "RequestId") && !s3x_take_text(n, &res->request_id))
				return S3X_OOM;
		}
		if (inner == NULL)
		{
			core_set_error(errbuf, errlen, "no <Error> in %s", what);
			return S3X_FAIL;
		}
		root = inner;
	}
	else if (!s3x_check_root(root, "Error", what, errbuf, errlen))
		return S3X_FAIL;

	if (!take_fields(root, error_fields, res))
		return S3X_OOM;
	/* PermanentRedirect says <Bucket> */
	for (n = root->children; n != NULL && res->bucket_name == NULL; n = n->next)
		if (s3x_name_is(n, "Bucket") && !s3x_take_text(n, &bucket))
			return S3X_OOM;
	if (res->bucket_name == NULL)
		res->bucket_name = bucket;
	else
		free(bucket);
	return S3X_OK;
}

static void
free_error(void *result)
{
	s3_error_info_free((s3_error_info *) result);
}

int
s3_xml_parse_error(const char *buf, size_t len, s3_error_info *out,
				   char *errbuf, size_t errlen)
{
	return s3x_parse(buf, len, NULL, "error response", read_error, out, sizeof(*out),
					 free_error, errbuf, errlen);
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

		if (s3x_name_is(n, local))
			return n;
		if (n->type == XML_ELEMENT_NODE &&
			(found = find_descendant(n, local, depth + 1)) != NULL)
			return found;
	}
	return NULL;
}

/* AssumeRole(WithWebIdentity)Response: its Credentials */
static int
read_sts(xmlNodePtr root, void *result, const char *what, char *errbuf, size_t errlen)
{
	s3_temp_credentials *res = (s3_temp_credentials *) result;
	xmlNodePtr	creds;

	if (root == NULL || !(s3x_name_is(root, "AssumeRoleResponse") ||
						  s3x_name_is(root, "AssumeRoleWithWebIdentityResponse")))
	{
		s3x_check_root(root, "AssumeRoleResponse", what, errbuf, errlen);
		return S3X_FAIL;
	}
	creds = find_descendant(root, "Credentials", 0);
	if (creds == NULL)
	{
		core_set_error(errbuf, errlen, "no <Credentials> in %s", what);
		return S3X_FAIL;
	}
	if (!take_fields(creds, sts_fields, res))
		return S3X_OOM;
	if (res->access_key_id == NULL || res->secret_access_key == NULL ||
		res->access_key_id[0] == '\0' || res->secret_access_key[0] == '\0')
	{
		core_set_error(errbuf, errlen, "incomplete <Credentials> in %s", what);
		return S3X_FAIL;
	}
	return S3X_OK;
}

static void
free_sts(void *result)
{
	s3_temp_credentials_free((s3_temp_credentials *) result);
}

int
s3_xml_parse_sts_credentials(const char *buf, size_t len, s3_temp_credentials *out,
							 char *errbuf, size_t errlen)
{
	return s3x_parse(buf, len, NULL, "STS response", read_sts, out, sizeof(*out),
					 free_sts, errbuf, errlen);
}

/* ---- Tagging (GetObjectTagging) ---- */

void
s3_tag_set_free(s3_tag_set *t)
{
	size_t		i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
	{
		free(t->items[i].key);
		free(t->items[i].value);
	}
	free(t->items);
	memset(t, 0, sizeof(*t));
}

/* Tagging: the Tag elements of its (first) TagSet */
static int
read_tagging(xmlNodePtr root, void *result, const char *what, char *errbuf, size_t errlen)
{
	s3_tag_set *res = (s3_tag_set *) result;
	size_t		cap = 0;
	xmlNodePtr	set;
	xmlNodePtr	n;

	for (set = root->children; set != NULL; set = set->next)
		if (s3x_name_is(set, "TagSet"))
			break;
	if (set == NULL)
		return S3X_OK;			/* no tags */
	for (n = set->children; n != NULL; n = n->next)
	{
		xmlNodePtr	c;
		s3_tag	   *t;

		if (!s3x_name_is(n, "Tag"))
			continue;
		if (!s3x_array_append(&res->items, &res->n, &cap, sizeof(s3_tag), &t))
			return S3X_OOM;
		for (c = n->children; c != NULL; c = c->next)
			if ((s3x_name_is(c, "Key") && !s3x_take_text(c, &t->key)) ||
				(s3x_name_is(c, "Value") && !s3x_take_text(c, &t->value)))
				return S3X_OOM;
		if (t->key == NULL)
		{
			core_set_error(errbuf, errlen, "a <Tag> without <Key> in %s", what);
			return S3X_FAIL;
		}
		if (t->value == NULL && (t->value = strdup("")) == NULL)
			return S3X_OOM;
	}
	return S3X_OK;
}

static void
free_tagging(void *result)
{
	s3_tag_set_free((s3_tag_set *) result);
}

int
s3_xml_parse_tagging(const char *buf, size_t len, s3_tag_set *out, char *errbuf, size_t errlen)
{
	return s3x_parse(buf, len, "Tagging", "GetObjectTagging response", read_tagging,
					 out, sizeof(*out), free_tagging, errbuf, errlen);
}

/*
 * What s3_xml_parse_field() reads: the value (first, so that the frame
 * zeroes it alone) and the name of the element that holds it.
 */
typedef struct OneField
{
	char	   *value;
	const char *field;
} OneField;

static int
read_field(xmlNodePtr root, void *result, const char *what, char *errbuf, size_t errlen)
{
	OneField   *f = (OneField *) result;
	xmlNodePtr	n;

	(void) what;
	(void) errbuf;
	(void) errlen;
	for (n = root->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && s3x_name_is(n, f->field))
			return s3x_take_text(n, &f->value) ? S3X_OK : S3X_OOM;
	return S3X_OK;
}

static void
free_field(void *result)
{
	free(((OneField *) result)->value);
}

/*
 * The text of one child element of a document's root, for the answers that
 * carry one value: InitiateMultipartUploadResult's UploadId,
 * CompleteMultipartUploadResult's ETag.  *out is malloc'd, NULL when the
 * root has no such child; a document whose root is not root_name fails.
 */
int
s3_xml_parse_field(const char *buf, size_t len, const char *root_name,
				   const char *field, char **out, char *errbuf, size_t errlen)
{
	OneField	f;

	if (out == NULL)
	{
		core_set_error(errbuf, errlen, "no result structure for %s", root_name);
		return -1;
	}
	*out = NULL;
	f.field = field;
	if (s3x_parse(buf, len, root_name, root_name, read_field, &f, sizeof(f.value),
				  free_field, errbuf, errlen) != 0)
		return -1;
	*out = f.value;
	return 0;
}

/* ---- GetBucketVersioning ---- */

/*
 * VersioningConfiguration (moto names it GetBucketVersioningResponse): its
 * Status, "Enabled" or "Suspended"; none (or empty) when the bucket was
 * never versioned.
 */
static int
read_versioning(xmlNodePtr root, void *result, const char *what, char *errbuf, size_t errlen)
{
	char	  **status = (char **) result;
	xmlNodePtr	n;
	char	   *t = NULL;

	if (!s3x_name_is(root, "VersioningConfiguration") &&
		!s3x_name_is(root, "GetBucketVersioningResponse"))
	{
		s3x_check_root(root, "VersioningConfiguration", what, errbuf, errlen);
		return S3X_FAIL;
	}
	for (n = root->children; n != NULL && t == NULL; n = n->next)
		if (s3x_name_is(n, "Status") && (t = s3x_node_text(n)) == NULL)
			return S3X_OOM;
	if (t == NULL || s3x_equals_trimmed(t, ""))
	{
		free(t);
		return S3X_OK;
	}
	if (s3x_equals_trimmed(t, "Enabled") || s3x_equals_trimmed(t, "Suspended"))
	{
		*status = strdup(s3x_equals_trimmed(t, "Enabled") ? "Enabled" : "Suspended");
		free(t);
		return *status != NULL ? S3X_OK : S3X_OOM;
	}
	free(t);
	core_set_error(errbuf, errlen, "invalid Status in %s", what);
	return S3X_FAIL;
}

static void
free_versioning(void *result)
{
	free(*(char **) result);
}

int
s3_xml_parse_versioning(const char *buf, size_t len, char **status,
						char *errbuf, size_t errlen)
{
	return s3x_parse(buf, len, NULL, "GetBucketVersioning response", read_versioning,
					 status, sizeof(*status), free_versioning, errbuf, errlen);
}
