/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/dfilter.c - display filters.
 *
 * The language of Wireshark 4.0, as far as zcdump's fields go: comparisons
 * (== != === !== < <= > >= and their words eq ne all_eq any_ne lt le gt
 * ge, contains), set membership (in {a b c..d}), field and protocol
 * presence, and, or, not (&& || !) and parentheses. Set members are
 * apart by commas, as 4.0 wants. A field's values are
 * the text -T fields prints, each compared with the literal as a number,
 * an IPv4 address or network (a.b.c.d/n), an IPv6 address or network, a
 * MAC address or a string, whichever both parse as. A field with several
 * occurrences (a tunnel's two IP headers) passes == when any occurrence
 * does, != when none is equal (4.0's "a != b" is "not a == b"), === when
 * all are, !== when one is not; an absent field passes no comparison.
 */
#include "dfilter.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fields_int.h"

/* ---------------------------------------------------------------- values */

typedef struct dval {
	const char *text;        /* a string's characters */
	size_t len;
	bool is_num, is_v4, is_v6, is_mac;
	long double num;
	uint8_t addr[16];        /* IPv4 (4 bytes), IPv6 or MAC */
	unsigned bits;           /* prefix length of a network; the whole address otherwise */
} dval;

static bool parse_num(const char *s, size_t n, long double *v)
{
	char buf[64], *end;

	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!isdigit((unsigned char)buf[buf[0] == '-' ? 1 : 0]))
		return false;
	if (n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		*v = (long double)strtoull(buf, &end, 16);
	else
		*v = strtold(buf, &end);
	return *end == '\0';
}

static bool parse_mac(const char *s, size_t n, uint8_t *a)
{
	unsigned i, k = 0;
	size_t p = 0;

	for (i = 0; i < 6; i++) {
		unsigned v = 0, d = 0;

		while (p < n && isxdigit((unsigned char)s[p]) && d < 2) {
			v = v * 16 + (unsigned)(isdigit((unsigned char)s[p]) ? s[p] - '0' : (tolower((unsigned char)s[p]) - 'a' + 10));
			p++;
			d++;
		}
		if (d == 0)
			return false;
		a[k++] = (uint8_t)v;
		if (i < 5) {
			if (p >= n || (s[p] != ':' && s[p] != '-' && s[p] != '.'))
				return false;
			p++;
		}
	}
	return p == n;
}

/* An address, with /bits when allow_net. */
static bool parse_addr(dval *v, const char *s, size_t n, bool allow_net)
{
	char buf[64];
	const char *slash;
	unsigned long bits = 0;

	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	slash = allow_net ? strchr(buf, '/') : NULL;
	if (slash) {
		char *end;
		bits = strtoul(slash + 1, &end, 10);
		if (*end || slash[1] == '\0')
			return false;
		buf[slash - buf] = '\0';
	}
	if (inet_pton(AF_INET, buf, v->addr) == 1 && (!slash || bits <= 32)) {
		v->is_v4 = true;
		v->bits = slash ? (unsigned)bits : 32;
		return true;
	}
	if (inet_pton(AF_INET6, buf, v->addr) == 1 && (!slash || bits <= 128)) {
		v->is_v6 = true;
		v->bits = slash ? (unsigned)bits : 128;
		return true;
	}
	if (!slash && parse_mac(buf, n, v->addr)) {
		v->is_mac = true;
		v->bits = 48;
		return true;
	}
	return false;
}

/* Every form text parses as; quoted: a string only. */
static void dval_parse(dval *v, const char *s, size_t n, bool quoted, bool allow_net)
{
	memset(v, 0, sizeof *v);
	v->text = s;
	v->len = n;
	if (quoted)
		return;
	if (n == 4 && strncasecmp(s, "true", 4) == 0) {
		v->is_num = true;
		v->num = 1;
	} else if (n == 5 && strncasecmp(s, "false", 5) == 0) {
		v->is_num = true;
		v->num = 0;
	} else if (parse_num(s, n, &v->num)) {
		v->is_num = true;
	}
	parse_addr(v, s, n, allow_net);
}

static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full) != 0)
		return false;
	return rest == 0 || ((a[full] ^ b[full]) & (0xff00u >> rest) & 0xff) == 0;
}

