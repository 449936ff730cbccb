/*
 * key.c: where OMAPI keys come from: a name and a base64 secret given
 * directly, a file holding only the secret, or a file with a
 * `key NAME { algorithm ALG; secret "BASE64"; };` block as dhcpd.conf,
 * rndc.key and dnssec-keygen users already have.  No message ever contains
 * the secret.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omapi.h"

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Strict base64: white space is skipped, '=' may only end the text, and
 * any other byte is an error.  0 and *outlen bytes in out, or -1.
 */
int
omapi_base64_decode(const char *in, size_t inlen, uint8_t *out, size_t outmax,
    size_t *outlen)
{
	uint32_t acc = 0;
	size_t i, n = 0, bits = 0, pad = 0;
	int v;

	for (i = 0; i < inlen; i++) {
		if (isspace((unsigned char)in[i]))
			continue;
		if (in[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64_value((unsigned char)in[i])) < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= outmax)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero padding of a proper quantum. */
	if (pad > 2 || bits >= 6 || (acc & ((1u << bits) - 1)) != 0)
		return -1;
	*outlen = n;
	return 0;
}

/* Fill key from a name, an algorithm name and a base64 secret. */
int
omapi_key_set(struct omapi_key *key, const char *name, const char *alg,
    const char *b64, struct omapi_error *err)
{
	size_t len;

	if (name == NULL || *name == '\0' || strlen(name) > OMAPI_KEY_NAME_MAX)
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "key name must be 1 to %d characters", OMAPI_KEY_NAME_MAX);
	if (omapi_alg_parse(alg ? alg : "hmac-md5", &key->alg) == -1)
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "unknown key algorithm '%s' (expected hmac-md5, hmac-sha1, "
		    "hmac-sha224, hmac-sha256, hmac-sha384 or hmac-sha512)",
		    alg);
	if (omapi_base64_decode(b64, strlen(b64), key->secret,
	    sizeof(key->secret), &len) == -1 || len == 0) {
		omapi_key_wipe(key);
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "secret of key '%s' is not valid base64", name);
	}
	snprintf(key->name, sizeof(key->name), "%s", name);
	key->secret_len = len;
	return 0;
}

/* Fill key from "NAME:BASE64", the form omapictl -k takes. */
int
omapi_key_parse_spec(struct omapi_key *key, const char *spec, const char *alg,
    struct omapi_error *err)
{
	const char *colon = strchr(spec, ':');
	char name[OMAPI_KEY_NAME_MAX + 1];
	size_t n;

	if (colon == NULL || colon == spec)
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "key must be given as NAME:BASE64-SECRET");
	n = (size_t)(colon - spec);
	if (n > OMAPI_KEY_NAME_MAX)
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "key name longer than %d characters", OMAPI_KEY_NAME_MAX);
	memcpy(name, spec, n);
	name[n] = '\0';
	return omapi_key_set(key, name, alg, colon + 1, err);
}

/* Put "WHERE: " in front of an error's text (copied: no aliasing). */
static void __attribute__((format(printf, 2, 3)))
prefix_error(struct omapi_error *err, const char *fmt, ...)
{
	char where[OMAPI_ERRLEN], text[OMAPI_ERRLEN];
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(where, sizeof(where), fmt, ap);
	va_end(ap);
	memcpy(text, err->text, sizeof(text));
	omapi_seterr(err, err->code, "%.120s: %.200s", where, text);
}

/* Tokens of the key-file grammar. */
enum tok { TOK_END, TOK_WORD, TOK_STRING, TOK_LBRACE, TOK_RBRACE, TOK_SEMI,
    TOK_BAD };

struct lexer {
	const char	*p;
	const char	*end;
	int		 line;
	const char	*tok;		/* start of the token's text */
	size_t		 toklen;
};

/* Skip white space and #, // and C comments. */
static void
lex_skip(struct lexer *lx)
{
	while (lx->p < lx->end) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else if (isspace((unsigned char)*lx->p))
			lx->p++;
		else if (*lx->p == '#' || (*lx->p == '/' &&
		    lx->p + 1 < lx->end && lx->p[1] == '/')) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (*lx->p == '/' && lx->p + 1 < lx->end &&
		    lx->p[1] == '*') {
			lx->p += 2;
			while (lx->p + 1 < lx->end &&
			    !(lx->p[0] == '*' && lx->p[1] == '/')) {
				if (*lx->p == '\n')
					lx->line++;
				lx->p++;
			}
			lx->p = lx->p + 2 <= lx->end ? lx->p + 2 : lx->end;
		} else
			break;
	}
}

