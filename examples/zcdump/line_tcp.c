/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/line_tcp.c - the TCP part of the default line, as
 * tcpdump -nn prints it: flags, numbers, window and the options in the
 * order they come, NOPs and all.
 */
#include "line.h"
#include "summary.h"
#include "tcpseq.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

bool zd_line_quiet;

/* Without -S, tcpdump's relative sequence numbers; NULL: absolute ones. */
static zd_tcpseq *seqs;

int zd_summary_relative(bool on)
{
	zd_tcpseq_free(seqs);
	seqs = NULL;
	if (on && !(seqs = zd_tcpseq_new()))
		return -1;
	return 0;
}

/*
 * The segment's numbers, relative to its conversation's (the IP layer ip)
 * unless -S; *base is what the SACK edges are shown from (0 with -S).
 */
static void tcp_numbers(zc_tcp t, const zc_layer *ip, uint32_t *seq, uint32_t *ack, uint32_t *base)
{
	uint16_t sp = zc_tcp_src_port(t), dp = zc_tcp_dst_port(t);

	*seq = zc_tcp_seq(t);
	*ack = zc_tcp_ack(t);
	*base = 0;
	if (!seqs || !ip)
		return;
	if (ip->kind == ZC_L_IPV4)
		zd_tcpseq_apply(seqs, zc_ipv4_src_bytes(ip->v.ipv4), zc_ipv4_dst_bytes(ip->v.ipv4), 4, sp, dp,
				zc_tcp_flags(t), seq, ack, base);
	else if (ip->kind == ZC_L_IPV6)
		zd_tcpseq_apply(seqs, zc_ipv6_src(ip->v.ipv6), zc_ipv6_dst(ip->v.ipv6), 16, sp, dp, zc_tcp_flags(t),
				seq, ack, base);
}

/* TCP option kinds (IANA "TCP Option Kind Numbers"). */
enum {
	OPT_EOL = 0, OPT_NOP = 1, OPT_MSS = 2, OPT_WSCALE = 3, OPT_SACKOK = 4, OPT_SACK = 5,
	OPT_ECHO = 6, OPT_ECHOREPLY = 7, OPT_TS = 8, OPT_CC = 11, OPT_CCNEW = 12, OPT_CCECHO = 13,
	OPT_MD5 = 19, OPT_SCPS = 20, OPT_UTO = 28, OPT_AO = 29, OPT_MPTCP = 30, OPT_TFO = 34,
	OPT_EXP2 = 254,
};

static const char *opt_name(uint8_t kind)
{
	switch (kind) {
	case OPT_EOL: return "eol";
	case OPT_NOP: return "nop";
	case OPT_MSS: return "mss";
	case OPT_WSCALE: return "wscale";
	case OPT_SACKOK: return "sackOK";
	case OPT_SACK: return "sack";
	case OPT_ECHO: return "echo";
	case OPT_ECHOREPLY: return "echoreply";
	case OPT_TS: return "TS";
	case OPT_CC: return "cc";
	case OPT_CCNEW: return "ccnew";
	case OPT_CCECHO: return "";
	case OPT_MD5: return "md5";
	case OPT_SCPS: return "scps";
	case OPT_UTO: return "uto";
	case OPT_AO: return "tcp-ao";
	case OPT_MPTCP: return "mptcp";
	case OPT_TFO: return "tfo";
	case OPT_EXP2: return "exp";
	default: return NULL;
	}
}

static void put_hexbytes(zd_out *o, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		zd_putc(o, zd_hexdig[p[i] >> 4]);
		zd_putc(o, zd_hexdig[p[i] & 0xf]);
	}
}

/* A Fast Open cookie (RFC 7413 section 4.1.1): a request when empty. */
static void put_tfo(zd_out *o, const uint8_t *p, size_t n)
{
	if (n == 0)
		zd_puts(o, " cookiereq");
	else if (n % 2 || n < 4 || n > 16)
		zd_puts(o, " (invalid)");
	else {
		zd_puts(o, " cookie ");
		put_hexbytes(o, p, n);
	}
}

