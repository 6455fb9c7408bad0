/**
 * The storage the login defence needs beyond the counters: one server secret, generated at
 * first start when none is configured and shared by every instance. Implemented in
 * `storage/sql/defense-store.ts`.
 */
export interface DefenseStore {
  /**
   * Returns the secret stored under `name`, storing `candidate` first if there is none.
   * Atomic (an insert that does nothing on conflict, then a read): of concurrent first
   * starts on several instances exactly one candidate wins, and every caller gets it.
   *
   * @param candidate a fresh random secret (base64url, at most 255 characters)
   * @param now epoch milliseconds, recorded as the creation time
   * @throws {GatehouseError} `storage.unavailable` when the database fails
   */
  getOrCreateSecret(name: string, candidate: string, now: number): Promise<string>;
}
