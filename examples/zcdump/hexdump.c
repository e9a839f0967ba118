/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/hexdump.c - the packet data after the line, as tcpdump
 * prints it.
 *
 * The hex forms give 16 bytes a line: a tab, the offset as "0x" and at
 * least four hex digits, a colon, then the bytes in groups of two, each
 * group after a space (an odd last byte alone). The hex-and-ASCII form pads
 * the groups to the width of a full line and adds two spaces and the bytes
 * as text, a dot for any byte that is not a printable character other than
 * the space. The ASCII form writes the bytes as they are where they are
 * printable, spaces, tabs or newlines, a dot elsewhere (a carriage return
 * too, but none before a newline or at the end: the line ends are Unix
 * ones), and one newline at the end.
 */
#include "hexdump.h"

#define LINE_BYTES 16
/* The groups of a full line: eight times a space and four digits. */
#define HEX_COLS (LINE_BYTES / 2 * 5)
/* The most one line takes: tab, "0x", 16 offset digits, ": ", the groups, two spaces, the text, newline. */
#define LINE_MAX_OUT (1 + 2 + 16 + 2 + HEX_COLS + 2 + LINE_BYTES + 1)
/* The ASCII form reserves room this many bytes at a time. */
#define ASCII_CHUNK 4096

zd_dump zd_dump_from_counts(int x, int X, int A)
{
	zd_dump d = { ZD_DUMP_NONE, 0 };

	if (X) {
		d.style = ZD_DUMP_HEX_ASCII;
		d.link = X > 1;
	} else if (x) {
		d.style = ZD_DUMP_HEX;
		d.link = x > 1;
	} else if (A) {
		d.style = ZD_DUMP_ASCII;
		d.link = A > 1;
	}
	return d;
}

static size_t at_most(size_t n, size_t caplen)
{
	return n < caplen ? n : caplen;
}

/* 802.3 frames: a length up to this, not an ethertype, after the addresses (and tags). */
#define ETH_MAX_LENGTH 1500
/* Jumbo frames (an expired draft): an 802.2 LLC header follows, as after a length. */
#define ETH_P_JUMBO 0x8870
#define LLC_SAP_SNAP 0xaa
#define LLC_SAP_GLOBAL 0xff
#define LLC_UI 0x03
#define LLC_U_FMT 0x03
#define SNAP_LEN 5

/*
 * The 802.2 LLC header at p (held bytes there, len the length the frame
 * says it has), as tcpdump counts it into the link-level header: 3 bytes
 * for an unnumbered frame, 4 for the others, 5 more for a SNAP header; none
 * for Novell's raw 802.3 (all-ones SAPs: IPX right after the length).
 * Bytes missing for the control field leave what there is; a SNAP header
 * cut short stops tcpdump's printer altogether, and then it dumps the
 * whole frame: -1.
 */
static long llc_len(const uint8_t *p, size_t held, size_t len)
{
	size_t h = 3;

	if (held < 3 || len < 3)
		return (long)(held < len ? held : len);
	if ((p[2] & LLC_U_FMT) != LLC_U_FMT) {
		if (held < 4 || len < 4)
			return (long)(held < len ? held : len);
		h = 4;
	}
	if (p[0] == LLC_SAP_GLOBAL && p[1] == LLC_SAP_GLOBAL)
		return 0;
	if (h == 3 && p[0] == LLC_SAP_SNAP && p[1] == LLC_SAP_SNAP && p[2] == LLC_UI)
		return held < h + SNAP_LEN ? -1 : (long)(h + SNAP_LEN);
	return (long)h;
}

