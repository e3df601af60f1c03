/** Row types of the database, shared by both dialects. Times are ISO 8601 UTC strings. */
export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  token_hash: string;
  label: string;
  created_at: string;
}

export interface IntegratedAccountsTable {
  id: string;
  tenant_id: string;
  integration: string;
  status: string;
  /** CredentialCipher output; never plaintext */
  credentials: string;
  /** JSON of non-secret facts learnt from the vendor (e.g. the company time zone) */
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface Database {
  tenants: TenantsTable;
  api_tokens: ApiTokensTable;
  integrated_accounts: IntegratedAccountsTable;
}
