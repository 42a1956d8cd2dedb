import type { MyAccessResponse } from './schemas';

export interface AccessQuery {
  signalType: string;
  region: string;
  /** With or without the leading slash: `/v3/forecast` and `v3/forecast` are the same. */
  endpoint: string;
}

const withoutLeadingSlash = (path: string): string => path.replace(/^\/+/, '');

/**
 * Whether `/v3/my-access` lists this endpoint for this region and signal type. Decides, for
 * example, whether a region gets the forecast or only the index (free plans outside CAISO_NORTH).
 */
export function hasEndpointAccess(access: MyAccessResponse, query: AccessQuery): boolean {
  const wanted = withoutLeadingSlash(query.endpoint);
  return access.signalTypes.some(
    (s) =>
      s.signalType === query.signalType &&
      s.regions.some(
        (r) => r.region === query.region && r.endpoints.some((e) => withoutLeadingSlash(e.endpoint) === wanted),
      ),
  );
}
