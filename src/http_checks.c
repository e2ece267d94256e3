/*-------------------------------------------------------------------------
 *
 * http_checks.c
 *		What the HTTP layer (http.c) checks around a transfer: before it,
 *		the request's header lines and, through a proxy, the link-local
 *		rule on the endpoint's own addresses; after it, an answer that went
 *		wrong (malformed, too large, cut off) as an error with its
 *		connections dropped, transport failures as errors, and which of
 *		them are worth another try.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include "utils/memutils.h"

#include "s3_names.h"
#include "sigv4.h"
#include "transfer.h"

bool
s3_http_is_https(const S3HttpRequest *req)
{
	return pg_strncasecmp(req->url, "https:", 6) == 0;
}

/* Is a proxy configured in the environment (as libcurl reads it)? */
static bool
proxy_configured(void)
{
	static const char *const names[] = {"http_proxy", "HTTPS_PROXY", "https_proxy",
	"ALL_PROXY", "all_proxy"};
	int			i;

	for (i = 0; i < lengthof(names); i++)
	{
		const char *v = getenv(names[i]);

		if (v != NULL && v[0] != '\0')
			return true;
	}
	return false;
}

/*
 * Through a proxy, the address connected to is the proxy's: for a
 * restricted server, check the addresses the endpoint's host name resolves
 * to here instead.  A name that does not resolve here is left to the
 * proxy (nothing here can tell where it leads).
 */
static void
check_proxied_address(const char *url, const char *what)
{
	CURLU	   *u;
	char	   *host = NULL;
	struct addrinfo hints;
	struct addrinfo *res = NULL;
	struct addrinfo *ai;
	char		refused[64] = "";
	char	   *bare;

	if (!proxy_configured())
		return;
	u = curl_url();
	if (u == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
		curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
	{
		curl_url_cleanup(u);
		return;
	}
	/* an IPv6 literal comes in brackets */
	bare = pstrdup(host);
	if (bare[0] == '[' && bare[strlen(bare) - 1] == ']')
	{
		bare[strlen(bare) - 1] = '\0';
		bare++;
	}
	curl_free(host);
	curl_url_cleanup(u);

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(bare, NULL, &hints, &res) != 0)
		return;
	for (ai = res; ai != NULL; ai = ai->ai_next)
	{
		if (s3_address_is_link_local(ai->ai_addr))
		{
			const void *a = ai->ai_family == AF_INET6
				? (const void *) &((struct sockaddr_in6 *) ai->ai_addr)->sin6_addr
				: (const void *) &((struct sockaddr_in *) ai->ai_addr)->sin_addr;

			if (inet_ntop(ai->ai_family, a, refused, sizeof(refused)) == NULL)
				strcpy(refused, "?");
			break;
		}
	}
	freeaddrinfo(res);
	if (refused[0] != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg_internal("%s", what),
				 errdetail("The endpoint's address %s is link-local; link-local addresses (169.254.0.0/16, fe80::/10, fd00:ec2::/32) are where cloud machines serve their own credentials.",
						   refused),
				 errhint("Only a server owned by a superuser may reach them.")));
}

/*
 * Was the exchange clean?  After anything else (a transport error, an
 * answer cut off, malformed or too large) no later request may use its
 * connection.
 */
bool
s3_http_exchange_clean(const S3HttpRequest *req, const TransferState *st, CURLcode result)
{
	return result == CURLE_OK && !st->too_large && !st->out_of_memory && !st->two_lengths &&
		!st->two_ranges && !st->headers_overflow &&
		!st->longer_than_declared && !st->error_body_capped && !st->sink_failed &&
		!(st->sink != NULL && st->content_length >= 0 && st->sunk != (size_t) st->content_length &&
		  st->status >= 200 && st->status <= 299) &&
		!(st->buf != NULL && st->content_length >= 0 && strcmp(req->method, "HEAD") != 0 &&
		  st->len - st->offset != (size_t) st->content_length);
}

/*
 * After the transfer: an answer that went wrong (cut off on purpose,
 * malformed, too large) is an error.  Returns the transfer's result, with
 * an error document cut short on purpose counted as an answer.
 */
