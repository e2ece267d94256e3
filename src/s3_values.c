/*-------------------------------------------------------------------------
 *
 * s3_values.c
 *		The values that cross between SQL and S3.  Going out: bucket names
 *		and object keys given by SQL (function arguments, table options),
 *		checked by the naming rules of s3_names.c before any request is
 *		made, and the rules' fragments as sentences.  Coming back: text in
 *		UTF-8 and ISO 8601 times as PostgreSQL values, bytes fit for a
 *		message, the errors of an answer that does not parse or does not
 *		answer the request, and the results of the PostgreSQL-free cores
 *		taken into PostgreSQL memory.
 *
 * Below every other PostgreSQL-facing file: the validator, the request
 * layer, the operations and the foreign table all use it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "core.h"
#include "s3_values.h"

/*
 * A fragment from a PostgreSQL-free core ("a bucket name must ...") as a
 * detail sentence: capitalized, with a period.
 */
char *
s3_sentence(const char *fragment)
{
	char	   *s = psprintf("%s.", fragment);

	s[0] = pg_toupper((unsigned char) s[0]);
	return s;
}

/* Raise an error unless bucket is a valid S3 bucket name. */
void
s3_check_bucket_arg(const char *bucket)
{
	const char *problem = s3_check_bucket_name(bucket);

	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("invalid bucket name \"%s\"", bucket),
				 errdetail("%s", s3_sentence(problem))));
}

/*
 * Check an object key and return it converted to UTF-8, the encoding S3
 * keys are in.
 */
char *
s3_check_key_arg(const char *key)
{
	char	   *utf8 = pg_server_to_any(key, strlen(key), PG_UTF8);
	const char *problem = s3_check_key(utf8, strlen(utf8));

	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid object key"),
				 errdetail("%s", s3_sentence(problem))));
	return utf8;
}

/*
 * Is s printable ASCII?  What credentials and continuation tokens must be,
 * since they go into headers and URLs.
 */
bool
s3_printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s < 0x20 || (unsigned char) *s >= 0x7f)
			return false;
	return true;
}

/* An answer (from S3, STS or a credential endpoint) that does not parse. */
void
s3_report_invalid_response(const char *what, const char *problem)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
			 errmsg_internal("%s", what),
			 errdetail("The answer is invalid: %s.", problem)));
}

/*
 * An answer that parses but is not an answer to the request sent (a range
 * other than the one asked for, entries for keys never sent...): nothing
 * of it may be used.
 */
void
s3_report_protocol_violation(const char *what, const char *problem)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg_internal("%s", what),
			 errdetail("The answer is invalid: %s.", problem)));
}

/*
 * Bytes from S3 fit for a message in any database encoding: printable
 * ASCII as it is, anything else as \xNN; at most about 200 characters.
 */
