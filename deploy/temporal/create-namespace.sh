#!/bin/sh
# One-shot job (temporalio/admin-tools): waits until Temporal answers, then creates
# TEMPORAL_NAMESPACE (retention TEMPORAL_NAMESPACE_RETENTION, default 7d) unless it exists.
# The `temporal` CLI reads TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE itself.
set -eu
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}" "${TEMPORAL_NAMESPACE:?set TEMPORAL_NAMESPACE}"

attempt=1
until temporal operator cluster health >/dev/null 2>&1; do
  if [ "$attempt" -ge 30 ]; then
    echo "Temporal at $TEMPORAL_ADDRESS is not serving after $attempt attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "${TEMPORAL_NAMESPACE_RETENTION:-7d}"
  echo "namespace $TEMPORAL_NAMESPACE created"
fi
