#!/bin/sh
# One-shot job (temporalio/admin-tools), run once the namespace job has returned: registers the
# custom search attributes the region workflows set (workflows/search-attributes.ts). Registering one
# that already exists with the same type succeeds; any error, including an existing attribute of
# another type, fails the job, and the worker does not start.
set -eu
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}" "${TEMPORAL_NAMESPACE:?set TEMPORAL_NAMESPACE}"

for name in CarbonRegion CarbonStatus; do
  temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type Keyword
  echo "search attribute $name (Keyword) is registered in $TEMPORAL_NAMESPACE"
done
