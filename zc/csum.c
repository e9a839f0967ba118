/*
 * zc/csum.c - the Internet checksum (RFC 1071, RFC 1624).
 *
 * The one's-complement sum does not depend on byte order (RFC 1071 section
 * 2(B)): summing native-order words and swapping the folded result gives the
 * sum of big-endian words. Summing 32-bit words into a 64-bit accumulator
 * defers every carry to the final fold, so the loop has no carry chain.
 */
#include "internal.h"

static inline uint32_t load_ne32(const uint8_t *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, sizeof v);
	return v;
}

static inline uint16_t load_ne16(const uint8_t *p)
{
	uint16_t v;
	__builtin_memcpy(&v, p, sizeof v);
	return v;
}

uint32_t zc_csum_partial(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
	uint32_t s;

	/* Four independent accumulators, 32 bytes a step: no carry chain. */
	while (len >= 32) {
		a0 += (uint64_t)load_ne32(p) + load_ne32(p + 16);
		a1 += (uint64_t)load_ne32(p + 4) + load_ne32(p + 20);
		a2 += (uint64_t)load_ne32(p + 8) + load_ne32(p + 24);
		a3 += (uint64_t)load_ne32(p + 12) + load_ne32(p + 28);
		p += 32;
		len -= 32;
	}
	a0 += a1;
	a2 += a3;
	while (len >= 4) {
		a0 += load_ne32(p);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		a2 += load_ne16(p);
		p += 2;
		len -= 2;
	}
	if (len) {
		/* The odd byte is the high byte of a big-endian word. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		a2 += p[0];
#else
		a2 += (uint32_t)p[0] << 8;
#endif
	}
	/* a0 and a2 each stay below 2^63 for any len a size_t can hold in memory. */
	a0 = (a0 & 0xffffffffu) + (a0 >> 32) + (a2 & 0xffffffffu) + (a2 >> 32);
	a0 = (a0 & 0xffffffffu) + (a0 >> 32);
	a0 = (a0 & 0xffffffffu) + (a0 >> 32);
	s = zc_csum_fold((uint32_t)a0);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = __builtin_bswap16((uint16_t)s);
#endif
	return zc_csum_add(s, sum);
}

uint16_t zc_csum(const void *p, size_t len)
{
	return zc_csum_finish(zc_csum_partial(p, len, 0));
}

uint16_t zc_csum_update_bytes(uint16_t csum, const uint8_t *old, const uint8_t *new_, size_t n)
{
	/* ~HC + ~m + m' over all words of the field at once (RFC 1624 eq. 3). */
	uint32_t s = (uint16_t)~csum;
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		s += (uint16_t)~zc_load_be16(old + i);
		s += zc_load_be16(new_ + i);
		s = zc_csum_fold(s);
	}
	return (uint16_t)~zc_csum_fold(s);
}

uint32_t zc_csum_pseudo4(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len)
{
	uint64_t s = (uint64_t)(src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto +
		     (len >> 16) + (len & 0xffff);
	s = (s & 0xffffffffu) + (s >> 32);
	return zc_csum_fold((uint32_t)s);
}

uint32_t zc_csum_pseudo6(const uint8_t *src, const uint8_t *dst, uint8_t proto, uint32_t len)
{
	uint32_t s = zc_csum_partial(src, ZC_IPV6_ADDR_LEN, 0);
	s = zc_csum_partial(dst, ZC_IPV6_ADDR_LEN, s);
	/* The 32-bit length and the next header value (RFC 8200 section 8.1). */
	return zc_csum_add(s, zc_csum_fold((len >> 16) + (len & 0xffff) + proto));
}

void zc_l4_pseudo_changed(uint8_t proto, bool v6, zc_buf l4, const uint8_t *old, const uint8_t *new_, size_t n)
{
	uint8_t *f;
	uint16_t c;

	switch (proto) {
	case ZC_IPPROTO_TCP:
		if (l4.len < ZC_TCP_CSUM_OFF + 2)
			return;
		f = l4.p + ZC_TCP_CSUM_OFF;
		zc_store_be16(f, zc_csum_update_bytes(zc_load_be16(f), old, new_, n));
		return;
	case ZC_IPPROTO_UDP:
		if (l4.len < ZC_UDP_CSUM_OFF + 2)
			return;
		f = l4.p + ZC_UDP_CSUM_OFF;
		c = zc_load_be16(f);
		if (c == 0)
			return; /* no checksum was sent: there is none to keep */
		zc_store_be16(f, zc_udp_csum_wire(zc_csum_update_bytes(c, old, new_, n)));
		return;
	case ZC_IPPROTO_ICMPV6:
		if (!v6 || l4.len < ZC_ICMP_CSUM_OFF + 2)
			return;
		f = l4.p + ZC_ICMP_CSUM_OFF;
		zc_store_be16(f, zc_csum_update_bytes(zc_load_be16(f), old, new_, n));
		return;
	default:
		return;
	}
}
