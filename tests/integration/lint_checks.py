#!/usr/bin/python3
"""Refuse the uses of lib.sh's `check` whose result is not what it says.

  lint_checks.py FILE...            exit 1, one FILE:LINE: line per finding
  lint_checks.py --ports FILE...    also: no TCP port (19000-19999) in two files

`check DESC CMD ARGS...` runs CMD ARGS and counts it.  The shell splits
the line before `check` runs, so in

    check "x" [ A ] && [ B ]      check "x" [ A ] || [ B ]
    check "x" grep -q y f | z     check "x" cmd >/dev/null

only `[ A ]` (or `grep`, or `cmd`) is counted: `[ B ]` runs afterwards and
its result is lost, `| z` reads check's own ok/FAIL line, and `>` hides
it.  `check "x" ! cmd` runs a program called `!`.  The fix is one command
that holds the whole condition: a function, `eval '...'` or `sh -c "..."`.
A script that sources lib.sh must call suite_init (which runs this lint).

The file is read as the shell reads it, as far as this needs: quotes,
$(...), $((...)), ${...}, backquotes, <(...), here-documents, comments and
line continuations, so that a `&&` inside `sh -c "..."`, a here-document
or a comment is not taken for the shell's.
"""
import re
import sys

OPERATORS = ("&&", "||", ";;", "|&", "&>>", "&>", ">>", ">|", "<<<", "<<-",
             "<<", "<&", ">&", "|", "&", ";", "(", ")", "<", ">")
RESERVED = {"!", "then", "do", "else", "elif", "if", "while", "until", "{",
            "time", "}"}


class Lexer:
    def __init__(self, text):
        self.s = text
        self.i = 0
        self.line = 1
        self.heredocs = []      # (delimiter, strip tabs) pending at newline
        self.start = 0          # where the last token began

    def peek(self, k=0):
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def advance(self, n=1):
        for _ in range(n):
            if self.i < len(self.s):
                if self.s[self.i] == "\n":
                    self.line += 1
                self.i += 1

    def skip_single(self):
        self.advance()                  # '
        while self.i < len(self.s) and self.peek() != "'":
            self.advance()
        self.advance()

    def skip_ansi(self):
        self.advance(2)                 # $'
        while self.i < len(self.s) and self.peek() != "'":
            self.advance(2 if self.peek() == "\\" else 1)
        self.advance()

    def skip_double(self):
        self.advance()                  # "
        while self.i < len(self.s) and self.peek() != '"':
            c = self.peek()
            if c == "\\":
                self.advance(2)
            elif c == "$" and self.peek(1) in "({":
                self.skip_dollar()
            elif c == "`":
                self.skip_backquote()
            else:
                self.advance()
        self.advance()

    def skip_backquote(self):
        self.advance()
        while self.i < len(self.s) and self.peek() != "`":
            self.advance(2 if self.peek() == "\\" else 1)
        self.advance()

    def skip_dollar(self):
        """$( ... ), $(( ... )) or ${ ... }: up to the matching close."""
        self.advance()                  # $
        self.skip_group()

    def skip_group(self):
        """From an opening ( or {, past its match, quotes respected."""
        open_c = self.peek()
        close_c = ")" if open_c == "(" else "}"
        depth = 0
        while self.i < len(self.s):
            c = self.peek()
            if c == "'" and open_c == "(":
                self.skip_single()
                continue
            if c == '"':
                self.skip_double()
                continue
            if c == "\\":
                self.advance(2)
                continue
            if c == "`":
                self.skip_backquote()
                continue
            if c == "$" and self.peek(1) in "({":
                self.skip_dollar()
                continue
            if c == open_c:
                depth += 1
            elif c == close_c:
                depth -= 1
                if depth == 0:
                    self.advance()
                    return
            self.advance()

    def read_heredocs(self):
        """Past the bodies of the here-documents begun on this line."""
        for delim, strip in self.heredocs:
            while self.i < len(self.s):
                end = self.s.find("\n", self.i)
                end = len(self.s) if end == -1 else end
                text = self.s[self.i:end]
                self.advance(end - self.i + 1)
                if (text.lstrip("\t") if strip else text) == delim:
                    break
        self.heredocs = []

    def tokens(self):
        """(kind, text, line): kind is word, op or newline."""
        while self.i < len(self.s):
            c = self.peek()
            if c == "\\" and self.peek(1) == "\n":
                self.advance(2)
                continue
            if c in " \t":
                self.advance()
                continue
            if c == "\n":
                line = self.line
                self.advance()
                if self.heredocs:
                    self.read_heredocs()
                yield ("newline", "\n", line)
                continue
            if c == "#":
                while self.i < len(self.s) and self.peek() != "\n":
                    self.advance()
                continue
            line = self.line
            self.start = self.i
            if c in "<>" and self.peek(1) == "(":
                self.advance()          # process substitution: a word
                self.skip_group()
                yield ("word", "<(...)", line)
                continue
            op = next((o for o in OPERATORS if self.s.startswith(o, self.i)),
                      None)
            if op:
                self.advance(len(op))
                if op in ("<<", "<<-"):
                    yield ("op", op, line)
                    self.heredoc_word(op == "<<-")
                    continue
                yield ("op", op, line)
                continue
            yield ("word", self.word(), line)

    def heredoc_word(self, strip):
        while self.peek() in " \t":
            self.advance()
        start = self.i
        self.word()
        delim = re.sub(r"[\"'\\]", "", self.s[start:self.i])
        self.heredocs.append((delim, strip))

    def word(self):
        start = self.i
        while self.i < len(self.s):
            c = self.peek()
            if c in " \t\n;&|()<>":
                break
            if c == "\\":
                self.advance(2)
            elif c == "'":
                self.skip_single()
            elif c == "$" and self.peek(1) == "'":
                self.skip_ansi()
            elif c == '"':
                self.skip_double()
            elif c == "`":
                self.skip_backquote()
            elif c == "$" and self.peek(1) in "({":
                self.skip_dollar()
            else:
                self.advance()
        return self.s[start:self.i]