/* ---------------------------------------------------------------- MPTCP */

/* An unsigned 64-bit value in hex, as "0x%" PRIx64 prints it. */
static void put_hex64(zd_out *o, const uint8_t *p)
{
	zd_line_hex(o, (uint64_t)zc_load_be32(p) << 32 | zc_load_be32(p + 4));
}

static uint64_t load_be64(const uint8_t *p)
{
	return (uint64_t)zc_load_be32(p) << 32 | zc_load_be32(p + 4);
}

/* MP_CAPABLE (RFC 8684 section 3.1): the version and the keys the segment carries. */
static bool mp_capable(zd_out *o, const uint8_t *m, size_t n, uint8_t f)
{
	unsigned v;

	if (!((n == 12 || n == 4) && (f & ZC_TCP_SYN)) &&
	    !((n == 20 || n == 22) && (f & (ZC_TCP_SYN | ZC_TCP_ACK)) == ZC_TCP_ACK))
		return false;
	v = m[2] & 0xf;
	if (v > 1) {
		zd_puts(o, " Unknown Version (");
		zd_u64(o, v);
		zd_putc(o, ')');
		return true;
	}
	zd_puts(o, " v");
	zd_u64(o, v);
	if (m[3] & 0x80)
		zd_puts(o, " csum");
	if (n == 12 || n >= 20) {
		zd_puts(o, " {");
		put_hex64(o, m + 4);
		if (n >= 20) {
			zd_putc(o, ',');
			put_hex64(o, m + 12);
		}
		zd_putc(o, '}');
	}
	return true;
}

/* MP_JOIN (RFC 8684 section 3.2): SYN, SYN/ACK and ACK forms. */
static bool mp_join(zd_out *o, const uint8_t *m, size_t n, uint8_t f)
{
	if (!(n == 12 && (f & ZC_TCP_SYN)) &&
	    !(n == 16 && (f & (ZC_TCP_SYN | ZC_TCP_ACK)) == (ZC_TCP_SYN | ZC_TCP_ACK)) && !(n == 24 && (f & ZC_TCP_ACK)))
		return false;
	if (n != 24) {
		if (m[2] & 1)
			zd_puts(o, " backup");
		zd_puts(o, " id ");
		zd_u64(o, m[3]);
	}
	if (n == 12) {
		zd_puts(o, " token ");
		zd_line_hex(o, zc_load_be32(m + 4));
		zd_puts(o, " nonce ");
		zd_line_hex(o, zc_load_be32(m + 8));
	} else if (n == 16) {
		zd_puts(o, " hmac ");
		put_hex64(o, m + 4);
		zd_puts(o, " nonce ");
		zd_line_hex(o, zc_load_be32(m + 12));
	} else {
		zd_puts(o, " hmac 0x");
		put_hexbytes(o, m + 4, 20);
	}
	return true;
}

/* A 4- or 8-byte number at m[*at], as its flag says; false when the option is too short. */
static bool dss_number(zd_out *o, const uint8_t *m, size_t n, size_t *at, bool wide)
{
	size_t w = wide ? 8 : 4;

	if (n - *at < w)
		return false;
	zd_u64(o, wide ? load_be64(m + *at) : zc_load_be32(m + *at));
	*at += w;
	return true;
}

