// The current forecast curve per region, in g CO2/kWh: only the points of the latest forecast
// (its generated_at), so points left over from older forecasts never mix in.
curve = from(bucket: "${bucket}")
  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
  |> filter(fn: (r) => r._measurement == "carbon_intensity_forecast")
  |> filter(fn: (r) => contains(value: r.region, set: ${region:json}))
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> group(columns: ["region", "signal_type"])

latest = curve
  |> sort(columns: ["generated_at"], desc: true)
  |> limit(n: 1)
  |> keep(columns: ["region", "signal_type", "generated_at"])

join(tables: {curve: curve, latest: latest}, on: ["region", "signal_type", "generated_at"])
  |> map(fn: (r) => ({_time: r._time, _value: r.value * 0.45359237, region: r.region, signal_type: r.signal_type}))
  |> sort(columns: ["_time"])
