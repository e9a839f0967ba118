/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz/driver.c - the AFL++, libFuzzer and replay entry points every harness
 * shares (see driver.h).
 */
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h> /* read(), which the AFL++ macros call */

volatile uint32_t zc_fuzz_sink;

void zc_fuzz_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: invariant broken: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

/*
 * Runs one input from a heap copy of exactly its bytes: AFL++'s shared
 * buffer is larger than the input, so a read past the end would go unseen.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		abort();
	if (size)
		memcpy(copy, data, size);
	zc_fuzz_one(copy, size);
	free(copy);
	return 0;
}

#if defined(ZC_FUZZ_NO_MAIN)
/* libFuzzer (or another engine) supplies main. */

#elif defined(__AFL_FUZZ_TESTCASE_LEN)
/* AFL++ persistent mode: many inputs per fork, read from shared memory. */
__AFL_FUZZ_INIT();

int main(void)
{
	unsigned char *buf;

#ifdef __AFL_HAVE_MANUAL_CONTROL
	__AFL_INIT();
#endif
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000))
		LLVMFuzzerTestOneInput(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
	return 0;
}

#else
/* Replay: every file named, and every file in every folder named. */

#ifndef ZC_FUZZ_SRCDIR
#define ZC_FUZZ_SRCDIR "."
#endif

static int replay_stream(FILE *f, const char *name)
{
	size_t cap = 4096, len = 0, n;
	uint8_t *buf = malloc(cap);

	if (!buf)
		abort();
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *bigger = realloc(buf, cap * 2);
			if (!bigger)
				abort();
			buf = bigger;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", name);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	int r;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	r = replay_stream(f, path);
	fclose(f);
	return r;
}

static int skip_entry(const struct dirent *d)
{
	/* Dotfiles (.keep, editor leftovers) are not inputs. */
	return d->d_name[0] != '.';
}

/* Returns the number of inputs run, or -1. */
static long replay_path(const char *path)
{
	struct stat st;
	struct dirent **names;
	long count = 0;
	int i, n;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) == 0 ? 1 : -1;
	n = scandir(path, &names, skip_entry, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
		char *full = malloc(len);
		struct stat est;

		if (!full)
			abort();
		snprintf(full, len, "%s/%s", path, names[i]->d_name);
		/* One level only: sub-folders (AFL++ output, say) are not inputs. */
		if (stat(full, &est) == 0 && S_ISREG(est.st_mode)) {
			if (replay_file(full) != 0)
				count = -1;
			else if (count >= 0)
				count++;
		}
		free(full);
		free(names[i]);
	}
	free(names);
	return count;
}

static long replay_report(const char *path, int *failed)
{
	long n = strcmp(path, "-") == 0 ? (replay_stream(stdin, "stdin") == 0 ? 1 : -1) : replay_path(path);

	if (n < 0)
		*failed = 1;
	printf("replay: %s: %ld inputs\n", path, n < 0 ? 0 : n);
	return n < 0 ? 0 : n;
}

/*
 * With no argument, a program built with ZC_FUZZ_TARGET (the replay_<target>
 * programs of make check) replays its seeds and its kept crashes:
 * $srcdir/fuzz/seeds/<target> and $srcdir/fuzz/crashes/<target>, srcdir
 * from the environment (the test harness sets it) or ZC_FUZZ_SRCDIR.
 * Without ZC_FUZZ_TARGET, or with "-", it reads one input from stdin.
 */
int main(int argc, char **argv)
{
	long total = 0;
	int i, failed = 0;

	if (argc < 2) {
#ifdef ZC_FUZZ_TARGET
		const char *top = getenv("srcdir");
		char path[4096];

		if (!top || !*top)
			top = ZC_FUZZ_SRCDIR;
		snprintf(path, sizeof path, "%s/fuzz/seeds/%s", top, ZC_FUZZ_TARGET);
		total += replay_report(path, &failed);
		if (total == 0) {
			fprintf(stderr, "replay: no seeds in %s\n", path);
			failed = 1;
		}
		snprintf(path, sizeof path, "%s/fuzz/crashes/%s", top, ZC_FUZZ_TARGET);
		total += replay_report(path, &failed);
#else
		total += replay_report("-", &failed);
#endif
	}
	for (i = 1; i < argc; i++)
		total += replay_report(argv[i], &failed);
	printf("replay: %ld inputs, %s\n", total, failed ? "some could not be read" : "all passed");
	return failed;
}
#endif