CURLcode
s3_http_check_answer(const S3HttpRequest *req, const TransferState *st, CURLcode result, const char *what)
{
	/* an error document cut short on purpose is still an answer */
	if (st->error_body_capped && result == CURLE_WRITE_ERROR)
		result = CURLE_OK;
	/* so is a body its sink stopped: the caller says why */
	if (st->sink_failed && result == CURLE_WRITE_ERROR)
		result = CURLE_OK;

	if (st->link_local)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg_internal("%s", what),
				 errdetail("The endpoint's address %s is link-local; link-local addresses (169.254.0.0/16, fe80::/10, fd00:ec2::/32) are where cloud machines serve their own credentials.",
						   st->refused_address),
				 errhint("Only a server owned by a superuser may reach them.")));
	if (st->no_descriptor)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg_internal("%s", what),
				 errdetail("No file descriptor is available for a connection."),
				 errhint("Raise max_files_per_process, or close other files and connections.")));
	if (st->two_lengths)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg_internal("%s", what),
				 errdetail("The response is malformed: it has two different Content-Length headers.")));
	if (st->two_ranges)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg_internal("%s", what),
				 errdetail("The response is malformed: it has two Content-Range headers.")));
	if (st->headers_overflow)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg_internal("%s", what),
				 errdetail("The answer's headers are longer than %d kB, the most s3_fdw keeps of them; S3 allows at most 2 kB of user metadata.",
						   MAX_KEPT_HEADERS / 1024)));
	if (st->too_large && req->max_body > 0 && req->max_body < MAX_VALUE_BODY)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg_internal("%s", what),
				 errdetail("The answer is too large: longer than %zu bytes, more than such an answer can be.",
						   req->max_body)));
	if (st->too_large)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg_internal("%s", what),
				 st->content_length >= 0
				 ? errdetail("The object is too large: %lld bytes, where a bytea or text value holds at most 1 GB.",
							 st->content_length)
				 : errdetail("The object is too large: more than 1 GB, the most a bytea or text value holds."),
				 errhint("Read large objects in parts, or fetch them with a presigned URL from s3_presign_get().")));
	if (st->out_of_memory)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail_internal("%s.", what)));
	if (st->longer_than_declared)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg_internal("%s", what),
				 errdetail("The response body is longer than its Content-Length.")));
	/* a header libcurl will not hold: lack of memory, before libcurl 8.6 */
	if (result == CURLE_OUT_OF_MEMORY
#if LIBCURL_VERSION_NUM >= 0x080600
		|| result == CURLE_TOO_LARGE
#endif
		)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg_internal("%s", what),
				 errdetail("The response is malformed: a header is longer than libcurl accepts (100 kB).")));
	return result;
}

/* What must hold before anything of a request is sent. */
void
s3_http_check_request(const S3HttpRequest *req, const char *what)
{
	ListCell   *lc;

	/* nothing with a line break goes on the wire (request smuggling) */
	foreach(lc, req->headers)
		if (!sigv4_header_value_ok((const char *) lfirst(lc)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg_internal("%s", what),
					 errdetail("A request header contains a line break or another control character.")));

	if (req->restricted && !req->no_proxy)
		check_proxied_address(req->url, what);
}

/*
 * Raise the error for a transport failure (after "tries" attempts).
 */
void
s3_http_raise_transport(const S3HttpResponse *resp, const char *what, int tries)
{
	CURLcode	result = (CURLcode) resp->transport_error;
	int			code = (result == CURLE_COULDNT_CONNECT ||
						result == CURLE_COULDNT_RESOLVE_HOST ||
						result == CURLE_COULDNT_RESOLVE_PROXY)
		? ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION
		: ERRCODE_CONNECTION_FAILURE;
	const char *detail = resp->transport_detail ? resp->transport_detail : "";
	bool		ca_problem = (result == CURLE_PEER_FAILED_VERIFICATION &&
							  strstr(detail, "issuer") != NULL) ||
		result == CURLE_SSL_CACERT_BADFILE;
	/*
	 * (libcurl 8 no longer says "SSL connection timeout": a TLS handshake
	 * that times out then gets the hint of any timeout)
	 */
	bool		tls_not_spoken = (result == CURLE_OPERATION_TIMEDOUT &&
								  strstr(detail, "SSL connection timeout") != NULL) ||
		(result == CURLE_SSL_CONNECT_ERROR && strstr(detail, "wrong version number") != NULL);

	ereport(ERROR,
			(errcode(code),
			 errmsg_internal("%s", what),
			 resp->transport_detail
			 ? (tries > 1 ? errdetail_internal("%s: %s. Gave up after %d tries.", resp->transport_message,
											   resp->transport_detail, tries)
				: errdetail_internal("%s: %s.", resp->transport_message, resp->transport_detail))
			 : (tries > 1 ? errdetail_internal("%s. Gave up after %d tries.", resp->transport_message, tries)
				: errdetail_internal("%s.", resp->transport_message)),
			 tls_not_spoken
			 ? errhint("The endpoint did not complete a TLS handshake: check that it speaks https, or use an http:// endpoint.")
			 : result == CURLE_OPERATION_TIMEDOUT
			 ? errhint("The server options connect_timeout and request_timeout set the limits, in seconds.")
			 : ca_problem && resp->ca_file_set
			 ? errhint("Check that the file named by the server option ca_file holds the certificate authority that signed the endpoint's certificate.")
			 : ca_problem
			 ? errhint("For a private certificate authority, set the server option ca_file.")
			 : 0));
}

/*
 * Is this failure worth another try?  Refused and reset connections,
 * answers cut short, and connections (or TLS handshakes) that timed out
 * are, as in the AWS SDKs' standard retry mode; a request that used up its
 * whole request_timeout is not (each try could take as long again).
 * Statuses are judged by the caller.
 */
bool
s3_http_retryable(const S3HttpResponse *resp)
{
	switch ((CURLcode) resp->transport_error)
	{
		case CURLE_OPERATION_TIMEDOUT:
			return resp->connect_timed_out;
		case CURLE_COULDNT_CONNECT:
		case CURLE_SEND_ERROR:
		case CURLE_RECV_ERROR:
		case CURLE_GOT_NOTHING:
		case CURLE_PARTIAL_FILE:
			return true;
		default:
			return false;
	}
}