/* -1, 0 or 1 as a is below, equal to or above b; 2 when they cannot be compared; 3 unequal, unordered. */
static int dval_cmp(const dval *a, const dval *b)
{
	int c;

	if ((a->is_v4 && b->is_v4) || (a->is_v6 && b->is_v6) || (a->is_mac && b->is_mac)) {
		unsigned n = a->is_v4 ? 4 : a->is_v6 ? 16 : 6;
		if (b->bits < 8 * n)
			return prefix_eq(a->addr, b->addr, b->bits) ? 0 : 3;
		c = memcmp(a->addr, b->addr, n);
		return c < 0 ? -1 : c > 0;
	}
	if (a->is_num && b->is_num)
		return a->num < b->num ? -1 : a->num > b->num;
	c = strncmp(a->text, b->text, a->len < b->len ? a->len : b->len);
	if (c == 0)
		c = a->len < b->len ? -1 : a->len > b->len;
	return c < 0 ? -1 : c > 0;
}

/* ---------------------------------------------------------------- the tree */

enum { N_AND, N_OR, N_NOT, N_PRESENT, N_PROTO, N_CMP, N_IN };
enum { OP_EQ, OP_NE, OP_ALL_EQ, OP_ANY_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS };

#define DF_MAX_NODES 256
#define DF_MAX_ITEMS 64

typedef struct dnode {
	int type, op;
	int a, b;                  /* children (AND, OR, NOT) */
	zd_field f;                /* PRESENT, CMP, IN */
	char proto[32];            /* PROTO */
	unsigned nitems;
	dval lo[DF_MAX_ITEMS], hi[DF_MAX_ITEMS]; /* CMP: lo[0]; IN: items, ranges lo..hi */
	bool range[DF_MAX_ITEMS];
} dnode;

struct zd_dfilter {
	char *text;                /* a copy: the values point into it */
	dnode *n;
	unsigned nn;
	int root;
	char buf[ZD_RENDER_MAX];
};

/* ---------------------------------------------------------------- parsing */

typedef struct parser {
	zd_dfilter *df;
	zd_fields *fs;
	const char *s;
	size_t pos;
	char *err;
	size_t errlen;
	bool failed;
} parser;

