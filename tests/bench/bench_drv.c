/*
 * bench_drv.c: the benchmark driver.  It runs the exporter's own code
 * (config_load, server_connect, server_poll, sweeper_slice, omapi_sweep)
 * against a real dhcpd and prints one JSON object of figures on stdout;
 * tests/bench/run.sh turns those into the summary table.
 *
 *   bench_drv sweep CONFIG [--window W] [--rate R] [--pid P] [--limit N]
 *	A full sweep of the configured ranges with the exporter's sweeper,
 *	sliced as the poller slices it.  With --pid, dhcpd's CPU time over
 *	the sweep is read from /proc/P/schedstat.
 *   bench_drv pace CONFIG [--rate R] [--limit N] [--pid P]
 *	The same sweep through omapi_sweep with a callback that timestamps
 *	every answer: the rate held and how evenly answers come.
 *   bench_drv poll CONFIG [--polls N] [--pid P]
 *	N polls of every pool (server_poll), with a reconnect half-way:
 *	wall time per poll, requests per poll, RSS and open descriptors,
 *	and with --pid how busy dhcpd was while we polled.
 *
 * The sweep and pace modes check the binding-state counts they saw against
 * nothing: run.sh compares them with the lab's truth file.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "log.h"
#include "poll/poll_int.h"

struct opts {
	const char	*mode;
	const char	*config;
	long		 window;	/* -1: the configuration's */
	long		 rate;		/* -1: the configuration's */
	long		 pid;
	long		 limit;		/* addresses; 0: all */
	long		 polls;
};

static void
usage(void)
{
	fprintf(stderr, "usage: bench_drv sweep|pace|poll CONFIG [--window W]"
	    " [--rate R] [--pid P] [--limit N] [--polls N]\n");
	exit(2);
}

static double
now_s(void)
{
	return (double)omapi_now_us() / 1e6;
}

/* CPU time of a process in seconds (schedstat: ns on the CPU). */
static double
proc_cpu_s(long pid)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *f;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/schedstat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return (double)ns / 1e9;
}

