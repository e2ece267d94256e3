/*-------------------------------------------------------------------------
 *
 * http_callbacks.c
 *		What libcurl calls during a transfer (http.c): the response's
 *		headers and body, the request's body, the sockets it opens and
 *		closes.  They never ereport() or palloc(): they record what they saw
 *		in the TransferState and return, and http.c raises errors after
 *		libcurl has returned.  Also the body's buffer, given by the main
 *		loop while the transfer is paused.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/mman.h>

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "storage/fd.h"
#include "utils/memutils.h"

#include "s3_names.h"
#include "transfer.h"

#define HUGE_BODY ((size_t) 8 * 1024 * 1024)
#define HUGE_PAGE ((uintptr_t) 2 * 1024 * 1024)

/*
 * The sockets libcurl opened through s3_http_opensocket_cb() and has not
 * closed yet: every connection of the backend's pool.  malloc'd, since
 * the callbacks that keep it may not palloc.
 */
static curl_socket_t *open_sockets = NULL;
static int	n_open_sockets = 0;
static int	max_open_sockets = 0;

static void
remember_socket(curl_socket_t sock)
{
	if (n_open_sockets == max_open_sockets)
	{
		int			n = max_open_sockets > 0 ? max_open_sockets * 2 : 32;
		curl_socket_t *a = realloc(open_sockets, n * sizeof(curl_socket_t));

		if (a == NULL)
			return;				/* that connection goes unchecked */
		open_sockets = a;
		max_open_sockets = n;
	}
	open_sockets[n_open_sockets++] = sock;
}

static void
forget_socket(curl_socket_t sock)
{
	int			i;

	for (i = 0; i < n_open_sockets; i++)
		if (open_sockets[i] == sock)
		{
			open_sockets[i] = open_sockets[--n_open_sockets];
			return;
		}
}

static int
port_of(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *) a)->sin_port);
	if (a->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *) a)->sin6_port);
	return -1;
}

/*
 * Are there bytes waiting on this transfer's connection once its body has
 * arrived whole, i.e. was the body longer than its Content-Length?  Asked
 * from the write callback as the body's last byte comes in: the connection
 * still belongs to this transfer then, and over HTTP/1.1 nothing else can
 * be on it (no other request has been sent on it).  Once the transfer is
 * done, libcurl hands the connection to the next transfer, and what waits
 * on it is that transfer's answer: a look then would blame this one for
 * it.  The connection is found among the pool's sockets by its two ports,
 * which libcurl reports for the transfer in progress.  libcurl itself
 * never reads past a Content-Length (it says "Excess found" when the bytes
 * came with the headers, s3_http_debug_cb) and never reuses a connection
 * on which input waits, so bytes arriving later harm no other answer.
 * Plain http only: over TLS, records such as session tickets may wait.
 */
