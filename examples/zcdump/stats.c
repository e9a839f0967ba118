/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/stats.c - --stats: the protocol hierarchy in the shape and
 * with the names of `tshark -qz io,phs`, from each packet's frame.protocols;
 * and what libzc adds, the frames cut by the capture length and the errors
 * by kind and layer.
 */
#include "stats.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A node of the hierarchy: one protocol reached through one path of protocols. */
typedef struct zd_node {
	char name[24];
	int child, next;  /* first child, next sibling: -1 at the end */
	uint64_t packets, bytes;
} zd_node;

#define ZD_STATS_MAX_NODES 4096

struct zd_stats {
	uint64_t packets, cut, cut_by_kind[ZC_L_KIND_COUNT];
	uint64_t errors[-(int)ZC_ERR_MIN + 1][ZC_L_KIND_COUNT];
	int top;
	unsigned nnodes;
	zd_node nodes[ZD_STATS_MAX_NODES];
};

zd_stats *zd_stats_new(void)
{
	zd_stats *st = calloc(1, sizeof *st);

	if (st)
		st->top = -1;
	return st;
}

void zd_stats_free(zd_stats *st)
{
	free(st);
}

/* The child of parent (-1: top level) named name (n bytes), made when first seen; -1 when full. */
static int node_get(zd_stats *st, int parent, const char *name, size_t n)
{
	int *link = parent < 0 ? &st->top : &st->nodes[parent].child;
	int i;

	if (n >= sizeof st->nodes[0].name)
		n = sizeof st->nodes[0].name - 1;
	for (i = *link; i >= 0; i = st->nodes[i].next) {
		if (strncmp(st->nodes[i].name, name, n) == 0 && st->nodes[i].name[n] == '\0')
			return i;
		link = &st->nodes[i].next;
	}
	if (st->nnodes == ZD_STATS_MAX_NODES)
		return -1;
	i = (int)st->nnodes++;
	memcpy(st->nodes[i].name, name, n);
	st->nodes[i].name[n] = '\0';
	st->nodes[i].child = st->nodes[i].next = -1;
	*link = i;
	return i;
}

/* tshark's hierarchy leaves out the ethertype item and IPv6's extension headers. */
static bool phs_skips(const char *name, size_t n)
{
	return (n == 9 && memcmp(name, "ethertype", 9) == 0) || (n > 5 && memcmp(name, "ipv6.", 5) == 0);
}

void zd_stats_add(zd_stats *st, const zc_pkt *pkt, uint32_t wire_len, const char *protos, size_t len)
{
	int node = -1;
	size_t at = 0;

	st->packets++;
	while (at < len) {
		const char *c = memchr(protos + at, ':', len - at);
		size_t n = c ? (size_t)(c - (protos + at)) : len - at;

		if (!phs_skips(protos + at, n)) {
			node = node_get(st, node, protos + at, n);
			if (node < 0)
				break;
			st->nodes[node].packets++;
			st->nodes[node].bytes += wire_len;
		}
		/* What follows ICMP (echo data, a quoted packet) lies inside its item, not after it. */
		if ((n == 4 && memcmp(protos + at, "icmp", 4) == 0) || (n == 6 && memcmp(protos + at, "icmpv6", 6) == 0))
			break;
		at += n + 1;
	}
	if (pkt->cut) {
		st->cut++;
		st->cut_by_kind[pkt->cut_kind < ZC_L_KIND_COUNT ? pkt->cut_kind : 0]++;
	}
	if (pkt->err != ZC_OK && (int)pkt->err >= (int)ZC_ERR_MIN)
		st->errors[-(int)pkt->err][pkt->err_kind < ZC_L_KIND_COUNT ? pkt->err_kind : 0]++;
}

static void node_print(const zd_stats *st, int i, int depth, FILE *f)
{
	for (; i >= 0; i = st->nodes[i].next) {
		const zd_node *nd = &st->nodes[i];
		fprintf(f, "%*s%-*s frames:%llu bytes:%llu\n", 2 * depth, "", 40 - 2 * depth, nd->name,
			(unsigned long long)nd->packets, (unsigned long long)nd->bytes);
		node_print(st, nd->child, depth + 1, f);
	}
}

static const char rule[] = "===================================================================\n";

void zd_stats_print(const zd_stats *st, FILE *f, const char *filter)
{
	fprintf(f, "\n%sProtocol Hierarchy Statistics\nFilter: %s\n\n", rule, filter ? filter : "");
	node_print(st, st->top, 0, f);
	fputs(rule, f);
}

void zd_stats_print_errors(const zd_stats *st, FILE *f)
{
	bool none = true;
	int e;
	unsigned k;

	fprintf(f, "Cut by the capture length (parsed laxly): %llu of %llu frames\n", (unsigned long long)st->cut,
		(unsigned long long)st->packets);
	for (k = 0; k < ZC_L_KIND_COUNT; k++)
		if (st->cut_by_kind[k])
			fprintf(f, "  at %-22s %10llu\n", zc_layer_kind_name(k), (unsigned long long)st->cut_by_kind[k]);
	fprintf(f, "Errors (malformed packets, by error and layer):\n");
	for (e = -1; e >= (int)ZC_ERR_MIN; e--)
		for (k = 0; k < ZC_L_KIND_COUNT; k++)
			if (st->errors[-e][k]) {
				fprintf(f, "  %-16s at %-8s %10llu\n", zc_err_name((zc_err)e), zc_layer_kind_name(k),
					(unsigned long long)st->errors[-e][k]);
				none = false;
			}
	if (none)
		fprintf(f, "  none\n");
}