static enum tok
lex_next(struct lexer *lx)
{
	lex_skip(lx);
	lx->tok = lx->p;
	lx->toklen = 0;
	if (lx->p >= lx->end)
		return TOK_END;
	switch (*lx->p) {
	case '{': lx->p++; return TOK_LBRACE;
	case '}': lx->p++; return TOK_RBRACE;
	case ';': lx->p++; return TOK_SEMI;
	case '"':
		lx->tok = ++lx->p;
		while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n')
			lx->p++;
		if (lx->p >= lx->end || *lx->p != '"')
			return TOK_BAD;
		lx->toklen = (size_t)(lx->p - lx->tok);
		lx->p++;
		return TOK_STRING;
	}
	while (lx->p < lx->end && !isspace((unsigned char)*lx->p) &&
	    strchr("{};\"#", *lx->p) == NULL)
		lx->p++;
	lx->toklen = (size_t)(lx->p - lx->tok);
	return lx->toklen ? TOK_WORD : TOK_BAD;
}

/* Copy the current token into a NUL-terminated buffer; -1 if too long. */
static int
lex_copy(const struct lexer *lx, char *out, size_t outlen)
{
	if (lx->toklen >= outlen)
		return -1;
	memcpy(out, lx->tok, lx->toklen);
	out[lx->toklen] = '\0';
	return 0;
}

struct key_block {
	char	name[OMAPI_KEY_NAME_MAX + 1];
	char	alg[64];
	char	secret[512];
	int	line;
};

static int
syntax(struct omapi_error *err, const struct lexer *lx, const char *what)
{
	return omapi_seterr(err, OMAPI_ERR_INVALID, "line %d: %s", lx->line,
	    what);
}

/* Parse the body of one key block after its name, up to the closing "};". */
static int
parse_key_body(struct lexer *lx, struct key_block *kb, struct omapi_error *err)
{
	char word[32];
	enum tok t;

	if (lex_next(lx) != TOK_LBRACE)
		return syntax(err, lx, "expected '{' after the key name");
	for (;;) {
		t = lex_next(lx);
		if (t == TOK_RBRACE)
			break;
		if (t != TOK_WORD || lex_copy(lx, word, sizeof(word)) == -1)
			return syntax(err, lx,
			    "expected 'algorithm', 'secret' or '}'");
		t = lex_next(lx);
		if (strcasecmp(word, "algorithm") == 0 &&
		    (t == TOK_WORD || t == TOK_STRING)) {
			if (lex_copy(lx, kb->alg, sizeof(kb->alg)) == -1)
				return syntax(err, lx, "algorithm too long");
		} else if (strcasecmp(word, "secret") == 0 &&
		    (t == TOK_WORD || t == TOK_STRING)) {
			if (lex_copy(lx, kb->secret, sizeof(kb->secret)) == -1)
				return syntax(err, lx, "secret too long");
		} else
			return syntax(err, lx,
			    "expected 'algorithm NAME;' or 'secret \"BASE64\";'");
		if (lex_next(lx) != TOK_SEMI)
			return syntax(err, lx, "expected ';'");
	}
	if (lex_next(lx) != TOK_SEMI)
		return syntax(err, lx, "expected ';' after '}'");
	if (kb->alg[0] == '\0' || kb->secret[0] == '\0')
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "line %d: key '%s' needs both an algorithm and a secret",
		    kb->line, kb->name);
	return 0;
}

/* Parse one `key NAME {...};` statement; 1 done, 0 at end of text, -1 bad. */
static int
parse_key_block(struct lexer *lx, struct key_block *kb,
    struct omapi_error *err)
{
	enum tok t;

	memset(kb, 0, sizeof(*kb));
	if ((t = lex_next(lx)) == TOK_END)
		return 0;
	if (t != TOK_WORD || lx->toklen != 3 ||
	    strncasecmp(lx->tok, "key", 3) != 0)
		return syntax(err, lx, "expected 'key NAME { ... };'");
	kb->line = lx->line;
	t = lex_next(lx);
	if ((t != TOK_WORD && t != TOK_STRING) || lx->toklen == 0 ||
	    lex_copy(lx, kb->name, sizeof(kb->name)) == -1)
		return syntax(err, lx, "expected a key name after 'key'");
	if (parse_key_body(lx, kb, err) == -1)
		return -1;
	return 1;
}

/*
 * Fill key from the text of a key file.  With want_name, the block of that
 * name; without, the only block in the text.
 */
int
omapi_key_parse_text(struct omapi_key *key, const char *text, size_t len,
    const char *want_name, struct omapi_error *err)
{
	struct lexer lx = { text, text + len, 1, NULL, 0 };
	struct key_block kb, chosen;
	int rc, found = 0, rv = -1;

	memset(&chosen, 0, sizeof(chosen));
	while ((rc = parse_key_block(&lx, &kb, err)) == 1) {
		if (want_name && strcmp(kb.name, want_name) != 0)
			continue;
		if (found++) {
			if (want_name)
				omapi_seterr(err, OMAPI_ERR_INVALID, "line %d: "
				    "key '%s' is defined twice (first at line "
				    "%d)", kb.line, want_name, chosen.line);
			else
				omapi_seterr(err, OMAPI_ERR_INVALID, "line %d: "
				    "more than one key; name the one to use",
				    kb.line);
			goto out;
		}
		chosen = kb;
	}
	if (rc == -1)
		goto out;
	if (!found) {
		if (want_name)
			omapi_seterr(err, OMAPI_ERR_INVALID,
			    "no key named '%s'", want_name);
		else
			omapi_seterr(err, OMAPI_ERR_INVALID, "no key block");
		goto out;
	}
	if (omapi_key_set(key, chosen.name, chosen.alg, chosen.secret,
	    err) == 0)
		rv = 0;
	else
		prefix_error(err, "line %d", chosen.line);
out:
	explicit_bzero(&kb, sizeof(kb));
	explicit_bzero(&chosen, sizeof(chosen));
	return rv;
}

