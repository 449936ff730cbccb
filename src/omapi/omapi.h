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

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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
	OMAPI_ERR_CANCELLED,	/* the caller's cancel_fd became readable */
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
/* A short name for an error kind ("not found", "timeout"...); never NULL. */
const char	*omapi_errcode_name(enum omapi_errcode);
/*
 * Fill err (when not NULL) with code and a printf-style text; returns -1,
 * so that a failing function can end with "return omapi_seterr(...)".
 */
int		 omapi_seterr(struct omapi_error *, enum omapi_errcode,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
/* Reset err to OMAPI_OK with an empty text. */
void		 omapi_clearerr(struct omapi_error *);
/*
 * The words ISC tools print for an ISC result code dhcpd sends in a STATUS
 * reply ("already exists", "key conflict"...), or NULL for one not known.
 */
const char	*omapi_result_text(uint32_t);

/* ---- buf.c: a growable byte buffer that never grows past its max ---- */
struct omapi_buf {
	uint8_t		*data;
	size_t		 len;
	size_t		 cap;
	size_t		 max;
};

/* Make b an empty buffer that will never grow past max bytes. */
void	 omapi_buf_init(struct omapi_buf *, size_t max);
/* Free what b holds; b is then empty and may be used again. */
void	 omapi_buf_free(struct omapi_buf *);
/*
 * Make room for n more bytes; -1 (errno ENOMEM or EMSGSIZE) if that
 * would pass the maximum or memory ran out.
 */
int	 omapi_buf_reserve(struct omapi_buf *, size_t);
/* Append n bytes; -1 as omapi_buf_reserve. */
int	 omapi_buf_add(struct omapi_buf *, const void *, size_t);
/* Append a 16-bit value in network byte order; -1 as omapi_buf_reserve. */
int	 omapi_buf_add_u16(struct omapi_buf *, uint16_t);
/* Append a 32-bit value in network byte order; -1 as omapi_buf_reserve. */
int	 omapi_buf_add_u32(struct omapi_buf *, uint32_t);
/* Drop the first n bytes (all of them if n >= len). */
void	 omapi_buf_consume(struct omapi_buf *, size_t);
/* Read a big-endian 32-bit value from 4 bytes. */
uint32_t omapi_get_u32(const uint8_t *);
/* Write v as 4 big-endian bytes. */
void	 omapi_put_u32(uint8_t *, uint32_t);

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

/*
 * Append the startup message (protocol version 100, header size 24);
 * 0 or -1.
 */
int	 omapi_startup_encode(struct omapi_buf *);
/*
 * Check a peer's 8-byte startup message; 0, or -1 with
 * OMAPI_ERR_PROTOCOL when it is short or names another version.
 */
int	 omapi_startup_decode(const uint8_t *, size_t, struct omapi_error *);
/*
 * Append the encoded request to b with the given authid, authlen (the
 * signature length to leave room for) and transaction id; the signature
 * itself is not written.  0, or -1 with err.
 */
int	 omapi_msg_encode(struct omapi_buf *, const struct omapi_request *,
	    uint32_t authid, uint32_t authlen, uint32_t tid,
	    struct omapi_error *);
/*
 * Decode one message from data (len bytes, at most max): m then points
 * into data.  Returns 1 when a whole message was decoded, 0 when more
 * bytes are needed, -1 with OMAPI_ERR_PROTOCOL when it is malformed.
 * Never allocates.
 */
int	 omapi_msg_decode(const uint8_t *, size_t, size_t max,
	    struct omapi_msg *, struct omapi_error *);
/*
 * Walk a name/value list: *pos starts at 0; fills p and returns 1 for
 * each pair, 0 at the end.
 */
int	 omapi_list_next(const struct omapi_list *, size_t *,
	    struct omapi_pair *);
/* Find the value of name in a list; 0 with *value and *len, -1 if absent. */
int	 omapi_list_find(const struct omapi_list *, const char *,
	    const uint8_t **, uint32_t *);
/* The 4-byte value of name as a number; -1 if absent or not 4 bytes long. */
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

/* An algorithm from its name ("hmac-md5", "HMAC-SHA256"...); 0 or -1. */
int	 omapi_alg_parse(const char *, enum omapi_alg *);
/* The usual name of an algorithm ("hmac-md5"), or "none". */
const char *omapi_alg_name(enum omapi_alg);
/*
 * The name dhcpd expects in the authenticator ("hmac-md5.SIG-ALG.REG.INT"
 * and so on), or NULL for OMAPI_ALG_NONE.
 */
const char *omapi_alg_wire_name(enum omapi_alg);
/* The length of an algorithm's signature in bytes (16 for hmac-md5). */
size_t	 omapi_alg_siglen(enum omapi_alg);
/*
 * A signer for key (an HMAC context), or NULL with err; free it with
 * omapi_signer_free.
 */
struct omapi_signer *omapi_signer_new(const struct omapi_key *,
	    struct omapi_error *);
/* Free a signer (NULL is fine); the key material it held is wiped. */
void	 omapi_signer_free(struct omapi_signer *);
/* The length of the signatures this signer makes. */
size_t	 omapi_signer_len(const struct omapi_signer *);
/* Sign len bytes of data into sig (omapi_signer_len bytes); 0 or -1. */
int	 omapi_signer_sign(struct omapi_signer *, const uint8_t *, size_t,
	    uint8_t *);
/* Check a signature in constant time; 0 when it matches, -1 otherwise. */
int	 omapi_signer_verify(struct omapi_signer *, const uint8_t *, size_t,
	    const uint8_t *, size_t);

/* ---- key.c: where keys come from ---- */
/*
 * Decode len characters of base64 into out (at most max bytes, *outlen
 * set); white space is skipped.  0, or -1 when the text is not base64 or
 * does not fit.
 */
int	 omapi_base64_decode(const char *, size_t, uint8_t *, size_t,
	    size_t *);
/*
 * Fill key from a name, an algorithm name (NULL: hmac-md5) and a base64
 * secret; 0, or -1 with OMAPI_ERR_INVALID.  The error text never holds
 * the secret.
 */
int	 omapi_key_set(struct omapi_key *, const char *name, const char *alg,
	    const char *base64, struct omapi_error *);
/*
 * Fill key from "NAME:BASE64" and an algorithm name (NULL: hmac-md5);
 * 0 or -1 with err.
 */
int	 omapi_key_parse_spec(struct omapi_key *, const char *name_colon_b64,
	    const char *alg, struct omapi_error *);
/*
 * Fill key from the text of a key file: blocks
 * 'key NAME { algorithm ALG; secret "B64"; };' as dhcpd.conf and rndc.key
 * write them.  With several blocks, want_name chooses one (NULL: the file
 * must hold exactly one).  0, or -1 with err (line numbers, never the
 * secret).
 */
int	 omapi_key_parse_text(struct omapi_key *, const char *, size_t,
	    const char *want_name, struct omapi_error *);
/*
 * omapi_key_parse_text on the contents of the file at path, which must
 * be a regular file.
 */
int	 omapi_key_load_file(struct omapi_key *, const char *path,
	    const char *want_name, struct omapi_error *);
/*
 * Read a file that holds only the base64 secret into key->secret (the
 * caller sets key->name and key->alg); 0 or -1 with err.
 */
int	 omapi_secret_load_file(struct omapi_key *, const char *path,
	    struct omapi_error *);
/* Overwrite a key's secret (explicit_bzero); call it when done with a key. */
void	 omapi_key_wipe(struct omapi_key *);
#define OMAPI_SECRET_FILE_MAX	(64 * 1024)	/* bytes in a key file */
/*
 * Read a whole regular file of at most max bytes into *out (NUL added),
 * opened so that a FIFO or a device cannot block; its mode in *mode.
 */
int	 omapi_file_read(const char *path, size_t max, char **out,
	    size_t *len, mode_t *mode, struct omapi_error *);
/* Whether a file of this mode may hold a secret: others have no access. */
int	 omapi_secret_mode_ok(mode_t);
/*
 * omapi_file_read for a file that holds a secret: refused unless
 * omapi_secret_mode_ok; the caller wipes and frees *out.
 */
int	 omapi_secret_read(const char *path, size_t max, char **out,
	    size_t *len, struct omapi_error *);

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
	int			 connect_timeout_ms; /* TCP connect and greeting */
	int			 io_timeout_ms;	/* per reply */
	size_t			 max_msg;	/* 0: OMAPI_DEFAULT_MAX_MSG */
	/*
	 * Above 2: every wait of this connection (connect, greeting,
	 * replies) also watches this descriptor and fails with
	 * OMAPI_ERR_CANCELLED once it is readable, so another thread can
	 * stop a connection at any point, even before it exists.  0 (a
	 * zeroed struct): none.
	 */
	int			 cancel_fd;
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

/* The monotonic clock in microseconds. */
int64_t	 omapi_now_us(void);
/*
 * (open.c) Connect to opts->host and port, exchange startup messages and,
 * with opts->key, authenticate.  The connection is ready for requests;
 * NULL with err on failure (OMAPI_ERR_CONNECTION, _TIMEOUT, _AUTH: an
 * unknown key name is reported here; a wrong secret shows at the first
 * request).
 */
struct omapi_conn *omapi_conn_open(const struct omapi_conn_opts *,
	    struct omapi_error *);
/*
 * Close a connection and free it (NULL is fine).  Callbacks of requests
 * still in flight run with an error first.
 */
void	 omapi_conn_close(struct omapi_conn *);
/*
 * Queue a request; fn(arg, reply, err) is called exactly once with its
 * reply or its failure, from a later omapi_conn_pump (or from this call if
 * the connection breaks while writing).  On -1, fn has run when the
 * connection is now broken, and will never run otherwise (nothing was
 * queued).
 */
int	 omapi_conn_send(struct omapi_conn *, const struct omapi_request *,
	    omapi_reply_fn *, void *, struct omapi_error *);
/*
 * Move bytes both ways for up to timeout_ms (-1: until something is
 * dispatched or a request times out).  Returns the number of callbacks
 * run (0 when the time ran out first), or -1 when the connection broke.
 */
int	 omapi_conn_pump(struct omapi_conn *, int timeout_ms,
	    struct omapi_error *);
/* omapi_conn_pump with a timeout in microseconds. */
int	 omapi_conn_pump_us(struct omapi_conn *, int64_t timeout_us,
	    struct omapi_error *);
/* Block until everything queued has been written; 0 or -1 with err. */
int	 omapi_conn_flush(struct omapi_conn *, struct omapi_error *);
/*
 * While corked (on != 0), requests are only queued; uncorking writes them
 * all at once, and so does the next pump.  0 or -1 with err.
 */
int	 omapi_conn_cork(struct omapi_conn *, int on, struct omapi_error *);
/* The number of requests sent whose replies have not come yet. */
unsigned omapi_conn_inflight(const struct omapi_conn *);
/* 1 once the connection has failed (no request will be answered), else 0. */
int	 omapi_conn_is_broken(const struct omapi_conn *);
/*
 * Give up on every request in flight: the connection is marked broken and
 * each pending callback runs now, with err.
 */
void	 omapi_conn_abandon(struct omapi_conn *, const struct omapi_error *);
/*
 * 1 when one more request fits in what may be in flight (on a signed
 * connection, OMAPI_SIGNED_INFLIGHT_BYTES), else 0.
 */
int	 omapi_conn_can_send(const struct omapi_conn *);
/*
 * Wait up to timeout_us (-1: no limit) until one of n connections can be
 * pumped (omapi_conn_pump_us with 0); -1 when the first one's cancel_fd
 * fired (every one is then broken) or none is left.
 */
int	 omapi_conn_wait_many(struct omapi_conn *const *, size_t n,
	    int64_t timeout_us, struct omapi_error *);
/* Counters of requests, replies and bytes since the connection opened. */
const struct omapi_conn_stats *omapi_conn_stats(const struct omapi_conn *);

/* ---- pipeline.c: n requests with up to `window` in flight ----
 * make fills req for item i (its name/value storage must last until make
 * returns: the request is encoded at once); done sees item i's reply or
 * failure, exactly once per request sent.  0 when every request was
 * answered (each answer may still be an error, seen by done), -1 when the
 * connection broke (err says why). */
typedef void omapi_pipeline_make_fn(void *arg, size_t i,
    struct omapi_request *req);
/* The reply (or failure, reply NULL) of item i. */
typedef void omapi_pipeline_done_fn(void *arg, size_t i,
    const struct omapi_msg *, const struct omapi_error *);

/* Send n requests (make), up to window in flight; replies to done. */
int	 omapi_pipeline_run(struct omapi_conn *, size_t n, unsigned window,
	    omapi_pipeline_make_fn *, omapi_pipeline_done_fn *, void *arg,
	    struct omapi_error *);

/* ---- object.c: an owned copy of a reply's object, for synchronous use ---- */
struct omapi_object {
	uint32_t	 opcode;
	uint32_t	 handle;
	struct omapi_list attrs;	/* points into raw */
	uint8_t		*raw;
};

/*
 * An owned copy of a reply's object (handle, opcode and attributes), or
 * NULL when out of memory; free it with omapi_object_free.
 */
struct omapi_object *omapi_object_from_msg(const struct omapi_msg *);
/* Free an object (NULL is fine). */
void	 omapi_object_free(struct omapi_object *);
/*
 * The raw value of an attribute; 0 with *value (pointing into o) and
 * *len, or -1 when o has no such attribute.
 */
int	 omapi_object_get(const struct omapi_object *, const char *,
	    const uint8_t **, uint32_t *);
/*
 * A 4-byte attribute as a number (times, states, counts, handles);
 * 0 or -1 when absent or of another length.
 */
int	 omapi_object_u32(const struct omapi_object *, const char *,
	    uint32_t *);
/*
 * Read a STATUS reply: 0 when its result is success, else -1 with the
 * kind of failure, the server's result code and its words in err.
 */
int	 omapi_status_to_error(const struct omapi_msg *, struct omapi_error *);

/* ---- call.c: one request, wait for its reply ---- */
/*
 * Send req and wait for its reply.  On success *out (when out is not
 * NULL) is the reply's object, which the caller frees; a STATUS reply with
 * a failing result is an error (OMAPI_ERR_NOTFOUND for "no object
 * matches", OMAPI_ERR_AUTH, else OMAPI_ERR_STATUS).
 */
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

/*
 * Open an object of type by the attributes in keys (nkeys of them): look
 * it up, or with create make it (with exclusive, fail if it exists).
 * *out is the object with its handle; 0, or -1 with err.
 */
int	 omapi_open_object(struct omapi_conn *, const char *type,
	    const struct omapi_nv *, size_t, int create, int exclusive,
	    struct omapi_object **, struct omapi_error *);
/* Read an object's current attributes by handle into *out; 0 or -1. */
int	 omapi_refresh_object(struct omapi_conn *, uint32_t handle,
	    struct omapi_object **, struct omapi_error *);
/*
 * Change n attributes of an object by handle; *out (when out is not NULL)
 * is what the server answered.  0 or -1 with err.
 */
int	 omapi_update_object(struct omapi_conn *, uint32_t handle,
	    const struct omapi_nv *, size_t, struct omapi_object **,
	    struct omapi_error *);
/* Delete an object by handle (dhcpd deletes hosts and groups); 0 or -1. */
int	 omapi_delete_object(struct omapi_conn *, uint32_t handle,
	    struct omapi_error *);
/*
 * The lease of an IPv4 address (4 bytes, network order) into *out.
 * 0, or -1 with OMAPI_ERR_NOTFOUND for an address outside every range.
 */
int	 omapi_lease_by_ip(struct omapi_conn *, const uint8_t ip[4],
	    struct omapi_object **, struct omapi_error *);
/* The lease of a hardware address (len bytes, htype 1 for ethernet). */
int	 omapi_lease_by_hw(struct omapi_conn *, const uint8_t *, size_t,
	    uint32_t htype, struct omapi_object **, struct omapi_error *);
/* The lease of a DHCP client identifier (len bytes). */
int	 omapi_lease_by_client_id(struct omapi_conn *, const uint8_t *,
	    size_t, struct omapi_object **, struct omapi_error *);
/* A host by name into *out; 0 or -1 (OMAPI_ERR_NOTFOUND). */
int	 omapi_host_by_name(struct omapi_conn *, const char *,
	    struct omapi_object **, struct omapi_error *);
/* A host by hardware address (len bytes, htype 1 for ethernet). */
int	 omapi_host_by_hw(struct omapi_conn *, const uint8_t *, size_t,
	    uint32_t htype, struct omapi_object **, struct omapi_error *);
/*
 * A host by address: dhcpd finds the lease of ip, then the host with that
 * lease's hardware address (a fixed-address alone is not found).
 */
int	 omapi_host_by_ip(struct omapi_conn *, const uint8_t ip[4],
	    struct omapi_object **, struct omapi_error *);
/* A host by DHCP client identifier (len bytes). */
int	 omapi_host_by_client_id(struct omapi_conn *, const uint8_t *,
	    size_t, struct omapi_object **, struct omapi_error *);
/*
 * Create a host from spec into *out.  dhcpd refuses (OMAPI_ERR_STATUS) a
 * name or hardware address that exists; a name dhcpd could not keep
 * across a restart (omapi_host_name_check) is refused with
 * OMAPI_ERR_INVALID before anything is sent.
 */
int	 omapi_host_create(struct omapi_conn *, const struct omapi_host_spec *,
	    struct omapi_object **, struct omapi_error *);
/* Delete a host found by one of the lookups; 0 or -1. */
int	 omapi_host_delete(struct omapi_conn *, const struct omapi_object *,
	    struct omapi_error *);
/* Create a group with statements (dhcpd.conf syntax) into *out; 0 or -1. */
int	 omapi_group_create(struct omapi_conn *, const char *name,
	    const char *statements, struct omapi_object **,
	    struct omapi_error *);
/*
 * The counters of the pool with this handle (from a lease's "pool"
 * attribute): lease-count, free-leases, backup-leases.  0 or -1.
 */
int	 omapi_pool_counters(struct omapi_conn *, uint32_t pool_handle,
	    struct omapi_pool_counters *, struct omapi_error *);
/*
 * The counters of the pool that holds the address ip; 0 or -1
 * (OMAPI_ERR_NOTFOUND when ip has no lease or its lease no pool).
 */
int	 omapi_pool_of_ip(struct omapi_conn *, const uint8_t ip[4],
	    struct omapi_pool_counters *, struct omapi_error *);
/* The failover-state object of peer name into *out; 0 or -1. */
int	 omapi_failover_by_name(struct omapi_conn *, const char *,
	    struct omapi_object **, struct omapi_error *);
#define OMAPI_FAILOVER_PARTNER_DOWN	4
/*
 * Set a failover peer's local-state (OMAPI_FAILOVER_PARTNER_DOWN is the
 * one ISC documents, for taking over from a peer known to be down), then
 * read the peer back into *out when out is not NULL.  0 or -1 with err.
 * dhcpd 4.4.3 exits on a state it does not know: pass only states.
 */
int	 omapi_failover_set_state(struct omapi_conn *,
	    const struct omapi_object *, uint32_t,
	    struct omapi_object **, struct omapi_error *);
/* A class (or subclass) by name into *out: lease-limit, leases-used. */
int	 omapi_class_by_name(struct omapi_conn *, const char *,
	    struct omapi_object **, struct omapi_error *);

/* ---- hostname.c: the host names dhcpd can keep across a restart ---- */
/*
 * 0 if dhcpd can write name to its leases file and read it back at its
 * next start (labels of letters, digits, '-' and '_', starting with a
 * letter, digit or '-', at most 1499 characters, joined by single dots);
 * else -1 with OMAPI_ERR_INVALID and the first offending character.
 */
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
	/* client-hostname, not NUL-terminated, as dhcpd sent it (any bytes);
	 * points into the decoded message: valid only while it is. */
	const uint8_t	*hostname;
	uint32_t	hostnamelen;
};

