/**
 * Custom search attributes the region workflows set, so the Web UI can filter by region.
 * The dev server registers them at start; production registers them once with the CLI.
 */
export const searchAttributes = {
  CarbonRegion: 'Keyword',
} as const;
