/*-------------------------------------------------------------------------
 *
 * s3_head.c
 *		HeadObject: what S3 knows of an object without its body (size,
 *		ETag, content type and encoding, cache control, last modified,
 *		storage class, version, user metadata), and the reading of those
 *		headers: HTTP dates, and metadata values encoded as RFC 2047
 *		encoded-words, as S3 sends non-ASCII values.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/base64.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "core.h"
#include "s3_call.h"

/* PostgreSQL 18's pg_b64_encode / pg_b64_decode take bytes as uint8 */
#if PG_VERSION_NUM >= 180000
#define B64_BYTES uint8
#else
#define B64_BYTES char
#endif

#define META_PREFIX "x-amz-meta-"

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/*
 * An HTTP date (RFC 7231's IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT",
 * what S3 sends in Last-Modified) as ISO 8601, or NULL when it is not one.
 */
static char *
http_date_to_iso(const char *s)
{
	char		wday[4],
				mon[4],
				zone[4];
	int			day,
				year,
				hh,
				mm,
				ss,
				n = 0,
				m;

	if (sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n",
			   wday, &day, mon, &year, &hh, &mm, &ss, zone, &n) != 8 ||
		s[n] != '\0' || strcmp(zone, "GMT") != 0)
		return NULL;
	for (m = 0; m < 12; m++)
		if (strcmp(mon, months[m]) == 0)
			break;
	if (m == 12)
		return NULL;
	return psprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", year, m + 1, day, hh, mm, ss);
}

/*
 * One RFC 2047 encoded-word in UTF-8 ("=?UTF-8?B?...?=" or "...?Q?...?="),
 * decoded into buf; false when value is not exactly one such word.
 */
static bool
decode_encoded_word(const char *value, StringInfo buf)
{
	size_t		len = strlen(value);
	const char *text;
	size_t		tlen;
	char		enc;

	if (len < 12 || strncmp(value, "=?", 2) != 0 || pg_strncasecmp(value + 2, "utf-8?", 6) != 0 ||
		value[9] != '?' || strcmp(value + len - 2, "?=") != 0)
		return false;
	enc = value[8];
	text = value + 10;
	tlen = len - 12;
	if (enc == 'B' || enc == 'b')
	{
		int			dlen = pg_b64_dec_len(tlen);
		char	   *out = palloc(dlen + 1);

		dlen = pg_b64_decode(text, tlen, (B64_BYTES *) out, dlen);
		if (dlen < 0)
			return false;
		appendBinaryStringInfo(buf, out, dlen);
		return true;
	}
	if (enc == 'Q' || enc == 'q')
	{
		size_t		i;

		for (i = 0; i < tlen; i++)
		{
			if (text[i] == '_')
				appendStringInfoChar(buf, ' ');
			else if (text[i] == '=' && i + 2 < tlen &&
					 core_hex_value(text[i + 1]) >= 0 && core_hex_value(text[i + 2]) >= 0)
			{
				appendStringInfoChar(buf, (char) (core_hex_value(text[i + 1]) * 16 + core_hex_value(text[i + 2])));
				i += 2;
			}
			else if (text[i] == '=')
				return false;
			else
				appendStringInfoChar(buf, text[i]);
		}
		return true;
	}
	return false;
}

/*
 * A metadata value as S3 sent it: an encoded-word decoded, then as text in
 * the database encoding (UTF-8 that does not convert is an error naming
 * the key).
 */
static char *
metadata_value(const char *value, const char *bucket)
{
	StringInfoData buf;

	initStringInfo(&buf);
	if (!decode_encoded_word(value, &buf))
	{
		resetStringInfo(&buf);
		appendStringInfoString(&buf, value);
	}
	return s3_text_from_utf8(buf.data, bucket);
}

/* One x-amz-meta-* header of a HEAD answer: its name lower-cased, its value */
typedef struct MetaHeader
{
	char	   *name;
	char	   *value;
} MetaHeader;

static int
meta_header_cmp(const void *a, const void *b)
{
	return strcmp(((const MetaHeader *) a)->name, ((const MetaHeader *) b)->name);
}

/*
 * The user metadata of a HEAD answer: every x-amz-meta-* header, without
 * its prefix, its name lower-cased, in the order S3 sent them.  A name
 * that comes twice (in any case) is a protocol violation: S3 sends each
 * once, and of two values neither is the one to believe.
 */
