#!/usr/bin/env bash
# Installs Debian's PostgreSQL server for the PostgreSQL publication tests (tests/postgres_server.py)
# when its binaries are missing; the tests start their own throw-away server on 127.0.0.1.
# Called by .ci/run before `make test`. Not root or no apt-get: says so and leaves the machine as it is
# (the tests then skip with that reason, or fail when CI is set).
set -euo pipefail

if compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null; then
    echo "postgres_install: PostgreSQL server already installed: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get > /dev/null; then
    echo "postgres_install: initdb missing and cannot install it here (needs root and apt-get)" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The server package only: the tests' client is psycopg's own libpq (psycopg[binary]).
apt-get install -y -qq --no-install-recommends postgresql > /dev/null
echo "postgres_install: installed $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
