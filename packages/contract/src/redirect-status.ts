/** The redirect statuses a link may use; the proto field is a plain int32 so its JSON is the number. */
export const REDIRECT_STATUSES = [301, 302, 307, 308] as const;

export type RedirectStatus = (typeof REDIRECT_STATUSES)[number];

export const DEFAULT_REDIRECT_STATUS: RedirectStatus = 302;

export function isRedirectStatus(value: number): value is RedirectStatus {
  return (REDIRECT_STATUSES as readonly number[]).includes(value);
}
