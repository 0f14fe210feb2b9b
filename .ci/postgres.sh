# shellcheck shell=bash
# Starts a throwaway PostgreSQL cluster for the store's conformance suite and exports two
# URLs of two roles (least privilege, docs/ledger.md "PostgreSQL roles"):
# - SAYLAU_TEST_POSTGRES_OWNER_URL: `saylau_owner`, which may create databases; the tests
#   create one database per test with it, migrate it (`saylau db init --owner-url`) and
#   tamper with it as the tables' owner would; it is a member of `saylau`, so that it may
#   end the application's connections when it drops a test's database;
# - SAYLAU_TEST_POSTGRES_URL: `saylau`, the application role, which owns nothing and is
#   granted SELECT and INSERT (and the current-version pointer's UPDATE) by the owner's
#   `db init`; every store the tests open runs as this role.
# Sourced by .ci/run; by hand: `source .ci/postgres.sh && cargo test -p saylau-store`.
# A URL already in SAYLAU_TEST_POSTGRES_URL is used as it is, and nothing is started; the
# owner's URL is then SAYLAU_TEST_POSTGRES_OWNER_URL, or the same URL when it is not set
# (one role that owns everything, as before; the least-privilege tests then say SKIPPED).
# The cluster lives in a new directory under /tmp and is stopped when the shell exits.

saylau_as_postgres() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

saylau_pg_bindir() {
    find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

saylau_pg_stop() {
    if [[ -n "${SAYLAU_PG_DATA:-}" && -d "$SAYLAU_PG_DATA" ]]; then
        if [[ -f "$SAYLAU_PG_DATA/postmaster.pid" ]]; then
            saylau_as_postgres "$(saylau_pg_bindir)/pg_ctl" -D "$SAYLAU_PG_DATA" -m fast -w stop \
                >/dev/null || true
        fi
        rm -rf "$SAYLAU_PG_DATA"
    fi
}

saylau_pg_start() {
    if [[ -n "${SAYLAU_TEST_POSTGRES_URL:-}" ]]; then
        echo "PostgreSQL: using SAYLAU_TEST_POSTGRES_URL from the environment"
        return
    fi
    local bindir
    bindir=$(saylau_pg_bindir)
    if [[ -z "$bindir" ]]; then
        echo "PostgreSQL: installing Debian's postgresql package"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        bindir=$(saylau_pg_bindir)
    fi
    # The first free port from 54329: a cluster left running elsewhere must not clash.
    local port=54329
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        port=$((port + 1))
    done
    SAYLAU_PG_DATA=$(mktemp -d /tmp/saylau-pg.XXXXXX)
    if [[ $EUID -eq 0 ]]; then
        chown postgres:postgres "$SAYLAU_PG_DATA"
    fi
    saylau_as_postgres "$bindir/initdb" -D "$SAYLAU_PG_DATA" -U postgres -A trust \
        --no-sync >/dev/null
    trap saylau_pg_stop EXIT
    # fsync is off because the cluster is thrown away; the tests kill clients, not it.
    saylau_as_postgres "$bindir/pg_ctl" -D "$SAYLAU_PG_DATA" -l "$SAYLAU_PG_DATA/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $SAYLAU_PG_DATA -c fsync=off" start >/dev/null
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE saylau_owner LOGIN CREATEDB PASSWORD 'saylau_owner'" \
        -c "CREATE ROLE saylau LOGIN PASSWORD 'saylau'" \
        -c "GRANT saylau TO saylau_owner"
    export SAYLAU_TEST_POSTGRES_OWNER_URL="postgres://saylau_owner:saylau_owner@127.0.0.1:$port/postgres"
    export SAYLAU_TEST_POSTGRES_URL="postgres://saylau:saylau@127.0.0.1:$port/postgres"
    echo "PostgreSQL: $("$bindir/postgres" --version) on 127.0.0.1:$port, data in $SAYLAU_PG_DATA"
}

saylau_pg_start
