/*-------------------------------------------------------------------------
 *
 * s3_object_info.c
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

#include "s3_fdw.h"

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

		dlen = pg_b64_decode(text, tlen, out, dlen);
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
					 hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0)
			{
				appendStringInfoChar(buf, (char) (hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
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

/*
 * HEAD of one object: found is false when S3 answers 404 (no such object,
 * or no such bucket: a HEAD answer has no body to tell them apart).
 */
S3ObjectHead *
s3_head_object(S3Server *server, const char *bucket, const char *key)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	S3ObjectHead *h = palloc0(sizeof(S3ObjectHead));
	char	   *v;
	const char *line;

	s3_object_call(&call, "HEAD", _("could not read the headers of object \"%s\" in bucket \"%s\""),
				   bucket, key);
	call.keep_headers = true;
	call.ok_status = 404;
	s3_execute(server, &call, &resp);
	if (resp.status == 404)
		return h;
	h->found = true;
	h->size = -1;
	if ((v = s3_response_header(&resp, "content-length")) != NULL)
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
	h->etag = h->etag ? s3_text_from_utf8(h->etag, bucket) : NULL;
	h->content_type = h->content_type ? s3_text_from_utf8(h->content_type, bucket) : NULL;
	h->content_encoding = h->content_encoding ? s3_text_from_utf8(h->content_encoding, bucket) : NULL;
	h->cache_control = h->cache_control ? s3_text_from_utf8(h->cache_control, bucket) : NULL;
	h->storage_class = s3_text_from_utf8(h->storage_class, bucket);
	h->version_id = h->version_id ? s3_text_from_utf8(h->version_id, bucket) : NULL;

	/* user metadata: every x-amz-meta-* header, without its prefix */
	for (line = resp.headers; line != NULL && *line;)
	{
		const char *end = strchr(line, '\n');
		size_t		len = end ? (size_t) (end - line) : strlen(line);
		const char *colon = memchr(line, ':', len);

		if (colon != NULL && (size_t) (colon - line) > strlen(META_PREFIX) &&
			pg_strncasecmp(line, META_PREFIX, strlen(META_PREFIX)) == 0)
		{
			char	   *name = pnstrdup(line + strlen(META_PREFIX),
										colon - line - strlen(META_PREFIX));
			char	   *header = pnstrdup(line, colon - line);
			char	   *value = s3_response_header(&resp, header);
			char	   *p;

			for (p = name; *p; p++)
				*p = pg_ascii_tolower((unsigned char) *p);
			h->meta_names = lappend(h->meta_names, s3_text_from_utf8(name, bucket));
			h->meta_values = lappend(h->meta_values, metadata_value(value, bucket));
		}
		line = end ? end + 1 : NULL;
	}
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

			elen = pg_b64_encode(utf8, strlen(utf8), enc, elen);
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
