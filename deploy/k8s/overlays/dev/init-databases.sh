#!/bin/sh
# One database per service that owns data, each owned by a login role of its own that can reach nothing else (the
# services never sign in as the superuser). Run once, as the superuser, by the postgres image on an empty volume:
# by docker compose and by the dev overlay's example PostgreSQL. The passwords come from ./switchboard env.
set -eu
for service in chat workflow ai; do
  variable=$(echo "SWITCHBOARD_${service}_DB_PASSWORD" | tr '[:lower:]' '[:upper:]')
  password=$(printenv "$variable") || { echo "$variable is not set" >&2; exit 1; }
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v role="switchboard_$service" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
