/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/json.c - the field-restricted JSON forms of tshark.
 *
 * -T json is one array, a packet an object whose "_source" holds "layers":
 * each field named as on the command line, with an array of its values,
 * indented two spaces a level; the array is closed at the end of the run.
 * A packet's record is written whole before the next packet is read, so
 * the output streams; only the comma before the next record and the array's
 * end wait.
 *
 * -T ek is two lines a packet, an index line and a document line with the
 * packet's time in milliseconds and the fields, whose names have '_' for
 * '.'. Both name the index after the packet's date in local time, and both
 * keep one occurrence of a field for -E occurrence=f or l, as tshark does.
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

int zd_json_init(zd_json *j, bool ek)
{
	memset(j, 0, sizeof *j);
	j->ek = ek;
	j->vals = malloc(ZD_RENDER_MAX);
	return j->vals ? 0 : -1;
}

void zd_json_free(zd_json *j)
{
	free(j->vals);
	j->vals = NULL;
}

/* "packets-YYYY-MM-DD" for the packet's local date; made again only when the second changes. */
static const char *index_name(zd_json *j, int64_t ns)
{
	time_t t = (time_t)(ns / 1000000000 - (ns % 1000000000 < 0));
	struct tm tm;

	if (j->have_day && t == j->day_of)
		return j->day;
	if (localtime_r(&t, &tm))
		strftime(j->day, sizeof j->day, "packets-%Y-%m-%d", &tm);
	else
		strcpy(j->day, "packets-XXXX-XX-XX");
	j->day_of = t;
	j->have_day = true;
	return j->day;
}

/* A JSON string: quotes and backslashes escaped, control characters as \u00XX. */
static void put_string(zd_out *o, const char *s, size_t n)
{
	size_t i;

	zd_putc(o, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20) {
			zd_puts(o, "\\u00");
			zd_putc(o, zd_hexdig[c >> 4]);
			zd_putc(o, zd_hexdig[c & 0xf]);
		} else {
			if (c == '"' || c == '\\')
				zd_putc(o, '\\');
			zd_putc(o, (char)c);
		}
	}
	zd_putc(o, '"');
}

/* A field's name as -T ek writes it: '_' for '.'. */
static void put_ek_name(zd_out *o, const char *name)
{
	size_t i, n = strlen(name);

	zd_putc(o, '"');
	for (i = 0; i < n; i++)
		zd_putc(o, name[i] == '.' ? '_' : name[i]);
	zd_putc(o, '"');
}

/* The values of field i in j->vals, joined by ZD_RENDER_AGG, their bytes in *len; their count. */
static unsigned field_values(zd_json *j, zd_fields *fs, unsigned i, size_t *len)
{
	unsigned n;

	*len = zd_fields_render(fs, &fs->f[i], j->vals, &n);
	return n;
}

/*
 * Writes the occurrences (len bytes at v) as array elements, pre before
 * each and sep between; only the first or the last for -E occurrence=f|l.
 */
static void put_values(zd_out *o, const zd_fields *fs, const char *v, size_t len, const char *pre,
		       const char *sep)
{
	const char *end = v + len, *p = v, *q;
	bool first = true;

	if (fs->occ == 'l')
		for (q = v; q < end; q++)
			if (*q == ZD_RENDER_AGG)
				p = q + 1;
	for (; p <= end; p = q + 1) {
		q = memchr(p, ZD_RENDER_AGG, (size_t)(end - p));
		if (!q)
			q = end;
		if (!first)
			zd_puts(o, sep);
		zd_puts(o, pre);
		put_string(o, p, (size_t)(q - p));
		first = false;
		if (fs->occ == 'f' || q == end)
			break;
	}
}

/* Room for one field: every byte escaped at worst, and each occurrence's indentation. */
static size_t field_room(const char *name, size_t len, unsigned n)
{
	return strlen(name) + 6 * len + 24 * (size_t)(n + 1) + 64;
}

static void json_packet(zd_json *j, zd_out *o, zd_fields *fs, int64_t ns)
{
	bool any = false;
	unsigned i, n;
	size_t len;

	zd_reserve(o, 256);
	zd_puts(o, j->any ? ",\n  {\n" : "[\n  {\n");
	zd_puts(o, "    \"_index\": \"");
	zd_puts(o, index_name(j, ns));
	zd_puts(o, "\",\n    \"_type\": \"doc\",\n    \"_score\": null,\n    \"_source\": {\n      \"layers\": {");
	for (i = 0; i < fs->n; i++) {
		if (!(n = field_values(j, fs, i, &len)))
			continue;
		zd_reserve(o, field_room(fs->name[i], len, n));
		zd_puts(o, any ? ",\n        " : "\n        ");
		put_string(o, fs->name[i], strlen(fs->name[i]));
		zd_puts(o, ": [\n");
		put_values(o, fs, j->vals, len, "          ", ",\n");
		zd_puts(o, "\n        ]");
		any = true;
	}
	zd_reserve(o, 64);
	zd_puts(o, any ? "\n      }\n    }\n  }" : "}\n    }\n  }");
}

static void ek_packet(zd_json *j, zd_out *o, zd_fields *fs, int64_t ns)
{
	/* Milliseconds, rounded down, as tshark writes "timestamp". */
	int64_t ms = ns / 1000000 - (ns % 1000000 < 0);
	bool any = false;
	unsigned i, n;
	size_t len;

	zd_reserve(o, 256);
	zd_puts(o, "{\"index\":{\"_index\":\"");
	zd_puts(o, index_name(j, ns));
	zd_puts(o, "\",\"_type\":\"doc\"}}\n{\"timestamp\":\"");
	if (ms < 0) {
		zd_putc(o, '-');
		ms = -ms;
	}
	zd_u64(o, (uint64_t)ms);
	zd_puts(o, "\",\"layers\":{");
	for (i = 0; i < fs->n; i++) {
		if (!(n = field_values(j, fs, i, &len)))
			continue;
		zd_reserve(o, field_room(fs->name[i], len, n));
		if (any)
			zd_putc(o, ',');
		put_ek_name(o, fs->name[i]);
		zd_puts(o, ":[");
		put_values(o, fs, j->vals, len, "", ",");
		zd_putc(o, ']');
		any = true;
	}
	zd_reserve(o, 8);
	zd_puts(o, "}}\n");
}

void zd_json_packet(zd_json *j, zd_out *o, zd_fields *fs, int64_t ns)
{
	if (j->ek)
		ek_packet(j, o, fs, ns);
	else
		json_packet(j, o, fs, ns);
	j->any = true;
}

void zd_json_end(zd_json *j, zd_out *o)
{
	if (j->ek)
		return;
	zd_reserve(o, 8);
	zd_puts(o, j->any ? "\n]\n" : "[]\n");
}
