/** Kysely table types. Times are epoch milliseconds (BIGINT); JSON columns are TEXT. */
export interface ApiKeysTable {
  id: string;
  name: string;
  owner_id: string | null;
  metadata: string;
  scopes: string;
  environment: string;
  prefix: string;
  start: string;
  hash: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  rate_limit_limit: number | null;
  rate_limit_window_seconds: number | null;
  rotated_from_id: string | null;
  rotated_to_id: string | null;
}

export interface MetaTable {
  name: string;
  created_at: number;
}

export interface Database {
  api_keys: ApiKeysTable;
  gatehouse_meta: MetaTable;
}