static bool
excess_waiting(TransferState *st)
{
	long		local_port = -1;
	long		peer_port = -1;
	int			i;

	if (curl_easy_getinfo(st->easy, CURLINFO_LOCAL_PORT, &local_port) != CURLE_OK ||
		curl_easy_getinfo(st->easy, CURLINFO_PRIMARY_PORT, &peer_port) != CURLE_OK ||
		local_port <= 0 || peer_port <= 0)
		return false;
	for (i = 0; i < n_open_sockets; i++)
	{
		struct sockaddr_storage local;
		struct sockaddr_storage peer;
		socklen_t	llen = sizeof(local);
		socklen_t	plen = sizeof(peer);
		char		c;

		if (getsockname(open_sockets[i], (struct sockaddr *) &local, &llen) != 0 ||
			port_of(&local) != local_port ||
			getpeername(open_sockets[i], (struct sockaddr *) &peer, &plen) != 0 ||
			port_of(&peer) != peer_port)
			continue;
		return recv(open_sockets[i], &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
	}
	return false;
}

/* After n more body bytes: has the whole declared body come, and more? */
static void
check_body_end(TransferState *st, size_t received, size_t n)
{
	if (st->check_excess && st->content_length >= 0 &&
		received < (size_t) st->content_length &&
		received + n >= (size_t) st->content_length &&
		excess_waiting(st))
		st->longer_than_declared = true;
}


/* Copies a header's value, trimmed, into a fixed buffer. */
static void
copy_header_value(const char *v, size_t n, char *dst, size_t dstlen)
{
	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static bool
header_is(const char *line, size_t n, const char *name, const char **value, size_t *vlen)
{
	size_t		nl = strlen(name);

	if (n <= nl || line[nl] != ':' || pg_strncasecmp(line, name, nl) != 0)
		return false;
	*value = line + nl + 1;
	*vlen = n - nl - 1;
	return true;
}

size_t
s3_http_header_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	TransferState *st = (TransferState *) userdata;
	size_t		n = size * nmemb;
	const char *v;
	size_t		vlen;

	/* a new response (after 100-continue or a redirect) starts afresh */
	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0)
	{
		const char *sp = memchr(ptr, ' ', n);

		st->status = sp ? atol(sp + 1) : 0;
		st->content_length = -1;
		st->headers_len = 0;
		st->etag[0] = st->request_id[0] = st->content_type[0] = '\0';
		st->bucket_region[0] = st->sse[0] = st->content_range[0] = '\0';
		st->checksum_name[0] = st->checksum[0] = st->checksum_type[0] = '\0';
		return n;
	}
	/* more headers than are kept: stop, rather than hand back some of them */
	if (st->keep_headers && st->headers_len + n > MAX_KEPT_HEADERS)
	{
		st->headers_overflow = true;
		return 0;
	}
	if (st->keep_headers)
	{
		if (st->headers_len + n + 1 > st->headers_cap)
		{
			size_t		cap = MAX_KEPT_HEADERS + 1;
			char	   *nh = realloc(st->headers, cap);

			if (nh == NULL)
			{
				st->out_of_memory = true;
				return 0;
			}
			st->headers = nh;
			st->headers_cap = cap;
		}
		memcpy(st->headers + st->headers_len, ptr, n);
		st->headers_len += n;
		st->headers[st->headers_len] = '\0';
	}
	if (header_is(ptr, n, "content-length", &v, &vlen))
	{
		char		tmp[32];
		char	   *end;
		long long	cl;

		copy_header_value(v, vlen, tmp, sizeof(tmp));
		errno = 0;
		cl = strtoll(tmp, &end, 10);
		if (errno != 0 || end == tmp || *end != '\0' || cl < 0)
			cl = -1;
		/* two lengths that disagree: which bytes belong to the body? */
		if (st->content_length >= 0 && cl != st->content_length)
		{
			st->two_lengths = true;
			return 0;
		}
		st->content_length = cl;
		/* refuse a body too large for its destination before its first byte */
		if (st->limit_body && st->status >= 200 && st->status < 300 &&
			st->content_length > (long long) st->max_body)
		{
			st->too_large = true;
			return 0;
		}
	}
	else if (header_is(ptr, n, "content-range", &v, &vlen))
	{
		/* two ranges: which one do the body's bytes belong to? */
		if (st->content_range[0] != '\0')
		{
			st->two_ranges = true;
			return 0;
		}
		copy_header_value(v, vlen, st->content_range, sizeof(st->content_range));
		if (st->content_range[0] == '\0')
			strcpy(st->content_range, " ");	/* present, empty: not a range */
	}
	else if (header_is(ptr, n, "etag", &v, &vlen))
		copy_header_value(v, vlen, st->etag, sizeof(st->etag));
	else if (header_is(ptr, n, "x-amz-request-id", &v, &vlen))
		copy_header_value(v, vlen, st->request_id, sizeof(st->request_id));
	else if (header_is(ptr, n, "content-type", &v, &vlen))
		copy_header_value(v, vlen, st->content_type, sizeof(st->content_type));
	else if (header_is(ptr, n, "x-amz-bucket-region", &v, &vlen))
		copy_header_value(v, vlen, st->bucket_region, sizeof(st->bucket_region));
	else if (header_is(ptr, n, "x-amz-server-side-encryption", &v, &vlen) ||
			 header_is(ptr, n, "x-amz-server-side-encryption-customer-algorithm", &v, &vlen))
		copy_header_value(v, vlen, st->sse, sizeof(st->sse));
	else if (header_is(ptr, n, "x-amz-checksum-type", &v, &vlen))
		copy_header_value(v, vlen, st->checksum_type, sizeof(st->checksum_type));
	else if (n > 15 && pg_strncasecmp(ptr, "x-amz-checksum-", 15) == 0)
	{
		const char *colon = memchr(ptr, ':', n);
		size_t		nlen = colon ? colon - (ptr + 15) : 0;

		/*
		 * x-amz-checksum-<algorithm>: the first, unless a later one is of an
		 * algorithm that can be checked (S3's CRC64NVME cannot); not
		 * CreateMultipartUpload's x-amz-checksum-algorithm
		 */
		if (nlen > 0 && nlen < sizeof(st->checksum_name) &&
			!(nlen == 9 && pg_strncasecmp(ptr + 15, "algorithm", 9) == 0) &&
			(st->checksum_name[0] == '\0' ||
			 pg_strcasecmp(st->checksum_name, "crc64nvme") == 0))
		{
			memcpy(st->checksum_name, ptr + 15, nlen);
			st->checksum_name[nlen] = '\0';
			copy_header_value(colon + 1, n - (colon + 1 - ptr), st->checksum,
							  sizeof(st->checksum));
		}
	}
	return n;
}

