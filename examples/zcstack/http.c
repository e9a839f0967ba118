/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/http.c - zcstack's HTTP/1.1 service (RFC 9110, 9112):
 * GET and HEAD of the regular files of one directory, with Content-Length,
 * a single byte range for a GET (RFC 9110 14), and persistent connections.
 *
 * Each connection has a session from a fixed pool: a buffer for one
 * request's line and headers, and at most one open file. A request is read
 * whole into the buffer, answered, and its response fed into the socket's
 * send ring as the ring drains; the next request (pipelined or not) waits
 * in the receive ring meanwhile, so that memory stays what the pool and the
 * rings are whatever the peer sends. A name is opened beneath the
 * directory only: dot-dot segments and absolute names are refused before
 * the open, and openat2(2)'s RESOLVE_BENEATH refuses symbolic links that
 * lead out where the kernel has it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/openat2.h>
#endif

#include "zc.h"
#include "zcstack.h"

#define HTTP_IDLE_US ((uint64_t)ZCSTACK_HTTP_IDLE_S * 1000000u)
/* Requests answered in one call before the others get their turn. */
#define HTTP_BURST 16

int zcstack_http_open(zcstack_http *h, const char *dir, char *err, size_t errlen)
{
	struct stat sb;
	unsigned i;

	for (i = 0; i < ZCSTACK_MAX_HTTP; i++) {
		h->sess[i].used = false;
		h->sess[i].fd = -1;
	}
	h->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->dirfd < 0 || fstat(h->dirfd, &sb) < 0) {
		snprintf(err, errlen, "--http: cannot open the directory '%s': %s", dir, strerror(errno));
		if (h->dirfd >= 0)
			close(h->dirfd);
		h->dirfd = -1;
		return -1;
	}
	return 0;
}

static void sess_file_close(zcstack_http_sess *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
}

void zcstack_http_close(zcstack_http *h)
{
	unsigned i;

	if (h->dirfd < 0)
		return;
	for (i = 0; i < ZCSTACK_MAX_HTTP; i++)
		sess_file_close(&h->sess[i]);
	close(h->dirfd);
	h->dirfd = -1;
}

int zcstack_http_attach(zcstack_http *h, uint64_t now)
{
	unsigned i;

	for (i = 0; i < ZCSTACK_MAX_HTTP; i++) {
		zcstack_http_sess *x = &h->sess[i];

		if (x->used)
			continue;
		x->used = true;
		x->sending = x->close_after = x->peer_done = false;
		x->req_len = x->head_len = x->head_off = 0;
		x->fd = -1;
		x->body_off = x->body_end = 0;
		x->last_us = now;
		return (int)i;
	}
	return -1;
}

/* ---------------------------------------------------------------- the request */

/* RFC 9110 5.6.2: tchar. */
static bool is_tchar(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_token(const uint8_t *p, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!is_tchar(p[i]))
			return false;
	return true;
}

