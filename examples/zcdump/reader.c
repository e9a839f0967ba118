/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/reader.c - capture files and interfaces.
 *
 * A classic pcap file is read through a mapping of it: libpcap reads a file
 * with fread(), which copies every byte twice (kernel to stdio buffer, stdio
 * buffer to its packet buffer) and costs zcdump more than the dissection.
 * libpcap still opens the file and checks its header; the mapping only
 * serves records that are plainly whole (a 16-byte header, a captured length
 * within the snapshot length, that many bytes present). At the first record
 * that is not, the file's stream is moved to it and libpcap reads from there
 * on, so a truncated or corrupt file gets libpcap's own error, as without
 * the mapping.
 *
 * The BPF filter of a file is applied here rather than by libpcap, so that
 * every record is counted (tshark's frame.number counts them all).
 */
#include "reader.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_FILE_HDR_LEN 24
#define PCAP_REC_HDR_LEN 16

static pcap_t *open_live(const char *iface, int snaplen, bool promisc, bool *nano, char *errbuf)
{
	pcap_t *p = pcap_create(iface, errbuf);
	int r;

	if (!p)
		return NULL;
	pcap_set_snaplen(p, snaplen);
	pcap_set_promisc(p, promisc);
	pcap_set_timeout(p, 100);
	*nano = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO) == 0;
	r = pcap_activate(p);
	if (r < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(p));
		if (r == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(errbuf, PCAP_ERRBUF_SIZE, "no such interface");
		else if (r == PCAP_ERROR_PERM_DENIED)
			snprintf(errbuf, PCAP_ERRBUF_SIZE, "permission denied (capturing needs CAP_NET_RAW)");
		pcap_close(p);
		return NULL;
	}
	return p;
}

static uint32_t rec_u32(const zd_reader *r, const uint8_t *q)
{
	uint32_t v;

	memcpy(&v, q, 4);
	return r->swapped ? __builtin_bswap32(v) : v;
}

/* Maps the file when it is a regular file in the classic microsecond format, version 2.4. */
static void reader_map(zd_reader *r)
{
	FILE *f = pcap_file(r->p);
	struct stat st;
	uint32_t magic;
	void *m;

	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < PCAP_FILE_HDR_LEN ||
	    (uintmax_t)st.st_size > SIZE_MAX || pcap_major_version(r->p) != 2 || pcap_minor_version(r->p) != 4)
		return;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fileno(f), 0);
	if (m == MAP_FAILED)
		return;
	memcpy(&magic, m, 4);
	r->swapped = pcap_is_swapped(r->p) != 0;
	if ((r->swapped ? __builtin_bswap32(magic) : magic) != PCAP_MAGIC_USEC) {
		munmap(m, (size_t)st.st_size);
		return;
	}
	madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
	r->map = m;
	r->size = (size_t)st.st_size;
	r->off = PCAP_FILE_HDR_LEN;
	r->snapshot = (uint32_t)pcap_snapshot(r->p);
}

static void reader_unmap(zd_reader *r)
{
	if (r->map)
		munmap((void *)(uintptr_t)r->map, r->size);
	r->map = NULL;
}

int zd_reader_open(zd_reader *r, const char *file, const char *iface, int snaplen, bool promisc,
		   char *errbuf)
{
	memset(r, 0, sizeof *r);
	r->live = file == NULL;
	r->nano = true;
	r->p = file ? pcap_open_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf)
		    : open_live(iface, snaplen, promisc, &r->nano, errbuf);
	if (!r->p)
		return -1;
	if (file)
		reader_map(r);
	return 0;
}

int zd_reader_filter(zd_reader *r, const char *expr, char *errbuf)
{
	if (pcap_compile(r->p, &r->prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(r->p));
		return -1;
	}
	r->have_prog = true;
	if (r->live && pcap_setfilter(r->p, &r->prog) != 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(r->p));
		return -2;
	}
	return 0;
}

/* The next mapped record: 1, 0 when libpcap must go on from r->off, PCAP_ERROR_BREAK at the end. */
static int map_next(zd_reader *r, struct pcap_pkthdr **h, const unsigned char **data)
{
	const uint8_t *q = r->map + r->off;
	size_t left = r->size - r->off;
	uint32_t caplen;

	if (left == 0)
		return PCAP_ERROR_BREAK;
	if (left < PCAP_REC_HDR_LEN)
		return 0;
	caplen = rec_u32(r, q + 8);
	if (caplen > r->snapshot || left - PCAP_REC_HDR_LEN < caplen)
		return 0;
	/* The time fields are signed 32-bit on the file, as libpcap reads them. */
	r->h.ts.tv_sec = (int32_t)rec_u32(r, q);
	/* The file has microseconds; the reader gives nanoseconds (see zd_reader_open()). */
	r->h.ts.tv_usec = (suseconds_t)((int64_t)(int32_t)rec_u32(r, q + 4) * 1000);
	r->h.caplen = caplen;
	r->h.len = rec_u32(r, q + 12);
	r->off += PCAP_REC_HDR_LEN + (size_t)caplen;
	*h = &r->h;
	*data = q + PCAP_REC_HDR_LEN;
	return 1;
}

/* Gives the rest of the file, from the record at r->off on, to libpcap to read and judge. */
static int hand_over(zd_reader *r)
{
	if (fseeko(pcap_file(r->p), (off_t)r->off, SEEK_SET) != 0) {
		snprintf(pcap_geterr(r->p), PCAP_ERRBUF_SIZE, "cannot seek: %s", strerror(errno));
		reader_unmap(r);
		return PCAP_ERROR;
	}
	reader_unmap(r);
	return 0;
}

int zd_reader_next(zd_reader *r, struct pcap_pkthdr **h, const unsigned char **data)
{
	for (;;) {
		int rc = r->map ? map_next(r, h, data) : 0;

		if (rc == 0 && r->map && hand_over(r) != 0)
			return PCAP_ERROR;
		if (rc == 0)
			rc = pcap_next_ex(r->p, h, data);
		if (rc != 1)
			return rc;
		r->records++;
		if (r->live || !r->have_prog || pcap_offline_filter(&r->prog, *h, *data))
			return 1;
	}
}

const char *zd_reader_error(zd_reader *r)
{
	return pcap_geterr(r->p);
}

void zd_reader_close(zd_reader *r)
{
	reader_unmap(r);
	if (r->have_prog)
		pcap_freecode(&r->prog);
	if (r->p)
		pcap_close(r->p);
	r->p = NULL;
	r->have_prog = false;
}
