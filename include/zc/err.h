/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/err.h - one error enum for the whole library.
 *
 * Every code is negative; 0 is success. Codes fall into classes a caller can
 * test: truncated (the bytes are not there, as in a capture cut by its
 * snaplen), invalid (the bytes are there and contradict each other),
 * unsupported (well-formed, but beyond what libzc handles), and resource
 * errors from pools and queues.
 */
#ifndef ZC_ERR_H
#define ZC_ERR_H

#include "zc/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, class, message): the single list the enum and zc_strerror share. */
#define ZC_ERRORS(X)                                                                      \
	X(ZC_OK, 0, ZC_ERRCLASS_NONE, "success")                                            \
	X(ZC_E_TRUNCATED, -1, ZC_ERRCLASS_TRUNCATED, "truncated: fewer bytes than the header declares") \
	X(ZC_E_INVALID, -2, ZC_ERRCLASS_INVALID, "invalid: header fields contradict each other") \
	X(ZC_E_VERSION, -3, ZC_ERRCLASS_INVALID, "invalid: wrong IP version")               \
	X(ZC_E_HDR_LEN, -4, ZC_ERRCLASS_INVALID, "invalid: header length below the minimum") \
	X(ZC_E_LENGTH, -5, ZC_ERRCLASS_INVALID, "invalid: declared length shorter than the header") \
	X(ZC_E_OPTION, -6, ZC_ERRCLASS_INVALID, "invalid: malformed option or extension header") \
	X(ZC_E_UNSUPPORTED, -7, ZC_ERRCLASS_UNSUPPORTED, "unsupported: protocol or format not handled") \
	X(ZC_E_LINKTYPE, -8, ZC_ERRCLASS_UNSUPPORTED, "unsupported link type")               \
	X(ZC_E_TOO_DEEP, -9, ZC_ERRCLASS_UNSUPPORTED, "unsupported: more tags, extension headers or nested layers than the fixed cap") \
	X(ZC_E_ARG, -10, ZC_ERRCLASS_INVALID, "invalid argument")                           \
	X(ZC_E_NOBUFS, -11, ZC_ERRCLASS_RESOURCE, "no buffer available: pool exhausted")     \
	X(ZC_E_FULL, -12, ZC_ERRCLASS_RESOURCE, "queue full")                                \
	X(ZC_E_NOMEM, -13, ZC_ERRCLASS_RESOURCE, "out of memory")                           \
	X(ZC_E_AGAIN, -14, ZC_ERRCLASS_RESOURCE, "would block: nothing to read or no room to write now") \
	X(ZC_E_ADDRINUSE, -15, ZC_ERRCLASS_RESOURCE, "address or port already in use")      \
	X(ZC_E_NOROUTE, -16, ZC_ERRCLASS_INVALID, "no route to the destination")            \
	X(ZC_E_MSGSIZE, -17, ZC_ERRCLASS_INVALID, "message too long for the link")           \
	X(ZC_E_NOTCONN, -18, ZC_ERRCLASS_INVALID, "not connected, or shut down for sending") \
	X(ZC_E_RESET, -19, ZC_ERRCLASS_RESOURCE, "connection reset by the peer")            \
	X(ZC_E_TIMEDOUT, -20, ZC_ERRCLASS_RESOURCE, "connection timed out: the peer stopped answering")

typedef enum zc_err {
#define ZC_ERR_ENUM_(name, value, cls, msg) name = value,
	ZC_ERRORS(ZC_ERR_ENUM_)
#undef ZC_ERR_ENUM_
} zc_err;

/* The lowest (most negative) code; every code lies in [ZC_ERR_MIN, 0]. */
#define ZC_ERR_MIN ZC_E_TIMEDOUT

typedef enum zc_errclass {
	ZC_ERRCLASS_NONE = 0,
	ZC_ERRCLASS_TRUNCATED,
	ZC_ERRCLASS_INVALID,
	ZC_ERRCLASS_UNSUPPORTED,
	ZC_ERRCLASS_RESOURCE,
} zc_errclass;

/* A message for every code; "unknown error" for a value that is none. */
ZC_EXPORT const char *zc_strerror(zc_err e);

/* The class of a code (ZC_ERRCLASS_NONE for ZC_OK and unknown values). */
ZC_EXPORT zc_errclass zc_err_class(zc_err e);

/* The code's name as in this header, e.g. "ZC_E_TRUNCATED". */
ZC_EXPORT const char *zc_err_name(zc_err e);

#ifdef __cplusplus
}
#endif
#endif /* ZC_ERR_H */
