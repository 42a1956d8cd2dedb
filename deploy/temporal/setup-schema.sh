#!/bin/sh
# One-shot job (temporalio/admin-tools): creates Temporal's databases in PostgreSQL if missing and
# brings both schemas to the versions shipped with this admin-tools release, as Temporal's own
# compose examples do. Safe to re-run: existing databases and applied versions are kept.
set -eu
SQL_PASSWORD="$(cat /run/secrets/postgres_password)"
export SQL_PASSWORD
schema_dir=/etc/temporal/schema/postgresql/v12

sql_tool() {
  temporal-sql-tool --plugin "${DB}" --ep "${POSTGRES_SEEDS}" -p "${DB_PORT}" -u "${POSTGRES_USER}" "$@"
}

for database in temporal temporal_visibility; do
  case "$database" in
    temporal) versioned="$schema_dir/temporal/versioned" ;;
    *) versioned="$schema_dir/visibility/versioned" ;;
  esac
  sql_tool --db "$database" create
  sql_tool --db "$database" setup-schema -v 0.0
  sql_tool --db "$database" update-schema -d "$versioned"
  echo "schema of $database is up to date"
done