/*
 * Read a whole regular file of at most max bytes into *out (NUL-ended;
 * the caller wipes and frees it), its mode into *mode when mode is not
 * NULL.  Nothing here can block on the file: it is opened with O_NONBLOCK
 * (a FIFO's open would otherwise wait for a writer, a tty's for carrier),
 * refused unless fstat says it is a regular file, and only then read,
 * O_NONBLOCK cleared.
 */
int
omapi_file_read(const char *path, size_t max, char **out, size_t *outlen,
    mode_t *mode, struct omapi_error *err)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	ssize_t n = 0;
	int fd, fl;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1)
		return omapi_seterr(err, OMAPI_ERR_INVALID, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) == -1) {
		omapi_seterr(err, OMAPI_ERR_INVALID, "%s: %s", path,
		    strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		omapi_seterr(err, OMAPI_ERR_INVALID, "%s: not a regular file",
		    path);
		goto out_close;
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		omapi_seterr(err, OMAPI_ERR_INVALID, "%s: %s", path,
		    strerror(errno));
		goto out_close;
	}
	if ((data = malloc(max + 1)) == NULL) {
		omapi_seterr(err, OMAPI_ERR_NOMEM, "%s: out of memory", path);
		goto out_close;
	}
	while (len <= max && (n = read(fd, data + len, max + 1 - len)) > 0)
		len += (size_t)n;
	if (n == -1 || len > max) {
		omapi_seterr(err, OMAPI_ERR_INVALID, "%s: %s", path, n == -1 ?
		    strerror(errno) : "file too large");
		explicit_bzero(data, len);
		free(data);
		goto out_close;
	}
	data[len] = '\0';
	close(fd);
	if (mode != NULL)
		*mode = st.st_mode;
	*out = data;
	*outlen = len;
	return 0;
out_close:
	close(fd);
	return -1;
}

/*
 * The one rule for every file that holds a secret (an OMAPI key or
 * secret file, a configuration with an inline secret, a TLS private key):
 * others may not access it.  The owner and the group may read it, so that
 * both 0600 owned by the service's user and 0640 root:SERVICE-GROUP work.
 */
int
omapi_secret_mode_ok(mode_t mode)
{
	return (mode & S_IRWXO) == 0;
}

/*
 * Read a file that holds a secret (omapi_file_read), refused when others
 * may access it; the message says which chmod fixes it.
 */
int
omapi_secret_read(const char *path, size_t max, char **out, size_t *outlen,
    struct omapi_error *err)
{
	mode_t mode;

	if (omapi_file_read(path, max, out, outlen, &mode, err) == -1)
		return -1;
	if (omapi_secret_mode_ok(mode))
		return 0;
	explicit_bzero(*out, *outlen);
	free(*out);
	*out = NULL;
	return omapi_seterr(err, OMAPI_ERR_INVALID, "%s: others may access "
	    "this secret (mode %04o); fix with: chmod o-rwx %s", path,
	    (unsigned)(mode & 07777), path);
}

/* Fill key from a key file (see omapi_key_parse_text). */
int
omapi_key_load_file(struct omapi_key *key, const char *path,
    const char *want_name, struct omapi_error *err)
{
	char *text;
	size_t len;
	int rv;

	if (omapi_secret_read(path, OMAPI_SECRET_FILE_MAX, &text, &len, err) == -1)
		return -1;
	rv = omapi_key_parse_text(key, text, len, want_name, err);
	if (rv == -1)
		prefix_error(err, "%s", path);
	explicit_bzero(text, len);
	free(text);
	return rv;
}

/*
 * Read the base64 secret of a key whose name and algorithm are already set
 * from a file that holds only the secret.
 */
int
omapi_secret_load_file(struct omapi_key *key, const char *path,
    struct omapi_error *err)
{
	char *text;
	size_t len, slen;
	int rv = 0;

	if (omapi_secret_read(path, OMAPI_SECRET_FILE_MAX, &text, &len, err) == -1)
		return -1;
	if (omapi_base64_decode(text, len, key->secret, sizeof(key->secret),
	    &slen) == -1 || slen == 0)
		rv = omapi_seterr(err, OMAPI_ERR_INVALID,
		    "%s: secret is not valid base64", path);
	else
		key->secret_len = slen;
	explicit_bzero(text, len);
	free(text);
	return rv;
}

void
omapi_key_wipe(struct omapi_key *key)
{
	explicit_bzero(key, sizeof(*key));
}
