#!/bin/sh
# One-shot job (temporalio/admin-tools), run once the namespace exists: registers the custom
# search attributes the region workflows set (servers/search-attributes.ts). Registering one that
# already exists succeeds; any other error fails the job, and the worker does not start.
set -eu
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}" "${TEMPORAL_NAMESPACE:?set TEMPORAL_NAMESPACE}"

temporal operator search-attribute create --name CarbonRegion --type Keyword
echo "search attribute CarbonRegion (Keyword) registered in $TEMPORAL_NAMESPACE"