static bool eq_nocase(const uint8_t *p, size_t n, const char *s)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++) {
		uint8_t a = p[i], b = (uint8_t)s[i];

		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

/*
 * Where the request's head (its line and headers) ends in the n bytes at
 * p: the length up to and with the empty line, 0 when it is not all there.
 * Lines end in LF, with or without a CR before it (RFC 9112 2.2).
 */
static size_t head_end(const uint8_t *p, size_t n)
{
	size_t start = 0, i;
	bool first = true;

	for (i = 0; i < n; i++) {
		size_t len;

		if (p[i] != '\n')
			continue;
		len = i - start;
		if (len && p[i - 1] == '\r')
			len--;
		if (len == 0 && !first)
			return i + 1;
		/* Empty lines before the request line are skipped (RFC 9112 2.2). */
		if (len != 0)
			first = false;
		start = i + 1;
	}
	return 0;
}

/* What one request asks and says about its connection. */
typedef struct http_req {
	const uint8_t *method, *target;
	size_t method_len, target_len;
	bool http11, head, keep_alive, has_body;
	const uint8_t *range; /* the Range field's value; NULL: none, or more than one field */
	size_t range_len;
	unsigned ranges;      /* Range fields seen */
} http_req;

/* The status a request is answered with, beside the ones a file gives. */
enum { HTTP_OK = 200, HTTP_PARTIAL = 206, HTTP_BAD = 400, HTTP_FORBIDDEN = 403, HTTP_NOT_FOUND = 404,
       HTTP_METHOD = 405, HTTP_RANGE = 416, HTTP_TOO_LARGE = 431 };

static const char *reason(int status)
{
	switch (status) {
	case HTTP_OK: return "OK";
	case HTTP_BAD: return "Bad Request";
	case HTTP_FORBIDDEN: return "Forbidden";
	case HTTP_NOT_FOUND: return "Not Found";
	case HTTP_METHOD: return "Method Not Allowed";
	case HTTP_RANGE: return "Range Not Satisfiable";
	default: return "Request Header Fields Too Large";
	}
}

/* Digits only, at most 19 of them: a length that fits. */
static bool parse_len(const uint8_t *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 19)
		return false;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * Parses the head (len bytes, its empty line included) into r: HTTP_OK, or
 * HTTP_BAD for what RFC 9112 says to answer 400.
 */
static int parse_head(const uint8_t *p, size_t len, http_req *r)
{
	size_t i = 0, hosts = 0;
	bool have_line = false, close = false, keep = false;

	memset(r, 0, sizeof *r);
	while (i < len) {
		const uint8_t *line = p + i, *nl = memchr(line, '\n', len - i);
		size_t n;
		const uint8_t *colon, *v, *ve;

		if (!nl)
			return HTTP_BAD;
		n = (size_t)(nl - line);
		i += n + 1;
		if (n && line[n - 1] == '\r')
			n--;
		if (memchr(line, '\r', n) || memchr(line, '\0', n))
			return HTTP_BAD; /* a bare CR or a NUL inside a line */
		if (!have_line) {
			const uint8_t *sp1, *sp2;

			if (n == 0)
				continue;
			/* method SP request-target SP HTTP-version (RFC 9112 3) */
			sp1 = memchr(line, ' ', n);
			if (!sp1)
				return HTTP_BAD;
			sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - line));
			if (!sp2)
				return HTTP_BAD;
			r->method = line;
			r->method_len = (size_t)(sp1 - line);
			r->target = sp1 + 1;
			r->target_len = (size_t)(sp2 - sp1 - 1);
			if (!is_token(r->method, r->method_len) || r->target_len == 0)
				return HTTP_BAD;
			for (size_t k = 0; k < r->target_len; k++)
				if (r->target[k] <= ' ' || r->target[k] >= 0x7f)
					return HTTP_BAD;
			if (n - (size_t)(sp2 + 1 - line) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) ||
			    (sp2[8] != '0' && sp2[8] != '1'))
				return HTTP_BAD;
			r->http11 = sp2[8] == '1';
			have_line = true;
			continue;
		}
		if (n == 0)
			break;
		/* field-name ":" OWS field-value OWS; no whitespace before the colon, no folding (RFC 9112 5). */
		colon = memchr(line, ':', n);
		if (!colon || !is_token(line, (size_t)(colon - line)))
			return HTTP_BAD;
		v = colon + 1;
		ve = line + n;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (eq_nocase(line, (size_t)(colon - line), "host")) {
			hosts++;
		} else if (eq_nocase(line, (size_t)(colon - line), "connection")) {
			/* A list of tokens (RFC 9110 7.6.1). */
			const uint8_t *t = v;

			while (t < ve) {
				const uint8_t *e = memchr(t, ',', (size_t)(ve - t));
				const uint8_t *a = t, *b;

				if (!e)
					e = ve;
				b = e;
				while (a < b && (*a == ' ' || *a == '\t'))
					a++;
				while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
					b--;
				if (eq_nocase(a, (size_t)(b - a), "close"))
					close = true;
				else if (eq_nocase(a, (size_t)(b - a), "keep-alive"))
					keep = true;
				t = e + 1;
			}
		} else if (eq_nocase(line, (size_t)(colon - line), "content-length")) {
			uint64_t cl;

			if (!parse_len(v, (size_t)(ve - v), &cl))
				return HTTP_BAD;
			if (cl)
				r->has_body = true;
		} else if (eq_nocase(line, (size_t)(colon - line), "transfer-encoding")) {
			r->has_body = true;
		} else if (eq_nocase(line, (size_t)(colon - line), "range")) {
			r->ranges++;
			r->range = v;
			r->range_len = (size_t)(ve - v);
		}
	}
	if (!have_line)
		return HTTP_BAD;
	/* RFC 9112 3.2: an HTTP/1.1 request has exactly one Host. */
	if (r->http11 && hosts != 1)
		return HTTP_BAD;
	r->keep_alive = r->http11 ? !close : keep && !close;
	r->head = r->method_len == 4 && !memcmp(r->method, "HEAD", 4);
	if (r->ranges != 1)
		r->range = NULL;
	return HTTP_OK;
}

