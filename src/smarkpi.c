/*
 * smarkpi.c
 *		The module's magic block: one per shared library.
 */
#include "smarkpi.h"

SMARKPI_MODULE_MAGIC;
