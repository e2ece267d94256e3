/*-------------------------------------------------------------------------
 *
 * s3_verify.c
 *		A download checked against the checksum S3 stored with the object:
 *		a GET of a whole object asks for it (x-amz-checksum-mode: ENABLED),
 *		and when the answer carries one (x-amz-checksum-crc32c, -crc32,
 *		-sha256 or -sha1) the bytes received must have it, or the read is
 *		an error (XX001, data corrupted) and nothing is returned.
 *
 * A multipart object's checksum is usually composite: the checksum of
 * the concatenated (raw) checksums of its parts, followed by "-N" for N
 * parts.  It cannot be computed from the body alone: the part sizes come
 * from HeadObject with ?partNumber=i (its Content-Length is the part's),
 * as AWS documents and moto and Ceph RGW answer.  Part 1 is asked for
 * first: uploads (the SDKs', the AWS CLI's, s3_fdw's) make every part but
 * the last the same size, so its size usually tells them all, at the cost
 * of one HEAD; when that does not give the stored checksum, every part's
 * size is asked for (max_concurrency at once) before the body is judged.
 * A store that cannot tell a part's size (400, 416) leaves the body
 * unchecked, as a full-object CRC64NVME does (not computed here).
 *
 * Ranged reads are not checked: S3 sends no checksum with a range (but
 * s3_import, which reads a large object in ranges from start to end,
 * computes a single-part object's checksum over them: s3_import.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "s3_call.h"
#include "s3_names.h"

#define MAX_PARTS 10000

/* The checksum of a body: its algorithm and value, as S3 sent them */
typedef struct Stored
{
	const char *algorithm;		/* canonical: CRC32C... */
	const char *header;			/* x-amz-checksum-crc32c... */
	char	   *value;			/* base64, without "-N" */
	int			nparts;			/* N of "-N"; 0 for a full-object checksum */
} Stored;

S3_NORETURN_BEGIN static void report_mismatch(const S3SignedRequest *call,
											  const S3HttpResponse *resp,
											  const Stored *st, const char *mine,
											  const char *how) S3_NORETURN_END;

static void
report_mismatch(const S3SignedRequest *call, const S3HttpResponse *resp, const Stored *st,
				const char *mine, const char *how)
{
	s3_http_distrust_connection();
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg_internal("%s", call->what),
			 errdetail("The body does not match its checksum: S3 gave %s \"%s\", %s of the %zu bytes received is \"%s\".",
					   st->header, s3_escape_bytes(resp->checksum, strlen(resp->checksum)),
					   how, resp->body_len, mine)));
}

/*
 * HeadObject of part partno: its size (-1 when the store cannot tell) and
 * the object's part count (x-amz-mp-parts-count, 0 when not said).
 */
static S3Pending *
start_part_head(const S3SignedRequest *call, S3SignedRequest *hc, int partno)
{
	memset(hc, 0, sizeof(*hc));
	hc->what = call->what;
	hc->method = "HEAD";
	hc->bucket = call->bucket;
	hc->key = call->key;
	hc->query = psprintf("partNumber=%d", partno);
	hc->version_id = call->version_id;
	hc->customer_key = call->customer_key;
	hc->keep_headers = true;
	hc->ok_status = 400;		/* no parts known: left unchecked */
	hc->ok_status2 = 416;
	s3_address_call((S3Server *) call->server, hc);
	return s3_request_start(call->server->creds, hc);
}

static int64
finish_part_head(S3Pending *p, int *nparts)
{
	S3HttpResponse resp;
	char	   *v;
	char	   *end;
	int64		size;

	s3_request_finish(p, &resp);
	if (resp.status == 400 || resp.status == 416)
		return -1;
	if (nparts != NULL)
	{
		*nparts = 0;
		if ((v = s3_response_header(&resp, "x-amz-mp-parts-count")) != NULL)
		{
			long		n = strtol(v, &end, 10);

			if (end != v && *end == '\0' && n > 0 && n <= MAX_PARTS)
				*nparts = (int) n;
		}
	}
	if ((v = s3_response_header(&resp, "content-length")) == NULL)
		return -1;
	errno = 0;
	size = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || size < 0)
		return -1;
	return size;
}

/*
 * The composite checksum of body, cut into parts of the sizes given: the
 * checksum of their checksums, in base64; NULL when the sizes do not add
 * up to the body's.
 */
static char *
composite(const char *algorithm, const char *body, size_t len, const int64 *sizes, int nparts)
{
	unsigned char *all = palloc((size_t) nparts * S3_CHECKSUM_MAX);
	size_t		off = 0;
	size_t		n = 0;
	char	   *result;

	for (int i = 0; i < nparts; i++)
	{
		if (sizes[i] < 0 || (uint64) sizes[i] > len - off)
		{
			pfree(all);
			return NULL;
		}
		n += s3_checksum_raw(algorithm, body + off, (size_t) sizes[i], all + n);
		off += (size_t) sizes[i];
	}
	if (off != len)
	{
		pfree(all);
		return NULL;
	}
	result = s3_checksum_base64(algorithm, (const char *) all, n);
	pfree(all);
	return result;
}

