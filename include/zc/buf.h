/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/buf.h - the byte span every view points into, and the loads and stores
 * that every accessor goes through.
 *
 * A zc_buf is a pointer and a length; it owns nothing. Multi-byte fields are
 * read with memcpy-based helpers so that no wire field is ever cast to a
 * struct: there is no alignment or strict-aliasing hazard, and compilers turn
 * each helper into one (byte-swapping) load.
 */
#ifndef ZC_BUF_H
#define ZC_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the symbols the shared object exports; everything else is hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define ZC_EXPORT __attribute__((visibility("default")))
#define ZC_LIKELY(x) __builtin_expect(!!(x), 1)
#define ZC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define ZC_EXPORT
#define ZC_LIKELY(x) (x)
#define ZC_UNLIKELY(x) (x)
#endif

/*
 * The constructors a hot path uses (zc_eth_parse(), zc_ipv4_parse(), ...)
 * are defined in the public headers, as DPDK defines its accessors, so that
 * the caller's compiler inlines them: a call through the shared object's
 * PLT costs more than their checks do. Each header marks them with its own
 * ZC_<PROTO>_API, which is "static inline" in a program (C or C++, whose
 * rules for plain inline differ from C99's) and, in the one library file
 * that defines ZC_<PROTO>_EXTERN before including it, an exported function
 * compiled from the same body: that is the definition other languages,
 * dlsym() and the ABI see.
 */

/*
 * Read-only views and writable handles.
 *
 * A zc_buf is a span of bytes to read: a view made from it (zc_eth,
 * zc_ipv4, ...) points at const bytes and has only accessors, so a const
 * buffer (libpcap hands out "const u_char *") is parsed without a cast in C
 * or C++. Editing in place needs a zc_wbuf, a span of writable bytes, and a
 * writable handle made from it: zc_ipv4_rw, zc_tcp_rw, ... (ZC_RW_HANDLE
 * below). A handle is made only from a zc_wbuf, so a view over read-only
 * memory reaches a setter only through a cast its user writes.
 */

/* A span of bytes to read: p[0] .. p[len - 1]. */
typedef struct zc_buf {
	const uint8_t *p;
	size_t len;
} zc_buf;

/* A span of bytes that may be written: p[0] .. p[len - 1]. */
typedef struct zc_wbuf {
	uint8_t *p;
	size_t len;
} zc_wbuf;

static inline zc_buf zc_buf_make(const void *p, size_t len)
{
	zc_buf b;
	b.p = (const uint8_t *)p;
	b.len = p ? len : 0;
	return b;
}

static inline zc_wbuf zc_wbuf_make(void *p, size_t len)
{
	zc_wbuf w;
	w.p = (uint8_t *)p;
	w.len = p ? len : 0;
	return w;
}

/* The same bytes, to read. */
static inline zc_buf zc_wbuf_ro(zc_wbuf w)
{
	return zc_buf_make(w.p, w.len);
}

/*
 * The writable address of the n bytes at p when they lie inside w, else
 * NULL: how a view made from w's bytes becomes a handle that may edit them.
 */
static inline uint8_t *zc_wbuf_at(zc_wbuf w, const uint8_t *p, size_t n)
{
	uintptr_t base = (uintptr_t)w.p, at = (uintptr_t)p;

	if (!w.p || !p || at < base || at - base > w.len || n > w.len - (at - base))
		return NULL;
	return w.p + (at - base);
}

/* The bytes from offset off to the end; empty when off is past the end. */
static inline zc_buf zc_buf_tail(zc_buf b, size_t off)
{
	if (off > b.len)
		off = b.len;
	return zc_buf_make(b.p + off, b.len - off);
}

/* The first n bytes; all of b when it is shorter. */
static inline zc_buf zc_buf_head(zc_buf b, size_t n)
{
	if (n > b.len)
		n = b.len;
	return zc_buf_make(b.p, n);
}

