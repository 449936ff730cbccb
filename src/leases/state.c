/*
 * state.c: dhcpd's binding states: their names, and the state dhcpd holds
 * for an entry at a given time.
 */
#include "leases.h"

static const char *const state_names[LEASES_NSTATES] = {
	"none", "free", "active", "expired", "released", "abandoned",
	"reset", "backup"
};

/*
 * The state dhcpd holds for e at now.  IPv4: a lease whose `ends` has
 * passed is in its `next binding state` (what dhcpd does at load and
 * its timers do while it runs), and one without a state is active until
 * it ends, then free.  DHCPv6: as written (dhcpd writes every change).
 */
int
leases_state_at(const struct leases_entry *e, time_t now)
{
	int ended = e->ends != 0 && e->ends != LEASES_NEVER &&
	    e->ends <= (int64_t)now;

	if (e->kind != LEASES_V4)
		return e->state;
	if (e->state == LEASES_STATE_NONE)
		return ended ? LEASES_FREE : LEASES_ACTIVE;
	if (ended && e->next != LEASES_STATE_NONE)
		return e->next;
	return e->state;
}

const char *
leases_state_name(int state)
{
	return state >= 0 && state < LEASES_NSTATES ? state_names[state] :
	    "none";
}
