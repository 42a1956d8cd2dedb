// The index: where each region's current MOER ranks in its recent range, 0-100 (WattTime's percentile).
from(bucket: "${bucket}")
  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
  |> filter(fn: (r) => r._measurement == "carbon_intensity" and r._field == "index_percentile")
  |> filter(fn: (r) => contains(value: r.region, set: ${region:json}))
  |> last()
  |> keep(columns: ["_time", "_value", "region", "signal_type"])