/* DSS (RFC 8684 section 3.3): data ACK, mapping and checksum, each there when its flag says. */
static bool mp_dss(zd_out *o, const uint8_t *m, size_t n, uint8_t f)
{
	size_t at = 4;
	uint8_t fl;

	if (n < 4 || (f & ZC_TCP_SYN))
		return false;
	fl = m[3];
	if (fl & 0x10)
		zd_puts(o, " fin");
	if (fl & 0x01) {
		zd_puts(o, " ack ");
		if (!dss_number(o, m, n, &at, fl & 0x02))
			return false;
	}
	if (fl & 0x04) {
		zd_puts(o, " seq ");
		if (!dss_number(o, m, n, &at, fl & 0x08) || n - at < 4)
			return false;
		zd_puts(o, " subseq ");
		zd_u64(o, zc_load_be32(m + at));
		at += 4;
		if (n - at < 2)
			return false;
		zd_puts(o, " len ");
		zd_u64(o, zc_load_be16(m + at));
		at += 2;
		if (n - at >= 2) {
			zd_puts(o, " csum ");
			zd_line_hex(o, zc_load_be16(m + at));
			at += 2;
		}
	}
	return at == n;
}

/* ADD_ADDR (RFC 8684 section 3.4.1): an IPv4 or IPv6 address, a port and an HMAC by the length. */
static bool mp_add_addr(zd_out *o, const uint8_t *m, size_t n)
{
	static const char *const sub[16] = { [0] = "v1", [1] = "v1-echo", [4] = "v0-ip4", [6] = "v0-ip6" };
	const char *s = sub[m[2] & 0xf];
	bool v4 = n == 8 || n == 10 || n == 16 || n == 18, v6 = n == 20 || n == 22 || n == 28 || n == 30;
	size_t alen = v4 ? 4 : 16;
	bool port = n == 10 || n == 18 || n == 22 || n == 30, mac = n == 16 || n == 18 || n == 28 || n == 30;

	if (!v4 && !v6)
		return false;
	zd_putc(o, ' ');
	zd_puts(o, s ? s : "[bad version/echo]");
	zd_puts(o, " id ");
	zd_u64(o, m[3]);
	zd_putc(o, ' ');
	if (v4)
		zd_ipv4(o, m + 4);
	else
		zd_ipv6(o, m + 4);
	if (port) {
		zd_putc(o, ':');
		zd_u64(o, zc_load_be16(m + 4 + alen));
	}
	if (mac) {
		zd_puts(o, " hmac ");
		put_hex64(o, m + 4 + alen + (port ? 2 : 0));
	}
	return true;
}

/*
 * An MPTCP option (RFC 8684 section 3) of n bytes at m (its kind byte
 * first): the length, the subtype's name and its fields. False when the
 * subtype's fields do not fit its length: tcpdump then calls it bad.
 */
static bool put_mptcp(zd_out *o, const uint8_t *m, size_t n, uint8_t f)
{
	static const char *const names[] = { "capable", "join", "dss", "add-addr", "rem-addr",
					     "prio", "fail", "fast-close", "unknown" };
	unsigned sub;
	size_t i;

	if (n < 3)
		return false;
	sub = m[2] >> 4;
	if (sub > 8)
		sub = 8;
	zd_putc(o, ' ');
	zd_u64(o, n);
	zd_putc(o, ' ');
	zd_puts(o, names[sub]);
	switch (sub) {
	case 0:
		return mp_capable(o, m, n, f);
	case 1:
		return mp_join(o, m, n, f);
	case 2:
		return mp_dss(o, m, n, f);
	case 3:
		return mp_add_addr(o, m, n);
	case 4:
		if (n < 4)
			return false;
		zd_puts(o, " id");
		for (i = 3; i < n; i++) {
			zd_putc(o, ' ');
			zd_u64(o, m[i]);
		}
		return true;
	case 5:
		if (n != 3 && n != 4)
			return false;
		zd_puts(o, m[2] & 1 ? " backup" : " non-backup");
		if (n == 4) {
			zd_puts(o, " id ");
			zd_u64(o, m[3]);
		}
		return true;
	case 6:
	case 7:
		if (n != 12)
			return false;
		zd_puts(o, sub == 6 ? " seq " : " key ");
		if (sub == 6)
			zd_u64(o, load_be64(m + 4));
		else
			put_hex64(o, m + 4);
		return true;
	default:
		return true;
	}
}

