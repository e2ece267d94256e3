/*
 * fuzz_records.c
 *		libFuzzer target: the record lengths of a COPY FROM stream
 *		(copy_records.c).  The first byte picks the format, the limit and the
 *		quote and escape; the rest is the stream, counted whole (the SSE2
 *		path) and in pieces of one to seventeen bytes (the byte path): both
 *		must find the same place past the limit and the same record count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "copy_records.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
run(CopyRecords *cr, const char *s, size_t n, size_t step, int64_t *at)
{
	size_t		off = 0;

	*at = -1;
	while (off < n)
	{
		size_t		k = step == 0 || step > n - off ? n - off : step;
		int64_t		r = copy_records_scan(cr, s + off, k);

		if (r >= 0)
		{
			if (r > (int64_t) k)
				abort();
			*at = (int64_t) off + r;
			return;
		}
		off += k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CopyRecords whole,
				pieces;
	int64_t		at_whole,
				at_pieces;
	CopyRecordFormat f;
	unsigned char quote,
				escape;
	int64_t		limit;

	if (size < 1)
		return 0;
	f = (CopyRecordFormat) (data[0] % 3);
	quote = (data[0] & 8) ? '\'' : '"';
	escape = (data[0] & 16) ? '\\' : quote;
	limit = 1 + (data[0] >> 5) * 9;
	copy_records_init(&whole, f, quote, escape, limit);
	copy_records_init(&pieces, f, quote, escape, limit);
	run(&whole, (const char *) data + 1, size - 1, 0, &at_whole);
	run(&pieces, (const char *) data + 1, size - 1, 1 + size % 17, &at_pieces);
	if (at_whole != at_pieces)
		abort();
	if (at_whole < 0 && whole.records != pieces.records)
		abort();
	return 0;
}