/*
 * The name of a lease binding state ("active"), or NULL for a value
 * dhcpd does not use.
 */
const char *omapi_lease_state_name(uint32_t);
/* A binding state from its name; 0 or -1. */
int	 omapi_lease_state_parse(const char *, uint32_t *);
/*
 * The name of a failover state ("normal", "partner-down"; 0 is
 * "unknown-state"), or NULL for a value that is no state.
 */
const char *omapi_failover_state_name(uint32_t);
/* How to show an attribute of this name and value length. */
enum omapi_attr_kind omapi_attr_kind(const char *, size_t namelen,
	    uint32_t valuelen);
/*
 * Write a pair's value as text (json: as a JSON value) into out: state
 * names, dotted addresses, colon MACs, numbers.  0, or -1 when out is too
 * small (len * 6 + 32 bytes always suffice).
 */
int	 omapi_attr_format(const struct omapi_pair *, int json, char *,
	    size_t);
/*
 * Fill *out with the fields of a lease object's attributes; 0, or -1
 * when the list has no state.
 */
int	 omapi_lease_decode(const struct omapi_list *, struct omapi_lease *);

/* ---- addr.c: addresses and HOST:PORT as people write them ---- */
#define OMAPI_HOST_MAX			253	/* characters in a host name */
#define OMAPI_HOSTPORT_HOST_OPTIONAL	0x1	/* ":PORT": every address */
#define OMAPI_HOSTPORT_PORT_OPTIONAL	0x2	/* "HOST", "[V6]", bare V6 */
/* A strict dotted quad (no leading zeros) into 4 bytes; 0 or -1. */
int	 omapi_parse_ipv4(const char *, uint8_t[4]);
/* The same for len bytes of s, into a host-order number; 0 or -1. */
int	 omapi_parse_ipv4n(const char *, size_t, uint32_t *host_order);
/* A host-order address, dotted, into buf. */
void	 omapi_format_ipv4(uint32_t host_order, char *, size_t);
/* Hex bytes, colon- or dash-separated or not, at most max; 0 or -1. */
int	 omapi_parse_hex(const char *, uint8_t *, size_t max, size_t *len);
/* Six hex bytes (a MAC address); 0 or -1. */
int	 omapi_parse_mac(const char *, uint8_t[6]);
/* A decimal port 1 to 65535; 0 or -1. */
int	 omapi_parse_port(const char *, uint16_t *);
/* Whether s is an IPv4 or IPv6 address or a valid host name: 0 or -1. */
int	 omapi_parse_host(const char *);
/*
 * HOST:PORT, [V6]:PORT (and, by flags, :PORT or HOST alone) into host and
 * port; 0, or -1 with why in err.
 */
