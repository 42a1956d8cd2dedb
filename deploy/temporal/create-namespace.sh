#!/bin/sh
# One-shot job (temporalio/admin-tools): waits until Temporal answers, creates TEMPORAL_NAMESPACE
# (retention TEMPORAL_NAMESPACE_RETENTION, default 7d) unless it exists, and returns only once the
# frontend serves it (a new namespace reaches the frontend's cache some seconds after creation).
# The `temporal` CLI reads TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE itself.
set -eu
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}" "${TEMPORAL_NAMESPACE:?set TEMPORAL_NAMESPACE}"

# retry WHAT COMMAND...: runs COMMAND every 2 s until it succeeds; after 30 tries, fails with
# WHAT and the command's last output.
retry() {
  what=$1
  shift
  attempt=1
  until output="$("$@" 2>&1)"; do
    if [ "$attempt" -ge 30 ]; then
      echo "$what after $attempt attempts: $output" >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
}

retry "Temporal at $TEMPORAL_ADDRESS is not serving" temporal operator cluster health

if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "${TEMPORAL_NAMESPACE_RETENTION:-7d}"
  echo "namespace $TEMPORAL_NAMESPACE created"
fi

retry "namespace $TEMPORAL_NAMESPACE is not served yet" temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE"
echo "namespace $TEMPORAL_NAMESPACE is ready"
