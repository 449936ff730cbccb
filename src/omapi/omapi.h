/*
 * omapi.h: an OMAPI client library for ISC dhcpd 4.x.
 *
 * One header for the whole library; prototypes are grouped under the file
 * that defines them.  The library never logs and never exits: every fallible
 * call returns 0 (or a count) on success and -1 on failure, and fills a
 * caller-owned struct omapi_error that says what went wrong and what kind of
 * failure it was, so the caller can decide what to do next.
 */
#ifndef OMAPI_H
#define OMAPI_H

#include <stddef.h>
#include <stdint.h>

#define OMAPI_PROTOCOL_VERSION	100
#define OMAPI_HEADER_SIZE	24
#define OMAPI_DEFAULT_PORT	7911
/* Default cap on one message; dhcpd's replies are a few hundred bytes. */
#define OMAPI_DEFAULT_MAX_MSG	(64 * 1024)
#define OMAPI_MAX_SIG		64	/* hmac-sha512 */
#define OMAPI_ERRLEN		256

enum omapi_opcode {
	OMAPI_OP_OPEN = 1,
	OMAPI_OP_REFRESH = 2,
	OMAPI_OP_UPDATE = 3,
	OMAPI_OP_NOTIFY = 4,
	OMAPI_OP_STATUS = 5,
	OMAPI_OP_DELETE = 6,
};

/* What kind of failure; the caller acts on this, the text is for people. */
enum omapi_errcode {
	OMAPI_OK = 0,
	OMAPI_ERR_NOTFOUND,	/* the server has no such object */
	OMAPI_ERR_AUTH,		/* key unknown, wrong secret, bad signature */
	OMAPI_ERR_STATUS,	/* the server refused with a status and text */
	OMAPI_ERR_TIMEOUT,	/* connect or reply did not come in time */
	OMAPI_ERR_PROTOCOL,	/* the server sent something malformed */
	OMAPI_ERR_CONNECTION,	/* refused, reset or closed */
	OMAPI_ERR_INVALID,	/* the caller's arguments are wrong */
	OMAPI_ERR_NOMEM,
};

struct omapi_error {
	enum omapi_errcode	 code;
	uint32_t		 result;	/* server's result, for STATUS */
	char			 text[OMAPI_ERRLEN];
};

/* ISC result codes that dhcpd puts in STATUS replies and we act on. */
#define OMAPI_RESULT_NOTFOUND		23	/* "no object matches" */
#define OMAPI_RESULT_NOAUTH		0x60009	/* unsigned to a keyed server */
#define OMAPI_RESULT_BADSIG		0x6000b	/* wrong secret */

