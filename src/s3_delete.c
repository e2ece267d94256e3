/*-------------------------------------------------------------------------
 *
 * s3_delete.c
 *		Removing many objects (or versions of objects) at once:
 *		DeleteObjects in batches of 1,000 keys (S3's most), several batches
 *		in flight, and the keys S3 could not delete handed back with its
 *		error code and message.
 *
 * Every key is checked before anything is sent; a key that XML 1.0 cannot
 * carry (control characters) is refused, since DeleteObjects names keys in
 * an XML body.  The body carries Content-MD5, which S3 requires for it.
 * An answer that names a key its batch did not send (or names one more
 * often than it was sent) is a protocol violation: nothing of it is
 * reported as S3's word on the keys.  No keys: no request, nothing failed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/xml.h"

#include "s3_call.h"
#include "s3_xml.h"

#define BATCH 1000
#define MAX_KEYS 1000000
#define MAX_ANSWER ((size_t) 16 * 1024 * 1024)

/* What the batch's answer holds, taken into PostgreSQL memory */
typedef struct DeleteTake
{
	List	  **failed;			/* of S3DeleteFailure */
	const char *bucket;
	const char *what;
	const char *const *sent;	/* the batch's keys, in UTF-8 */
	int			nsent;
} DeleteTake;

static void
release_result(void *r)
{
	s3_delete_result_free((s3_delete_result *) r);
}

static void
take_result(void *result, void *arg)
{
	s3_delete_result *r = (s3_delete_result *) result;
	DeleteTake *t = (DeleteTake *) arg;
	size_t		i;
	const char *bad_key;
	char		errbuf[128];

	if (s3_delete_result_check(r, t->sent, t->nsent, &bad_key, errbuf, sizeof(errbuf)) != 0)
	{
		if (bad_key == NULL)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		s3_report_protocol_violation(t->what,
									 psprintf("%s: \"%s\"", errbuf,
											  s3_escape_bytes(bad_key, strlen(bad_key))));
	}
	for (i = 0; i < r->nerrors; i++)
	{
		S3DeleteFailure *f = palloc0(sizeof(S3DeleteFailure));

		f->key = s3_text_from_utf8(r->errors[i].key, t->bucket);
		f->code = r->errors[i].code ? s3_text_from_utf8(r->errors[i].code, t->bucket) : NULL;
		f->message = s3_error_message(r->errors[i].message) ?
			s3_text_from_utf8(r->errors[i].message, t->bucket) : NULL;
		*t->failed = lappend(*t->failed, f);
	}
}

/*
 * A key (and a version of it, or NULL) in an XML body: only characters
 * XML 1.0 can carry
 */
static void
append_key(StringInfo xml, const char *key, const char *utf8, const char *version_id)
{
	const unsigned char *p;

	for (p = (const unsigned char *) utf8; *p; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove object \"%s\" with other objects",
							s3_escape_bytes(key, strlen(key))),
					 errdetail("Its key holds a control character, which the XML body of DeleteObjects cannot carry."),
					 errhint("Remove it alone with s3_remove(server, bucket, key).")));
	appendStringInfo(xml, "<Object><Key>%s</Key>", escape_xml(utf8));
	if (version_id != NULL)
	{
		s3_check_version_id_arg(version_id);
		appendStringInfo(xml, "<VersionId>%s</VersionId>", escape_xml(version_id));
	}
	appendStringInfoString(xml, "</Object>");
}

/*
 * Remove nkeys objects (keys in the database encoding); or, where
 * version_ids (NULL, or one per key) gives one, that version of the
 * object, for good.  Returns the ones S3 could not remove, as
 * S3DeleteFailure.  Keys (and versions) that do not exist count as
 * removed, as S3 has it.
 */
List *
s3_delete_objects(S3Server *server, const char *bucket, char **keys, char **version_ids,
				  int nkeys)
{
	int			nbatches = (nkeys + BATCH - 1) / BATCH;
	S3SignedRequest *calls;
	S3Pending **pending;
	char	  **utf8;
	List	   *failed = NIL;
	DeleteTake	take;
	int			next = 0;
	int			done = 0;
	int			b;

	s3_check_bucket_arg(bucket);
	if (nkeys == 0)
		return NIL;				/* nothing to remove: nothing sent */
	if (nkeys > MAX_KEYS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many keys: %d", nkeys),
				 errdetail("One call removes at most %d objects.", MAX_KEYS)));

	/* every batch described (and every key checked) before any is sent */
	calls = palloc0(sizeof(S3SignedRequest) * nbatches);
	pending = palloc0(sizeof(S3Pending *) * nbatches);
	utf8 = palloc(sizeof(char *) * nkeys);
	for (b = 0; b < nbatches; b++)
	{
		StringInfoData xml;
		int			i;

		initStringInfo(&xml);
		appendStringInfoString(&xml, "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>");
		for (i = b * BATCH; i < Min(nkeys, (b + 1) * BATCH); i++)
		{
			utf8[i] = s3_check_key_arg(keys[i]);
			append_key(&xml, keys[i], utf8[i], version_ids ? version_ids[i] : NULL);
		}
		appendStringInfoString(&xml, "</Delete>");
		calls[b].what = psprintf(_("could not remove objects from bucket \"%s\""), bucket);
		calls[b].method = "POST";
		calls[b].bucket = bucket;
		calls[b].query = "delete";
		calls[b].body = xml.data;
		calls[b].body_len = xml.len;
		calls[b].content_type = "application/xml";
		calls[b].content_md5 = true;
		calls[b].max_body = MAX_ANSWER;
		s3_address_call(server, &calls[b]);
	}

	take.failed = &failed;
	take.bucket = bucket;
	while (done < nbatches)
	{
		S3HttpResponse resp;
		s3_delete_result result;
		char		errbuf[128];

		while (next < nbatches && next - done < server->max_concurrency)
		{
			pending[next] = s3_request_start(server->creds, &calls[next]);
			next++;
		}
		s3_request_finish(pending[done], &resp);
		if (s3_xml_parse_delete_result(resp.body, resp.body_len, &result, errbuf, sizeof(errbuf)) != 0)
			s3_report_invalid_response(calls[done].what, errbuf);
		take.what = calls[done].what;
		take.sent = (const char *const *) utf8 + done * BATCH;
		take.nsent = Min(nkeys, (done + 1) * BATCH) - done * BATCH;
		s3_take_core_result(&result, release_result, take_result, &take);
		done++;
	}
	return failed;
}
