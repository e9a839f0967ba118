// SPDX-License-Identifier: BSD-2-Clause
// tests/readme_parse.cc - the README's zc_parse snippet compiled as C++.
#include "readme_parse.c"
