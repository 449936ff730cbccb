/*
 * counts.c: one server's counters from its dhcpd's log.  The set of
 * shared_network label values is capped: with a dhcpd.conf, only the
 * shared networks it declares (a lone subnet's is its CIDR, as dhcpd
 * names it); without one, the first DHCPLOG_MAX_NETWORKS names seen; every
 * other name counts under "other".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dl_int.h"

void
dhcplog_counts_init(struct dhcplog_counts *c)
{
	memset(c, 0, sizeof(*c));
}

void
dhcplog_counts_free(struct dhcplog_counts *c)
{
	size_t i;

	for (i = 0; i < c->nnets; i++)
		free(c->nets[i].name);
	free(c->nets);
	memset(c, 0, sizeof(*c));
}

/* dst (initialised, maybe holding an older copy) becomes a copy of src. */
int
dhcplog_counts_copy(struct dhcplog_counts *dst, const struct dhcplog_counts *src)
{
	struct dhcplog_counts n = *src;
	size_t i;

	n.nets = NULL;
	n.nnets = 0;
	if (src->nnets > 0) {
		n.nets = calloc(src->nnets, sizeof(*n.nets));
		if (n.nets == NULL)
			return -1;
		for (; n.nnets < src->nnets; n.nnets++) {
			n.nets[n.nnets] = src->nets[n.nnets];
			n.nets[n.nnets].name = strdup(src->nets[n.nnets].name);
			if (n.nets[n.nnets].name == NULL) {
				dhcplog_counts_free(&n);
				return -1;
			}
		}
	}
	for (i = 0; i < dst->nnets; i++)
		free(dst->nets[i].name);
	free(dst->nets);
	*dst = n;
	return 0;
}

/* The slot of name, inserted (zeroed) when missing; NULL: no memory. */
static struct dhcplog_net *
net_slot(struct dhcplog_counts *c, const char *name, size_t len, int create)
{
	struct dhcplog_net *n;
	size_t lo = 0, hi = c->nnets, mid;
	int cmp;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		cmp = strncmp(c->nets[mid].name, name, len);
		if (cmp == 0 && c->nets[mid].name[len] != '\0')
			cmp = 1;
		if (cmp == 0)
			return &c->nets[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!create)
		return NULL;
	n = reallocarray(c->nets, c->nnets + 1, sizeof(*n));
	if (n == NULL)
		return NULL;
	c->nets = n;
	memmove(&n[lo + 1], &n[lo], (c->nnets - lo) * sizeof(*n));
	memset(&n[lo], 0, sizeof(*n));
	n[lo].name = strndup(name, len);
	if (n[lo].name == NULL) {
		memmove(&n[lo], &n[lo + 1], (c->nnets - lo) * sizeof(*n));
		return NULL;
	}
	c->nnets++;
	return &n[lo];
}

static int
declared(const struct dhcpdconf *conf, struct dhcplog_str name)
{
	size_t i;

	for (i = 0; i < conf->nshared; i++)
		if (dhcplog_str_eq(name, conf->shared[i].name))
			return 1;
	return 0;
}

/*
 * The shared network of the subnet that holds the relay address (the
 * longest prefix), or NULL: dhcpd's own lookup for a relayed packet.
 */
const char *
dhcplog_relay_network(const struct dhcpdconf *conf, struct dhcplog_str relay)
{
	const struct dhcpdconf_subnet *s, *best = NULL;
	uint32_t ip;
	size_t i;

	if (conf == NULL || dl_ipv4(relay.p, relay.len, &ip) == -1)
		return NULL;
	for (i = 0; i < conf->nsubnets; i++) {
		s = &conf->subnets[i];
		if ((ip & s->mask) == s->net &&
		    (best == NULL || s->mask > best->mask))
			best = s;
	}
	return best != NULL && best->shared < conf->nshared ?
	    conf->shared[best->shared].name : NULL;
}