/*
 * A large body's buffer is faulted in a few MB ahead of the bytes written
 * into it, one madvise() call per step (Linux 5.14's MADV_POPULATE_WRITE)
 * instead of a page fault per 4 kB page: about a quarter less time to fill
 * 256 MB here.  A plain system call, safe inside the write callback; where
 * the kernel has no such advice it fails, and the pages fault as before.
 */
#define POPULATE_STEP ((size_t) 8 * 1024 * 1024)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static void
populate_ahead(TransferState *st)
{
	uintptr_t	from = TYPEALIGN_DOWN(4096, (uintptr_t) st->buf + st->populated);
	uintptr_t	to = TYPEALIGN_DOWN(4096, (uintptr_t) st->buf + Min(st->cap, st->populated + POPULATE_STEP));

	if (to <= from || madvise((void *) from, to - from, MADV_POPULATE_WRITE) != 0)
	{
		st->populated = 0;		/* not again for this body */
		return;
	}
	st->populated = to - (uintptr_t) st->buf;
}

size_t
s3_http_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	TransferState *st = (TransferState *) userdata;
	size_t		n = size * nmemb;

	if (st->sink != NULL && st->status >= 200 && st->status <= 299)
	{
		if (st->sunk + n > st->max_body)
		{
			st->too_large = true;
			return 0;
		}
		if (st->sink(st->sink_arg, ptr, n) != 0)
		{
			st->sink_failed = true;
			return 0;
		}
		check_body_end(st, st->sunk, n);
		st->sunk += n;
		return n;
	}
	if (st->buf == NULL)
	{
		/* let the main loop allocate the buffer, then resume */
		st->need_buffer = true;
		return CURL_WRITEFUNC_PAUSE;
	}
	if (st->status < 200 || st->status > 299)
	{
		/* an error document: keep what a report needs, then hang up */
		if (st->len - st->offset + n > MAX_ERROR_BODY)
		{
			n = MAX_ERROR_BODY - (st->len - st->offset);
			memcpy(st->buf + st->len, ptr, n);
			st->len += n;
			st->error_body_capped = true;
			return 0;
		}
	}
	else if (st->len - st->offset + n > st->max_body)
	{
		/* a body without a length (chunked) that outgrows its limit */
		st->too_large = true;
		return 0;
	}
	if (st->len + n > st->cap)
	{
		size_t		ncap;
		char	   *nbuf;

		if (!st->buf_is_malloc)
		{
			/* the exact-size buffer is full: more than Content-Length */
			st->longer_than_declared = true;
			return 0;
		}
		ncap = st->cap * 2;
		while (ncap < st->len + n)
			ncap *= 2;
		/* never more than the limit allows, plus the header and a NUL */
		ncap = Min(ncap, st->offset + Max(st->max_body, MAX_ERROR_BODY) + 1);
		nbuf = realloc(st->buf, ncap);
		if (nbuf == NULL)
		{
			st->out_of_memory = true;
			return 0;
		}
		st->buf = nbuf;
		st->cap = ncap;
	}
	if (st->populated > 0 && st->len + n > st->populated)
		populate_ahead(st);
	check_body_end(st, st->len - st->offset, n);
	memcpy(st->buf + st->len, ptr, n);
	st->len += n;
	return n;
}

size_t
s3_http_read_cb(char *buffer, size_t size, size_t nitems, void *userdata)
{
	TransferState *st = (TransferState *) userdata;
	size_t		n = Min(size * nitems, st->upload_len - st->upload_pos);

	memcpy(buffer, st->upload + st->upload_pos, n);
	st->upload_pos += n;
	return n;
}

int
s3_http_seek_cb(void *userdata, curl_off_t offset, int origin)
{
	TransferState *st = (TransferState *) userdata;

	if (origin != SEEK_SET || offset < 0 || (size_t) offset > st->upload_len)
		return CURL_SEEKFUNC_CANTSEEK;
	st->upload_pos = (size_t) offset;
	return CURL_SEEKFUNC_OK;
}

/*
 * libcurl says, in its informational text, when a response carried more
 * body bytes than its Content-Length (it then closes the connection but
 * reports no error): note it.
 */
