// Dashboard variable `region`: every region with stored readings in the last 30 days.
import "influxdata/influxdb/schema"

schema.tagValues(
  bucket: "${bucket}",
  tag: "region",
  predicate: (r) => r._measurement == "carbon_intensity",
  start: -30d,
)
