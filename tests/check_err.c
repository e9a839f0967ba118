/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_err.c - the error enum: one message, name and class per code.
 */
#include "testutil.h"

START_TEST(every_code_has_a_message_name_and_class)
{
	int e;

	for (e = 0; e >= (int)ZC_ERR_MIN; e--) {
		const char *m = zc_strerror((zc_err)e);
		ck_assert_ptr_nonnull(m);
		ck_assert_str_ne(m, "unknown error");
		ck_assert_int_eq(strncmp(zc_err_name((zc_err)e), "ZC_", 3), 0);
		if (e < 0)
			ck_assert_int_ne(zc_err_class((zc_err)e), ZC_ERRCLASS_NONE);
	}
	ck_assert_int_eq(zc_err_class(ZC_OK), ZC_ERRCLASS_NONE);
}
END_TEST

START_TEST(unknown_values_are_named_as_such)
{
	ck_assert_str_eq(zc_strerror((zc_err)1), "unknown error");
	ck_assert_str_eq(zc_strerror((zc_err)((int)ZC_ERR_MIN - 1)), "unknown error");
	ck_assert_str_eq(zc_err_name((zc_err)12345), "ZC_E_UNKNOWN");
	ck_assert_int_eq(zc_err_class((zc_err)-1000), ZC_ERRCLASS_NONE);
}
END_TEST

START_TEST(classes_keep_truncated_invalid_and_unsupported_apart)
{
	ck_assert_int_eq(zc_err_class(ZC_E_TRUNCATED), ZC_ERRCLASS_TRUNCATED);
	ck_assert_int_eq(zc_err_class(ZC_E_INVALID), ZC_ERRCLASS_INVALID);
	ck_assert_int_eq(zc_err_class(ZC_E_VERSION), ZC_ERRCLASS_INVALID);
	ck_assert_int_eq(zc_err_class(ZC_E_HDR_LEN), ZC_ERRCLASS_INVALID);
	ck_assert_int_eq(zc_err_class(ZC_E_LENGTH), ZC_ERRCLASS_INVALID);
	ck_assert_int_eq(zc_err_class(ZC_E_OPTION), ZC_ERRCLASS_INVALID);
	ck_assert_int_eq(zc_err_class(ZC_E_UNSUPPORTED), ZC_ERRCLASS_UNSUPPORTED);
	ck_assert_int_eq(zc_err_class(ZC_E_LINKTYPE), ZC_ERRCLASS_UNSUPPORTED);
	ck_assert_int_eq(zc_err_class(ZC_E_TOO_DEEP), ZC_ERRCLASS_UNSUPPORTED);
	ck_assert_int_eq(zc_err_class(ZC_E_NOBUFS), ZC_ERRCLASS_RESOURCE);
	ck_assert_str_eq(zc_err_name(ZC_E_TRUNCATED), "ZC_E_TRUNCATED");
}
END_TEST

static Suite *err_suite(void)
{
	Suite *s = suite_create("err");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, every_code_has_a_message_name_and_class);
	tcase_add_test(tc, unknown_values_are_named_as_such);
	tcase_add_test(tc, classes_keep_truncated_invalid_and_unsupported_apart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(err_suite());
}
