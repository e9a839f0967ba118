/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/tcp.c - TCP headers (RFC 9293), options (RFC 7323, RFC 2018).
 */
/* zc_tcp_parse(), defined in zc/tcp.h, is compiled here as the exported function. */
#define ZC_TCP_EXTERN
#include "internal.h"

zc_err zc_tcp_options(zc_tcp t, zc_tcp_optset *out)
{
	zc_opt_iter it = zc_tcp_opts(t);
	zc_opt o;
	int r;

	__builtin_memset(out, 0, sizeof *out);
	while ((r = zc_opt_next(&it, &o)) == 1) {
		switch (o.kind) {
		case ZC_TCP_OPT_MSS:
			if (o.len != 4)
				return ZC_E_OPTION;
			out->has_mss = 1;
			out->mss = zc_load_be16(o.data);
			break;
		case ZC_TCP_OPT_WSCALE:
			if (o.len != 3)
				return ZC_E_OPTION;
			out->has_wscale = 1;
			out->wscale = o.data[0];
			break;
		case ZC_TCP_OPT_SACK_PERM:
			if (o.len != 2)
				return ZC_E_OPTION;
			out->has_sack_perm = 1;
			break;
		case ZC_TCP_OPT_SACK: {
			unsigned i, n;

			if (o.len < 10 || (o.len - 2) % 8 != 0)
				return ZC_E_OPTION;
			n = (o.len - 2u) / 8u;
			for (i = 0; i < n && out->nsack < ZC_TCP_MAX_SACK; i++, out->nsack++) {
				out->sack[out->nsack][0] = zc_load_be32(o.data + 8 * i);
				out->sack[out->nsack][1] = zc_load_be32(o.data + 8 * i + 4);
			}
			break;
		}
		case ZC_TCP_OPT_TS:
			if (o.len != 10)
				return ZC_E_OPTION;
			out->has_ts = 1;
			out->tsval = zc_load_be32(o.data);
			out->tsecr = zc_load_be32(o.data + 4);
			break;
		default:
			break;
		}
	}
	return r < 0 ? (zc_err)r : ZC_OK;
}

uint16_t zc_tcp_csum_compute(zc_tcp t, uint32_t pseudo)
{
	/* Sum around the checksum field, which counts as zero. */
	uint32_t s = zc_csum_partial(t.p, ZC_TCP_CSUM_OFF, pseudo);
	s = zc_csum_partial(t.p + ZC_TCP_CSUM_OFF + 2, t.len - ZC_TCP_CSUM_OFF - 2, s);
	return zc_csum_finish(s);
}

bool zc_tcp_csum_ok(zc_tcp t, uint32_t pseudo)
{
	return zc_csum_finish(zc_csum_partial(t.p, t.len, pseudo)) == 0;
}

void zc_tcp_csum_fill(zc_tcp_rw h, uint32_t pseudo)
{
	zc_store_be16(zc_rw_bytes(h.v.p) + ZC_TCP_CSUM_OFF, zc_tcp_csum_compute(h.v, pseudo));
}

void zc_tcp_csum_partial_fill(zc_tcp_rw h, uint32_t pseudo)
{
	zc_store_be16(zc_rw_bytes(h.v.p) + ZC_TCP_CSUM_OFF, (uint16_t)zc_csum_fold(pseudo));
}

static void tcp_set16(zc_tcp_rw h, size_t off, uint16_t v)
{
	uint8_t *w = zc_rw_bytes(h.v.p);
	uint16_t old = zc_load_be16(w + off);

	zc_store_be16(w + off, v);
	zc_store_be16(w + ZC_TCP_CSUM_OFF, zc_csum_update16(zc_tcp_csum(h.v), old, v));
}

static void tcp_set32(zc_tcp_rw h, size_t off, uint32_t v)
{
	uint8_t *w = zc_rw_bytes(h.v.p);
	uint32_t old = zc_load_be32(w + off);

	zc_store_be32(w + off, v);
	zc_store_be16(w + ZC_TCP_CSUM_OFF, zc_csum_update32(zc_tcp_csum(h.v), old, v));
}

void zc_tcp_set_src_port(zc_tcp_rw h, uint16_t port) { tcp_set16(h, ZC_TCP_SPORT_OFF, port); }
void zc_tcp_set_dst_port(zc_tcp_rw h, uint16_t port) { tcp_set16(h, ZC_TCP_DPORT_OFF, port); }
void zc_tcp_set_seq(zc_tcp_rw h, uint32_t seq) { tcp_set32(h, ZC_TCP_SEQ_OFF, seq); }
void zc_tcp_set_ack(zc_tcp_rw h, uint32_t ack) { tcp_set32(h, ZC_TCP_ACK_OFF, ack); }
void zc_tcp_set_window(zc_tcp_rw h, uint16_t win) { tcp_set16(h, ZC_TCP_WIN_OFF, win); }

void zc_tcp_set_flags(zc_tcp_rw h, uint8_t flags)
{
	/* The flags share a word with the data offset and the NS bit. */
	tcp_set16(h, ZC_TCP_DOFF_OFF, (uint16_t)(h.v.p[ZC_TCP_DOFF_OFF] << 8 | flags));
}

void zc_tcp_pseudo_changed(uint8_t *l4, size_t len, const uint8_t *old, const uint8_t *new_, size_t n)
{
	uint8_t *f = l4 + ZC_TCP_CSUM_OFF;

	if (len >= ZC_TCP_CSUM_OFF + 2)
		zc_store_be16(f, zc_csum_update_bytes(zc_load_be16(f), old, new_, n));
}
