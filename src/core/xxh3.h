/*
 * core/xxh3.h
 *		XXH3-64 (seed 0, the default secret) of a byte string: the same
 *		64 bits on every machine, byte order and major.
 */
#ifndef SMARKPI_CORE_XXH3_H
#define SMARKPI_CORE_XXH3_H

#include "compat.h"

extern uint64 smarkpi_xxh3_64(const unsigned char *p, size_t len);

#endif
