/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/json.h - the -T json and -T ek outputs restricted to the
 * -e fields, as tshark writes them: for each packet its index name (the
 * packet's local date), and each field present with the list of its
 * occurrences as strings, in the order of the -e options.
 */
#ifndef ZCDUMP_JSON_H
#define ZCDUMP_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "fields.h"
#include "out.h"

typedef struct zd_json {
	bool ek;             /* -T ek: two lines a packet (Elasticsearch's bulk form) */
	bool any;            /* a packet was written */
	char *vals;          /* one field's values (ZD_RENDER_MAX bytes) */
	time_t day_of;       /* the second day[] was made for */
	bool have_day;
	char day[24];        /* "packets-YYYY-MM-DD" */
} zd_json;

/* -1 when memory is short. */
int zd_json_init(zd_json *j, bool ek);
void zd_json_free(zd_json *j);

/* One packet's record, the fields' values taken from fs; ns is its time since 1970. */
void zd_json_packet(zd_json *j, zd_out *o, zd_fields *fs, int64_t ns);

/* The end of the output (-T json closes its array; -T ek has nothing to add). */
void zd_json_end(zd_json *j, zd_out *o);

#endif /* ZCDUMP_JSON_H */
