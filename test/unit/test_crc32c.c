/*
 * test_crc32c.c
 *		Unit tests of the CRC-32C of upload bodies (crc32c.c): known values,
 *		the three-chain hardware path against the byte-at-a-time reference
 *		at every length around its block boundaries and every alignment,
 *		and pieces joined by continuing from the previous result.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "unit.h"

#define BLOCK 8192

static unsigned char *buf;
static size_t buflen;

static void
known_values(void)
{
	static unsigned char zeros[32],
				ones[32],
				incr[32];

	/* the check value of the Castagnoli CRC, and RFC 3720's (iSCSI) vectors */
	CHECK(crc32c(0, "123456789", 9) == 0xE3069283u, "check value: %08x", crc32c(0, "123456789", 9));
	CHECK(crc32c(0, "", 0) == 0, "empty");
	memset(ones, 0xff, sizeof(ones));
	for (int i = 0; i < 32; i++)
		incr[i] = (unsigned char) i;
	CHECK(crc32c(0, zeros, 32) == 0x8A9136AAu, "32 zeros: %08x", crc32c(0, zeros, 32));
	CHECK(crc32c(0, ones, 32) == 0x62A8AB43u, "32 0xff: %08x", crc32c(0, ones, 32));
	CHECK(crc32c(0, incr, 32) == 0x46DD794Eu, "0..31: %08x", crc32c(0, incr, 32));
	CHECK(crc32c_reference(0, "123456789", 9) == 0xE3069283u, "reference check value");
}

static void
against_reference(void)
{
	static const size_t around[] = {0, 1, 7, 8, 9, 63, 64, BLOCK - 1, BLOCK, BLOCK + 1,
		3 * BLOCK - 9, 3 * BLOCK - 1, 3 * BLOCK, 3 * BLOCK + 1, 3 * BLOCK + 7,
		6 * BLOCK - 1, 6 * BLOCK, 6 * BLOCK + 5, 9 * BLOCK + 4093, 100000, 1 << 20};
	int			bad = 0;

	for (size_t a = 0; a < 8; a++)
		for (size_t i = 0; i < sizeof(around) / sizeof(around[0]); i++)
		{
			size_t		len = around[i];

			if (a + len > buflen)
				continue;
			if (crc32c(0, buf + a, len) != crc32c_reference(0, buf + a, len))
			{
				bad++;
				fprintf(stderr, "length %zu at offset %zu differs\n", len, a);
			}
		}
	CHECK(bad == 0, "%d lengths differ from the reference", bad);
	/* every length up to a little over three blocks, one alignment */
	bad = 0;
	for (size_t len = 0; len <= 3 * BLOCK + 64; len++)
		if (crc32c(0, buf + 3, len) != crc32c_reference(0, buf + 3, len))
			bad++;
	CHECK(bad == 0, "%d of the lengths up to 3 blocks differ", bad);
	/* the whole buffer, and the same of all 0xff (the register's extremes) */
	CHECK(crc32c(0, buf, buflen) == crc32c_reference(0, buf, buflen), "%zu bytes", buflen);
	{
		unsigned char *ff = malloc(5 * BLOCK);

		memset(ff, 0xff, 5 * BLOCK);
		CHECK(crc32c(0, ff, 5 * BLOCK) == crc32c_reference(0, ff, 5 * BLOCK), "0xff blocks");
		free(ff);
	}
}

static void
pieces(void)
{
	uint32_t	whole = crc32c_reference(0, buf, buflen);
	uint32_t	c = 0;
	size_t		off = 0,
				step = 1;

	/* uneven pieces, continuing from the previous result */
	while (off < buflen)
	{
		size_t		n = step < buflen - off ? step : buflen - off;

		c = crc32c(c, buf + off, n);
		off += n;
		step = step * 3 + 5;
	}
	CHECK(c == whole, "in pieces: %08x, whole %08x", c, whole);
	CHECK(crc32c_reference(crc32c_reference(0, buf, 100), buf + 100, buflen - 100) == whole,
		  "reference in two pieces");
}

int
main(int argc, char **argv)
{
	uint32_t	x = 2463534242u;

	(void) argc;
	(void) argv;
	buflen = (4 << 20) + 13;
	buf = malloc(buflen);
	for (size_t i = 0; i < buflen; i++)
	{
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char) x;
	}
	printf("crc32c: %s\n", crc32c_hardware() ? "three chains of the SSE 4.2 instruction" : "byte table");
	known_values();
	against_reference();
	pieces();
	free(buf);
	return unit_report("crc32c");
}