/* Our own CPU time, user + system. */
static double
self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* A "VmRSS:"-style line of /proc/self/status, in KiB. */
static long
self_status_kib(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, n) == 0) {
			v = strtol(line + n, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static long
self_fds(void)
{
	struct dirent *d;
	long n = 0;
	DIR *dir;

	if ((dir = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1;	/* the directory itself */
}

static long
num_arg(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		usage();
	return v;
}

static void
parse(int argc, char **argv, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->window = o->rate = -1;
	o->polls = 1000;
	if (argc < 3)
		usage();
	o->mode = argv[1];
	o->config = argv[2];
	for (i = 3; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--window") == 0)
			o->window = num_arg(argv[i + 1]);
		else if (strcmp(argv[i], "--rate") == 0)
			o->rate = num_arg(argv[i + 1]);
		else if (strcmp(argv[i], "--pid") == 0)
			o->pid = num_arg(argv[i + 1]);
		else if (strcmp(argv[i], "--limit") == 0)
			o->limit = num_arg(argv[i + 1]);
		else if (strcmp(argv[i], "--polls") == 0)
			o->polls = num_arg(argv[i + 1]);
		else
			usage();
	}
	if (i != argc)
		usage();
}

/* Load the configuration; the first server is the one benchmarked. */
static struct config *
load(const struct opts *o)
{
	struct config_errors errs;
	struct config *cfg = NULL;
	size_t i;

	memset(&errs, 0, sizeof(errs));
	if (config_load(o->config, &cfg, &errs) == -1 || cfg->nservers < 1) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "bench_drv: %s\n", errs.msg[i]);
		fprintf(stderr, "bench_drv: %s: bad configuration\n",
		    o->config);
		exit(2);
	}
	config_errors_free(&errs);
	if (o->window >= 0)
		cfg->servers[0].sweep.window = (unsigned)o->window;
	if (o->rate >= 0)
		cfg->servers[0].sweep.max_rate = (uint32_t)o->rate;
	/* --limit: only the first N addresses of the first range. */
	if (o->limit > 0 && cfg->servers[0].npools > 0) {
		struct config_pool *p = &cfg->servers[0].pools[0];
		uint64_t last = (uint64_t)p->ranges[0].first + o->limit - 1;

		cfg->servers[0].npools = 1;
		p->nranges = 1;
		if (last < p->ranges[0].last)
			p->ranges[0].last = (uint32_t)last;
	}
	return cfg;
}

static void
start_server(struct server *s, struct config *cfg)
{
	char err[256];

	if (server_init(s, &cfg->servers[0], 0, err, sizeof(err)) == -1) {
		fprintf(stderr, "bench_drv: %s\n", err);
		exit(2);
	}
	if (server_connect(s, snapshot_now()) == -1) {
		fprintf(stderr, "bench_drv: cannot connect: %s\n",
		    s->last_error);
		exit(3);
	}
}

/* OMAPI requests sent so far on the server's connections. */
static uint64_t
server_requests(struct server *s)
{
	server_sync_counters(s);
	return s->res.counters.requests;
}

static uint64_t
config_addrs(const struct config_server *c)
{
	uint64_t n = 0;
	size_t i, j;

	for (i = 0; i < c->npools; i++)
		for (j = 0; j < c->pools[i].nranges; j++)
			n += (uint64_t)c->pools[i].ranges[j].last -
			    c->pools[i].ranges[j].first + 1;
	return n;
}

static void
print_states(const uint64_t *states)
{
	unsigned i;

	printf("\"states\":{");
	for (i = 1; i < SNAPSHOT_NSTATES; i++)
		printf("%s\"%s\":%llu", i > 1 ? "," : "",
		    snapshot_state_name(i), (unsigned long long)states[i]);
	printf("}");
}

/* A whole sweep with the exporter's sweeper. */
static int
run_sweep(const struct opts *o)
{
	struct config *cfg = load(o);
	struct server s;
	uint64_t states[SNAPSHOT_NSTATES] = { 0 }, req0;
	struct omapi_error e;
	double t0, t1, c0, c1, u0, u1, min_rate = 1e12;
	size_t max_conns = 0;
	size_t i, k;
	int done = 0;

	start_server(&s, cfg);
	req0 = server_requests(&s);
	if (sweeper_start(&s.sweep, snapshot_now()) == -1)
		return 1;
	c0 = proc_cpu_s(o->pid);
	u0 = self_cpu_s();
	t0 = now_s();
	while (!done) {
		struct omapi_conn *conns[OMAPI_SWEEP_CONNS_MAX];
		size_t nc = server_sweep_conns(&s, s.sweep.conns, conns);

		if (nc > max_conns)
			max_conns = nc;
		if (sweeper_slice(&s.sweep, conns, nc, 0, &done, &e) == -1) {
			fprintf(stderr, "bench_drv: sweep failed: %s\n",
			    e.text);
			return 3;
		}
		s.res.counters.errors[SNAPSHOT_ERR_STATUS] +=
		    s.sweep.status_errors;
		if (s.sweep.rate < min_rate)
			min_rate = s.sweep.rate;
	}
	t1 = now_s();
	u1 = self_cpu_s();
	c1 = proc_cpu_s(o->pid);
	for (i = 0; i < s.cfg->npools; i++)
		for (k = 0; k < SNAPSHOT_NSTATES; k++)
			states[k] += s.sweep.work[i].states[k];
	printf("{\"mode\":\"sweep\",\"addresses\":%llu,\"requests\":%llu,"
	    "\"window\":%u,\"max_rate\":%u,\"keyed\":%d,\"wall_s\":%.6f,"
	    "\"rate\":%.1f,\"client_cpu_s\":%.6f,\"dhcpd_cpu_s\":%.6f,"
	    "\"dhcpd_busy\":%.4f,\"errors_status\":%llu,\"rss_peak_kib\":%ld,",
	    (unsigned long long)config_addrs(s.cfg),
	    (unsigned long long)(server_requests(&s) - req0),
	    s.cfg->sweep.window, s.cfg->sweep.max_rate, s.key != NULL, t1 - t0,
	    (double)config_addrs(s.cfg) / (t1 - t0), u1 - u0, c1 - c0,
	    o->pid > 0 ? (c1 - c0) / (t1 - t0) : 0,
	    (unsigned long long)s.res.counters.errors[SNAPSHOT_ERR_STATUS],
	    self_status_kib("VmHWM:"));
	printf("\"min_rate\":%.1f,\"connections\":%zu,", min_rate, max_conns);
	print_states(states);
	printf("}\n");
	sweeper_abort(&s.sweep);
	server_free(&s);
	config_free(cfg);
	return 0;
}

/* Answer times of a paced sweep. */
struct pace {
	int64_t		*t;
	size_t		 n;
	size_t		 cap;
	uint64_t	 states[SNAPSHOT_NSTATES];
};

static void
pace_answer(void *arg, uint32_t ip, const struct omapi_lease *l)
{
	struct pace *p = arg;

	if (p->n < p->cap)
		p->t[p->n++] = omapi_now_us();
	if (l != NULL && l->state < SNAPSHOT_NSTATES)
		p->states[l->state]++;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The paced sweep: every range of the first server in slices, as the
 * sweeper does, answers timestamped.  Evenness: answers per 10 ms bucket
 * against the rate (a burst shows as a bucket far above it) and the
 * largest number of answers in any 1 ms.
 */
static int
run_pace(const struct opts *o)
{
	struct config *cfg = load(o);
	const struct config_server *c = &cfg->servers[0];
	struct server s;
	struct omapi_sweep_opts so;
	struct omapi_sweep_result res;
	struct omapi_range r;
	struct omapi_error e;
	struct pace p;
	uint64_t total = config_addrs(c), first, last, *bucket;
	int64_t span, *gaps;
	size_t i, j, nb, maxb = 0, max1ms = 0, lo;
	double rate = c->sweep.max_rate, want10, c0, c1;
	/* A quarter second of lookups per call, as the sweeper slices. */
	uint64_t slice = rate / 4 < 8 ? 8 : (uint64_t)(rate / 4);

	if (rate <= 0)
		usage();
	start_server(&s, cfg);
	memset(&p, 0, sizeof(p));
	p.cap = total;
	if ((p.t = calloc(total + 1, sizeof(*p.t))) == NULL)
		return 1;
	memset(&so, 0, sizeof(so));
	so.ranges = &r;
	so.nranges = 1;
	so.window = c->sweep.window;
	so.max_rate = rate;
	c0 = proc_cpu_s(o->pid);
	for (i = 0; i < c->npools; i++)
		for (j = 0; j < c->pools[i].nranges; j++) {
			first = c->pools[i].ranges[j].first;
			last = c->pools[i].ranges[j].last;
			while (first <= last) {
				r.first = (uint32_t)first;
				r.last = (uint32_t)(first + slice - 1 < last ?
				    first + slice - 1 : last);
				if (omapi_sweep(s.conn, &so, pace_answer, &p,
				    &res, &e) == -1) {
					fprintf(stderr, "bench_drv: %s\n",
					    e.text);
					return 3;
				}
				first = (uint64_t)r.last + 1;
			}
		}
	c1 = proc_cpu_s(o->pid);
	if (p.n < 2)
		return 1;
	span = p.t[p.n - 1] - p.t[0];
	nb = (size_t)(span / 10000) + 1;
	if ((bucket = calloc(nb, sizeof(*bucket))) == NULL ||
	    (gaps = calloc(p.n, sizeof(*gaps))) == NULL)
		return 1;
	for (i = 0; i < p.n; i++)
		bucket[(p.t[i] - p.t[0]) / 10000]++;
	/* the last bucket is partial */
	for (i = 0; i + 1 < nb; i++)
		if (bucket[i] > maxb)
			maxb = bucket[i];
	for (i = 0, lo = 0; i < p.n; i++) {
		while (p.t[i] - p.t[lo] >= 1000)
			lo++;
		if (i - lo + 1 > max1ms)
			max1ms = i - lo + 1;
	}
	for (i = 1; i < p.n; i++)
		gaps[i - 1] = p.t[i] - p.t[i - 1];
	qsort(gaps, p.n - 1, sizeof(*gaps), cmp_i64);
	want10 = rate / 100;
	printf("{\"mode\":\"pace\",\"addresses\":%llu,\"answers\":%zu,"
	    "\"max_rate\":%.0f,\"window\":%u,\"wall_s\":%.6f,\"rate\":%.1f,"
	    "\"rate_error\":%.4f,\"per10ms_expected\":%.1f,"
	    "\"per10ms_max\":%zu,\"per1ms_max\":%zu,\"gap_p50_us\":%lld,"
	    "\"gap_p99_us\":%lld,\"gap_max_us\":%lld,\"dhcpd_busy\":%.4f,",
	    (unsigned long long)total, p.n, rate, c->sweep.window,
	    span / 1e6, (double)(p.n - 1) / (span / 1e6),
	    ((double)(p.n - 1) / (span / 1e6) - rate) / rate, want10, maxb,
	    max1ms, (long long)gaps[(p.n - 1) / 2],
	    (long long)gaps[(p.n - 1) * 99 / 100], (long long)gaps[p.n - 2],
	    (c1 - c0) / (span / 1e6));
	print_states(p.states);
	printf("}\n");
	free(bucket);
	free(gaps);
	free(p.t);
	server_free(&s);
	config_free(cfg);
	return 0;
}

/*
 * Polls of every pool.  The first poll resolves the pool handles; the
 * following ones only refresh them.  Half-way the connection is dropped
 * and reopened: the next poll must resolve again.
 */
static int
run_poll(const struct opts *o)
{
	struct config *cfg = load(o);
	const struct config_server *c = &cfg->servers[0];
	struct server s;
	struct pool_result *pools;
	struct host_result *hosts;
	int64_t *dur, t0, sum = 0;
	double c0, c1;
	uint64_t r0, req_first = 0, req_steady = 0, req_reconnect = 0;
	long rss_first = 0, fds_first = 0, rss_mid = 0, n = o->polls, i;
	size_t k, resolved = 0;

	if (n < 4)
		usage();
	start_server(&s, cfg);
	pools = calloc(c->npools + 1, sizeof(*pools));
	hosts = calloc(c->nhosts + 1, sizeof(*hosts));
	dur = calloc((size_t)n, sizeof(*dur));
	if (pools == NULL || hosts == NULL || dur == NULL)
		return 1;
	c0 = proc_cpu_s(o->pid);
	for (i = 0; i < n; i++) {
		if (i == n / 2) {
			server_disconnect(&s);
			if (server_connect(&s, snapshot_now()) == -1)
				return 3;
		}
		r0 = server_requests(&s);
		t0 = omapi_now_us();
		if (server_poll(&s, pools, hosts) == -1) {
			fprintf(stderr, "bench_drv: poll %ld failed: %s\n",
			    i, s.last_error);
			return 3;
		}
		dur[i] = omapi_now_us() - t0;
		sum += dur[i];
		r0 = server_requests(&s) - r0;
		if (i == 0) {
			req_first = r0;
			rss_first = self_status_kib("VmRSS:");
			fds_first = self_fds();
		} else if (i == 1)
			req_steady = r0;
		else if (i == n / 2)
			req_reconnect = r0;
		else if (i == n / 2 - 1)
			rss_mid = self_status_kib("VmRSS:");
	}
	for (k = 0; k < c->npools; k++)
		if (pools[k].handle != 0 && pools[k].counters_known)
			resolved++;
	printf("{\"mode\":\"poll\",\"pools\":%zu,\"pools_known\":%zu,"
	    "\"polls\":%ld,\"keyed\":%d,\"first_s\":%.6f,\"reconnect_s\":%.6f,"
	    "\"requests_first\":%llu,\"requests_steady\":%llu,"
	    "\"requests_reconnect\":%llu,",
	    c->npools, resolved, n, s.key != NULL, dur[0] / 1e6, dur[n / 2] / 1e6,
	    (unsigned long long)req_first, (unsigned long long)req_steady,
	    (unsigned long long)req_reconnect);
	c1 = proc_cpu_s(o->pid);
	printf("\"dhcpd_busy\":%.4f,", (c1 - c0) / (sum / 1e6));
	/* the resolving polls are reported apart */
	sum -= dur[0] + dur[n / 2];
	dur[0] = dur[n / 2] = 0;
	qsort(dur, (size_t)n, sizeof(*dur), cmp_i64);
	printf("\"steady_mean_s\":%.6f,\"steady_p50_s\":%.6f,"
	    "\"steady_p99_s\":%.6f,\"steady_max_s\":%.6f,"
	    "\"rss_first_kib\":%ld,\"rss_mid_kib\":%ld,\"rss_last_kib\":%ld,"
	    "\"rss_peak_kib\":%ld,\"fds_first\":%ld,\"fds_last\":%ld}\n",
	    sum / 1e6 / (double)(n - 2), dur[2 + (n - 2) / 2] / 1e6,
	    dur[2 + (n - 2) * 99 / 100] / 1e6, dur[n - 1] / 1e6, rss_first,
	    rss_mid, self_status_kib("VmRSS:"),
	    self_status_kib("VmHWM:"), fds_first, self_fds());
	free(pools);
	free(hosts);
	free(dur);
	server_free(&s);
	config_free(cfg);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(argc, argv, &o);
	log_set_level(LOG_LEVEL_ERROR);
	if (strcmp(o.mode, "sweep") == 0)
		return run_sweep(&o);
	if (strcmp(o.mode, "pace") == 0)
		return run_pace(&o);
	if (strcmp(o.mode, "poll") == 0)
		return run_poll(&o);
	usage();
	return 2;
}
