/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/fields.h - the -T fields output: tshark's field names,
 * value formats and separator rules, the requested fields compiled once into
 * an array that one switch per packet walks.
 */
#ifndef ZCDUMP_FIELDS_H
#define ZCDUMP_FIELDS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/time.h>

struct zd_conv;

#include "zc.h"
#include "out.h"

#define ZD_MAX_FIELDS 256
#define ZD_MAX_OCC 32  /* occurrences tracked for -E occurrence=f|l */

/* One requested field: what fields.c needs to print it without a lookup. */
typedef struct zd_field {
	uint8_t id;    /* row of the field table */
	uint8_t kind;  /* zc_layer_kind the field reads (ZC_L_NONE: frame.len) */
	uint8_t end;   /* bytes of a header cut short the field needs */
} zd_field;

typedef struct zd_fields {
	unsigned n;
	zd_field f[ZD_MAX_FIELDS];
	const char *name[ZD_MAX_FIELDS];
	char sep[16];
	size_t seplen;
	char agg;
	char occ;              /* 'a' all, 'f' first, 'l' last */
	char quote;            /* around each value: '"', '\'' or none ('\0') */
	bool header;
	/* The run's state: conversations (when a field needs them), times of frames before. */
	struct zd_conv *conv;
	bool need_conv;
	bool have_prev;
	struct timeval first_ts, prev_ts;
} zd_fields;

/* Empty list with tshark's defaults: tab separator, ',' aggregator, all occurrences. */
void zd_fields_init(zd_fields *fs);

/* Appends a field by name; -1 when the name is unknown, -2 when the list is full. */
int zd_fields_add(zd_fields *fs, const char *name);

/*
 * Applies one -E option ("header=y", "separator=,", "occurrence=f",
 * "aggregator=;", "quote=d"); -1 when it is not understood.
 */
int zd_fields_option(zd_fields *fs, const char *opt);

/* Makes what the fields asked for need over the run; -1 when memory is short. */
int zd_fields_start(zd_fields *fs);
/* Frees it. */
void zd_fields_end(zd_fields *fs);

/* Prints the supported field names, one per line, indented. */
void zd_fields_list(FILE *f);

/* The most bytes one packet's line can take. */
size_t zd_fields_line_max(const zd_fields *fs);

/* The header line (field names) when -E header=y. */
void zd_fields_header(zd_out *o, const zd_fields *fs);

/* What the capture says of one frame, beside its bytes. */
typedef struct zd_frame {
	uint64_t number;       /* 1 for the first record of the file, filtered ones counted */
	struct timeval ts;
	uint32_t cap_len, len; /* captured, on the wire */
	int linktype;          /* the capture's DLT */
} zd_frame;

/* One packet's line. */
void zd_fields_print(zd_out *o, zd_fields *fs, const zc_pkt *pkt, const zd_frame *fr);

#endif /* ZCDUMP_FIELDS_H */
