/*-------------------------------------------------------------------------
 *
 * transfer.h
 *		What http.c and its libcurl callbacks (http_callbacks.c) share: the
 *		state of one transfer, as the callbacks record it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_TRANSFER_H
#define S3FDW_TRANSFER_H

#include <curl/curl.h>

#include "s3_http.h"

#define MAX_ERROR_BODY (64 * 1024)	/* what an error report needs */
#define MAX_KEPT_HEADERS (64 * 1024)	/* S3's metadata is at most 2 kB */
/* the largest body a bytea or text value can hold */
#define MAX_VALUE_BODY ((size_t) (MaxAllocSize - VARHDRSZ - 1))

/* What the callbacks saw; read by the main loop after curl returns */
typedef struct TransferState
{
	/* body */
	char	   *buf;			/* NULL until the first byte */
	size_t		len;
	size_t		cap;
	size_t		offset;			/* bytes reserved before the body */
	bool		buf_is_malloc;	/* else palloc'd by the main loop */
	size_t		populated;		/* a large palloc'd body's bytes faulted in
								 * ahead of the writes (0: not done) */
	bool		need_buffer;	/* write callback paused for a buffer */
	bool		paused;
	CURL	   *easy;			/* the transfer's own handle */
	bool		check_excess;	/* plain http: look for bytes past the body */
	/* headers */
	long		status;			/* of the response being received */
	bool		limit_body;		/* the body must fit in one allocation */
	long long	content_length; /* -1 when unknown */
	char		etag[256];
	char		request_id[128];
	char		content_type[128];
	char		bucket_region[64];
	char		sse[64];		/* x-amz-server-side-encryption[-customer-algorithm] */
	char		content_range[128];
	char		checksum_name[16];	/* of x-amz-checksum-NAME, as sent */
	char		checksum[128];	/* its value */
	char		checksum_type[32];	/* x-amz-checksum-type */
	size_t		max_body;		/* bytes a successful body may have */
	bool		restricted;		/* no link-local addresses */
	/* failures noticed inside callbacks */
	bool		too_large;
	bool		longer_than_declared;
	bool		out_of_memory;
	bool		two_lengths;	/* different Content-Length headers */
	bool		two_ranges;		/* two Content-Range headers */
	bool		headers_overflow;	/* kept headers past MAX_KEPT_HEADERS */
	bool		error_body_capped;	/* error document cut at MAX_ERROR_BODY */
	bool		link_local;		/* refused to connect to such an address */
	bool		no_descriptor;	/* PostgreSQL had no file descriptor to spare */
	char		refused_address[64];
	/* every header line of the answer, when the request keeps them */
	bool		keep_headers;
	char	   *headers;		/* malloc'd, or NULL */
	size_t		headers_len;
	size_t		headers_cap;
	/* a successful body handed to a sink instead */
	s3_body_sink sink;
	void	   *sink_arg;
	size_t		sunk;
	bool		sink_failed;
	/* request body */
	const char *upload;
	size_t		upload_len;
	size_t		upload_pos;
} TransferState;

extern size_t s3_http_header_cb(char *ptr, size_t size, size_t nmemb, void *userdata);
extern size_t s3_http_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata);
extern size_t s3_http_read_cb(char *buffer, size_t size, size_t nitems, void *userdata);
extern int	s3_http_seek_cb(void *userdata, curl_off_t offset, int origin);
extern int	s3_http_debug_cb(CURL *handle, curl_infotype type, char *data, size_t size,
							 void *userdata);
extern curl_socket_t s3_http_opensocket_cb(void *clientp, curlsocktype purpose,
										   struct curl_sockaddr *address);
extern int	s3_http_closesocket_cb(void *clientp, curl_socket_t item);
extern void s3_http_provide_buffer(TransferState *st, long status, size_t offset,
								   MemoryContext cxt);

/* http_checks.c */
extern bool s3_http_is_https(const S3HttpRequest *req);
extern void s3_http_check_request(const S3HttpRequest *req, const char *what);
extern bool s3_http_exchange_clean(const S3HttpRequest *req, const TransferState *st,
								   CURLcode result);
extern CURLcode s3_http_check_answer(const S3HttpRequest *req, const TransferState *st,
									 CURLcode result, const char *what);

#endif							/* S3FDW_TRANSFER_H */