char *
s3_escape_bytes(const char *s, size_t len)
{
	StringInfoData buf;
	size_t		i;

	initStringInfo(&buf);
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (buf.len >= 200)
		{
			appendStringInfoString(&buf, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\')
			appendStringInfoChar(&buf, (char) c);
		else
			appendStringInfo(&buf, "\\x%02x", c);
	}
	return buf.data;
}

/*
 * An ISO 8601 time from S3 (LastModified, CreationDate) or a credential
 * endpoint (Expiration) as a timestamptz; an answer that is not one is an
 * invalid response of "what".
 */
Datum
s3_timestamptz(const char *iso8601, const char *what, const char *field)
{
	if (s3_check_iso8601(iso8601) != NULL)
		s3_report_invalid_response(what,
								   psprintf("%s \"%s\" is not an ISO 8601 time", field,
											s3_escape_bytes(iso8601, strlen(iso8601))));
	return DirectFunctionCall3(timestamptz_in, CStringGetDatum(iso8601),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* A string of a result as a text value, NULL for NULL */
Datum
s3_text_datum_or_null(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

/*
 * Text that S3 sent in UTF-8, in the database encoding: an object key (of
 * bucket, when it is not NULL) or other text of an answer.  An error names
 * the bytes when it is not valid UTF-8 or has no equivalent in the
 * database encoding.
 */
char *
s3_text_from_utf8(const char *s, const char *bucket)
{
	size_t		len = strlen(s);
	char	   *volatile r = NULL;
	MemoryContext cxt = CurrentMemoryContext;

	if (!pg_verify_mbstr(PG_UTF8, s, (int) len, true))
	{
		if (bucket != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
					 errmsg("object key in bucket \"%s\" is not valid UTF-8", bucket),
					 errdetail("Its bytes are \"%s\".", s3_escape_bytes(s, len))));
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("text in an answer from S3 is not valid UTF-8"),
				 errdetail("Its bytes are \"%s\".", s3_escape_bytes(s, len))));
	}
	if (GetDatabaseEncoding() == PG_UTF8 || GetDatabaseEncoding() == PG_SQL_ASCII)
		return pstrdup(s);
	PG_TRY();
	{
		r = pg_any_to_server(s, (int) len, PG_UTF8);
	}
	PG_CATCH();
	{
		/* a conversion error holds no resources: replace it with ours */
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		if (bucket != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
					 errmsg("object key in bucket \"%s\" has a character that the database encoding %s cannot hold",
							bucket, GetDatabaseEncodingName()),
					 errdetail("Its UTF-8 bytes are \"%s\".", s3_escape_bytes(s, len)),
					 errhint("Narrow the listing (prefix, start_after) so that it excludes the key, or use a UTF-8 database.")));
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("text in an answer from S3 has a character that the database encoding %s cannot hold",
						GetDatabaseEncodingName()),
				 errdetail("Its UTF-8 bytes are \"%s\".", s3_escape_bytes(s, len))));
	}
	PG_END_TRY();
	return r == s ? pstrdup(s) : r;
}

/*
 * The one way a result of a PostgreSQL-free core (malloc'd: a parsed
 * document, a profile, credentials) enters PostgreSQL memory: take()
 * copies what is needed into palloc'd memory (and may raise an error), and
 * release() frees the core's result however take() ends.
 */
void
s3_take_core_result(void *result, s3_core_release release, s3_core_take take, void *arg)
{
	PG_TRY();
	{
		take(result, arg);
	}
	PG_FINALLY();
	{
		release(result);
	}
	PG_END_TRY();
}

/*
 * The pairs of a jsonb object whose values are all strings (tags, an
 * encryption context): a list of names and values, alternating, as
 * palloc'd C strings in the database encoding.  name is the argument's or
 * option's, for messages.
 */
static List *
string_pairs(Datum jsonb, const char *name)
{
	Jsonb	   *j = DatumGetJsonbP(jsonb);
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	List	   *pairs = NIL;

	if (!JB_ROOT_IS_OBJECT(j) || JB_ROOT_IS_SCALAR(j))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a jsonb object of names and string values", name)));
	it = JsonbIteratorInit(&j->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			pairs = lappend(pairs, pnstrdup(v.val.string.val, v.val.string.len));
		else if (tok == WJB_VALUE)
		{
			if (v.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s must be a jsonb object of names and string values", name),
						 errdetail("The value of \"%s\" is not a string.",
								   (char *) llast(pairs))));
			pairs = lappend(pairs, pnstrdup(v.val.string.val, v.val.string.len));
		}
	}
	return pairs;
}

/*
 * An SSE-KMS encryption context (a jsonb object of strings) as the JSON
 * text S3 takes, in UTF-8: the header carries it in base64.
 */
