import { createHash } from 'node:crypto';

/** JSON with sorted keys, so equal payloads hash equally whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The default deterministic id: the same job name and payload give the same id, so an
 * enqueue repeated by a retried request or a second process is one job (ARCHITECTURE §6).
 */
export function defaultJobId(name: string, payload: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(payload)).digest('hex').slice(0, 32);
  return `${name}_${digest}`;
}

/** BullMQ refuses integer ids and ids with ':'; refuse them at enqueue, not in the relay. */
export function assertValidJobId(jobId: string): void {
  if (!jobId || jobId.length > 200) throw new Error(`jobId must be 1..200 characters, got ${jobId.length}`);
  if (jobId.includes(':')) throw new Error(`jobId may not contain ':' (BullMQ reserves it): ${jobId}`);
  if (`${parseInt(jobId, 10)}` === jobId) throw new Error(`jobId may not be an integer: ${jobId}`);
}