/* ---- error.c ---- */
const char	*omapi_errcode_name(enum omapi_errcode);
int		 omapi_seterr(struct omapi_error *, enum omapi_errcode,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
void		 omapi_clearerr(struct omapi_error *);
const char	*omapi_result_text(uint32_t);

/* ---- buf.c: a growable byte buffer that never grows past its max ---- */
struct omapi_buf {
	uint8_t		*data;
	size_t		 len;
	size_t		 cap;
	size_t		 max;
};

void	 omapi_buf_init(struct omapi_buf *, size_t max);
void	 omapi_buf_free(struct omapi_buf *);
int	 omapi_buf_reserve(struct omapi_buf *, size_t);
int	 omapi_buf_add(struct omapi_buf *, const void *, size_t);
int	 omapi_buf_add_u16(struct omapi_buf *, uint16_t);
int	 omapi_buf_add_u32(struct omapi_buf *, uint32_t);
void	 omapi_buf_consume(struct omapi_buf *, size_t);

/* ---- wire.c: the codec; pure, no I/O, no allocation while decoding ---- */

/* One name/value pair as the caller gives it when building a message. */
struct omapi_nv {
	const char	*name;
	const void	*value;
	uint32_t	 len;
};

/* A request as the caller describes it; tid and signature are added later. */
struct omapi_request {
	uint32_t		 opcode;
	uint32_t		 handle;
	uint32_t		 rid;
	const struct omapi_nv	*msg;		/* message list */
	size_t			 nmsg;
	const struct omapi_nv	*obj;		/* object list */
	size_t			 nobj;
};

struct omapi_header {
	uint32_t	authid;
	uint32_t	authlen;
	uint32_t	opcode;
	uint32_t	handle;
	uint32_t	tid;
	uint32_t	rid;
};

/* A validated name/value list inside a received message (not a copy). */
struct omapi_list {
	const uint8_t	*data;
	size_t		 len;		/* up to and including the end marker */
};

/* One pair seen while walking a list; points into the message. */
struct omapi_pair {
	const uint8_t	*name;
	uint16_t	 namelen;
	const uint8_t	*value;
	uint32_t	 len;
};

/* A decoded message: views into the caller's buffer, valid while it is. */
struct omapi_msg {
	struct omapi_header	 hdr;
	struct omapi_list	 message;
	struct omapi_list	 object;
	const uint8_t		*signed_data;	/* from authlen to signature */
	size_t			 signed_len;
	const uint8_t		*sig;
	size_t			 size;		/* bytes the message took */
};

uint32_t omapi_get_u32(const uint8_t *);
void	 omapi_put_u32(uint8_t *, uint32_t);
int	 omapi_startup_encode(struct omapi_buf *);
int	 omapi_startup_decode(const uint8_t *, size_t, struct omapi_error *);
int	 omapi_msg_encode(struct omapi_buf *, const struct omapi_request *,
	    uint32_t authid, uint32_t authlen, uint32_t tid,
	    struct omapi_error *);
int	 omapi_msg_decode(const uint8_t *, size_t, size_t max,
	    struct omapi_msg *, struct omapi_error *);
int	 omapi_list_next(const struct omapi_list *, size_t *,
	    struct omapi_pair *);
int	 omapi_list_find(const struct omapi_list *, const char *,
	    const uint8_t **, uint32_t *);
int	 omapi_list_u32(const struct omapi_list *, const char *, uint32_t *);

/* ---- auth.c: keys and HMAC signatures ---- */
enum omapi_alg {
	OMAPI_ALG_NONE = 0,
	OMAPI_ALG_HMAC_MD5,
	OMAPI_ALG_HMAC_SHA1,
	OMAPI_ALG_HMAC_SHA224,
	OMAPI_ALG_HMAC_SHA256,
	OMAPI_ALG_HMAC_SHA384,
	OMAPI_ALG_HMAC_SHA512,
};

#define OMAPI_KEY_NAME_MAX	255
#define OMAPI_KEY_SECRET_MAX	256

struct omapi_key {
	char		name[OMAPI_KEY_NAME_MAX + 1];
	enum omapi_alg	alg;
	uint8_t		secret[OMAPI_KEY_SECRET_MAX];
	size_t		secret_len;
};

struct omapi_signer;

int	 omapi_alg_parse(const char *, enum omapi_alg *);
const char *omapi_alg_name(enum omapi_alg);
const char *omapi_alg_wire_name(enum omapi_alg);
size_t	 omapi_alg_siglen(enum omapi_alg);
struct omapi_signer *omapi_signer_new(const struct omapi_key *,
	    struct omapi_error *);
void	 omapi_signer_free(struct omapi_signer *);
size_t	 omapi_signer_len(const struct omapi_signer *);
int	 omapi_signer_sign(struct omapi_signer *, const uint8_t *, size_t,
	    uint8_t *);
int	 omapi_signer_verify(struct omapi_signer *, const uint8_t *, size_t,
	    const uint8_t *, size_t);

/* ---- key.c: where keys come from ---- */
int	 omapi_base64_decode(const char *, size_t, uint8_t *, size_t,
	    size_t *);
int	 omapi_key_set(struct omapi_key *, const char *name, const char *alg,
	    const char *base64, struct omapi_error *);
int	 omapi_key_parse_spec(struct omapi_key *, const char *name_colon_b64,
	    const char *alg, struct omapi_error *);
int	 omapi_key_parse_text(struct omapi_key *, const char *, size_t,
	    const char *want_name, struct omapi_error *);
int	 omapi_key_load_file(struct omapi_key *, const char *path,
	    const char *want_name, struct omapi_error *);
int	 omapi_secret_load_file(struct omapi_key *, const char *path,
	    struct omapi_error *);
void	 omapi_key_wipe(struct omapi_key *);

/* ---- conn.c: one TCP connection with many requests in flight ----
 *
 * dhcpd 4.4.3 aborts (dst_api.c REQUIRE) when the first signed field of a
 * message straddles the end of one of its 4 KiB connection buffers: its
 * copyout/copyin keep SIG_MODE_INIT set across a buffer boundary.  The
 * buffers are freed whenever they empty, so on a signed connection we keep
 * the requests in flight, and the replies they will produce, under
 * OMAPI_SIGNED_INFLIGHT_BYTES: dhcpd then never holds enough to wrap.
 * omapi_conn_can_send() says whether one more request fits.
 */
#define OMAPI_SIGNED_INFLIGHT_BYTES	3072
#define OMAPI_REPLY_SIZE_GUESS		512	/* until replies are seen */
struct omapi_conn_opts {
	const char		*host;		/* numeric IPv4/IPv6 or name */
	uint16_t		 port;
	const struct omapi_key	*key;		/* NULL: unsigned */
	int			 connect_timeout_ms;
	int			 io_timeout_ms;	/* per reply */
	size_t			 max_msg;	/* 0: OMAPI_DEFAULT_MAX_MSG */
};

struct omapi_conn;

/*
 * Called once per request: with the reply (err NULL), or with err set and
 * reply NULL when the connection failed or the reply did not verify.  The
 * reply points into the connection's buffer and is valid only during the
 * call.
 */
typedef void omapi_reply_fn(void *arg, const struct omapi_msg *reply,
    const struct omapi_error *err);

struct omapi_conn_stats {
	uint64_t	requests;
	uint64_t	replies;
	uint64_t	bytes_out;
	uint64_t	bytes_in;
	uint64_t	unmatched;	/* replies to no request of ours */
};

int64_t	 omapi_now_us(void);
struct omapi_conn *omapi_conn_open(const struct omapi_conn_opts *,
	    struct omapi_error *);
void	 omapi_conn_close(struct omapi_conn *);
int	 omapi_conn_send(struct omapi_conn *, const struct omapi_request *,
	    omapi_reply_fn *, void *, struct omapi_error *);
int	 omapi_conn_pump(struct omapi_conn *, int timeout_ms,
	    struct omapi_error *);
int	 omapi_conn_pump_us(struct omapi_conn *, int64_t timeout_us,
	    struct omapi_error *);
int	 omapi_conn_flush(struct omapi_conn *, struct omapi_error *);
int	 omapi_conn_cork(struct omapi_conn *, int on, struct omapi_error *);
unsigned omapi_conn_inflight(const struct omapi_conn *);
int	 omapi_conn_is_broken(const struct omapi_conn *);
void	 omapi_conn_interrupt(struct omapi_conn *);
void	 omapi_conn_abandon(struct omapi_conn *, const struct omapi_error *);
int	 omapi_conn_can_send(const struct omapi_conn *);
const struct omapi_conn_stats *omapi_conn_stats(const struct omapi_conn *);

/* ---- object.c: an owned copy of a reply's object, for synchronous use ---- */
struct omapi_object {
	uint32_t	 opcode;
	uint32_t	 handle;
	struct omapi_list attrs;	/* points into raw */
	uint8_t		*raw;
};

struct omapi_object *omapi_object_from_msg(const struct omapi_msg *);
void	 omapi_object_free(struct omapi_object *);
int	 omapi_object_get(const struct omapi_object *, const char *,
	    const uint8_t **, uint32_t *);
int	 omapi_object_u32(const struct omapi_object *, const char *,
	    uint32_t *);
int	 omapi_status_to_error(const struct omapi_msg *, struct omapi_error *);

/* ---- call.c: one request, wait for its reply ---- */
int	 omapi_call(struct omapi_conn *, const struct omapi_request *,
	    struct omapi_object **, struct omapi_error *);

/* ---- ops.c: what pypureomapi and dhcpctl offer ---- */
#define OMAPI_HTYPE_ETHERNET	1

struct omapi_host_spec {
	const char	*name;
	const uint8_t	*hw;		/* may be NULL */
	size_t		 hwlen;
	uint32_t	 htype;
	const uint8_t	*ip;		/* 4 bytes or NULL */
	const uint8_t	*client_id;	/* may be NULL */
	size_t		 client_id_len;
	const char	*statements;	/* may be NULL */
	const char	*group;		/* may be NULL */
};

struct omapi_pool_counters {
	uint32_t	handle;
	uint32_t	lease_count;
	uint32_t	free_leases;
	uint32_t	backup_leases;
};

int	 omapi_open_object(struct omapi_conn *, const char *type,
	    const struct omapi_nv *, size_t, int create, int exclusive,
	    struct omapi_object **, struct omapi_error *);
int	 omapi_refresh_object(struct omapi_conn *, uint32_t handle,
	    struct omapi_object **, struct omapi_error *);
int	 omapi_update_object(struct omapi_conn *, uint32_t handle,
	    const struct omapi_nv *, size_t, struct omapi_object **,
	    struct omapi_error *);
int	 omapi_delete_object(struct omapi_conn *, uint32_t handle,
	    struct omapi_error *);
int	 omapi_lease_by_ip(struct omapi_conn *, const uint8_t ip[4],
	    struct omapi_object **, struct omapi_error *);
int	 omapi_lease_by_hw(struct omapi_conn *, const uint8_t *, size_t,
	    uint32_t htype, struct omapi_object **, struct omapi_error *);
int	 omapi_lease_by_client_id(struct omapi_conn *, const uint8_t *,
	    size_t, struct omapi_object **, struct omapi_error *);
int	 omapi_host_by_name(struct omapi_conn *, const char *,
	    struct omapi_object **, struct omapi_error *);
int	 omapi_host_by_hw(struct omapi_conn *, const uint8_t *, size_t,
	    uint32_t htype, struct omapi_object **, struct omapi_error *);
int	 omapi_host_by_ip(struct omapi_conn *, const uint8_t ip[4],
	    struct omapi_object **, struct omapi_error *);
int	 omapi_host_by_client_id(struct omapi_conn *, const uint8_t *,
	    size_t, struct omapi_object **, struct omapi_error *);
int	 omapi_host_create(struct omapi_conn *, const struct omapi_host_spec *,
	    struct omapi_object **, struct omapi_error *);
int	 omapi_host_delete(struct omapi_conn *, const struct omapi_object *,
	    struct omapi_error *);
int	 omapi_group_create(struct omapi_conn *, const char *name,
	    const char *statements, struct omapi_object **,
	    struct omapi_error *);
int	 omapi_pool_counters(struct omapi_conn *, uint32_t pool_handle,
	    struct omapi_pool_counters *, struct omapi_error *);
int	 omapi_pool_of_ip(struct omapi_conn *, const uint8_t ip[4],
	    struct omapi_pool_counters *, struct omapi_error *);
int	 omapi_failover_by_name(struct omapi_conn *, const char *,
	    struct omapi_object **, struct omapi_error *);
#define OMAPI_FAILOVER_PARTNER_DOWN	4
int	 omapi_failover_set_state(struct omapi_conn *,
	    const struct omapi_object *, uint32_t,
	    struct omapi_object **, struct omapi_error *);
int	 omapi_class_by_name(struct omapi_conn *, const char *,
	    struct omapi_object **, struct omapi_error *);

/* ---- hostname.c: the host names dhcpd can keep across a restart ---- */
int	 omapi_host_name_check(const char *, struct omapi_error *);

/* ---- attr.c: typed view of attributes ---- */
enum omapi_lease_state {
	OMAPI_LEASE_FREE = 1,
	OMAPI_LEASE_ACTIVE,
	OMAPI_LEASE_EXPIRED,
	OMAPI_LEASE_RELEASED,
	OMAPI_LEASE_ABANDONED,
	OMAPI_LEASE_RESET,
	OMAPI_LEASE_BACKUP,
	OMAPI_LEASE_NSTATES	/* states are 1 .. OMAPI_LEASE_NSTATES-1 */
};

enum omapi_attr_kind {
	OMAPI_ATTR_BYTES,	/* hex with colons */
	OMAPI_ATTR_STRING,	/* text */
	OMAPI_ATTR_IPV4,	/* dotted quad */
	OMAPI_ATTR_MAC,		/* lower-case colon hex */
	OMAPI_ATTR_TIME,	/* u32 epoch seconds */
	OMAPI_ATTR_U32,
	OMAPI_ATTR_STATE,	/* lease binding state name */
	OMAPI_ATTR_FAILOVER_STATE,
	OMAPI_ATTR_HANDLE,
	OMAPI_ATTR_FLAGS,	/* lease flags byte */
};

/* The fields of a lease that the exporter and the sweep need. */
struct omapi_lease {
	uint8_t		ip[4];
	uint32_t	state;
	uint32_t	starts;
	uint32_t	ends;
	uint32_t	cltt;
	uint32_t	pool;		/* handle, 0 when absent */
	uint32_t	subnet;
	uint8_t		flags;
	uint8_t		hw[16];
	uint8_t		hwlen;
	uint32_t	htype;
};

const char *omapi_lease_state_name(uint32_t);
int	 omapi_lease_state_parse(const char *, uint32_t *);
const char *omapi_failover_state_name(uint32_t);
enum omapi_attr_kind omapi_attr_kind(const char *, size_t namelen,
	    uint32_t valuelen);
int	 omapi_attr_format(const struct omapi_pair *, int json, char *,
	    size_t);
int	 omapi_lease_decode(const struct omapi_list *, struct omapi_lease *);
int	 omapi_parse_ipv4(const char *, uint8_t[4]);
int	 omapi_parse_hex(const char *, uint8_t *, size_t, size_t *);

/* ---- sweep.c: look up every address of a range, many in flight ---- */
struct omapi_range {
	uint32_t	first;		/* host byte order, inclusive */
	uint32_t	last;
};

struct omapi_sweep_opts {
	const struct omapi_range *ranges;
	size_t		 nranges;
	unsigned	 window;	/* requests in flight; 0: default */
	double		 max_rate;	/* requests per second; 0: unlimited */
};

/* lease is NULL for an address that has no lease object (ip: host order). */
typedef void omapi_sweep_fn(void *arg, uint32_t ip,
    const struct omapi_lease *lease);

struct omapi_sweep_result {
	uint64_t	requested;
	uint64_t	found;
	uint64_t	notfound;
	uint64_t	errors;
};

/*
 * dhcpd reads at most 4 KiB (about 64 unsigned lookups) per wakeup and
 * answers them all before it reads again; with several such batches in
 * flight the next one is waiting in its socket whenever it finishes one,
 * even when we are descheduled for a millisecond or two, so it is never
 * idle on our account (make bench, 2 busy cores: 32 in flight keep dhcpd
 * ~70 % busy, 128 ~75-95 %, 256 over 90 %).
 */
#define OMAPI_SWEEP_DEFAULT_WINDOW	256

int	 omapi_sweep(struct omapi_conn *, const struct omapi_sweep_opts *,
	    omapi_sweep_fn *, void *, struct omapi_sweep_result *,
	    struct omapi_error *);

#endif /* OMAPI_H */