def commands(text):
    """Simple commands: (words, redirection ops, line, terminator)."""
    words, redirs, line = [], [], None
    lex = Lexer(text)
    word_end = -1
    for kind, tok, ln in lex.tokens():
        if kind == "word":
            word_end = lex.i
            if line is None:
                line = ln
            words.append(tok)
        elif tok in ("<", ">", ">>", ">|", "&>", "&>>", "<&", ">&", "<<",
                     "<<-", "<<<"):
            # a redirection: its fd (a word like 2 just before) and target
            fd = words.pop() if words and words[-1].isdigit() and \
                word_end == lex.start and tok[0] in "<>" else ""
            redirs.append(fd + tok)
        else:
            if words:
                yield words, redirs, line, tok
            words, redirs, line = [], [], None
    if words:
        yield words, redirs, line, ""


def lint(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    bad = []
    src = re.search(r"^\s*\.\s+\S*lib\.sh", text, re.M)
    if src and not re.search(r"^\s*suite_init\s", text, re.M):
        bad.append((text[:src.start()].count("\n") + 1,
                    "sources lib.sh without suite_init: no lint, no "
                    "ThreadSanitizer report folder, no shared traps"))
    for words, redirs, line, term in commands(text):
        while words and words[0] in RESERVED:
            words = words[1:]
        if not words or words[0] != "check":
            continue
        if term in ("&&", "||", "|", "|&"):
            bad.append((line, "`check ... %s ...`: only the command before "
                        "%s is counted; give check the whole condition "
                        "(a function, eval '...' or sh -c)" % (term, term)))
        for r in redirs:
            if re.fullmatch(r"(1?>|1?>>|>\||&>>?|1?>&)", r):
                bad.append((line, "`check ... %s`: redirects check's own "
                            "ok/FAIL line" % r))
        if len(words) > 2 and words[2] == "!":
            bad.append((line, "`check DESC ! CMD` runs a program named !; "
                        "use eval '! CMD' or a function"))
    return bad


def ports(paths):
    owner, bad = {}, []
    for p in paths:
        for n, line in enumerate(open(p, errors="replace"), 1):
            if line.lstrip().startswith("#"):
                continue
            for m in re.finditer(r"(?<![0-9.])(19[0-9]{3})(?![0-9.])", line):
                port = m.group(1)
                if owner.setdefault(port, p) != p:
                    bad.append("%s:%d: port %s is %s's too" %
                               (p, n, port, owner[port]))
    return bad


def main():
    args = sys.argv[1:]
    check_ports = args[:1] == ["--ports"]
    if check_ports:
        args = args[1:]
    out = []
    for p in args:
        out += ["%s:%d: %s" % (p, line, msg) for line, msg in lint(p)]
    if check_ports:
        out += ports(args)
    for o in out:
        print(o)
    sys.exit(1 if out else 0)


if __name__ == "__main__":
    main()