int
s3_http_debug_cb(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata)
{
	TransferState *st = (TransferState *) userdata;

	if (type == CURLINFO_TEXT && size >= 12 && memcmp(data, "Excess found", 12) == 0)
		st->longer_than_declared = true;
	return 0;
}

/*
 * Every socket is opened here, for the address libcurl is about to connect
 * to (after name resolution, so a host name that resolves to a link-local
 * address is caught too).  A restricted server may not reach link-local
 * addresses, where cloud machines serve their own credentials.
 */
curl_socket_t
s3_http_opensocket_cb(void *clientp, curlsocktype purpose, struct curl_sockaddr *address)
{
	TransferState *st = (TransferState *) clientp;

	curl_socket_t sock;

	if (st->restricted && s3_address_is_link_local(&address->addr))
	{
		const void *a = address->family == AF_INET6
			? (const void *) &((struct sockaddr_in6 *) &address->addr)->sin6_addr
			: (const void *) &((struct sockaddr_in *) &address->addr)->sin_addr;

		st->link_local = true;
		if (inet_ntop(address->family, a, st->refused_address,
					  sizeof(st->refused_address)) == NULL)
			strcpy(st->refused_address, "?");
		return CURL_SOCKET_BAD;
	}
	/* a socket is a file descriptor PostgreSQL must know about (fd.c) */
	if (!AcquireExternalFD())
	{
		st->no_descriptor = true;
		return CURL_SOCKET_BAD;
	}
	sock = socket(address->family, address->socktype, address->protocol);
	if (sock == CURL_SOCKET_BAD)
		ReleaseExternalFD();
	else
		remember_socket(sock);
	return sock;
}

/* Every socket opened above is closed here, whenever libcurl drops it. */
int
s3_http_closesocket_cb(void *clientp, curl_socket_t item)
{
	forget_socket(item);
	ReleaseExternalFD();
	return close(item);
}

#ifdef MADV_HUGEPAGE
/*
 * Huge pages save a large body most of its page faults (40 ms instead of
 * 120 ms to fill 256 MB, measured here), except on a virtual machine that
 * hands free memory back to its host in 2 MB blocks (free page reporting,
 * as Firecracker guests do): there a new huge page is such a block, which
 * the host must fault in and zero again, and filling 256 MB took 0.8 to
 * 1 s against 0.14 s in small pages.  Asked once per backend.
 */
static bool
huge_pages_help(void)
{
	static int	help = -1;

	if (help < 0)
	{
		FILE	   *f = AllocateFile("/sys/module/page_reporting/parameters/reported_kib", "r");
		unsigned long long kib = 0;

		help = 1;
		if (f != NULL)
		{
			if (fscanf(f, "%llu", &kib) == 1 && kib > 0)
				help = 0;
			FreeFile(f);
		}
	}
	return help > 0;
}
#endif

/*
 * Give the paused transfer a buffer.  A successful response with a known
 * length gets exactly that much PostgreSQL memory (a bytea body is
 * returned without any copy); anything else a growing malloc'd buffer.
 */
void
s3_http_provide_buffer(TransferState *st, long status, size_t offset, MemoryContext cxt)
{
	st->offset = offset;
	if (status >= 200 && status < 300 && st->content_length >= 0)
	{
		if ((size_t) st->content_length > st->max_body)
		{
			st->too_large = true;
			return;
		}
		st->cap = offset + (size_t) st->content_length;
		st->buf = MemoryContextAllocExtended(cxt, st->cap + 1, MCXT_ALLOC_HUGE);
		st->buf_is_malloc = false;
		/* faulted in ahead of the writes from the first one on */
		st->populated = st->cap >= HUGE_BODY ? offset + 1 : 0;
#ifdef MADV_HUGEPAGE
		/* a large body: fewer page faults while it is written */
		if (st->cap >= HUGE_BODY && huge_pages_help())
		{
			uintptr_t	start = TYPEALIGN(HUGE_PAGE, (uintptr_t) st->buf);
			uintptr_t	end = TYPEALIGN_DOWN(HUGE_PAGE, (uintptr_t) st->buf + st->cap);

			if (end > start)
				(void) madvise((void *) start, end - start, MADV_HUGEPAGE);
		}
#endif
	}
	else
	{
		st->cap = offset + 16384 + 1;
		st->buf = malloc(st->cap);
		if (st->buf == NULL)
		{
			st->out_of_memory = true;
			return;
		}
		st->buf_is_malloc = true;
	}
	st->len = offset;
}
