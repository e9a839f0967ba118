/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/stats.c - --stats: the protocol hierarchy, cut frames and errors.
 */
#include "stats.h"

#include <stdbool.h>
#include <stdlib.h>

/* A node of the hierarchy: one layer kind reached through one path of kinds. */
typedef struct zd_node {
	unsigned kind;
	int parent;       /* index, -1 for a top-level node */
	int child, next;  /* first child, next sibling: -1 at the end */
	uint64_t packets, bytes;
} zd_node;

#define ZD_STATS_MAX_NODES 4096

struct zd_stats {
	uint64_t packets, bytes, cut, cut_by_kind[ZC_L_KIND_COUNT];
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

/* The child of parent (-1: top level) for kind, made when first seen; -1 when full. */
static int node_get(zd_stats *st, int parent, unsigned kind)
{
	int *link = parent < 0 ? &st->top : &st->nodes[parent].child;
	int i;

	for (i = *link; i >= 0; i = st->nodes[i].next) {
		if (st->nodes[i].kind == kind)
			return i;
		link = &st->nodes[i].next;
	}
	if (st->nnodes == ZD_STATS_MAX_NODES)
		return -1;
	i = (int)st->nnodes++;
	st->nodes[i].kind = kind;
	st->nodes[i].parent = parent;
	st->nodes[i].child = st->nodes[i].next = -1;
	*link = i;
	return i;
}

void zd_stats_add(zd_stats *st, const zc_pkt *pkt, uint32_t wire_len)
{
	int node = -1;
	unsigned i;

	st->packets++;
	st->bytes += wire_len;
	for (i = 0; i < pkt->n; i++) {
		node = node_get(st, node, pkt->l[i].kind);
		if (node < 0)
			break;
		st->nodes[node].packets++;
		st->nodes[node].bytes += wire_len;
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
		fprintf(f, "%*s%-*s packets %10llu  bytes %14llu\n", 2 + 2 * depth, "", 24 - 2 * depth,
			zc_layer_kind_name(nd->kind), (unsigned long long)nd->packets,
			(unsigned long long)nd->bytes);
		node_print(st, nd->child, depth + 1, f);
	}
}

void zd_stats_print(const zd_stats *st, FILE *f)
{
	bool none = true;
	int e;
	unsigned k;

	fprintf(f, "Protocol hierarchy: %llu packets, %llu bytes\n", (unsigned long long)st->packets,
		(unsigned long long)st->bytes);
	node_print(st, st->top, 0, f);
	fprintf(f, "Cut by the capture length (parsed laxly): %llu\n", (unsigned long long)st->cut);
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
