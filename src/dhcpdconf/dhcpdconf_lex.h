/*
 * dhcpdconf_lex.h: the dhcpd.conf tokenizer (lexer.c) for other readers of
 * ISC's file formats.  dhcpd reads dhcpd.conf and dhcpd.leases with one
 * lexer (common/conflex.c); src/leases/ does the same with this one.
 * Pure: no allocation, no logging; an error is "FILE:LINE:COLUMN: message"
 * in lx->err.  A token's off lets a reader take the raw bytes of a run of
 * adjacent tokens (an IPv6 address is NAMEs, NUMBERs and ':'s).
 */
#ifndef DHCPDCONF_LEX_H
#define DHCPDCONF_LEX_H

#include <stddef.h>

#include "dhcpdconf.h"

#define DCF_TOKMAX	8192	/* dhcpd's own limit is 1,500 (conflex.c) */

/*
 * Token classes as conflex.c makes them: a run of [A-Za-z0-9_-] is a
 * NUMBER when it is all digits (one leading '-' allowed), else a NAME;
 * only a NAME that starts with a letter can be a keyword (intern()).
 * Every other byte outside strings and comments is a CHAR of its own.
 */
enum dcf_tok {
	DCF_EOF = 0,
	DCF_STRING,
	DCF_NUMBER,
	DCF_NAME,
	DCF_CHAR
};

struct dcf_token {
	enum dcf_tok	 type;
	int		 ch;		/* DCF_CHAR: the byte */
	int		 word;		/* DCF_NAME starting with a letter */
	const char	*text;		/* NUL-terminated; valid until next */
	size_t		 len;
	size_t		 off;		/* its first byte in the buffer */
	unsigned	 line;
	unsigned	 column;
};

struct dcf_lexer {
	const char		*file;	/* for messages */
	const unsigned char	*buf;
	size_t			 len;
	size_t			 pos;
	unsigned		 line;
	unsigned		 column;
	int			 peeked;
	struct dcf_token	 tok;
	char			 text[DCF_TOKMAX];
	char			 err[DHCPDCONF_ERRLEN];	/* set when -1 */
};

/* lexer.c */
void	 dcf_lex_init(struct dcf_lexer *, const char *file,
	    const char *buf, size_t len);
void	 dcf_lex_init_at(struct dcf_lexer *, const char *file,
	    const char *buf, size_t len, unsigned line, unsigned column);
int	 dcf_lex_next(struct dcf_lexer *, struct dcf_token *);
int	 dcf_lex_peek(struct dcf_lexer *, struct dcf_token *);
int	 dcf_lex_skip(struct dcf_lexer *, unsigned depth);
void	 dcf_lex_advance(struct dcf_lexer *, size_t n);
int	 dcf_lex_word(struct dcf_lexer *, const char **w, size_t *n);
int	 dcf_lex_run(struct dcf_lexer *, const struct dcf_token *first,
	    char *out, size_t outlen);
int	 dcf_tok_is(const struct dcf_token *, const char *word);
int	 dcf_tok_ch(const struct dcf_token *, int ch);
void	 dcf_tok_show(const struct dcf_token *, char *out, size_t outlen);
void	 dcf_quote(const char *s, char *out, size_t outlen);

#endif /* DHCPDCONF_LEX_H */
