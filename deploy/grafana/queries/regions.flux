// Dashboard variable `region`: every region with readings stored in the dashboard's time range.
from(bucket: "${bucket}")
  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
  |> filter(fn: (r) => r._measurement == "carbon_intensity")
  |> keep(columns: ["region"])
  |> group()
  |> distinct(column: "region")
  |> sort()
