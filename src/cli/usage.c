/*
 * usage.c: the --help text (written as a manual page would be), the
 * short hint after a usage error, and --version.
 */
#include <stdio.h>

#include "omapictl.h"

static const char synopsis[] =
"usage: omapictl [-s HOST[:PORT]] [-k NAME:BASE64 | -K KEYFILE |\n"
"                --secret-file FILE --key-name NAME] [-a ALGORITHM]\n"
"                [--json] [--timeout MS] [--stop-on-error] COMMAND ...\n";

static const char commands_text[] =
"\n"
"Query and change an ISC dhcpd over OMAPI (the dhcpd.conf 'omapi-port').\n"
"Results go to standard output, one object per result; errors go to\n"
"standard error as one line that starts with 'omapictl: '.\n"
"\n"
"COMMANDS\n"
"  lease ip ADDR            the lease of an IPv4 address\n"
"  lease mac MAC            the lease of a hardware (ethernet) address\n"
"  lease client-id HEX      the lease of a DHCP client identifier\n"
"  lease sweep FIRST LAST   every lease from FIRST to LAST (IPv4, at most\n"
"                           65536 addresses), many requests in flight on one\n"
"                           connection.  One line per address: ip-address,\n"
"                           state, starts, ends, cltt, flags, pool, subnet,\n"
"                           hardware-address, hardware-type; or \"error\":\n"
"                           \"not found\" for an address without a lease.\n"
"                           --window N requests in flight at most (default\n"
"                           256; with a key, fewer when needed: dhcpd 4.4.3\n"
"                           aborts when signed requests pile up past 4 KiB),\n"
"                           --rate R at most R requests per second (0: no\n"
"                           limit).  Exit 0 when every address was answered.\n"
"  host get name NAME       a host object by name\n"
"  host get mac MAC         ... by hardware address\n"
"  host get ip ADDR         ... by address: dhcpd finds the lease of ADDR\n"
"                           and then the host with that lease's MAC, so a\n"
"                           fixed-address alone is not found\n"
"  host get client-id HEX   ... by DHCP client identifier\n"
"  host add NAME MAC [IP] [--statements TEXT] [--group GROUP]\n"
"                           create a host (fails if the name or MAC exists);\n"
"                           prints the new host.  NAME is labels of letters,\n"
"                           digits, '-' and '_' joined by '.': dhcpd loses\n"
"                           other names when it restarts, so they are refused\n"
"  host delete name NAME    delete a host found by name\n"
"  host delete mac MAC      ... by hardware address\n"
"  group add NAME STATEMENTS\n"
"                           create a group, e.g. 'option domain-name \"x\";'\n"
"  pool ADDR                the counters of the pool that holds ADDR:\n"
"                           handle, lease-count, free-leases, backup-leases\n"
"  failover NAME            the failover-state object of peer NAME: states\n"
"                           by name, role (primary, secondary), the times\n"
"                           the states were entered\n"
"  failover NAME partner-down\n"
"                           set local-state to partner-down (take over when\n"
"                           the peer is known to be down); prints the peer\n"
"  class NAME               a class (lease-limit, leases-used)\n"
"  get TYPE ATTR=VALUE...   open any object type by attributes.  VALUE is\n"
"                           read as an IPv4 address for ip-address, hex for\n"
"                           hardware-address, dhcp-client-identifier and uid,\n"
"                           text for name, client-hostname, statements and\n"
"                           group; otherwise a decimal number is a 32-bit\n"
"                           integer, a dotted quad an address, and anything\n"
"                           else text.  Write ATTR:=TEXT to force text.\n"
"  set TYPE KEY=VALUE... -- ATTR=VALUE...\n"
"                           open an object by its keys, update the\n"
"                           attributes after --, print it as dhcpd then\n"
"                           holds it (e.g. set host name=pc1 -- group=lab)\n"
"  delete TYPE KEY=VALUE... open an object by its keys, delete it, print\n"
"                           it as it was.  KEY and ATTR values are typed as\n"
"                           get types them\n"
"  shell [FILE]             run omshell's commands from FILE (or standard\n"
"                           input): server, port, key NAME SECRET,\n"
"                           key-algorithm, connect, new TYPE, close,\n"
"                           set NAME = VALUE, unset NAME, open, create,\n"
"                           update, refresh, remove.  Prints what omshell\n"
"                           prints; each failed command also writes\n"
"                           'omapictl: LINE: message' on standard error, and\n"
"                           the exit status is the first failure's.\n"
"                           --json: the server's objects as JSON lines;\n"
"                           --stop-on-error: stop at the first failure.\n"
"                           A key from -K or OMAPI_KEY_FILE serves when the\n"
"                           script has no key line\n"
"\n"
"  MAC and HEX are hex bytes separated by ':' or '-' (00:16:3e:0a:0b:0c)\n"
"  or one even-length hex string (00163e0a0b0c).\n";