/*
 * Every declared network starts at zero, so that rate() works from the
 * first scrape.
 */
int
dhcplog_counts_declare(struct dhcplog_counts *c, const struct dhcpdconf *conf)
{
	size_t i;

	for (i = 0; conf != NULL && i < conf->nshared; i++)
		if (net_slot(c, conf->shared[i].name,
		    strlen(conf->shared[i].name), 1) == NULL)
			return -1;
	return 0;
}

static void
count_failure(struct dhcplog_counts *c, enum dhcplog_reason r,
    struct dhcplog_str name, const struct dhcpdconf *conf)
{
	struct dhcplog_net *n = NULL;
	size_t others = 0, i;

	if (name.len == 0) {
		c->nofail[r]++;
		return;
	}
	if (conf != NULL ? declared(conf, name) :
	    name.len <= DL_MAX_NETNAME && !dhcplog_str_eq(name, DHCPLOG_OTHER)) {
		n = net_slot(c, name.p, name.len, 0);
		if (n == NULL && conf == NULL) {
			for (i = 0; i < c->nnets; i++)
				others += strcmp(c->nets[i].name,
				    DHCPLOG_OTHER) != 0;
			if (others < DHCPLOG_MAX_NETWORKS)
				n = net_slot(c, name.p, name.len, 1);
		} else if (n == NULL)
			n = net_slot(c, name.p, name.len, 1);
	}
	if (n == NULL)
		n = net_slot(c, DHCPLOG_OTHER, strlen(DHCPLOG_OTHER), 1);
	if (n != NULL)
		n->failures[r]++;
	else
		c->nofail[r]++;	/* out of memory: counted, unlabelled */
}

uint64_t
dhcplog_failures(const struct dhcplog_counts *c, enum dhcplog_reason r,
    const char *network)
{
	size_t i;

	if (r >= DHCPLOG_NREASONS)
		return 0;
	if (*network == '\0')
		return c->nofail[r];
	for (i = 0; i < c->nnets; i++)
		if (strcmp(c->nets[i].name, network) == 0)
			return c->nets[i].failures[r];
	return 0;
}

/* Count one dhcpd message (program already known). */
enum dhcplog_verdict
dhcplog_count_msg(struct dhcplog_counts *c, const char *program, size_t plen,
    const char *msg, size_t mlen, const struct dhcpdconf *conf, double now)
{
	struct dhcplog_event ev;
	struct dhcplog_str name;

	c->lines++;
	c->last_line = now;
	if (plen != 5 || memcmp(program, "dhcpd", 5) != 0) {
		c->other_program++;
		return DHCPLOG_OTHER_PROGRAM;
	}
	if (dhcplog_msg_parse(msg, mlen, &ev) == -1) {
		c->unparsed++;
		return DHCPLOG_UNPARSED;
	}
	if (ev.kind == DHCPLOG_EV_ABANDONED) {
		c->abandoned++;
		return DHCPLOG_COUNTED;
	}
	c->packets[ev.type]++;
	if (ev.type == DHCPLOG_DISCOVER && ev.reason < DHCPLOG_NREASONS) {
		name = ev.network;
		if (name.len == 0) {
			name.p = dhcplog_relay_network(conf, ev.relay);
			name.len = name.p != NULL ? strlen(name.p) : 0;
		}
		count_failure(c, ev.reason, name, conf);
	}
	return DHCPLOG_COUNTED;
}

/* Count one framed line; f NULL: the line had no syslog framing. */
enum dhcplog_verdict
dhcplog_count_line(struct dhcplog_counts *c, const struct dhcplog_frame *f,
    const struct dhcpdconf *conf, double now)
{
	if (f == NULL) {
		c->lines++;
		c->unparsed++;
		c->last_line = now;
		return DHCPLOG_NOT_SYSLOG;
	}
	return dhcplog_count_msg(c, f->program.p, f->program.len, f->msg.p,
	    f->msg.len, conf, now);
}
