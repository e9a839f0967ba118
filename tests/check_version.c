/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_version.c - the version macros, zc_version() and the release
 * configure was given agree.
 */
#include "config.h"

#include <stdio.h>

#include "testutil.h"

START_TEST(macros_spell_the_string)
{
	char s[32];

	snprintf(s, sizeof s, "%d.%d.%d", ZC_VERSION_MAJOR, ZC_VERSION_MINOR, ZC_VERSION_PATCH);
	ck_assert_str_eq(s, ZC_VERSION_STRING);
	ck_assert_int_eq(ZC_VERSION_NUMBER,
			 ZC_VERSION_MAJOR * 65536 + ZC_VERSION_MINOR * 256 + ZC_VERSION_PATCH);
	ck_assert_int_lt(ZC_VERSION_MINOR, 256);
	ck_assert_int_lt(ZC_VERSION_PATCH, 256);
}
END_TEST

START_TEST(the_library_reports_the_release_it_was_built_as)
{
	ck_assert_str_eq(zc_version(), ZC_VERSION_STRING);
	ck_assert_str_eq(zc_version(), PACKAGE_VERSION);
}
END_TEST

static Suite *version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, macros_spell_the_string);
	tcase_add_test(tc, the_library_reports_the_release_it_was_built_as);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(version_suite());
}
