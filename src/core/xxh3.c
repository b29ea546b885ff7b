/*
 * core/xxh3.c
 *		XXH3-64 as the xxHash specification (doc/xxhash_spec.md, v0.8) gives
 *		it, with seed 0 and the default 192-byte secret.  Short inputs, the
 *		usual keys, take a few multiplications: the reason for XXH3 over
 *		XXH64.  Values are read little-endian whatever the machine.
 */
#include "core/xxh3.h"

#include "port/pg_bswap.h"

#define P32_1 UINT64CONST(0x9E3779B1)
#define P32_2 UINT64CONST(0x85EBCA77)
#define P32_3 UINT64CONST(0xC2B2AE3D)
#define P64_1 UINT64CONST(0x9E3779B185EBCA87)
#define P64_2 UINT64CONST(0xC2B2AE3D27D4EB4F)
#define P64_3 UINT64CONST(0x165667B19E3779F9)
#define P64_4 UINT64CONST(0x85EBCA77C2B2AE63)
#define P64_5 UINT64CONST(0x27D4EB2F165667C5)
#define PMX_1 UINT64CONST(0x165667919E3779F9)
#define PMX_2 UINT64CONST(0x9FB21C651E98DF25)

#define SECRET_SIZE 192
#define STRIPE 64
#define STRIPES_PER_BLOCK ((SECRET_SIZE - STRIPE) / 8)
#define BLOCK (STRIPE * STRIPES_PER_BLOCK)

/* the specification's default secret */
static const unsigned char secret[SECRET_SIZE] = {
	0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
	0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
	0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
	0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
	0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
	0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
	0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
	0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
	0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
	0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
	0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
	0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
};

static inline uint64
le64(const unsigned char *p)
{
	uint64		v;

	memcpy(&v, p, sizeof(v));
#ifdef WORDS_BIGENDIAN
	v = pg_bswap64(v);
#endif
	return v;
}

static inline uint32
le32(const unsigned char *p)
{
	uint32		v;

	memcpy(&v, p, sizeof(v));
#ifdef WORDS_BIGENDIAN
	v = pg_bswap32(v);
#endif
	return v;
}

static inline uint64
rotl64(uint64 x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* the low and high halves of the 128-bit product, xored */
static inline uint64
mul128_fold64(uint64 a, uint64 b)
{
#ifdef HAVE_INT128
	uint128		product = (uint128) a * b;

	return (uint64) product ^ (uint64) (product >> 64);
#else
	uint64		lo_lo = (a & 0xFFFFFFFF) * (b & 0xFFFFFFFF);
	uint64		hi_lo = (a >> 32) * (b & 0xFFFFFFFF);
	uint64		lo_hi = (a & 0xFFFFFFFF) * (b >> 32);
	uint64		hi_hi = (a >> 32) * (b >> 32);
	uint64		cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFF) + lo_hi;
	uint64		upper = (hi_lo >> 32) + (cross >> 32) + hi_hi;
	uint64		lower = (cross << 32) | (lo_lo & 0xFFFFFFFF);

	return lower ^ upper;
#endif
}

static inline uint64
avalanche(uint64 h)
{
	h ^= h >> 37;
	h *= PMX_1;
	return h ^ (h >> 32);
}

static inline uint64
avalanche_xxh64(uint64 h)
{
	h ^= h >> 33;
	h *= P64_2;
	h ^= h >> 29;
	h *= P64_3;
	return h ^ (h >> 32);
}

static inline uint64
mix16(const unsigned char *p, int secret_at)
{
	return mul128_fold64(le64(p) ^ le64(secret + secret_at),
						 le64(p + 8) ^ le64(secret + secret_at + 8));
}

