// Intensity now: the latest stored MOER per region, in g CO2/kWh.
from(bucket: "${bucket}")
  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
  |> filter(fn: (r) => r._measurement == "carbon_intensity" and r._field == "carbon_intensity_gco2_kwh")
  |> filter(fn: (r) => contains(value: r.region, set: ${region:json}))
  |> last()
  |> keep(columns: ["_time", "_value", "region", "signal_type"])