/* The value of an option of the rarer kinds; as put_opt_value(). */
static int put_opt_rare(zd_out *o, uint8_t kind, const uint8_t *p, size_t room, size_t len, uint8_t flags)
{
	size_t n = len - 2;

	switch (kind) {
	case OPT_CC:
	case OPT_CCNEW:
	case OPT_CCECHO:
	case OPT_ECHO:
	case OPT_ECHOREPLY:
		if (room < 4)
			return -1;
		zd_putc(o, ' ');
		zd_u64(o, zc_load_be32(p));
		return 4;
	case OPT_MD5:
		if (room < 16)
			return -1;
		/* tcpdump has no secret to check the signature with. */
		zd_puts(o, " can't check - ");
		put_hexbytes(o, p, 16);
		return 16;
	case OPT_SCPS:
		if (room < 2)
			return -1;
		zd_puts(o, " cap ");
		put_hexbytes(o, p, 1);
		zd_puts(o, " id ");
		zd_u64(o, p[1]);
		return 2;
	case OPT_UTO: {
		unsigned v;
		char b[12];
		if (room < 2)
			return -1;
		v = zc_load_be16(p);
		snprintf(b, sizeof b, " 0x%x ", v);
		zd_puts(o, b);
		/* RFC 5482 section 2: the low bit says minutes rather than seconds. */
		zd_u64(o, v & 1 ? (v >> 1) * 60u : v >> 1);
		return 2;
	}
	case OPT_AO:
		if (n < 2) {
			zd_puts(o, " (invalid)");
			return (int)n;
		}
		zd_puts(o, " keyid ");
		zd_u64(o, p[0]);
		zd_puts(o, " rnextkeyid ");
		zd_u64(o, p[1]);
		if (n > 2) {
			zd_puts(o, " mac 0x");
			put_hexbytes(o, p + 2, n - 2);
		}
		return (int)n;
	case OPT_MPTCP:
		/* p - 2: the option's kind byte, which put_options() has walked past. */
		return put_mptcp(o, p - 2, len, flags) ? (int)n : -1;
	case OPT_TFO:
		zd_putc(o, ' ');
		put_tfo(o, p, n);
		return (int)n;
	case OPT_EXP2:
		if (n < 2)
			return -1;
		zd_putc(o, '-');
		/* RFC 6994: the experiment's magic; 0xf989 is Fast Open's. */
		if (zc_load_be16(p) == 0xf989) {
			zd_puts(o, "tfo");
			put_tfo(o, p + 2, n - 2);
		} else {
			put_hexbytes(o, p, 2);
		}
		return (int)n;
	default:
		if (n)
			zd_puts(o, " 0x");
		put_hexbytes(o, p, n);
		return (int)n;
	}
}

/*
 * The value of one option whose bytes after kind and length are p[0 ..
 * room - 1] (room: what the header has left, which may pass the option's
 * own length, as tcpdump reads it) and whose length byte said len. Returns
 * the value bytes it took, or -1 when the option is bad.
 */
static int put_opt_value(zd_out *o, uint8_t kind, const uint8_t *p, size_t room, size_t len, uint32_t base,
			 uint8_t flags)
{
	size_t n = len - 2, i;

	switch (kind) {
	case OPT_EOL:
	case OPT_NOP:
	case OPT_SACKOK:
		return 0;
	case OPT_MSS:
		if (room < 2)
			return -1;
		zd_putc(o, ' ');
		zd_u64(o, zc_load_be16(p));
		return 2;
	case OPT_WSCALE:
		if (room < 1)
			return -1;
		zd_putc(o, ' ');
		zd_u64(o, p[0]);
		return 1;
	case OPT_SACK:
		if (n % 8) {
			zd_puts(o, " invalid sack");
			return (int)n;
		}
		zd_putc(o, ' ');
		zd_u64(o, n / 8);
		zd_putc(o, ' ');
		for (i = 0; i < n; i += 8) {
			zd_putc(o, '{');
			zd_u64(o, (uint32_t)(zc_load_be32(p + i) - base));
			zd_putc(o, ':');
			zd_u64(o, (uint32_t)(zc_load_be32(p + i + 4) - base));
			zd_putc(o, '}');
		}
		return (int)n;
	case OPT_TS:
		if (room < 8)
			return -1;
		zd_puts(o, " val ");
		zd_u64(o, zc_load_be32(p));
		zd_puts(o, " ecr ");
		zd_u64(o, zc_load_be32(p + 4));
		return 8;
	default:
		return put_opt_rare(o, kind, p, room, len, flags);
	}
}