char *
s3_encryption_context_json(Datum jsonb, const char *name)
{
	List	   *pairs = string_pairs(jsonb, name);
	char	   *json = JsonbToCString(NULL, &DatumGetJsonbP(jsonb)->root, 0);
	char	   *utf8;

	if (pairs == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", name)));
	utf8 = pg_server_to_any(json, strlen(json), PG_UTF8);
	if (strlen(utf8) > 4096)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be longer than 4096 bytes as JSON", name)));
	return utf8;
}

/*
 * Tags (a jsonb object of strings) checked by S3's rules and given as a
 * list of names and values in UTF-8, alternating: at most 10 tags, names
 * of 1 to 128 characters, values of at most 256, no control characters
 * (which neither S3 nor PutObjectTagging's XML body takes).  S3 checks the
 * characters it allows itself.
 */
List *
s3_tag_pairs(Datum jsonb, const char *name)
{
	List	   *pairs = string_pairs(jsonb, name);
	List	   *utf8 = NIL;
	ListCell   *lc;
	const char *tag = NULL;
	int			i = 0;

	if (list_length(pairs) / 2 > 10)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not hold more than 10 tags", name),
				 errdetail("S3 keeps at most 10 tags on an object; %d were given.",
						   list_length(pairs) / 2)));
	foreach(lc, pairs)
	{
		char	   *s = (char *) lfirst(lc);
		int			chars = pg_mbstrlen(s);
		bool		is_name = (i++ % 2) == 0;
		const unsigned char *p;

		if (is_name)
			tag = s;
		if (is_name && (chars < 1 || chars > 128))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid tag name in %s", name),
					 errdetail("A tag name is 1 to 128 characters long, not %d.", chars)));
		if (!is_name && chars > 256)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for tag \"%s\" in %s", tag, name),
					 errdetail("A tag value is at most 256 characters long, not %d.", chars)));
		for (p = (const unsigned char *) s; *p; p++)
			if (*p < 0x20 || *p == 0x7f)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 is_name ? errmsg("invalid tag name in %s", name)
						 : errmsg("invalid value for tag \"%s\" in %s", tag, name),
						 errdetail("A tag name or value cannot hold a control character: \"%s\".",
								   s3_escape_bytes(s, strlen(s)))));
		utf8 = lappend(utf8, pg_server_to_any(s, strlen(s), PG_UTF8));
	}
	return utf8;
}

/*
 * Tags as the x-amz-tagging header of an upload takes them: a URL query
 * (pairs: names and values in UTF-8, alternating; "" for none)
 */
char *
s3_tagging_query_of(List *pairs)
{
	StringInfoData q;
	ListCell   *lc;
	int			i = 0;

	initStringInfo(&q);
	foreach(lc, pairs)
	{
		char	   *s = (char *) lfirst(lc);
		char	   *enc = s3_uri_encode(s, strlen(s), false);

		if (enc == NULL)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		appendStringInfo(&q, "%s%s", (i % 2) == 0 ? (i > 0 ? "&" : "") : "=", enc);
		free(enc);
		i++;
	}
	return q.data;
}

/* The same, of tags from SQL (checked by s3_tag_pairs()) */
char *
s3_tagging_query(Datum jsonb, const char *name)
{
	return s3_tagging_query_of(s3_tag_pairs(jsonb, name));
}

/*
 * A version id from SQL: S3's are printable ASCII (up to 1024 bytes);
 * checked before it goes into a URL.
 */
void
s3_check_version_id_arg(const char *version_id)
{
	if (version_id[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("version_id must not be empty"),
				 errhint("Leave it NULL for the latest version.")));
	if (!s3_printable_ascii(version_id) || strlen(version_id) > 1024)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid version_id"),
				 errdetail("A version id is printable ASCII, at most 1024 bytes.")));
}

/* Bytes in base64 (RFC 4648, with padding), palloc'd */
char *
s3_base64(const void *data, size_t len)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	char	   *out = palloc((len + 2) / 3 * 4 + 1);
	char	   *o = out;
	size_t		i;

	for (i = 0; i + 2 < len; i += 3)
	{
		*o++ = b64[p[i] >> 2];
		*o++ = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		*o++ = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		*o++ = b64[p[i + 2] & 63];
	}
	if (i < len)
	{
		*o++ = b64[p[i] >> 2];
		if (i + 1 < len)
		{
			*o++ = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
			*o++ = b64[(p[i + 1] & 15) << 2];
		}
		else
		{
			*o++ = b64[(p[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}