static uint64
len_0to16(const unsigned char *p, size_t len)
{
	if (len > 8)
	{
		uint64		lo = (le64(secret + 24) ^ le64(secret + 32)) ^ le64(p);
		uint64		hi = (le64(secret + 40) ^ le64(secret + 48)) ^ le64(p + len - 8);

		return avalanche(len + pg_bswap64(lo) + hi + mul128_fold64(lo, hi));
	}
	if (len >= 4)
	{
		uint64		combined = le32(p + len - 4) | ((uint64) le32(p) << 32);
		uint64		v = (le64(secret + 8) ^ le64(secret + 16)) ^ combined;

		v ^= rotl64(v, 49) ^ rotl64(v, 24);
		v *= PMX_2;
		v ^= (v >> 35) + len;
		v *= PMX_2;
		return v ^ (v >> 28);
	}
	if (len > 0)
	{
		uint32		combined = (uint32) p[len - 1] | ((uint32) len << 8) |
			((uint32) p[0] << 16) | ((uint32) p[len >> 1] << 24);

		return avalanche_xxh64((uint64) (le32(secret) ^ le32(secret + 4)) ^ combined);
	}
	return avalanche_xxh64(le64(secret + 56) ^ le64(secret + 64));
}

static uint64
len_17to128(const unsigned char *p, size_t len)
{
	uint64		acc = len * P64_1;
	int			i;

	for (i = (int) ((len - 1) >> 5); i >= 0; i--)
	{
		acc += mix16(p + 16 * i, 32 * i);
		acc += mix16(p + len - 16 * i - 16, 32 * i + 16);
	}
	return avalanche(acc);
}

static uint64
len_129to240(const unsigned char *p, size_t len)
{
	uint64		acc = len * P64_1;
	int			chunks = (int) (len >> 4);
	int			i;

	for (i = 0; i < 8; i++)
		acc += mix16(p + 16 * i, 16 * i);
	acc = avalanche(acc);
	for (i = 8; i < chunks; i++)
		acc += mix16(p + 16 * i, 16 * (i - 8) + 3);
	acc += mix16(p + len - 16, 119);
	return avalanche(acc);
}

static inline void
accumulate(uint64 *acc, const unsigned char *stripe, int secret_at)
{
	int			i;

	for (i = 0; i < 8; i++)
	{
		uint64		data = le64(stripe + 8 * i);
		uint64		keyed = data ^ le64(secret + secret_at + 8 * i);

		acc[i ^ 1] += data;
		acc[i] += (keyed & 0xFFFFFFFF) * (keyed >> 32);
	}
}

static void
scramble(uint64 *acc)
{
	int			i;

	for (i = 0; i < 8; i++)
	{
		acc[i] ^= acc[i] >> 47;
		acc[i] ^= le64(secret + SECRET_SIZE - STRIPE + 8 * i);
		acc[i] *= P32_1;
	}
}

static uint64
len_large(const unsigned char *p, size_t len)
{
	uint64		acc[8] = {P32_3, P64_1, P64_2, P64_3, P64_4, P32_2, P64_5, P32_1};
	size_t		blocks = (len - 1) / BLOCK;
	size_t		last_len = len - blocks * BLOCK;
	size_t		b,
				n;
	uint64		result = len * P64_1;
	int			i;

	for (b = 0; b < blocks; b++)
	{
		for (n = 0; n < STRIPES_PER_BLOCK; n++)
			accumulate(acc, p + b * BLOCK + n * STRIPE, 8 * n);
		scramble(acc);
	}
	for (n = 0; n < (last_len - 1) / STRIPE; n++)
		accumulate(acc, p + blocks * BLOCK + n * STRIPE, 8 * n);
	accumulate(acc, p + len - STRIPE, SECRET_SIZE - STRIPE - 7);
	for (i = 0; i < 4; i++)
		result += mul128_fold64(acc[2 * i] ^ le64(secret + 11 + 16 * i),
								acc[2 * i + 1] ^ le64(secret + 19 + 16 * i));
	return avalanche(result);
}

uint64
smarkpi_xxh3_64(const unsigned char *p, size_t len)
{
	if (len <= 16)
		return len_0to16(p, len);
	if (len <= 128)
		return len_17to128(p, len);
	if (len <= 240)
		return len_129to240(p, len);
	return len_large(p, len);
}