__attribute__((format(printf, 3, 4))) static int fail(parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return -1;
	p->failed = true;
	n = snprintf(p->err, p->errlen, "column %zu: ", at + 1);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void skip_space(parser *p)
{
	while (isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
}

/* The word at the position (a field name, a value); its length, 0 when none. */
static size_t word_len(const parser *p)
{
	size_t n = 0;

	while (word_char(p->s[p->pos + n]))
		n++;
	return n;
}

/* Takes the symbol or word sym when it is next. */
static bool take(parser *p, const char *sym)
{
	size_t n = strlen(sym);

	skip_space(p);
	if (strncmp(p->s + p->pos, sym, n) != 0)
		return false;
	if (isalpha((unsigned char)sym[0]) && word_char(p->s[p->pos + n]))
		return false;
	p->pos += n;
	return true;
}

static int new_node(parser *p, int type)
{
	dnode *n;

	if (p->df->nn == DF_MAX_NODES)
		return fail(p, p->pos, "the filter is too long");
	n = &p->df->n[p->df->nn];
	memset(n, 0, sizeof *n);
	n->type = type;
	return (int)p->df->nn++;
}

static int parse_or(parser *p);

/* A value: a quoted string or a word. */
static int parse_value(parser *p, dval *v, bool allow_net)
{
	char *t = p->df->text;
	size_t start, n;

	skip_space(p);
	start = p->pos;
	if (t[p->pos] == '"') {
		size_t i = ++p->pos;
		while (t[i] && t[i] != '"')
			i++;
		if (!t[i])
			return fail(p, start, "a string without its closing quote");
		dval_parse(v, t + p->pos, i - p->pos, true, false);
		p->pos = i + 1;
		return 0;
	}
	n = word_len(p);
	if (n == 0)
		return fail(p, start, "a value was expected");
	dval_parse(v, t + start, n, false, allow_net);
	p->pos += n;
	return 0;
}

/* A set: values and ranges lo..hi, apart by commas (Wireshark 4.0 wants them). */
static int parse_set(parser *p, dnode *n)
{
	size_t at = p->pos;

	skip_space(p);
	if (!take(p, "{"))
		return fail(p, p->pos, "'{' was expected after 'in'");
	for (;;) {
		char *dots;

		skip_space(p);
		at = p->pos;
		if (n->nitems && take(p, "}"))
			break;
		if (n->nitems && !take(p, ","))
			return fail(p, at, "',' or '}' was expected in the set");
		skip_space(p);
		at = p->pos;
		if (n->nitems == DF_MAX_ITEMS)
			return fail(p, at, "too many values in the set");
		if (parse_value(p, &n->lo[n->nitems], true) != 0)
			return -1;
		/* "a..b" is one word: split it. */
		dots = strstr(p->df->text + at, "..");
		if (dots && dots < p->df->text + p->pos) {
			size_t lo_len = (size_t)(dots - (p->df->text + at));
			dval_parse(&n->lo[n->nitems], p->df->text + at, lo_len, false, false);
			dval_parse(&n->hi[n->nitems], dots + 2, (size_t)(p->df->text + p->pos - dots - 2), false, false);
			if (lo_len == 0 || n->hi[n->nitems].len == 0)
				return fail(p, at, "a range needs both ends");
			n->range[n->nitems] = true;
		}
		n->nitems++;
	}
	if (n->nitems == 0)
		return fail(p, at, "an empty set");
	return 0;
}

static const struct {
	const char *sym;
	int op;
} ops[] = {
	{ "===", OP_ALL_EQ }, { "!==", OP_ANY_NE }, { "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE },
	{ ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT }, { "eq", OP_EQ }, { "ne", OP_NE },
	{ "all_eq", OP_ALL_EQ }, { "any_ne", OP_ANY_NE }, { "any_eq", OP_EQ }, { "all_ne", OP_NE },
	{ "lt", OP_LT }, { "le", OP_LE }, { "gt", OP_GT }, { "ge", OP_GE }, { "contains", OP_CONTAINS },
};

/* The protocols a bare name may test, as frame.protocols names them. */
static bool known_proto(const char *s, size_t n)
{
	static const char *const names[] = {
		"frame", "eth", "ethertype", "vlan", "ieee8021ad", "arp", "ip", "ipv6", "ipv6.hopopts",
		"ipv6.routing", "ipv6.fraghdr", "ipv6.dstopts", "icmp", "icmpv6", "tcp", "udp", "vxlan",
		"geneve", "gre", "erspan", "sll", "null", "loop", "raw", "data",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && strncmp(names[i], s, n) == 0)
			return true;
	return false;
}

/* A test: a field or protocol, alone or compared. */
static int parse_test(parser *p)
{
	char name[128];
	size_t at, n, i;
	int id;
	dnode *nd;

	skip_space(p);
	at = p->pos;
	n = word_len(p);
	if (n == 0)
		return fail(p, at, p->s[at] ? "a field name was expected" : "the filter ends too soon");
	if (n >= sizeof name)
		return fail(p, at, "name too long");
	memcpy(name, p->s + at, n);
	name[n] = '\0';
	p->pos += n;
	if ((id = new_node(p, N_PRESENT)) < 0)
		return -1;
	nd = &p->df->n[id];
	if (zd_field_lookup(name, &nd->f) < 0) {
		if (!known_proto(name, n))
			return fail(p, at, "'%s' is neither a field nor a protocol zcdump knows", name);
		nd->type = N_PROTO;
		memcpy(nd->proto, name, n + 1);
		return id;
	}
	zd_fields_need(p->fs, &nd->f);
	if (take(p, "in")) {
		nd->type = N_IN;
		return parse_set(p, nd) == 0 ? id : -1;
	}
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (take(p, ops[i].sym)) {
			nd->type = N_CMP;
			nd->op = ops[i].op;
			nd->nitems = 1;
			return parse_value(p, &nd->lo[0], true) == 0 ? id : -1;
		}
	}
	return id;
}

static int parse_unary(parser *p)
{
	int id, c;

	skip_space(p);
	if (take(p, "!") || take(p, "not")) {
		if ((c = parse_unary(p)) < 0 || (id = new_node(p, N_NOT)) < 0)
			return -1;
		p->df->n[id].a = c;
		return id;
	}
	if (take(p, "(")) {
		size_t at = p->pos;
		if ((id = parse_or(p)) < 0)
			return -1;
		if (!take(p, ")"))
			return fail(p, p->pos, "')' was expected (for the '(' at column %zu)", at);
		return id;
	}
	return parse_test(p);
}

static int parse_binary(parser *p, int type, const char *word, const char *sym, int (*sub)(parser *))
{
	int l = sub(p), r, id;

	while (l >= 0 && (take(p, word) || take(p, sym))) {
		if ((r = sub(p)) < 0 || (id = new_node(p, type)) < 0)
			return -1;
		p->df->n[id].a = l;
		p->df->n[id].b = r;
		l = id;
	}
	return l;
}

static int parse_and(parser *p)
{
	return parse_binary(p, N_AND, "and", "&&", parse_unary);
}

static int parse_or(parser *p)
{
	return parse_binary(p, N_OR, "or", "||", parse_and);
}

zd_dfilter *zd_dfilter_compile(const char *text, zd_fields *fs, char *err, size_t errlen)
{
	zd_dfilter *df = calloc(1, sizeof *df);
	parser p;

	if (!df || !(df->text = strdup(text)) || !(df->n = calloc(DF_MAX_NODES, sizeof *df->n))) {
		snprintf(err, errlen, "out of memory");
		zd_dfilter_free(df);
		return NULL;
	}
	memset(&p, 0, sizeof p);
	p.df = df;
	p.fs = fs;
	p.s = df->text;
	p.err = err;
	p.errlen = errlen;
	df->root = parse_or(&p);
	skip_space(&p);
	if (df->root >= 0 && p.s[p.pos])
		fail(&p, p.pos, "unexpected '%.16s'", p.s + p.pos);
	if (p.failed || df->root < 0) {
		zd_dfilter_free(df);
		return NULL;
	}
	return df;
}

void zd_dfilter_free(zd_dfilter *df)
{
	if (!df)
		return;
	free(df->text);
	free(df->n);
	free(df);
}

/* ---------------------------------------------------------------- matching */

/* One occurrence against a node's literal or set. */
static bool occ_match(const dnode *n, const dval *v)
{
	unsigned i;
	int c;

	if (n->type == N_IN) {
		for (i = 0; i < n->nitems; i++) {
			if (!n->range[i] && dval_cmp(v, &n->lo[i]) == 0)
				return true;
			if (n->range[i] && (c = dval_cmp(v, &n->lo[i])) >= 0 && c <= 1 &&
			    (c = dval_cmp(v, &n->hi[i])) <= 0 && c >= -1)
				return true;
		}
		return false;
	}
	if (n->op == OP_CONTAINS) {
		size_t k;
		for (k = 0; k + n->lo[0].len <= v->len; k++)
			if (memcmp(v->text + k, n->lo[0].text, n->lo[0].len) == 0)
				return true;
		return false;
	}
	c = dval_cmp(v, &n->lo[0]);
	switch (n->op) {
	case OP_EQ:
	case OP_ALL_EQ: return c == 0;
	case OP_NE:
	case OP_ANY_NE: return c != 0;
	case OP_LT: return c == -1;
	case OP_LE: return c == -1 || c == 0;
	case OP_GT: return c == 1;
	default: return c == 1 || c == 0;
	}
}

/* A comparison or set over every occurrence of the field. */
static bool test_field(zd_dfilter *df, zd_fields *fs, const dnode *n)
{
	unsigned count, k;
	size_t len = zd_fields_render(fs, &n->f, df->buf, &count), at = 0;
	bool all = n->type == N_CMP && (n->op == OP_ALL_EQ || n->op == OP_NE);
	bool any = false, every = true;

	if (n->type == N_PRESENT || count == 0)
		return count > 0;
	for (k = 0; k < count && at <= len; k++) {
		const char *e = memchr(df->buf + at, ZD_RENDER_AGG, len - at);
		size_t vl = e ? (size_t)(e - (df->buf + at)) : len - at;
		dval v;
		bool m;

		dval_parse(&v, df->buf + at, vl, false, false);
		m = occ_match(n, &v);
		any |= m;
		every &= m;
		at += vl + 1;
	}
	return all ? every : any;
}

static bool test_proto(zd_dfilter *df, zd_fields *fs, const dnode *n)
{
	zd_field f;
	unsigned count;
	size_t len, nl = strlen(n->proto), at = 0;

	if (strcmp(n->proto, "frame") == 0)
		return true;
	zd_field_lookup("frame.protocols", &f);
	len = zd_fields_render(fs, &f, df->buf, &count);
	while (at < len) {
		const char *c = memchr(df->buf + at, ':', len - at);
		size_t wl = c ? (size_t)(c - (df->buf + at)) : len - at;
		if (wl == nl && memcmp(df->buf + at, n->proto, nl) == 0)
			return true;
		at += wl + 1;
	}
	return false;
}

static bool eval(zd_dfilter *df, zd_fields *fs, int i)
{
	const dnode *n = &df->n[i];

	switch (n->type) {
	case N_AND: return eval(df, fs, n->a) && eval(df, fs, n->b);
	case N_OR: return eval(df, fs, n->a) || eval(df, fs, n->b);
	case N_NOT: return !eval(df, fs, n->a);
	case N_PROTO: return test_proto(df, fs, n);
	default: return test_field(df, fs, n);
	}
}

bool zd_dfilter_match(zd_dfilter *df, zd_fields *fs)
{
	return eval(df, fs, df->root);
}
