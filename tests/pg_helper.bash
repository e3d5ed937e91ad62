# tests/pg_helper.bash: a real PostgreSQL server for a bats file, from
# Debian's postgresql package: initdb and pg_ctl in a temporary folder,
# listening on a Unix socket only (no TCP), trust authentication for the
# user "oak". As root (CI) the server runs as "nobody", since PostgreSQL
# refuses to run as root. pg_start from setup_file, pg_stop from
# teardown_file; pg_start exports PGHOST and PGUSER for psql.

pg_bindir() {
	local d
	if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
		dirname "$(command -v pg_ctl)"
		return
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	return 1
}

# as_server CMD...: runs CMD as the server's user.
as_server() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	PG_BIN=$(pg_bindir) || { echo "no PostgreSQL server (tools/deps installs postgresql)" >&2; return 1; }
	# short: a socket path has at most 107 bytes
	PG_DIR=$(mktemp -d /tmp/oak-pg.XXXXXX) || return 1
	[ "$(id -u)" -eq 0 ] && chown nobody "$PG_DIR"
	as_server "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U oak -E UTF8 \
		--locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
		cat "$PG_DIR/initdb.log" >&2; return 1; }
	as_server "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
		-o "-k $PG_DIR -c listen_addresses= -F" start >/dev/null || {
		cat "$PG_DIR/server.log" >&2; return 1; }
	PGHOST=$PG_DIR
	PGUSER=oak
	export PG_BIN PG_DIR PGHOST PGUSER
}

pg_stop() {
	[ -n "${PG_DIR:-}" ] || return 0
	as_server "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$PG_DIR"
}

# pg_newdb NAME: a fresh, empty database.
pg_newdb() {
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
}