static void
read_metadata(S3ObjectHead *h, const S3HttpResponse *resp, const char *what, const char *bucket)
{
	MetaHeader *meta = NULL;
	int			n = 0;
	int			cap = 0;
	int			i;
	const char *cursor = resp->headers;
	const char *name;
	const char *value;
	size_t		namelen;
	size_t		valuelen;
	size_t		plen = strlen(META_PREFIX);

	while (s3_response_next_header(&cursor, &name, &namelen, &value, &valuelen))
	{
		char	   *p;

		if (namelen <= plen || pg_strncasecmp(name, META_PREFIX, plen) != 0)
			continue;
		if (n == cap)
		{
			cap = cap ? cap * 2 : 16;
			meta = meta ? repalloc(meta, sizeof(MetaHeader) * cap)
				: palloc(sizeof(MetaHeader) * cap);
		}
		meta[n].name = pnstrdup(name + plen, namelen - plen);
		for (p = meta[n].name; *p; p++)
			*p = pg_ascii_tolower((unsigned char) *p);
		meta[n].value = pnstrdup(value, valuelen);
		n++;
	}
	if (n == 0)
		return;

	/* each name once: checked on a sorted copy, the order kept */
	{
		MetaHeader *sorted = palloc(sizeof(MetaHeader) * n);

		memcpy(sorted, meta, sizeof(MetaHeader) * n);
		qsort(sorted, n, sizeof(MetaHeader), meta_header_cmp);
		for (i = 1; i < n; i++)
			if (strcmp(sorted[i - 1].name, sorted[i].name) == 0)
				s3_report_protocol_violation(what,
											 psprintf("the header " META_PREFIX "%s comes twice",
													  s3_escape_bytes(sorted[i].name, strlen(sorted[i].name))));
		pfree(sorted);
	}
	for (i = 0; i < n; i++)
	{
		h->meta_names = lappend(h->meta_names, s3_text_from_utf8(meta[i].name, bucket));
		h->meta_values = lappend(h->meta_values, metadata_value(meta[i].value, bucket));
	}
}

/*
 * The restore status of an archived object (x-amz-restore): 'ongoing-
 * request="true"' while a restore runs; 'ongoing-request="false",
 * expiry-date="<HTTP date>"' once the copy is readable, until then.
 */
static void
read_restore(S3ObjectHead *h, const S3HttpResponse *resp, const char *what)
{
	char	   *v = s3_response_header(resp, "x-amz-restore");
	char	   *expiry;

	if (v == NULL)
		return;
	if (strstr(v, "ongoing-request=\"true\"") != NULL)
		h->restore_status = "in progress";
	else if (strstr(v, "ongoing-request=\"false\"") != NULL)
		h->restore_status = "restored";
	else
		s3_report_invalid_response(what, psprintf("x-amz-restore does not say whether a restore is ongoing: %s",
												  s3_escape_bytes(v, strlen(v))));
	if ((expiry = strstr(v, "expiry-date=\"")) != NULL)
	{
		char	   *date = pstrdup(expiry + strlen("expiry-date=\""));
		char	   *end = strchr(date, '"');
		char	   *iso;

		if (end != NULL)
			*end = '\0';
		if (end == NULL || (iso = http_date_to_iso(date)) == NULL)
			s3_report_invalid_response(what, psprintf("the expiry-date of x-amz-restore is not an HTTP date: %s",
													  s3_escape_bytes(v, strlen(v))));
		h->restore_expiry = s3_timestamptz(iso, what, "x-amz-restore");
		h->has_restore_expiry = true;
	}
}

/* A header's value checked as text, or NULL when S3 did not send it */
static char *
text_header(const S3HttpResponse *resp, const char *name, const char *bucket)
{
	char	   *v = s3_response_header(resp, name);

	return v ? s3_text_from_utf8(v, bucket) : NULL;
}

/*
 * What version 1.2's s3_head shows besides the headers of 1.1: the
 * encryption and its key, the restore status of an archived object, the
 * checksum S3 keeps, the number of tags.
 */
static void
read_encryption_and_more(S3ObjectHead *h, const S3HttpResponse *resp, const char *what,
						 const char *bucket)
{
	char	   *v;

	h->sse = text_header(resp, "x-amz-server-side-encryption", bucket);
	h->kms_key_id = text_header(resp, "x-amz-server-side-encryption-aws-kms-key-id", bucket);
	h->bucket_key_enabled = -1;
	if ((v = s3_response_header(resp, "x-amz-server-side-encryption-bucket-key-enabled")) != NULL)
		h->bucket_key_enabled = pg_strcasecmp(v, "true") == 0;
	h->sse_customer_algorithm =
		text_header(resp, "x-amz-server-side-encryption-customer-algorithm", bucket);
	h->archive_status = text_header(resp, "x-amz-archive-status", bucket);
	h->tag_count = -1;
	if ((v = s3_response_header(resp, "x-amz-tagging-count")) != NULL)
	{
		char	   *end;
		long		n;

		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < 0 || n > 1000)
			s3_report_invalid_response(what, "x-amz-tagging-count is not a count of tags");
		h->tag_count = (int) n;
	}
	h->checksum_type = text_header(resp, "x-amz-checksum-type", bucket);
	{
		static const char *const algorithms[] = {"CRC32C", "CRC32", "SHA256", "SHA1", "CRC64NVME"};

		for (int i = 0; i < lengthof(algorithms); i++)
		{
			char	   *name = psprintf("x-amz-checksum-%s", algorithms[i]);

			if ((v = s3_response_header(resp, name)) != NULL)
			{
				h->checksum_algorithm = pstrdup(algorithms[i]);
				h->checksum = s3_text_from_utf8(v, bucket);
				break;
			}
		}
	}
	read_restore(h, resp, what);
}

