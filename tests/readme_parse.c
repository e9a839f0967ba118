/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/readme_parse.c - the README's zc_parse snippet, as a user writes it:
 * over what libpcap hands out, const bytes, with no cast. The build takes
 * the snippet out of README.md (tests/readme-parse.inc) and compiles it here
 * as C, and through tests/readme_parse.cc as C++, with -Wall -Wextra
 * -Wcast-qual -Werror; tests/readme.sh runs both on a frame and checks what
 * they print.
 */
#include <stdio.h>
#include <sys/types.h>

#include <zc.h>

static void readme_snippet(const u_char *data, unsigned caplen)
{
#include "tests/readme-parse.inc"
}

int main(void)
{
	/* Ethernet + IPv4 + TCP from 192.0.2.1:40000 to 198.51.100.7:443, then
	 * an Ethernet + IPv4 frame cut by a snaplen 4 bytes into its TCP header. */
	static const u_char frame[] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
		192, 0, 2, 1, 198, 51, 100, 7,
		0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0,
		0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	};

	readme_snippet(frame, sizeof frame);
	readme_snippet(frame, 14 + 20 + 4);
	return 0;
}
