/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/dfilter.h - -Y: display filters in the language of
 * Wireshark 4.0 over the fields zcdump knows.
 */
#ifndef ZCDUMP_DFILTER_H
#define ZCDUMP_DFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "fields.h"

typedef struct zd_dfilter zd_dfilter;

/*
 * Compiles text; NULL on error, with a message (and the column, from 1, of
 * the fault) in err (errlen bytes). Marks in fs what the filter's fields
 * need over the run (call before zd_fields_start()).
 */
zd_dfilter *zd_dfilter_compile(const char *text, zd_fields *fs, char *err, size_t errlen);

/* Whether the packet at hand (after zd_fields_begin()) passes. */
bool zd_dfilter_match(zd_dfilter *df, zd_fields *fs);

void zd_dfilter_free(zd_dfilter *df);

#endif /* ZCDUMP_DFILTER_H */