/*
 * ", options [...]" over the header's option bytes h[0 .. n - 1]. Returns
 * false when an option was bad: the line then ends there, as tcpdump's does.
 */
static bool put_options(zd_out *o, const uint8_t *h, size_t n, uint32_t base, uint8_t flags)
{
	size_t at = 0;
	bool first = true;

	zd_puts(o, ", options [");
	while (at < n) {
		uint8_t kind = h[at];
		size_t len = 1, room;
		const char *nm = opt_name(kind);
		int took;

		if (!first)
			zd_putc(o, ',');
		if (kind != OPT_EOL && kind != OPT_NOP) {
			if (n - at < 2 || h[at + 1] < 2 || h[at + 1] > n - at)
				goto bad_option;
			len = h[at + 1];
		}
		if (nm) {
			zd_puts(o, nm);
		} else {
			zd_puts(o, "unknown-");
			zd_u64(o, kind);
		}
		at += len == 1 ? 1 : 2;
		room = n - at;
		took = put_opt_value(o, kind, h + at, room, len, base, flags);
		if (took < 0)
			goto bad_option;
		at += (size_t)took;
		if ((size_t)took + (len == 1 ? 1 : 2) != len) {
			zd_puts(o, "[len ");
			zd_u64(o, len);
			zd_putc(o, ']');
		}
		first = false;
		if (kind == OPT_EOL)
			break;
	}
	zd_putc(o, ']');
	return true;

bad_option:
	zd_puts(o, first ? "[bad opt]" : "[bad opt]]");
	return false;
}

/* ---------------------------------------------------------------- HTTP */

/* The request methods tcpdump knows (RFC 9110 section 9, WebDAV and others). */
static const char *const http_methods[] = {
	"GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE", "MKCOL", "TRACE",
	"LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY", "BDELETE", "CONNECT",
	"OPTIONS", "CHECKIN", "PROPFIND", "CHECKOUT", "CCM_POST", "SUBSCRIBE", "PROPPATCH", "BPROPFIND",
	"BPROPPATCH", "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT",
	"VERSION-CONTROL", "BASELINE-CONTROL",
};

#define HTTP_TOKEN_MAX 128
/* The most of a request line the line holds (ZD_SUMMARY_LINE_MAX bounds the whole). */
#define HTTP_LINE_MAX 4000