/*
 * The byte range a GET's Range field asks of a file of size bytes (RFC 9110
 * 14.1.2): "bytes=first-last", "bytes=first-" or "bytes=-suffix". Returns
 * HTTP_PARTIAL with the range in [*first, *end), HTTP_RANGE when it is
 * valid but nothing of the file is in it, or HTTP_OK to send the whole file:
 * another unit, a list of ranges, or a field that does not parse, which
 * RFC 9110 14.2 lets a server ignore.
 */
static int parse_range(const uint8_t *v, size_t n, uint64_t size, uint64_t *first, uint64_t *end)
{
	const uint8_t *dash;
	uint64_t a, b;

	if (n < 7 || !eq_nocase(v, 6, "bytes=") || memchr(v, ',', n))
		return HTTP_OK;
	v += 6;
	n -= 6;
	dash = memchr(v, '-', n);
	if (!dash)
		return HTTP_OK;
	if (dash == v) {
		/* The last b bytes. */
		if (!parse_len(v + 1, n - 1, &b))
			return HTTP_OK;
		if (b == 0 || size == 0)
			return HTTP_RANGE;
		*first = b < size ? size - b : 0;
		*end = size;
		return HTTP_PARTIAL;
	}
	if (!parse_len(v, (size_t)(dash - v), &a))
		return HTTP_OK;
	if (dash + 1 == v + n) {
		b = UINT64_MAX;
	} else if (!parse_len(dash + 1, (size_t)(v + n - dash - 1), &b) || b < a) {
		return HTTP_OK;
	}
	if (a >= size)
		return HTTP_RANGE;
	*first = a;
	*end = b >= size - 1 ? size : b + 1;
	return HTTP_PARTIAL;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The file name a target names, beneath the directory, into out (cap
 * bytes, NUL-terminated): HTTP_OK, HTTP_BAD for a target that is not an
 * absolute path or a bad escape, HTTP_FORBIDDEN for one that would leave
 * the directory (a ".." segment, an absolute name once decoded),
 * HTTP_NOT_FOUND for one that names the directory itself.
 */
static int target_path(const uint8_t *t, size_t n, char *out, size_t cap)
{
	size_t i, o = 0, seg;

	if (n == 0 || t[0] != '/')
		return HTTP_BAD; /* origin-form only (RFC 9112 3.2.1) */
	for (i = 1; i < n && t[i] != '?' && t[i] != '#'; i++) {
		int c = t[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3 || (hi = hexval(t[i + 1])) < 0 || (lo = hexval(t[i + 2])) < 0)
				return HTTP_BAD;
			c = hi * 16 + lo;
			i += 2;
			if (c == 0)
				return HTTP_BAD;
		}
		if (o + 1 >= cap)
			return HTTP_BAD;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	if (o == 0)
		return HTTP_NOT_FOUND;
	if (out[0] == '/')
		return HTTP_FORBIDDEN;
	/* Any ".." segment, escaped or not, is refused rather than resolved. */
	for (i = 0; i <= o; i = seg + 1) {
		const char *sl = memchr(out + i, '/', o - i);

		seg = sl ? (size_t)(sl - out) : o;
		if (seg - i == 2 && out[i] == '.' && out[i + 1] == '.')
			return HTTP_FORBIDDEN;
	}
	return HTTP_OK;
}

/* Opens name beneath dirfd, never following a link out of it where openat2(2) exists. */
static int open_beneath(int dirfd, const char *name)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
#if defined(SYS_openat2) && defined(RESOLVE_BENEATH)
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof how);
	how.flags = (uint64_t)flags;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, dirfd, name, &how, sizeof how);
	if (fd >= 0 || errno != ENOSYS)
		return (int)fd;
#endif
	return openat(dirfd, name, flags | O_NOFOLLOW);
}

/* ---------------------------------------------------------------- the response */

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot && !strchr(dot, '/')) {
		if (!strcmp(dot, ".html") || !strcmp(dot, ".htm"))
			return "text/html";
		if (!strcmp(dot, ".txt"))
			return "text/plain";
	}
	return "application/octet-stream";
}

