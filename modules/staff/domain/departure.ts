/**
 * What a module does when a staff member leaves: report the person's open items and hand
 * them to the successor (issue 4: active mentorships; issue 5 adds pending hours entries
 * and open work orders). Registered with StaffService.registerDepartureHandler, so the
 * staff module knows nothing of the modules that build on it.
 */
export interface OpenItems {
  kind: string;
  count: number;
  zh: string;
  en: string;
}

export interface StaffDepartureHandler {
  /** the person's open items of this kind (count 0 when none) */
  openItems(staffId: string): Promise<OpenItems>;
  /** moves them to `successorId` as of `on` (YYYY-MM-DD), in the caller's transaction; returns how many moved */
  handOver(staffId: string, successorId: string, on: string, reason: string): Promise<number>;
}