int	 omapi_parse_hostport(const char *, unsigned flags, char *host,
	    size_t hostlen, uint16_t *port, struct omapi_error *);
/* The length of the valid UTF-8 sequence at s (left bytes), 0 if none. */
uint32_t omapi_utf8_seq(const uint8_t *, uint32_t left);

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
	/*
	 * Monotonic time (omapi_now_us) after which no new address is asked
	 * for; what is in flight is still answered, and the result says
	 * where to resume.  0: sweep every range.
	 */
	int64_t		 deadline_us;
};

/* lease is NULL for an address that has no lease object (ip: host order). */
typedef void omapi_sweep_fn(void *arg, uint32_t ip,
    const struct omapi_lease *lease);

/*
 * Reply times, send to reply, as a log2 histogram: bucket b counts replies
 * that took [2^b, 2^(b+1)) microseconds (b 0: under 2 us).  A rising reply
 * time is how a paced sweep sees dhcpd's single loop busy with DHCP.
 */
#define OMAPI_SWEEP_RTT_BUCKETS	24

struct omapi_sweep_result {
	uint64_t	requested;
	uint64_t	found;
	uint64_t	notfound;
	uint64_t	errors;
	uint64_t	rtt_hist[OMAPI_SWEEP_RTT_BUCKETS];
	uint64_t	rtt_count;
	uint64_t	rtt_max_us;
	/* omapi_sweep_many: connections that broke (their addresses were
	 * asked again on the others) and the addresses asked again. */
	uint64_t	conns_lost;
	uint64_t	retried;
	/* Where a sweep that met its deadline stopped: every address before
	 * resume_next (host order) in range resume_range was answered. */
	int		complete;
	size_t		resume_range;
	uint64_t	resume_next;
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

/*
 * Look up every address of the ranges in opts, many requests in flight
 * on one connection (opts->window, at most opts->max_rate per second),
 * calling fn(arg, ip, lease) for each (lease NULL when the address has no
 * lease object).  Totals in *res; 0, or -1 with err when the connection
 * failed or authentication was refused.
 */
int	 omapi_sweep(struct omapi_conn *, const struct omapi_sweep_opts *,
	    omapi_sweep_fn *, void *, struct omapi_sweep_result *,
	    struct omapi_error *);
/*
 * The same over n connections to one server, sharing the window and the
 * rate: each connection keeps its own in-flight limit (a signed one only
 * about 8 lookups, see omapi_conn_can_send), so several keep dhcpd's
 * queue full.  A connection that breaks is left out and its unanswered
 * addresses go to the others; the sweep fails only when none is left.
 */
#define OMAPI_SWEEP_CONNS_MAX	16
/* omapi_sweep over n (1 to OMAPI_SWEEP_CONNS_MAX) connections. */
int	 omapi_sweep_many(struct omapi_conn *const *, size_t n,
	    const struct omapi_sweep_opts *, omapi_sweep_fn *, void *,
	    struct omapi_sweep_result *, struct omapi_error *);
/* The reply time (us) under which a share q of a sweep's replies came. */
uint64_t omapi_sweep_rtt_quantile(const struct omapi_sweep_result *,
	    double q);

#ifdef __cplusplus
}
#endif

#endif /* OMAPI_H */
