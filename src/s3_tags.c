/*-------------------------------------------------------------------------
 *
 * s3_tags.c
 *		An object's tags: GetObjectTagging (one, or several in flight for a
 *		scan's tags column), PutObjectTagging and DeleteObjectTagging; and
 *		the tags a write carries over from the object it replaces.
 *
 * Tags travel as UTF-8: out of SQL they are checked by S3's rules first
 * (s3_tag_pairs(): at most 10, names of 1 to 128 characters, values of at
 * most 256), into SQL they come as a jsonb object of strings in the
 * database encoding.  PutObjectTagging's XML body carries Content-MD5, which
 * S3 requires for it; an empty set of tags is DeleteObjectTagging.  Tags
 * are not encrypted with an SSE-C key: these requests never send it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/jsonb.h"
#include "utils/xml.h"

#include "s3_call.h"
#include "s3_xml.h"

/* the answer is at most 10 tags */
#define MAX_ANSWER ((size_t) 1024 * 1024)

/* A GetObjectTagging in flight (see s3_get_tags_start) */
struct S3TagsFetch
{
	S3SignedRequest call;
	S3Pending  *pending;		/* NULL once finished or cancelled */
};

/* A request on an object's tagging subresource */
static void
tagging_call(S3SignedRequest *call, const char *method, const char *what_fmt,
			 const char *bucket, const char *key, const char *version_id)
{
	s3_object_call(call, method, what_fmt, bucket, key);
	call->query = "tagging";
	call->version_id = version_id;
	call->customer_key = false;
	call->max_body = MAX_ANSWER;
}

/* What a GetObjectTagging answer is taken into: UTF-8 names and values */
static void
release_tags(void *result)
{
	s3_tag_set_free((s3_tag_set *) result);
}

static void
take_tags(void *result, void *arg)
{
	s3_tag_set *t = (s3_tag_set *) result;
	List	  **pairs = (List **) arg;
	size_t		i;

	for (i = 0; i < t->n; i++)
	{
		*pairs = lappend(*pairs, pstrdup(t->items[i].key));
		*pairs = lappend(*pairs, pstrdup(t->items[i].value));
	}
}

/* The tags of an answer: names and values in UTF-8, alternating */
static List *
answer_pairs(const char *what, const S3HttpResponse *resp)
{
	s3_tag_set tags;
	char		errbuf[128];
	List	   *pairs = NIL;

	/*
	 * No document at all, which boto3 reads as no tags: Ceph RGW 16.2's
	 * answer for an object whose multipart upload carried tags (it keeps
	 * none, and HeadObject counts 0)
	 */
	if (resp->body_len == 0)
		return NIL;
	if (s3_xml_parse_tagging(resp->body, resp->body_len, &tags, errbuf, sizeof(errbuf)) != 0)
		s3_report_invalid_response(what, errbuf);
	s3_take_core_result(&tags, release_tags, take_tags, &pairs);
	return pairs;
}

/* Tags (UTF-8 pairs) as a jsonb object in the database encoding */
static Datum
pairs_jsonb(List *pairs)
{
	JsonbParseState *state = NULL;
	JsonbValue	v;
	JsonbValue *res;
	ListCell   *lc;
	int			i = 0;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	foreach(lc, pairs)
	{
		char	   *s = s3_text_from_utf8((char *) lfirst(lc), NULL);

		v.type = jbvString;
		v.val.string.val = s;
		v.val.string.len = strlen(s);
		pushJsonbValue(&state, (i++ % 2) == 0 ? WJB_KEY : WJB_VALUE, &v);
	}
	res = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbPGetDatum(JsonbValueToJsonb(res));
}

/* An object's tags (or one of its versions'), as UTF-8 pairs */
List *
s3_object_tag_pairs(S3Server *server, const char *bucket, const char *key,
					const char *version_id)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	tagging_call(&call, "GET", _("could not read the tags of object \"%s\" in bucket \"%s\""),
				 bucket, key, version_id);
	s3_execute(server, &call, &resp);
	return answer_pairs(call.what, &resp);
}

/* An object's tags (or one of its versions'), as a jsonb object */
Datum
s3_get_object_tags(S3Server *server, const char *bucket, const char *key,
				   const char *version_id)
{
	return pairs_jsonb(s3_object_tag_pairs(server, bucket, key, version_id));
}

