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
struct zd_emit;

#include "zc.h"
#include "out.h"

#define ZD_MAX_FIELDS 256
#define ZD_MAX_OCC 32  /* occurrences tracked for -E occurrence=f|l */

/* One requested field: what fields.c needs to print it without a lookup. */
typedef struct zd_field {
	uint8_t id;    /* row of the field table */
	uint8_t kind;  /* zc_layer_kind the field reads (ZC_L_NONE: frame.len) */
	uint8_t end;   /* bytes of a header cut short the field needs */
	uint8_t cls;   /* how it is printed (fields.c) */
	uint32_t gate; /* bit k: a layer of kind k (or the stop layer) that the field reads; 0: any packet */
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
	bool have_prev, have_disp;
	int64_t first_ns, prev_ns, prev_disp_ns;
	struct zd_emit *emit;  /* the packet at hand */
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

/*
 * Makes what the run needs (the packet state; conversations when a field
 * asks for them); -1 when memory is short. Call after the last zd_fields_add().
 */
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
	int64_t ns;            /* the time, nanoseconds since the epoch */
	uint32_t cap_len, len; /* captured, on the wire */
	int linktype;          /* the capture's DLT */
} zd_frame;

/*
 * One packet: zd_fields_begin() indexes its layers and moves the
 * conversations on (for every packet read, displayed or not); then
 * zd_fields_render() gives a field's values for the display filter, and
 * zd_fields_print() the packet's line; zd_fields_done() ends the packet
 * (displayed: it was printed, for frame.time_delta_displayed).
 */
void zd_fields_begin(zd_fields *fs, const zc_pkt *pkt, const zd_frame *fr);
void zd_fields_print(zd_out *o, zd_fields *fs);
void zd_fields_done(zd_fields *fs, bool displayed);

/* Between the occurrences zd_fields_render() writes. */
#define ZD_RENDER_AGG '\001'
/* The most bytes zd_fields_render() writes for one field. */
#define ZD_RENDER_MAX (ZC_PKT_MAX_LAYERS * 10 * 50 + 16)

/* Looks a field up by name; -1 when it is unknown. */
int zd_field_lookup(const char *name, zd_field *f);
/* Marks that the run needs conversations for f (a filter's field). */
void zd_fields_need(zd_fields *fs, const zd_field *f);

/* The values of f for the packet at hand, joined by ZD_RENDER_AGG; their count in *count. */
size_t zd_fields_render(zd_fields *fs, const zd_field *f, char *buf, unsigned *count);

#endif /* ZCDUMP_FIELDS_H */
