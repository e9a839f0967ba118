/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/fields_opts.c - the field table, the field list and the
 * -E options of -T fields.
 */
#include <stdlib.h>
#include <string.h>

#include "fields_int.h"

#define ZD_FIELD_ROW(name, id, kind, end) { name, F_##id, kind, end },
const zd_field_row zd_table[] = { ZD_FIELD_LIST(ZD_FIELD_ROW) };
#undef ZD_FIELD_ROW
const size_t zd_ntable = sizeof zd_table / sizeof zd_table[0];


/* The widest value any field writes, in bytes (an IPv6 address). */
#define ZD_VALUE_MAX 48

void zd_fields_init(zd_fields *fs)
{
	fs->n = 0;
	fs->sep[0] = '\t';
	fs->sep[1] = '\0';
	fs->seplen = 1;
	fs->agg = ',';
	fs->occ = 'a';
	fs->quote = '\0';
	fs->header = false;
	fs->conv = NULL;
	fs->need_conv = false;
	fs->have_prev = fs->have_disp = false;
	fs->emit = NULL;
}

int zd_field_lookup(const char *name, zd_field *f)
{
	size_t i;

	for (i = 0; i < zd_ntable; i++) {
		if (strcmp(zd_table[i].name, name) == 0) {
			f->id = zd_table[i].id;
			f->kind = zd_table[i].kind;
			f->end = zd_table[i].end;
			f->cls = (uint8_t)zd_field_class(f->id);
			/*
			 * A field reads only the layers of its kind, but for the
			 * frame's (ZC_L_NONE) and ip.version, which IPv6 fills too.
			 */
			f->gate = f->kind == ZC_L_NONE ? 0 : 1u << f->kind;
			if (f->id == F_IP_VERSION)
				f->gate |= 1u << ZC_L_IPV6;
			return (int)i;
		}
	}
	return -1;
}

void zd_fields_need(zd_fields *fs, const zd_field *f)
{
	if (zd_field_needs_conv(f->id))
		fs->need_conv = true;
}

int zd_fields_add(zd_fields *fs, const char *name)
{
	zd_field f;
	int i = zd_field_lookup(name, &f);

	if (i < 0)
		return -1;
	if (fs->n == ZD_MAX_FIELDS)
		return -2;
	fs->f[fs->n] = f;
	fs->name[fs->n] = zd_table[i].name;
	fs->n++;
	zd_fields_need(fs, &f);
	return 0;
}

/* tshark's spelling of separator characters: /t tab, /s space, else the text. */
static int sep_value(const char *v, char *out, size_t cap, size_t *len)
{
	size_t n;

	if (strcmp(v, "/t") == 0)
		v = "\t";
	else if (strcmp(v, "/s") == 0)
		v = " ";
	n = strlen(v);
	if (n == 0 || n >= cap)
		return -1;
	memcpy(out, v, n + 1);
	*len = n;
	return 0;
}

int zd_fields_option(zd_fields *fs, const char *opt)
{
	const char *v = strchr(opt, '=');
	size_t klen;

	if (!v)
		return -1;
	klen = (size_t)(v - opt);
	v++;
	if (klen == 6 && strncmp(opt, "header", 6) == 0) {
		if (strcmp(v, "y") != 0 && strcmp(v, "n") != 0)
			return -1;
		fs->header = v[0] == 'y';
		return 0;
	}
	if (klen == 9 && strncmp(opt, "separator", 9) == 0)
		return sep_value(v, fs->sep, sizeof fs->sep, &fs->seplen);
	if (klen == 10 && strncmp(opt, "occurrence", 10) == 0) {
		if (strcmp(v, "a") != 0 && strcmp(v, "f") != 0 && strcmp(v, "l") != 0)
			return -1;
		fs->occ = v[0];
		return 0;
	}
	if (klen == 5 && strncmp(opt, "quote", 5) == 0) {
		if (strcmp(v, "d") != 0 && strcmp(v, "s") != 0 && strcmp(v, "n") != 0)
			return -1;
		fs->quote = v[0] == 'd' ? '"' : v[0] == 's' ? '\'' : '\0';
		return 0;
	}
	if (klen == 10 && strncmp(opt, "aggregator", 10) == 0) {
		char c[4];
		size_t n;

		if (sep_value(v, c, sizeof c, &n) != 0 || n != 1)
			return -1;
		fs->agg = c[0];
		return 0;
	}
	return -1;
}

void zd_fields_list(FILE *f)
{
	size_t i;

	for (i = 0; i < zd_ntable; i++)
		fprintf(f, "  %s\n", zd_table[i].name);
}

size_t zd_fields_line_max(const zd_fields *fs)
{
	/*
	 * Every occurrence of every field at its widest, plus separators: no
	 * field has more than ten occurrences a layer (MSS options in 40 bytes).
	 */
	return (size_t)fs->n * (ZC_PKT_MAX_LAYERS * 10 * (ZD_VALUE_MAX + 1) + fs->seplen + 2) + 2;
}

void zd_fields_header(zd_out *o, const zd_fields *fs)
{
	unsigned i;

	for (i = 0; i < fs->n; i++) {
		zd_reserve(o, strlen(fs->name[i]) + fs->seplen + 1);
		if (i)
			zd_putn(o, fs->sep, fs->seplen);
		zd_puts(o, fs->name[i]);
	}
	zd_reserve(o, 1);
	zd_putc(o, '\n');
}

int zd_fields_start(zd_fields *fs)
{
	if (!fs->emit && !(fs->emit = calloc(1, sizeof *fs->emit)))
		return -1;
	if (fs->need_conv && !fs->conv && !(fs->conv = zd_conv_new()))
		return -1;
	return 0;
}

void zd_fields_end(zd_fields *fs)
{
	zd_conv_free(fs->conv);
	fs->conv = NULL;
	free(fs->emit);
	fs->emit = NULL;
}