/*
 * HEAD of one object: found is false when S3 answers 404 (no such object,
 * or no such bucket: a HEAD answer has no body to tell them apart), or,
 * for a version, 405 with x-amz-delete-marker (the version is a delete
 * marker, which has no headers of an object).  A 403
 * is an error: S3 also answers 403 for a key that does not exist when the
 * caller may not list the bucket (s3:ListBucket), and without a body the
 * two cannot be told apart.  The answer must give the size and the ETag,
 * and every header must have been kept (s3_http_check_answer() stops at
 * MAX_KEPT_HEADERS): never a row with some of it missing.
 */
S3ObjectHead *
s3_head_object(S3Server *server, const char *bucket, const char *key, const char *version_id)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	S3ObjectHead *h = palloc0(sizeof(S3ObjectHead));
	char	   *v;

	s3_object_call(&call, "HEAD", _("could not read the headers of object \"%s\" in bucket \"%s\""),
				   bucket, key);
	call.version_id = version_id;
	call.keep_headers = true;
	call.checksum_mode = true;	/* the stored checksum, for s3_head */
	call.ok_status = 404;
	call.ok_status2 = 403;
	/* a version that is a delete marker: 405, which has no headers to show */
	if (version_id != NULL)
		call.ok_status3 = 405;
	s3_execute(server, &call, &resp);
	if (resp.status == 404 || resp.status == 405)
	{
		v = s3_response_header(&resp, "x-amz-delete-marker");
		h->delete_marker = v != NULL && pg_strcasecmp(v, "true") == 0;
		if (resp.status == 405 && !h->delete_marker)
			s3_report_error(call.what, "S3", &resp, 1);
		return h;
	}
	if (resp.status == 403)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg_internal("%s", call.what),
				 resp.request_id
				 ? errdetail("S3 answered HTTP 403 (a HEAD answer has no error document). Request id: %s.",
							 resp.request_id)
				 : errdetail("S3 answered HTTP 403 (a HEAD answer has no error document)."),
				 errhint("S3 answers 403, not 404, for a key that does not exist when the access key lacks s3:ListBucket on the bucket: grant it for s3_head() to return no row for a missing object; else check the IAM policy of the access key in the user mapping.")));
	h->found = true;
	if ((v = s3_response_header(&resp, "content-length")) == NULL)
		s3_report_protocol_violation(call.what, "it gives no Content-Length (the object's size)");
	{
		char	   *end;

		errno = 0;
		h->size = strtoll(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || h->size < 0)
			s3_report_invalid_response(call.what, "Content-Length is not a size");
	}
	h->etag = s3_response_header(&resp, "etag");
	if (h->etag != NULL && strlen(h->etag) >= 2 && h->etag[0] == '"' &&
		h->etag[strlen(h->etag) - 1] == '"')
		h->etag = pnstrdup(h->etag + 1, strlen(h->etag) - 2);
	if (h->etag == NULL || h->etag[0] == '\0')
		s3_report_protocol_violation(call.what, "it gives no ETag");
	h->content_type = s3_response_header(&resp, "content-type");
	h->content_encoding = s3_response_header(&resp, "content-encoding");
	h->cache_control = s3_response_header(&resp, "cache-control");
	h->storage_class = s3_response_header(&resp, "x-amz-storage-class");
	if (h->storage_class == NULL)
		h->storage_class = pstrdup("STANDARD");	/* S3 leaves the header out for it */
	h->version_id = s3_response_header(&resp, "x-amz-version-id");
	if ((v = s3_response_header(&resp, "last-modified")) != NULL)
	{
		char	   *iso = http_date_to_iso(v);

		if (iso == NULL)
			s3_report_invalid_response(call.what,
									   psprintf("Last-Modified is not an HTTP date: %s",
												s3_escape_bytes(v, strlen(v))));
		h->last_modified = s3_timestamptz(iso, call.what, "Last-Modified");
		h->has_last_modified = true;
	}
	/* header values are text from S3: check what PostgreSQL will hold */
	h->etag = s3_text_from_utf8(h->etag, bucket);
	h->content_type = h->content_type ? s3_text_from_utf8(h->content_type, bucket) : NULL;
	h->content_encoding = h->content_encoding ? s3_text_from_utf8(h->content_encoding, bucket) : NULL;
	h->cache_control = h->cache_control ? s3_text_from_utf8(h->cache_control, bucket) : NULL;
	h->storage_class = s3_text_from_utf8(h->storage_class, bucket);
	h->version_id = h->version_id ? s3_text_from_utf8(h->version_id, bucket) : NULL;

	read_encryption_and_more(h, &resp, call.what, bucket);
	read_metadata(h, &resp, call.what, bucket);
	return h;
}

