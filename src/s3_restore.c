/*-------------------------------------------------------------------------
 *
 * s3_restore.c
 *		RestoreObject: a temporary copy of an archived object (GLACIER,
 *		DEEP_ARCHIVE) made readable for some days, or an object of
 *		INTELLIGENT_TIERING's archive tiers brought back to its frequent
 *		tier.
 *
 * S3 answers 202 when it starts a restore, 200 when the object was
 * restored already (the copy's expiry then moves to days from now), and
 * 409 RestoreAlreadyInProgress while a restore runs: three answers, none an
 * error.  An object that is not archived is refused with 403
 * InvalidObjectState, which is said so.  The days and the tier are checked
 * before anything is sent; the restore's progress is s3_head()'s
 * restore_status.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "s3_call.h"

/*
 * The most days a restored copy may be asked to live.  S3's API documents
 * no bound (its guide: "any number of days"); over 80 years is surely a
 * mistyped value, stopped before S3 starts a paid retrieval for it.
 */
#define MAX_RESTORE_DAYS 30000

/* RestoreObject's tiers, as S3 spells them */
static const char *const tiers[] = {"Standard", "Bulk", "Expedited"};

/*
 * What S3's refusals mean of a restore: InvalidObjectState, that the
 * object is not archived; InvalidArgument for a request with Days, most
 * likely an object of INTELLIGENT_TIERING's archive tiers, which take none.
 */
static void
read_error(const char *code, S3ErrorReading *reading, void *arg)
{
	bool		with_days = *(bool *) arg;

	if (strcmp(code, "InvalidObjectState") == 0)
	{
		reading->sqlstate = ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
		reading->reason = "the object is not archived";
		reading->hint = "Only objects of the GLACIER and DEEP_ARCHIVE storage classes, and of INTELLIGENT_TIERING's archive tiers, are restored; s3_head() shows an object's storage_class and archive_status.";
	}
	else if (strcmp(code, "InvalidArgument") == 0 && with_days)
		reading->hint = "An object of INTELLIGENT_TIERING's archive tiers is restored without days: pass days => NULL.";
}

/*
 * Restore key of bucket (its version version_id, or the latest) for *days
 * days (days NULL: no Days, as INTELLIGENT_TIERING's archive tiers want)
 * at tier (NULL: S3's default, Standard).
 */
S3RestoreAnswer
s3_restore_object(S3Server *server, const char *bucket, const char *key,
				  const char *version_id, const int *days, const char *tier)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	StringInfoData xml;
	bool		with_days = days != NULL;
	char	   *code;

	/* everything checked before anything is sent */
	s3_object_call(&call, "POST", _("could not restore object \"%s\" in bucket \"%s\""),
				   bucket, key);
	if (days != NULL && (*days < 1 || *days > MAX_RESTORE_DAYS))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("days must be between 1 and %d", MAX_RESTORE_DAYS),
				 errdetail("The restored copy of an archived object is kept for that many days."),
				 errhint("An object of INTELLIGENT_TIERING's archive tiers is restored without days: pass days => NULL.")));
	if (tier != NULL)
	{
		int			i;

		for (i = 0; i < lengthof(tiers); i++)
			if (strcmp(tier, tiers[i]) == 0)
				break;
		if (i == lengthof(tiers))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid tier \"%s\"", tier),
					 errdetail("The tiers of a restore are Standard, Bulk and Expedited, spelled as S3 spells them.")));
	}
	if (version_id != NULL)
		s3_check_version_id_arg(version_id);

	initStringInfo(&xml);
	appendStringInfoString(&xml, "<RestoreRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	if (days != NULL)
		appendStringInfo(&xml, "<Days>%d</Days>", *days);
	if (tier != NULL)
		appendStringInfo(&xml, "<GlacierJobParameters><Tier>%s</Tier></GlacierJobParameters>", tier);
	appendStringInfoString(&xml, "</RestoreRequest>");

	call.query = "restore";
	call.version_id = version_id;
	call.body = xml.data;
	call.body_len = xml.len;
	call.content_type = "application/xml";
	call.content_md5 = true;
	call.max_body = 1024 * 1024;
	call.ok_status = 409;		/* RestoreAlreadyInProgress is no error */
	call.read_error = read_error;
	call.read_error_arg = &with_days;
	s3_execute(server, &call, &resp);

	if (resp.status == 202)
		return S3_RESTORE_STARTED;
	if (resp.status == 200)
		return S3_RESTORE_DONE_ALREADY;
	if (resp.status == 409)
	{
		code = s3_error_code(&resp);
		if (code != NULL && strcmp(code, "RestoreAlreadyInProgress") == 0)
			return S3_RESTORE_IN_PROGRESS;
		s3_report_error(call.what, "S3", &resp, 1);
	}
	s3_report_protocol_violation(call.what,
								 psprintf("HTTP status %ld answered RestoreObject, which S3 answers with 200 or 202",
										  resp.status));
}
