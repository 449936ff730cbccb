# Sourced by tests/lab/demo.sh and the suites that run Prometheus next to
# the exporter: start a server in the background and wait for it; stop it.
#   serve LOG URL LIMIT CMD...   start CMD (output in LOG), wait up to LIMIT s
#                                for URL to answer 200; sets served_pid; on
#                                failure prints LOG's end and returns 1;
#                                with SERVE_NETNS set, URL is fetched
#                                inside that namespace
#   stop_pid PID                 TERM, KILL after 5 s, reap
# shellcheck shell=bash

serve() {
	local log=$1 url=$2 limit=$3 _i
	shift 3
	"$@" >"$log" 2>&1 </dev/null &
	served_pid=$!
	for _i in $(seq 1 $((limit * 5))); do
		if [ -n "${SERVE_NETNS:-}" ]; then
			ip netns exec "$SERVE_NETNS" curl -sf --max-time 1 -o /dev/null "$url"
		else
			curl -sf --max-time 1 -o /dev/null "$url"
		fi && return 0
		kill -0 "$served_pid" 2>/dev/null || break
		sleep 0.2
	done
	tail -5 "$log" | sed 's/^/  | /' >&2
	return 1
}

stop_pid() {
	local pid=$1 _i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
	for _i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	return 0
}
