/*
 * fake_omapi.h: an OMAPI server inside the test's own process, on
 * 127.0.0.1 and an ephemeral port, for the unit tests of the connection,
 * the pipeline, the poll, the sweep and the poller.
 *
 * A thread accepts, greets (unless told not to), answers the
 * authenticator open when asked (auth), and then, by mode:
 *   FAKE_STEP        hands the socket (sfd) to the test, which plays the
 *                    server step by step with fake_read_req, fake_build_*
 *                    and fake_write_all; one connection;
 *   FAKE_ECHO        answers every request with a lease naming its tid;
 *   FAKE_ECHO_MIXED  the same, but every second and third answer are
 *                    "not found" and a bare success;
 *   FAKE_DHCPD       answers as dhcpd does, from a model set up before
 *                    fake_start (or changed under fake_lock): leases by
 *                    address (each naming its pool's handle), REFRESH of a
 *                    pool handle with lease-count, free-leases and
 *                    backup-leases, hosts by name or MAC, and any of them
 *                    with an error status instead.
 * The answering modes serve one connection after another until
 * fake_stop, so a client that reconnects finds the same server.
 *
 * Faults, for every answering mode: no_startup (accept and never greet),
 * mute_at N (from the Nth request on, read and never answer), close_at N
 * (close the connection on reading the Nth request, unanswered; once),
 * duplicates N (send the next N answers twice: replies to no request).
 * Requests are numbered from 1 over the fake's whole life.
 *
 * Fields the thread reads or writes after fake_start (the model, the
 * faults and the counters) are under fake_lock.
 */
#ifndef FAKE_OMAPI_H
#define FAKE_OMAPI_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "omapi.h"

#define FAKE_KEY_NAME	"omapi_key"
#define FAKE_KEY_B64	"yhgGCRs6sTRbjTfvCzHWzg=="
#define FAKE_AUTHID	5

#define FAKE_LEASES_MAX	4096
#define FAKE_POOLS_MAX	256
#define FAKE_HOSTS_MAX	64
#define FAKE_SEEN_MAX	4096	/* addresses whose lookups are counted */

/* dhcpd's words for a missing object. */
#define FAKE_NOTFOUND_TEXT	"no object matches specification"

enum fake_mode { FAKE_STEP, FAKE_ECHO, FAKE_ECHO_MIXED, FAKE_DHCPD };
enum fake_auth { FAKE_AUTH_NONE, FAKE_AUTH_OK, FAKE_AUTH_REFUSE,
    FAKE_AUTH_HANGUP, FAKE_AUTH_SILENT };

/* A lease (FAKE_DHCPD); status nonzero: answer that status instead. */
struct fake_lease {
	uint32_t	ip;		/* host order */
	uint32_t	state;
	uint32_t	ends;		/* epoch s; 0: not sent */
	uint32_t	pool;		/* handle; 0: a lease without a pool */
	uint32_t	status;
};

struct fake_pool {
	uint32_t	handle;
	uint32_t	lease_count;
	uint32_t	free_leases;
	uint32_t	backup_leases;
	int		no_backup;	/* leave backup-leases out */
	int		no_counts;	/* leave every counter out */
	uint32_t	status;
};

struct fake_host {
	char		name[64];
	uint8_t		mac[6];
	uint8_t		ip[4];
	uint32_t	status;
};

struct fake {
	int			 lfd;
	int			 sfd;		/* FAKE_STEP: the test's */
	int			 stopfd[2];
	uint16_t		 port;
	pthread_t		 th;
	int			 running;
	pthread_mutex_t		 mtx;

	/* Set before fake_start. */
	enum fake_mode		 mode;
	enum fake_auth		 auth;
	uint8_t			 startup[8];	/* what the server greets with */
	int			 no_startup;
	int			 split_startup;
	struct omapi_signer	*signer;	/* signs answers; freed by stop */

	/* Under fake_lock once started. */
	struct fake_lease	 leases[FAKE_LEASES_MAX];
	size_t			 nleases;
	struct fake_pool	 pools[FAKE_POOLS_MAX];
	size_t			 npools;
	struct fake_host	 hosts[FAKE_HOSTS_MAX];
	size_t			 nhosts;
	char			 status_text[128]; /* of every error status */
	uint64_t		 mute_at;
	uint64_t		 close_at;
	unsigned		 duplicates;	/* answers to send twice */
	uint64_t		 requests;	/* read, all connections */
	uint64_t		 answered;
	uint64_t		 ops[OMAPI_OP_DELETE + 1]; /* requests by opcode */
	uint64_t		 accepted;	/* connections */
	unsigned		 max_pending;	/* requests read, unanswered */
	uint32_t		 seen_base;	/* lease lookups counted from */
	uint16_t		 seen[FAKE_SEEN_MAX];

	/* What the client sent (FAKE_STEP, tests of the startup and auth). */
	uint8_t			 client_startup[8];
	uint8_t			 auth_req[1024];
	size_t			 auth_req_len;
	uint8_t			 in[80000];	/* the server's read buffer */
	size_t			 inlen;
};

struct fake	*fake_new(void);
void		 fake_start(struct fake *);
void		 fake_join(struct fake *);
void		 fake_stop(struct fake *);
void		 fake_lock(struct fake *);
void		 fake_unlock(struct fake *);
struct fake_lease *fake_add_lease(struct fake *, uint32_t ip, uint32_t state,
		    uint32_t pool);
struct fake_pool *fake_add_pool(struct fake *, uint32_t handle,
		    uint32_t count, uint32_t nfree, uint32_t backup);
struct fake_host *fake_add_host(struct fake *, const char *name,
		    const char *mac, const char *ip);
uint64_t	 fake_get(struct fake *, const uint64_t *field);

/* For the test that plays the server (FAKE_STEP). */
int64_t		 fake_ms_now(void);
int64_t		 unit_limit_ms(int64_t ms);
void		 fake_write_all(int fd, const void *, size_t);
int		 fake_next(struct fake *, uint8_t *out, size_t *outlen);
uint32_t	 fake_read_req(struct fake *, uint8_t *buf, struct omapi_msg *);
void		 fake_build(struct omapi_buf *, uint32_t opcode, uint32_t handle,
		    uint32_t rid, const struct omapi_nv *msg, size_t nmsg,
		    const struct omapi_nv *obj, size_t nobj, uint32_t authid,
		    struct omapi_signer *);
void		 fake_build_lease(struct omapi_buf *, uint32_t rid,
		    uint32_t authid, struct omapi_signer *);
void		 fake_build_status(struct omapi_buf *, uint32_t rid,
		    uint32_t result, const char *text, uint32_t authid,
		    struct omapi_signer *);
struct omapi_signer *fake_signer(const char *b64, enum omapi_alg);

#endif /* FAKE_OMAPI_H */