static const char options_text[] =
"\n"
"OPTIONS\n"
"  -s, --server HOST[:PORT] the server (default 127.0.0.1:7911); an IPv6\n"
"                           address with a port is written [::1]:7911\n"
"  -k, --key NAME:BASE64    sign with this key.  Other users can read it\n"
"                           with ps while omapictl starts: prefer -K,\n"
"                           --secret-file or OMAPI_KEY\n"
"  -K, --key-file FILE      read 'key NAME { algorithm ALG; secret \"B64\"; };'\n"
"                           (dhcpd.conf, rndc.key format); with several key\n"
"                           blocks, --key-name chooses one\n"
"      --secret-file FILE   a file holding only the base64 secret; needs\n"
"                           --key-name\n"
"      --key-name NAME      the key's name (see --key-file, --secret-file)\n"
"  -a, --algorithm ALG      the algorithm of a key given by --key,\n"
"                           --secret-file or OMAPI_KEY: hmac-md5 (default),\n"
"                           hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384,\n"
"                           hmac-sha512.  A key file names its own.\n"
"  -j, --json               print each result as one JSON object on one\n"
"                           line, keyed by the server's attribute names:\n"
"                           state names (\"active\"), dotted addresses,\n"
"                           lower-case colon MACs, times as epoch seconds\n"
"  -t, --timeout MS         connect and per-reply timeout (default 5000)\n"
"      --stop-on-error      shell only: stop at the first failed command,\n"
"                           sending nothing after it\n"
"  -h, --help               this text\n"
"  -V, --version            the version\n";

static const char tail_text[] =
"\n"
"ENVIRONMENT\n"
"  OMAPI_SERVER             HOST[:PORT], used when there is no --server\n"
"  OMAPI_KEY                NAME:BASE64, used when no key option is given\n"
"  OMAPI_KEY_FILE           a key file, used when no key option and no\n"
"                           OMAPI_KEY are given\n"
"\n"
"EXIT STATUS\n"
"  0  found, or done\n"
"  1  not found: no such lease, host, class, failover peer or pool\n"
"  2  usage or configuration error (bad arguments, unreadable key file)\n"
"  3  connection, timeout, authentication or protocol failure\n"
"  4  the server refused the request with an error of its own, e.g.\n"
"     host add of a name or MAC that exists\n"
"\n"
"EXAMPLES\n"
"  omapictl -K /etc/dhcp/omapi.key lease ip 10.0.0.15\n"
"  OMAPI_KEY=omapi_key:$(cat secret.b64) omapictl --json lease mac 00:16:3e:0a:0b:0c\n"
"  omapictl -s [::1]:7911 -K omapi.key host add printer 00:16:3e:11:22:33 \\\n"
"      10.0.0.50 --statements 'option host-name \"printer\";'\n"
"  omapictl -K omapi.key host delete name printer\n"
"  omapictl -K omapi.key --json pool 10.0.0.15\n"
"  omapictl -K omapi.key --json lease sweep 10.0.0.1 10.0.0.254 | jq .state\n"
"  omapictl -K omapi.key --stop-on-error shell add-hosts.omshell\n"
"\n"
"The secret never appears in output or error messages.\n";

void
usage_print(void)
{
	fputs(synopsis, stdout);
	fputs(commands_text, stdout);
	fputs(options_text, stdout);
	fputs(tail_text, stdout);
}

/* The hint after getopt has reported a bad option. */
void
usage_short(void)
{
	fputs(synopsis, stderr);
	fprintf(stderr, "Try '%s --help' for more.\n", CLI_NAME);
}

void
version_print(void)
{
	printf("%s %s (OMAPI protocol %d)\n", CLI_NAME, CLI_VERSION,
	    OMAPI_PROTOCOL_VERSION);
}
