/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/err.c - messages, names and classes of the error codes.
 */
#include "internal.h"

#define ZC_ERR_MSG_(name, value, cls, msg) [-(value)] = msg,
static const char *const zc_err_msgs[] = { ZC_ERRORS(ZC_ERR_MSG_) };
#undef ZC_ERR_MSG_

#define ZC_ERR_NAME_(name, value, cls, msg) [-(value)] = #name,
static const char *const zc_err_names[] = { ZC_ERRORS(ZC_ERR_NAME_) };
#undef ZC_ERR_NAME_

#define ZC_ERR_CLASS_(name, value, cls, msg) [-(value)] = cls,
static const unsigned char zc_err_classes[] = { ZC_ERRORS(ZC_ERR_CLASS_) };
#undef ZC_ERR_CLASS_

static bool zc_err_known(zc_err e)
{
	return (int)e <= 0 && (int)e >= (int)ZC_ERR_MIN;
}

const char *zc_strerror(zc_err e)
{
	return zc_err_known(e) ? zc_err_msgs[-(int)e] : "unknown error";
}

const char *zc_err_name(zc_err e)
{
	return zc_err_known(e) ? zc_err_names[-(int)e] : "ZC_E_UNKNOWN";
}

zc_errclass zc_err_class(zc_err e)
{
	return zc_err_known(e) ? (zc_errclass)zc_err_classes[-(int)e] : ZC_ERRCLASS_NONE;
}
