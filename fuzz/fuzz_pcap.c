/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz/fuzz_pcap.c - the capture reading path zcdump uses: libpcap opens the
 * input as a pcap or pcapng file, and every packet goes through zc_parse()
 * with the file's link type, checked as in fuzz_parse.c (fuzz/pktcheck.h).
 *
 * The input is written to a memfd (a temporary file where memfd_create() is
 * missing) and opened with pcap_fopen_offline(). Each packet is handed over
 * in a heap copy of exactly its captured length, so AddressSanitizer sees a
 * read past it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "driver.h"
#include "pktcheck.h"

#include <pcap/pcap.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Enough packets to reach every path; a huge capture would only slow the fuzzer. */
#define PCAP_MAX_PACKETS 256

static FILE *pcap_input(const uint8_t *data, size_t size)
{
	FILE *f = NULL;
	int fd = -1;

#if defined(__linux__) && defined(MFD_CLOEXEC)
	fd = memfd_create("zc_fuzz_pcap", MFD_CLOEXEC);
#endif
	if (fd >= 0) {
		size_t done = 0;

		while (done < size) {
			ssize_t n = write(fd, data + done, size - done);
			if (n <= 0) {
				close(fd);
				return NULL;
			}
			done += (size_t)n;
		}
		if (lseek(fd, 0, SEEK_SET) != 0 || !(f = fdopen(fd, "rb")))
			close(fd);
		return f;
	}
	f = tmpfile();
	if (!f)
		return NULL;
	if (fwrite(data, 1, size, f) != size || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	return f;
}

void zc_fuzz_one(const uint8_t *data, size_t size)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	pcap_t *p;
	FILE *f = pcap_input(data, size);
	int linktype, r;
	unsigned n = 0;

	if (!f) {
		perror("fuzz_pcap: cannot hold the input in a file");
		abort();
	}
	p = pcap_fopen_offline(f, errbuf);
	if (!p) {
		/* Not a capture libpcap reads: fine, and the file is still ours. */
		fclose(f);
		return;
	}
	linktype = pcap_datalink(p);
	ZC_FUZZ_CHECK(pcap_datalink_val_to_name(linktype) != NULL || linktype >= 0, "link type %d", linktype);
	while (n++ < PCAP_MAX_PACKETS && (r = pcap_next_ex(p, &h, &bytes)) == 1) {
		uint8_t *copy = malloc(h->caplen ? h->caplen : 1);

		if (!copy)
			abort();
		memcpy(copy, bytes, h->caplen);
		pktcheck_frame(zc_buf_make(copy, h->caplen), linktype);
		free(copy);
	}
	pcap_close(p);
}
