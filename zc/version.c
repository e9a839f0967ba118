/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/version.c - the run-time library's version.
 */
#include "internal.h"

#include "zc/version.h"

const char *zc_version(void)
{
	return ZC_VERSION_STRING;
}