static bool is_print(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

/*
 * The token at p[*at ..] of the payload (have bytes captured, len the
 * segment's): its length, and *at moved past the blanks after it; 0 when
 * there is none (bytes not captured, not printable ASCII, too long).
 */
static size_t http_token(const uint8_t *p, size_t have, size_t len, size_t *at, size_t *start)
{
	size_t i = *at, n = 0;

	*start = i;
	for (; i < len; i++) {
		if (i >= have || p[i] >= 0x80)
			return 0;
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
			break;
		if (!is_print(p[i]) || n + 2 > HTTP_TOKEN_MAX + 1)
			return 0;
		n++;
	}
	if (!n)
		return 0;
	while (i < len && i < have && (p[i] == ' ' || p[i] == '\t'))
		i++;
	*at = i;
	return n;
}

static bool http_shown(const uint8_t *p, size_t have, size_t len)
{
	size_t at = 0, st, n = http_token(p, have, len, &at, &st), k;

	if (!n)
		return false;
	for (k = 0; k < sizeof http_methods / sizeof http_methods[0]; k++)
		if (strlen(http_methods[k]) == n && strncasecmp(http_methods[k], (const char *)p + st, n) == 0)
			return true;
	/* A response: the status code is the second token (RFC 9112 section 4). */
	n = http_token(p, have, len, &at, &st);
	return n == 3 && p[st] >= '0' && p[st] <= '9' && p[st + 1] >= '0' && p[st + 1] <= '9' && p[st + 2] >= '0' &&
	       p[st + 2] <= '9';
}

/* ": HTTP", then the request or status line when the payload begins with one, as tcpdump shows them. */
static void put_http(zd_out *o, zc_buf pay, size_t len)
{
	const uint8_t *p = pay.p;
	size_t have = pay.len < len ? pay.len : len, i;

	zd_puts(o, ": HTTP");
	if (!http_shown(p, have, len))
		return;
	for (i = 0; i < len; i++) {
		if (i >= have) {
			zd_puts(o, " [|http]");
			return;
		}
		if (p[i] == '\n' || (p[i] == '\r' && i + 1 < len && i + 1 < have && p[i + 1] == '\n'))
			break;
		if (p[i] == '\r' || (!is_print(p[i]) && p[i] != '\t'))
			return;
	}
	zd_puts(o, ": ");
	zd_putn(o, (const char *)p, i < HTTP_LINE_MAX ? i : HTTP_LINE_MAX);
	if (i == len)
		zd_puts(o, " [|http]");
}

void zd_line_tcp(zd_out *o, zc_tcp t, size_t seglen, const zc_layer *ip)
{
	static const char fl[] = "FSRP.UEW";
	uint8_t f = zc_tcp_flags(t);
	size_t h = zc_tcp_hdr_len(t), plen = seglen > h ? seglen - h : 0;
	zc_buf hdr = zc_tcp_header(t);
	uint32_t seq, ack, base;
	int i;

	if (zd_line_quiet) {
		zd_puts(o, "tcp ");
		zd_u64(o, plen);
		return;
	}
	tcp_numbers(t, ip, &seq, &ack, &base);
	zd_puts(o, "Flags [");
	for (i = 0; i < 8; i++)
		if (f & (1u << i))
			zd_putc(o, fl[i]);
	if (!f)
		zd_puts(o, "none");
	zd_puts(o, "]");
	if (plen || (f & (ZC_TCP_SYN | ZC_TCP_FIN | ZC_TCP_RST))) {
		zd_puts(o, ", seq ");
		zd_u64(o, seq);
		if (plen) {
			zd_putc(o, ':');
			zd_u64(o, (uint32_t)(seq + plen));
		}
	}
	if (f & ZC_TCP_ACK) {
		zd_puts(o, ", ack ");
		zd_u64(o, ack);
	}
	zd_puts(o, ", win ");
	zd_u64(o, zc_tcp_window(t));
	if (f & ZC_TCP_URG) {
		zd_puts(o, ", urg ");
		zd_u64(o, zc_tcp_urgent(t));
	}
	if (hdr.len > ZC_TCP_MIN_HDR_LEN &&
	    !put_options(o, hdr.p + ZC_TCP_MIN_HDR_LEN, hdr.len - ZC_TCP_MIN_HDR_LEN, base, f))
		return;
	zd_puts(o, ", length ");
	zd_u64(o, plen);
	if (plen && (zc_tcp_src_port(t) == 80 || zc_tcp_dst_port(t) == 80 || zc_tcp_src_port(t) == 8080 ||
		     zc_tcp_dst_port(t) == 8080))
		put_http(o, zc_tcp_payload(t), plen);
}