/* A metadata name: an HTTP token (RFC 7230), as S3 keeps it, lower-cased */
static bool
metadata_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char) *s) || strchr("!#$%&'*+.^_`|~-", *s) != NULL))
			return false;
	return true;
}

/*
 * User metadata from SQL (a jsonb object of scalars) as x-amz-meta-*
 * headers: names lower-cased HTTP tokens, values in UTF-8, RFC 2047
 * encoded-words when not ASCII (as S3 asks), nothing with a control
 * character, and no more than S3's 2 KB in all.  Checked before anything is
 * sent.  Returns the number of headers, in *headers.
 */
int
s3_metadata_headers(Datum meta_jsonb, S3Header **headers)
{
	Jsonb	   *meta = DatumGetJsonbP(meta_jsonb);
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			n = 0;
	int			cap = 8;
	size_t		total = 0;
	S3Header   *h = palloc(sizeof(S3Header) * cap);
	char	   *name = NULL;

	if (!JB_ROOT_IS_OBJECT(meta))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("metadata must be a jsonb object of names and values")));
	it = JsonbIteratorInit(&meta->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *value;
		char	   *utf8;
		char	   *p;

		if (tok == WJB_KEY)
		{
			name = pnstrdup(v.val.string.val, v.val.string.len);
			if (!metadata_name_ok(name))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid metadata name \"%s\"", name),
						 errdetail("A metadata name must be ASCII letters, digits and -_.!#$%%&'*+^`|~, becoming the header x-amz-meta-NAME.")));
			for (p = name; *p; p++)
				*p = pg_ascii_tolower((unsigned char) *p);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		switch (v.type)
		{
			case jbvString:
				value = pnstrdup(v.val.string.val, v.val.string.len);
				break;
			case jbvNumeric:
				value = DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(v.val.numeric)));
				break;
			case jbvBool:
				value = pstrdup(v.val.boolean ? "true" : "false");
				break;
			default:
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for metadata \"%s\"", name),
						 errdetail("A metadata value must be a string, a number or a boolean, not null, an object or an array.")));
		}
		for (p = value; *p; p++)
			if ((unsigned char) *p < 0x20 || *p == 0x7f)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for metadata \"%s\"", name),
						 errdetail("A metadata value must not hold line breaks or other control characters.")));
		utf8 = pg_server_to_any(value, strlen(value), PG_UTF8);
		total += strlen(name) + strlen(utf8);
		if (total > 2048)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("metadata is larger than 2 kB"),
					 errdetail("S3 takes at most 2 kB of user metadata, names and values (in UTF-8) together.")));
		for (p = utf8; *p; p++)
			if (IS_HIGHBIT_SET(*p))
				break;
		if (*p)
		{
			/* not ASCII: an encoded-word, which S3 and the SDKs decode */
			int			elen = pg_b64_enc_len(strlen(utf8));
			char	   *enc = palloc(elen + 1);

			elen = pg_b64_encode((const B64_BYTES *) utf8, strlen(utf8), enc, elen);
			enc[elen] = '\0';
			utf8 = psprintf("=?UTF-8?B?%s?=", enc);
		}
		if (n == cap)
		{
			cap *= 2;
			h = repalloc(h, sizeof(S3Header) * cap);
		}
		h[n].name = psprintf("x-amz-meta-%s", name);
		h[n++].value = utf8;
	}
	*headers = h;
	return n;
}

/* An object's user metadata (from s3_head_object) as a jsonb object */
Datum
s3_metadata_jsonb(const S3ObjectHead *h)
{
	StringInfoData json;
	ListCell   *n,
			   *v;

	initStringInfo(&json);
	appendStringInfoChar(&json, '{');
	forboth(n, h->meta_names, v, h->meta_values)
	{
		if (json.len > 1)
			appendStringInfoChar(&json, ',');
		escape_json(&json, (char *) lfirst(n));
		appendStringInfoChar(&json, ':');
		escape_json(&json, (char *) lfirst(v));
	}
	appendStringInfoChar(&json, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data));
}
