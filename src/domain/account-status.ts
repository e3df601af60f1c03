/** The lifecycle of an integrated account (CONTRACT.md "Integrations, connect flow and OAuth"). */
export const ACCOUNT_STATUS = {
  active: 'active',
  /** the vendor answered 401/403 to a request that needs no extra scope */
  invalidCredentials: 'invalid_credentials',
  /** an OAuth refresh failed for good: the end user must connect again */
  needsReauth: 'needs_reauth',
} as const;
export type AccountStatus = (typeof ACCOUNT_STATUS)[keyof typeof ACCOUNT_STATUS];