/*
 * A composite checksum: part 1's size first (every part but the last of
 * that size), then, if that does not give it, every part's.
 */
static void
verify_composite(const S3SignedRequest *call, const S3HttpResponse *resp, Stored *st)
{
	S3SignedRequest hc;
	int			counted = 0;
	int64		first = finish_part_head(start_part_head(call, &hc, 1), &counted);
	int			nparts = st->nparts > 0 ? st->nparts : counted;
	int64	   *sizes;
	char	   *mine = NULL;

	if (first < 0 || nparts <= 0 || nparts > MAX_PARTS)
		return;					/* the store cannot tell: left unchecked */
	sizes = palloc(sizeof(int64) * nparts);
	for (int i = 0; i < nparts; i++)
		sizes[i] = first;
	if (first > 0 && (int64) resp->body_len > first * (nparts - 1) &&
		(int64) resp->body_len <= first * nparts)
	{
		sizes[nparts - 1] = (int64) resp->body_len - first * (nparts - 1);
		mine = composite(st->algorithm, resp->body, resp->body_len, sizes, nparts);
		if (mine != NULL && strcmp(mine, st->value) == 0)
			return;
	}

	/* the parts are of other sizes, or the body is not what was stored */
	if (nparts > 1)
	{
		int			window = Max(1, call->server->max_concurrency);
		S3SignedRequest *calls = palloc0(sizeof(S3SignedRequest) * nparts);
		S3Pending **pending = palloc0(sizeof(S3Pending *) * nparts);
		int			next = 1;

		for (int done = 1; done < nparts; done++)
		{
			while (next < nparts && next - done < window)
			{
				pending[next] = start_part_head(call, &calls[next], next + 1);
				next++;
			}
			sizes[done] = finish_part_head(pending[done], NULL);
			if (sizes[done] < 0)
				return;			/* the store cannot tell */
		}
		mine = composite(st->algorithm, resp->body, resp->body_len, sizes, nparts);
	}
	if (mine == NULL)
	{
		int64		total = 0;

		for (int i = 0; i < nparts; i++)
			total += sizes[i];
		s3_http_distrust_connection();
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg_internal("%s", call->what),
				 errdetail("The body does not match its checksum: S3 gave %s \"%s\" for %d parts of " INT64_FORMAT " bytes in all, and %zu bytes were received.",
						   st->header, s3_escape_bytes(resp->checksum, strlen(resp->checksum)),
						   nparts, total, resp->body_len)));
	}
	if (strcmp(mine, st->value) != 0)
		report_mismatch(call, resp, st, psprintf("%s-%d", mine, nparts),
						psprintf("the %s of the %ss of its %d parts", st->algorithm,
								 st->algorithm, nparts));
}

/*
 * The body of a whole object (a GET sent with checksum_mode) against the
 * checksum its answer carries, if any: a mismatch is an error.
 */
void
s3_verify_checksum(const S3SignedRequest *call, const S3HttpResponse *resp)
{
	Stored		st;
	char	   *dash;
	char	   *mine;

	if (resp->checksum == NULL || resp->checksum_algorithm == NULL ||
		resp->status < 200 || resp->status > 299 || resp->content_range != NULL)
		return;
	/* CRC64NVME, or an algorithm S3 may add: not computed here */
	st.algorithm = s3_checksum_name(resp->checksum_algorithm);
	if (st.algorithm == NULL)
		return;
	st.header = s3_checksum_header(st.algorithm);
	st.value = pstrdup(resp->checksum);
	st.nparts = 0;
	dash = strrchr(st.value, '-');
	if (dash != NULL)
	{
		char	   *end;
		long		n = strtol(dash + 1, &end, 10);

		if (end == dash + 1 || *end != '\0' || n < 1 || n > MAX_PARTS)
			s3_report_invalid_response(call->what,
									   psprintf("%s is \"%s\", not a checksum", st.header,
												s3_escape_bytes(resp->checksum,
																strlen(resp->checksum))));
		*dash = '\0';
		st.nparts = (int) n;
	}
	if (st.nparts > 0 ||
		(resp->checksum_type != NULL && pg_strcasecmp(resp->checksum_type, "COMPOSITE") == 0))
	{
		verify_composite(call, resp, &st);
		return;
	}
	mine = s3_checksum_base64(st.algorithm, resp->body, resp->body_len);
	if (strcmp(mine, st.value) != 0)
		report_mismatch(call, resp, &st, mine, psprintf("the %s", st.algorithm));
}
