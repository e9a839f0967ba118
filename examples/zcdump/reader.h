/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/reader.h - packets in: a capture file (mapped when it is a
 * plain classic pcap file, else read by libpcap) or a live interface, with
 * the BPF filter applied and every record counted.
 */
#ifndef ZCDUMP_READER_H
#define ZCDUMP_READER_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct zd_reader {
	pcap_t *p;
	bool live;
	bool nano;                /* the tv_usec of a packet's time holds nanoseconds */
	const uint8_t *map;       /* the whole file; NULL: libpcap reads */
	size_t size, off;         /* file size, next record */
	bool swapped;             /* written on a host of the other byte order */
	uint32_t snapshot;
	struct bpf_program prog;
	bool have_prog;           /* prog holds a compiled filter */
	uint64_t records;         /* records read, those the filter refused too */
	struct pcap_pkthdr h;
} zd_reader;

/*
 * Opens FILE ("-": standard input) or, when file is NULL, the interface
 * iface; -1 with a message in errbuf (PCAP_ERRBUF_SIZE bytes) on failure.
 * A file's packet times are given in nanoseconds (in tv_usec), whatever
 * the file holds; a live capture's too where the system can (r->nano).
 */
int zd_reader_open(zd_reader *r, const char *file, const char *iface, int snaplen, bool promisc,
		   char *errbuf);

/*
 * Compiles and installs a BPF filter: 0, -1 for a bad expression, -2 when
 * it cannot be installed; the message is in errbuf.
 */
int zd_reader_filter(zd_reader *r, const char *expr, char *errbuf);

/* As pcap_next_ex(): 1 a packet, 0 a live timeout, PCAP_ERROR_BREAK the end, else an error. */
int zd_reader_next(zd_reader *r, struct pcap_pkthdr **h, const unsigned char **data);

/* libpcap's message for the last error. */
const char *zd_reader_error(zd_reader *r);

void zd_reader_close(zd_reader *r);

#endif /* ZCDUMP_READER_H */
