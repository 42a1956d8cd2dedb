#!/bin/bash
# InfluxDB image init script: runs once, on the first start (empty volumes), after the image's own
# setup created the org and bucket and while the `influx` CLI holds the operator token. Writes two
# tokens limited to that bucket into SCOPED_TOKEN_DIR (a volume the consumers mount read-only):
#   worker  - write only, for the worker (node user, uid 1000)
#   grafana - read only, for Grafana's datasource (grafana user, uid 472)
# Any failure stops the container; the image then discards the half-done setup, so the next start
# runs it again from scratch.
set -euo pipefail
: "${SCOPED_TOKEN_DIR:?set SCOPED_TOKEN_DIR}"
bucket_id="${DOCKER_INFLUXDB_INIT_BUCKET_ID:?the image exports the bucket id}"
org_id="${DOCKER_INFLUXDB_INIT_ORG_ID:?the image exports the org id}"
user="${DOCKER_INFLUXDB_INIT_USERNAME:?set DOCKER_INFLUXDB_INIT_USERNAME}"

# create_token NAME OWNER_UID DESCRIPTION PERMISSION...: one new token, readable by OWNER_UID only.
create_token() {
  local name=$1 owner=$2 description=$3
  shift 3
  local token
  token="$(influx auth create --org-id "$org_id" --user "$user" --description "$description" "$@" --json \
    | grep -o '"token": *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')"
  if [ -z "$token" ]; then
    echo "influx auth create returned no token for $name" >&2
    return 1
  fi
  install -d -m 0755 "$SCOPED_TOKEN_DIR"
  (umask 0377 && printf '%s' "$token" > "$SCOPED_TOKEN_DIR/$name.tmp")
  chown "$owner" "$SCOPED_TOKEN_DIR/$name.tmp"
  mv "$SCOPED_TOKEN_DIR/$name.tmp" "$SCOPED_TOKEN_DIR/$name"
  echo "wrote $SCOPED_TOKEN_DIR/$name: $description"
}

create_token worker 1000 "carbon-intensity worker: write ${DOCKER_INFLUXDB_INIT_BUCKET}" --write-bucket "$bucket_id"
create_token grafana 472 "Grafana: read ${DOCKER_INFLUXDB_INIT_BUCKET}" --read-bucket "$bucket_id"