/*
 * A GetObjectTagging of an object named as a listing gave it (UTF-8, valid
 * on the wire), started without waiting, so that several are in flight;
 * key is the name for messages (in the database encoding).  Everything is
 * allocated in the current memory context.
 */
S3TagsFetch *
s3_get_tags_start(S3Server *server, const char *bucket, const char *utf8_key,
				  const char *key, const char *version_id)
{
	S3TagsFetch *f = palloc0(sizeof(S3TagsFetch));

	f->call.what = psprintf(_("could not read the tags of object \"%s\" in bucket \"%s\""),
							key, bucket);
	f->call.method = "GET";
	f->call.bucket = bucket;
	f->call.key = utf8_key;
	f->call.query = "tagging";
	f->call.version_id = version_id;
	f->call.max_body = MAX_ANSWER;
	s3_address_call(server, &f->call);
	f->pending = s3_request_start(server->creds, &f->call);
	return f;
}

/* Waits for the answer: the tags as a jsonb object */
Datum
s3_get_tags_finish(S3TagsFetch *f)
{
	S3HttpResponse resp;

	s3_request_finish(f->pending, &resp);
	f->pending = NULL;
	return pairs_jsonb(answer_pairs(f->call.what, &resp));
}

/* Drops a GetObjectTagging whose answer is no longer wanted. */
void
s3_get_tags_cancel(S3TagsFetch *f)
{
	if (f->pending != NULL)
		s3_request_cancel(f->pending);
	f->pending = NULL;
}

/*
 * Replace an object's tags (or one of its versions') with pairs (UTF-8
 * names and values, alternating, checked); none removes them all.
 */
void
s3_put_tag_pairs(S3Server *server, const char *bucket, const char *key, List *pairs,
				 const char *version_id)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	StringInfoData xml;
	ListCell   *lc;
	int			i = 0;

	if (pairs == NIL)
	{
		tagging_call(&call, "DELETE", _("could not remove the tags of object \"%s\" in bucket \"%s\""),
					 bucket, key, version_id);
		s3_execute(server, &call, &resp);
		return;
	}
	tagging_call(&call, "PUT", _("could not set the tags of object \"%s\" in bucket \"%s\""),
				 bucket, key, version_id);
	initStringInfo(&xml);
	appendStringInfoString(&xml, "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>");
	foreach(lc, pairs)
	{
		/* escape_xml() writes & < > and CR as references */
		if ((i++ % 2) == 0)
			appendStringInfo(&xml, "<Tag><Key>%s</Key>", escape_xml((char *) lfirst(lc)));
		else
			appendStringInfo(&xml, "<Value>%s</Value></Tag>", escape_xml((char *) lfirst(lc)));
	}
	appendStringInfoString(&xml, "</TagSet></Tagging>");
	call.body = xml.data;
	call.body_len = xml.len;
	call.content_type = "application/xml";
	call.content_md5 = true;
	s3_execute(server, &call, &resp);
}

/* The same, with tags from SQL (a jsonb object of strings); name is the argument's */
void
s3_put_object_tags(S3Server *server, const char *bucket, const char *key, Datum tags,
				   const char *name, const char *version_id)
{
	List	   *pairs = s3_tag_pairs(tags, name);

	s3_put_tag_pairs(server, bucket, key, pairs, version_id);
}

/*
 * The tags of an object (or version) that a write replaces by a new object
 * without a word on tags, carried over as the AWS CLI does: a copy in
 * parts (CopyObject keeps them itself), a new body.  Only when HeadObject
 * counted some (head_tag_count, x-amz-tagging-count, which S3 sends only
 * then), so that an object without tags costs no request and no
 * s3:GetObjectTagging.  They go into opts->tagging, the x-amz-tagging
 * header of the new object, up to S3_MAX_TAGGING_HEADER bytes; longer ones
 * are handed back, to be set with s3_put_tag_pairs() once the new object
 * is written (NIL otherwise).
 */
List *
s3_carry_tags(S3Server *server, const char *bucket, const char *key, const char *version_id,
			  int head_tag_count, S3PutOptions *opts)
{
	List	   *pairs;
	char	   *query;

	if (opts->tagging != NULL || head_tag_count <= 0)
		return NIL;
	pairs = s3_object_tag_pairs(server, bucket, key, version_id);
	query = s3_tagging_query_of(pairs);
	if (strlen(query) > S3_MAX_TAGGING_HEADER)
		return pairs;
	opts->tagging = query;
	return NIL;
}
