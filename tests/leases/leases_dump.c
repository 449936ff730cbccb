/*
 * leases_dump: what src/leases makes of a dhcpd.leases, for the
 * integration tests and the benchmark.
 *   leases_dump FILE               one line per address or prefix:
 *                                  KIND ADDR[/LEN] STATE ENDS CLTT
 *   leases_dump --count FILE       read once; entries, bad stanzas, time
 *   leases_dump --poll FILE MORE   read FILE, append MORE's bytes to it,
 *                                  read again: the cost of that one poll
 * Exit 1 when the file cannot be read, 2 when it has bad stanzas (the
 * first one's FILE:LINE:COLUMN message on stderr).
 */
#include <arpa/inet.h>
#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leases.h"

static const char *const kinds[] = { "v4", "na", "ta", "pd" };

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
read_once(struct leases *l, double *secs)
{
	char err[LEASES_ERRLEN];
	double t0 = now_s();
	int rv;

	rv = leases_read(l, err, sizeof(err));
	*secs = now_s() - t0;
	if (rv != 0)
		fprintf(stderr, "%s\n", err);
	return rv == -1 ? 1 : rv > 0 ? 2 : 0;
}

static int
append(const char *to, const char *from)
{
	FILE *in = fopen(from, "r"), *out = fopen(to, "a");
	char buf[65536];
	size_t n;
	int rv = 0;

	if (in == NULL || out == NULL)
		rv = -1;
	while (rv == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rv = -1;
	if (in != NULL)
		fclose(in);
	if (out != NULL && fclose(out) != 0)
		rv = -1;
	return rv;
}

static void
dump(const struct leases *l)
{
	const struct leases_entry *e;
	char a[INET6_ADDRSTRLEN];
	size_t n, i;

	e = leases_entries(l, &n);
	for (i = 0; i < n; i++) {
		inet_ntop(e[i].kind == LEASES_V4 ? AF_INET : AF_INET6,
		    e[i].addr, a, sizeof(a));
		printf("%s %s", kinds[e[i].kind], a);
		if (e[i].kind == LEASES_PD)
			printf("/%u", e[i].plen);
		printf(" %s %lld %lld\n", leases_state_name(e[i].state),
		    e[i].ends == LEASES_NEVER ? -1LL : (long long)e[i].ends,
		    (long long)e[i].cltt);
	}
}

int
main(int argc, char **argv)
{
	struct leases *l;
	struct leases_stats st;
	struct rusage ru;
	const char *mode = "", *file;
	double t1, t2 = 0;
	size_t n;
	int rv;

	if (argc >= 3 && argv[1][0] == '-')
		mode = argv[1];
	file = argv[mode[0] != '\0' ? 2 : 1];
	if (argc < 2 || (strcmp(mode, "--poll") == 0 && argc != 4)) {
		fprintf(stderr, "usage: leases_dump [--count | --poll] FILE "
		    "[MORE]\n");
		return 64;
	}
	if ((l = leases_new(file, 0)) == NULL)
		return 1;
	rv = read_once(l, &t1);
	if (rv != 1 && strcmp(mode, "--poll") == 0) {
		if (append(file, argv[3]) == -1) {
			perror(argv[3]);
			return 1;
		}
		rv = read_once(l, &t2);
	}
	leases_stats(l, &st);
	leases_entries(l, &n);
	if (mode[0] == '\0')
		dump(l);
	else {
		getrusage(RUSAGE_SELF, &ru);
		printf("entries %zu stanzas %llu bad %llu bytes %llu "
		    "first_read_s %.6f poll_read_s %.6f maxrss_kb %ld\n", n,
		    (unsigned long long)st.stanzas,
		    (unsigned long long)st.bad_stanzas,
		    (unsigned long long)st.bytes_read, t1, t2, ru.ru_maxrss);
	}
	leases_free(l);
	return rv;
}