/* Ethernet: the addresses, the VLAN tags, and an LLC header where the type is a length. */
static size_t eth_hdr_len(zc_eth e, size_t caplen)
{
	zc_buf pl = zc_eth_payload(e);
	size_t h = zc_eth_hdr_len(e), held = pl.len < caplen - h ? pl.len : caplen - h;
	uint16_t t = zc_eth_type(e);
	long llc;

	if (t > ETH_MAX_LENGTH && t != ETH_P_JUMBO)
		return h;
	llc = llc_len(pl.p, held, t == ETH_P_JUMBO ? held : t);
	return llc < 0 ? 0 : h + (size_t)llc;
}

size_t zd_link_hdr_len(const zc_pkt *pkt, int dlt, size_t caplen)
{
	switch (dlt) {
	case ZC_DLT_EN10MB:
		/* The VLAN tags belong to the link-level header, as tcpdump counts it. */
		if (pkt->n && pkt->l[0].kind == ZC_L_ETH && zc_eth_hdr_len(pkt->l[0].v.eth) <= caplen)
			return eth_hdr_len(pkt->l[0].v.eth, caplen);
		return at_most(ZC_ETH_HDR_LEN, caplen);
	case ZC_DLT_LINUX_SLL:
		return at_most(16, caplen);
	case ZC_DLT_LINUX_SLL2:
		return at_most(20, caplen);
	case ZC_DLT_NULL:
	case ZC_DLT_LOOP:
		return at_most(4, caplen);
	default:
		/* Raw IP has none; libzc does not know where other link types' headers end. */
		return 0;
	}
}

/* The offset of a line: at least four hex digits, more when it needs them. */
static char *put_offset(char *w, size_t off)
{
	int digits = 4;

	while (digits < 16 && (off >> (4 * digits)) != 0)
		digits++;
	*w++ = '\t';
	w = zd_w_hex(w, off, digits);
	*w++ = ':';
	*w++ = ' ';
	return w;
}

static char text_char(uint8_t c)
{
	return c > 0x20 && c < 0x7f ? (char)c : '.';
}

/* One line of the hex forms: n bytes (1 to 16) at offset off. */
static void hex_line(zd_out *o, const uint8_t *p, size_t n, size_t off, int with_text)
{
	char *w, *groups;
	size_t i;

	zd_reserve(o, LINE_MAX_OUT);
	w = put_offset(o->buf + o->len, off);
	groups = w;
	for (i = 0; i < n; i++) {
		if (i % 2 == 0)
			*w++ = ' ';
		*w++ = zd_hexdig[p[i] >> 4];
		*w++ = zd_hexdig[p[i] & 0xf];
	}
	if (with_text) {
		while (w - groups < HEX_COLS + 2)
			*w++ = ' ';
		for (i = 0; i < n; i++)
			*w++ = text_char(p[i]);
	}
	*w++ = '\n';
	o->len = (size_t)(w - o->buf);
}

static void ascii_dump(zd_out *o, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t c = p[i];

		if (i % ASCII_CHUNK == 0)
			zd_reserve(o, ASCII_CHUNK + 1);
		if (c == '\r' && (i + 1 == len || p[i + 1] == '\n'))
			continue;
		zd_putc(o, (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' ? (char)c : '.');
	}
	zd_reserve(o, 1);
	zd_putc(o, '\n');
}

void zd_dump_print(zd_out *o, zd_dump_style style, const uint8_t *data, size_t len)
{
	size_t off;

	if (style == ZD_DUMP_ASCII) {
		ascii_dump(o, data, len);
		return;
	}
	if (style != ZD_DUMP_HEX && style != ZD_DUMP_HEX_ASCII)
		return;
	for (off = 0; off < len; off += LINE_BYTES)
		hex_line(o, data + off, len - off < LINE_BYTES ? len - off : LINE_BYTES, off,
			 style == ZD_DUMP_HEX_ASCII);
}

void zd_dump_default(zd_out *o, const uint8_t *data, size_t len)
{
	if (!len)
		return;
	zd_putc(o, '\n');
	zd_dump_print(o, ZD_DUMP_HEX_ASCII, data, len);
	o->len--; /* the line's own newline ends the last row */
}
