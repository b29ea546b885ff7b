/*
 * smarkpi.c
 *		The module's magic block and its load-time set-up: one per library.
 */
#include "smarkpi.h"

#include "utils/guc.h"

SMARKPI_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	smarkpi_define_invalid_rows_guc();
	MarkGUCPrefixReserved("smarkpi");
}
