/*-------------------------------------------------------------------------
 *
 * crc32c.c
 *		CRC-32C (Castagnoli) of request bodies, for x-amz-checksum-crc32c.
 *
 * An upload over https sends UNSIGNED-PAYLOAD with this checksum instead of
 * hashing the body with SHA-256, so the checksum is the one pass over the
 * body that s3_fdw makes before sending it: it should cost next to nothing.
 * PostgreSQL's own CRC-32C (the same polynomial) runs one chain of CRC32
 * instructions, each waiting for the one before (three cycles for eight
 * bytes).  Here three chains run side by side over three neighbouring
 * blocks, which the CPU overlaps, and the three results are joined: the
 * CRC register after a block is linear in the register before it, so the
 * register after blocks A and B is shift(crc(A)) ^ crc_from_zero(B), where
 * shift() runs the register over as many zero bytes as B has.  shift() is
 * four lookups in tables made once from 32 basis values.
 *
 * Without SSE 4.2 (or off x86-64) a byte-at-a-time table does the work.
 * libc only, so that it is unit-tested on its own against the reference.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crc32c.h"

#define CRC32C_POLY 0x82F63B78u	/* reflected Castagnoli polynomial */

static uint32_t byte_table[256];
static bool byte_table_ready;

static void
make_byte_table(void)
{
	for (uint32_t i = 0; i < 256; i++)
	{
		uint32_t	c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		byte_table[i] = c;
	}
	byte_table_ready = true;
}

/* the register (not inverted) over len bytes */
static uint32_t
update_bytes(uint32_t reg, const unsigned char *p, size_t len)
{
	if (!byte_table_ready)
		make_byte_table();
	while (len--)
		reg = byte_table[(reg ^ *p++) & 0xff] ^ (reg >> 8);
	return reg;
}

uint32_t
crc32c_reference(uint32_t crc, const void *data, size_t len)
{
	return ~update_bytes(~crc, data, len);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>

#define BLOCK 8192				/* bytes of each of the three chains */

static uint32_t shift_table[4][256];	/* the register over BLOCK zero bytes */
static int	hw_state;			/* 0 unknown, 1 hardware, -1 none */

__attribute__((target("sse4.2")))
static uint32_t
hw_bytes(uint32_t reg, const unsigned char *p, size_t len)
{
	uint64_t	r;

	while (len > 0 && ((uintptr_t) p & 7) != 0)
	{
		reg = _mm_crc32_u8(reg, *p++);
		len--;
	}
	r = reg;
	for (; len >= 8; p += 8, len -= 8)
	{
		uint64_t	w;

		memcpy(&w, p, 8);
		r = _mm_crc32_u64(r, w);
	}
	reg = (uint32_t) r;
	while (len--)
		reg = _mm_crc32_u8(reg, *p++);
	return reg;
}

static inline uint32_t
shift_block(uint32_t reg)
{
	return shift_table[0][reg & 0xff] ^ shift_table[1][(reg >> 8) & 0xff] ^
		shift_table[2][(reg >> 16) & 0xff] ^ shift_table[3][reg >> 24];
}

static void
make_shift_table(void)
{
	static const unsigned char zeros[BLOCK];
	uint32_t	basis[32];

	/* shift() of each single bit, then of every byte value by linearity */
	for (int j = 0; j < 32; j++)
		basis[j] = hw_bytes(UINT32_C(1) << j, zeros, BLOCK);
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 256; i++)
		{
			uint32_t	v = 0;

			for (int b = 0; b < 8; b++)
				if (i & (1 << b))
					v ^= basis[8 * k + b];
			shift_table[k][i] = v;
		}
}

bool
crc32c_hardware(void)
{
	if (hw_state == 0)
	{
		__builtin_cpu_init();
		if (__builtin_cpu_supports("sse4.2"))
		{
			make_shift_table();
			hw_state = 1;
		}
		else
			hw_state = -1;
	}
	return hw_state > 0;
}

__attribute__((target("sse4.2")))
static uint32_t
hw_update(uint32_t reg, const unsigned char *p, size_t len)
{
	while (len >= 3 * BLOCK)
	{
		uint64_t	c0 = reg,
					c1 = 0,
					c2 = 0;
		const unsigned char *end = p + BLOCK;

		do
		{
			uint64_t	w0,
						w1,
						w2;

			memcpy(&w0, p, 8);
			memcpy(&w1, p + BLOCK, 8);
			memcpy(&w2, p + 2 * BLOCK, 8);
			c0 = _mm_crc32_u64(c0, w0);
			c1 = _mm_crc32_u64(c1, w1);
			c2 = _mm_crc32_u64(c2, w2);
			p += 8;
		} while (p < end);
		reg = shift_block((uint32_t) c0) ^ (uint32_t) c1;
		reg = shift_block(reg) ^ (uint32_t) c2;
		p += 2 * BLOCK;
		len -= 3 * BLOCK;
	}
	return hw_bytes(reg, p, len);
}

uint32_t
crc32c(uint32_t crc, const void *data, size_t len)
{
	if (crc32c_hardware())
		return ~hw_update(~crc, data, len);
	return crc32c_reference(crc, data, len);
}

#else							/* not x86-64 */

bool
crc32c_hardware(void)
{
	return false;
}

uint32_t
crc32c(uint32_t crc, const void *data, size_t len)
{
	return crc32c_reference(crc, data, len);
}

#endif