/*
 * ZC_RW_HANDLE(name, extent) defines, for the view zc_<name>:
 *   zc_<name>_rw                  the writable handle, the view inside it;
 *   zc_<name>_ro(h)               the view, for the accessors;
 *   zc_<name>_rw_of(w, v, &h)     the handle on view v, whose bytes lie in w
 *                                 (ZC_E_ARG when they do not);
 *   zc_<name>_parse_rw(w, &h)     zc_<name>_parse() on writable bytes.
 * extent(v) is the number of bytes the view covers from its first. The
 * setters take handles; ZC_E_ARG needs <zc/err.h>, included by every view.
 */
/* The extent of a view whose len member counts every byte it covers. */
#define ZC_VIEW_LEN(v) ((size_t)(v).len)

#define ZC_RW_HANDLE(name, extent)                                                     \
	typedef struct zc_##name##_rw {                                                  \
		zc_##name v;                                                             \
	} zc_##name##_rw;                                                                \
	static inline zc_##name zc_##name##_ro(zc_##name##_rw h) { return h.v; }        \
	static inline zc_err zc_##name##_rw_of(zc_wbuf w, zc_##name v, zc_##name##_rw *out) \
	{                                                                                \
		if (!out || !zc_wbuf_at(w, v.p, extent(v)))                              \
			return ZC_E_ARG;                                                 \
		out->v = v;                                                              \
		return ZC_OK;                                                            \
	}                                                                                \
	static inline zc_err zc_##name##_parse_rw(zc_wbuf w, zc_##name##_rw *out)        \
	{                                                                                \
		return out ? zc_##name##_parse(zc_wbuf_ro(w), &out->v) : ZC_E_ARG;       \
	}

/* For a view with a lax constructor as well: zc_<name>_parse_lax_rw(w, &h). */
#define ZC_RW_HANDLE_LAX(name)                                                           \
	static inline zc_err zc_##name##_parse_lax_rw(zc_wbuf w, zc_##name##_rw *out)    \
	{                                                                                \
		return out ? zc_##name##_parse_lax(zc_wbuf_ro(w), &out->v) : ZC_E_ARG;   \
	}

/* Loads and stores of big-endian (network order) fields. */
static inline uint16_t zc_load_be16(const uint8_t *p)
{
	uint16_t v;
	__builtin_memcpy(&v, p, sizeof v);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap16(v);
#endif
	return v;
}

static inline uint32_t zc_load_be32(const uint8_t *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, sizeof v);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static inline uint16_t zc_load_le16(const uint8_t *p)
{
	uint16_t v;
	__builtin_memcpy(&v, p, sizeof v);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap16(v);
#endif
	return v;
}

static inline uint32_t zc_load_le32(const uint8_t *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, sizeof v);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static inline void zc_store_be16(uint8_t *p, uint16_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap16(v);
#endif
	__builtin_memcpy(p, &v, sizeof v);
}

static inline void zc_store_be32(uint8_t *p, uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	__builtin_memcpy(p, &v, sizeof v);
}

/*
 * Type-length-value options as IPv4 (RFC 791 section 3.1) and TCP (RFC 9293
 * section 3.1) share them: kind 0 ends the list, kind 1 is a one-byte pad,
 * every other kind is followed by a length byte that counts kind and length.
 */
typedef struct zc_opt {
	uint8_t kind;
	uint8_t len;         /* whole option in bytes, kind and length included */
	const uint8_t *data; /* the len - 2 value bytes (NULL for EOL and NOP) */
} zc_opt;

typedef struct zc_opt_iter {
	const uint8_t *p;
	const uint8_t *end;
	unsigned steps;
} zc_opt_iter;

/* No option list can need more steps than this: 40 bytes of options at most. */
#define ZC_OPT_MAX_STEPS 40

static inline zc_opt_iter zc_opt_iter_make(const uint8_t *p, size_t len)
{
	zc_opt_iter it;
	it.p = p;
	it.end = p + len;
	it.steps = 0;
	return it;
}

/*
 * Steps to the next option. Returns 1 with *o filled, 0 at the end of the list
 * (end of the bytes, or an EOL option, which is returned once as an item
 * first), or a negative zc_err when the option is malformed (its length byte
 * is missing, below 2, or runs past the end): the walk then stops for good.
 */
ZC_EXPORT int zc_opt_next(zc_opt_iter *it, zc_opt *o);

#ifdef __cplusplus
}
#endif
#endif /* ZC_BUF_H */