/* Makes the response to the request that ends at len: its head and, for a file, its body. */
static void respond(zcstack_http *h, zcstack_http_sess *x, size_t len, zcstack_stats *st)
{
	http_req r;
	char name[ZCSTACK_HTTP_REQ_MAX];
	int status = parse_head(x->req, len, &r);
	const char *type = "text/plain", *conn;
	uint64_t size = 0, first = 0, end = 0;
	int n;

	if (status == HTTP_OK && !(r.method_len == 3 && !memcmp(r.method, "GET", 3)) && !r.head)
		status = HTTP_METHOD;
	if (status == HTTP_OK)
		status = target_path(r.target, r.target_len, name, sizeof name);
	if (status == HTTP_OK) {
		struct stat sb;

		x->fd = open_beneath(h->dirfd, name);
		if (x->fd < 0)
			status = errno == EXDEV ? HTTP_FORBIDDEN : HTTP_NOT_FOUND;
		else if (fstat(x->fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
			sess_file_close(x);
			status = HTTP_NOT_FOUND;
		} else {
			size = (uint64_t)sb.st_size;
			type = content_type(name);
			/* Ranges are a GET's alone (RFC 9110 14.2): HEAD describes the whole file. */
			if (r.range && !r.head)
				status = parse_range(r.range, r.range_len, size, &first, &end);
			if (status == HTTP_RANGE)
				sess_file_close(x);
		}
	}
	st->http_requests++;
	if (status == HTTP_OK || status == HTTP_PARTIAL)
		st->http_ok++;
	else if (status == HTTP_NOT_FOUND)
		st->http_not_found++;
	else
		st->http_bad++;
	/*
	 * A malformed request leaves no trustworthy end to the stream, and a
	 * body this service does not read would be taken for the next
	 * request: either closes the connection after the response.
	 */
	x->close_after = status == HTTP_BAD || !r.keep_alive || r.has_body;
	/* HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told. */
	conn = x->close_after ? "Connection: close\r\n" : r.http11 ? "" : "Connection: keep-alive\r\n";
	if (status == HTTP_OK) {
		n = snprintf(x->head, sizeof x->head,
			     "HTTP/1.1 200 OK\r\nServer: zcstack\r\nContent-Type: %s\r\nContent-Length: %" PRIu64
			     "\r\nAccept-Ranges: bytes\r\n%s\r\n",
			     type, size, conn);
		x->body_off = 0;
		x->body_end = r.head ? 0 : size;
		if (r.head)
			sess_file_close(x);
	} else if (status == HTTP_PARTIAL) {
		n = snprintf(x->head, sizeof x->head,
			     "HTTP/1.1 206 Partial Content\r\nServer: zcstack\r\nContent-Type: %s\r\nContent-Length: %" PRIu64
			     "\r\nContent-Range: bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64 "\r\n%s\r\n",
			     type, end - first, first, end - 1, size,
			     conn);
		x->body_off = first;
		x->body_end = end;
	} else {
		/* The error's text is the body, sent from the head buffer with it (none for HEAD). */
		char body[64], extra[64] = "";
		int bn = snprintf(body, sizeof body, "%d %s\n", status, reason(status));

		/* 405 names the methods there are; 416 the file's length (RFC 9110 15.5.17). */
		if (status == HTTP_METHOD)
			snprintf(extra, sizeof extra, "Allow: GET, HEAD\r\n");
		else if (status == HTTP_RANGE)
			snprintf(extra, sizeof extra, "Content-Range: bytes */%" PRIu64 "\r\n", size);
		n = snprintf(x->head, sizeof x->head,
			     "HTTP/1.1 %d %s\r\nServer: zcstack\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n%s%s\r\n%s",
			     status, reason(status), bn, extra,
			     conn,
			     r.head ? "" : body);
		x->body_off = x->body_end = 0;
	}
	x->head_len = n > 0 && (size_t)n < sizeof x->head ? (size_t)n : 0;
	x->head_off = 0;
	x->sending = true;
}

/* The response to a head too large for the buffer: 431 (RFC 6585 5), then the connection ends. */
static void respond_too_large(zcstack_http_sess *x, zcstack_stats *st)
{
	static const char msg[] = "HTTP/1.1 431 Request Header Fields Too Large\r\nServer: zcstack\r\n"
				  "Content-Type: text/plain\r\nContent-Length: 36\r\nConnection: close\r\n\r\n"
				  "431 Request Header Fields Too Large\n";

	memcpy(x->head, msg, sizeof msg - 1);
	x->head_len = sizeof msg - 1;
	x->head_off = 0;
	x->body_off = x->body_end = 0;
	x->close_after = true;
	x->sending = true;
	st->http_requests++;
	st->http_bad++;
}

/*
 * Feeds the response into the send ring as far as it has room: 1 when it is
 * all queued, 0 when the ring is full, -1 when the file could not be read
 * or the connection failed.
 */
static int send_some(zcstack_http_sess *x, zcs_stack *s, int c, zcstack_stats *st, uint64_t now)
{
	uint8_t buf[32768];
	size_t room;

	while ((room = zcs_tcp_writable(s, c)) > 0) {
		long w;

		if (x->head_off < x->head_len) {
			size_t k = x->head_len - x->head_off;

			w = zcs_tcp_send(s, c, x->head + x->head_off, k < room ? k : room, now);
			if (w < 0)
				return w == ZC_E_AGAIN ? 0 : -1;
			x->head_off += (size_t)w;
		} else if (x->body_off < x->body_end) {
			uint64_t k = x->body_end - x->body_off;
			ssize_t r;

			if (k > room)
				k = room;
			if (k > sizeof buf)
				k = sizeof buf;
			r = pread(x->fd, buf, (size_t)k, (off_t)x->body_off);
			if (r <= 0)
				return -1; /* the file shrank or failed: the promised length cannot be kept */
			w = zcs_tcp_send(s, c, buf, (size_t)r, now);
			if (w < 0)
				return w == ZC_E_AGAIN ? 0 : -1;
			/* What the ring did not take is read again next time. */
			x->body_off += (uint64_t)w;
			st->http_body_bytes += (uint64_t)w;
		} else {
			return 1;
		}
	}
	if (x->head_off == x->head_len && x->body_off == x->body_end)
		return 1;
	/* No room: a connection that can still send waits for ACKs; one that failed ends. */
	return zcs_tcp_get_state(s, c) == ZCS_TCP_ESTABLISHED || zcs_tcp_get_state(s, c) == ZCS_TCP_CLOSE_WAIT ? 0 : -1;
}

static bool sess_end(zcstack_http_sess *x, zcs_stack *s, int c, uint64_t now)
{
	sess_file_close(x);
	x->used = false;
	(void)zcs_tcp_close(s, c, now);
	return false;
}

bool zcstack_http_serve(zcstack_http *h, int i, zcs_stack *s, int c, zcstack_stats *st, uint64_t now,
			uint64_t *deadline)
{
	zcstack_http_sess *x = &h->sess[i];
	unsigned answered = 0;

	for (;;) {
		size_t end;
		long n;

		if (x->sending) {
			int r = send_some(x, s, c, st, now);

			if (r < 0) {
				st->http_aborted++;
				return sess_end(x, s, c, now);
			}
			if (r == 0)
				return true; /* called again when ACKs make room */
			sess_file_close(x);
			x->sending = false;
			x->last_us = now;
			if (x->close_after)
				return sess_end(x, s, c, now);
			if (++answered == HTTP_BURST) {
				*deadline = now; /* the other connections first; this one again at once */
				return true;
			}
		}
		end = head_end(x->req, x->req_len);
		if (end) {
			respond(h, x, end, st);
			memmove(x->req, x->req + end, x->req_len - end);
			x->req_len -= end;
			continue;
		}
		if (x->req_len == sizeof x->req) {
			respond_too_large(x, st);
			continue;
		}
		if (x->peer_done)
			return sess_end(x, s, c, now); /* a part of a request, if any, can never be answered */
		n = zcs_tcp_recv(s, c, x->req + x->req_len, sizeof x->req - x->req_len, now);
		if (n > 0) {
			x->req_len += (size_t)n;
			continue;
		}
		if (n == 0) {
			x->peer_done = true;
			continue;
		}
		if (n != ZC_E_AGAIN)
			return sess_end(x, s, c, now);
		break;
	}
	if (now - x->last_us >= HTTP_IDLE_US) {
		st->http_idle_closed++;
		return sess_end(x, s, c, now);
	}
	if (x->last_us + HTTP_IDLE_US < *deadline)
		*deadline = x->last_us + HTTP_IDLE_US;
	return true;
}
