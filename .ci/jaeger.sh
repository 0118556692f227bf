# shellcheck shell=bash
# Jaeger v2 all-in-one for the otel/otelsetup package's end-to-end tests. Source this
# file from .ci/run; it defines two functions and runs nothing by itself:
#
#   jaeger_start   builds Jaeger (once; reused from the cache afterwards),
#                  starts it on 127.0.0.1 only with in-memory storage, waits
#                  until it is ready and exports:
#                    MIRASCOPE_JAEGER_OTLP=127.0.0.1:4318         OTLP/HTTP receiver
#                    MIRASCOPE_JAEGER_QUERY=http://127.0.0.1:16686 query API
#                  otelsetup's TestJaeger* tests run only when both are set.
#   jaeger_stop    stops the Jaeger that jaeger_start started, by its PID.
#
# The binary is built from the tools module in .ci/tools/jaeger (its own
# go.mod, pinned to Jaeger v1.76.0; `go install ...@v1.76.0` is refused
# because Jaeger's module has replace directives). A cold build takes about
# 12 minutes on 2 cores and writes a ~120 MB binary to
#   ${MIRASCOPE_CACHE:-$HOME/.cache/mirascope-go}/jaeger
# Its log is ${MIRASCOPE_CACHE:-$HOME/.cache/mirascope-go}/jaeger.log.

JAEGER_VERSION=v1.76.0

jaeger_build() {
	local cache=${MIRASCOPE_CACHE:-$HOME/.cache/mirascope-go}
	local root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	mkdir -p "$cache" || return 1
	if [[ -x "$cache/jaeger" && -f "$cache/jaeger.version" && "$(cat "$cache/jaeger.version")" == "$JAEGER_VERSION" ]]; then
		return 0
	fi
	echo "jaeger: building $JAEGER_VERSION into $cache/jaeger (about 12 minutes cold)" >&2
	(cd "$root/tools/jaeger" && go build -o "$cache/jaeger.tmp" github.com/jaegertracing/jaeger/cmd/jaeger) || return 1
	mv "$cache/jaeger.tmp" "$cache/jaeger" && echo "$JAEGER_VERSION" >"$cache/jaeger.version"
}

jaeger_start() {
	local cache=${MIRASCOPE_CACHE:-$HOME/.cache/mirascope-go}
	jaeger_build || { echo "jaeger: build failed" >&2; return 1; }
	# JAEGER_LISTEN_HOST moves the receivers to loopback; the query endpoints
	# need their own settings, and enable_tracing=false stops Jaeger tracing
	# itself (which also makes shutdown take seconds).
	JAEGER_LISTEN_HOST=127.0.0.1 "$cache/jaeger" \
		--set=extensions.jaeger_query.http.endpoint=127.0.0.1:16686 \
		--set=extensions.jaeger_query.grpc.endpoint=127.0.0.1:16685 \
		--set=extensions.jaeger_query.enable_tracing=false \
		>"$cache/jaeger.log" 2>&1 &
	JAEGER_PID=$!
	local i
	for i in $(seq 1 100); do
		if curl -fsS -o /dev/null http://127.0.0.1:13133/status 2>/dev/null; then
			export MIRASCOPE_JAEGER_OTLP=127.0.0.1:4318
			export MIRASCOPE_JAEGER_QUERY=http://127.0.0.1:16686
			echo "jaeger: ready (pid $JAEGER_PID)" >&2
			return 0
		fi
		if ! kill -0 "$JAEGER_PID" 2>/dev/null; then
			break
		fi
		sleep 0.2
	done
	echo "jaeger: not ready; last log lines:" >&2
	tail -n 20 "$cache/jaeger.log" >&2
	jaeger_stop
	return 1
}

jaeger_stop() {
	if [[ -n "${JAEGER_PID:-}" ]]; then
		# Safe under set -e, and in an EXIT trap: wait reports the signal's
		# exit status (143), which must not become the script's.
		kill "$JAEGER_PID" 2>/dev/null || true
		wait "$JAEGER_PID" 2>/dev/null || true
		unset JAEGER_PID MIRASCOPE_JAEGER_OTLP MIRASCOPE_JAEGER_QUERY
	fi
	return 0
}
