import { randomBytes } from 'node:crypto';

/** Secrets for a test run: generated, never committed. */
export function testSecrets(): Record<string, string> {
  return {
    JWT_SECRET: randomBytes(48).toString('base64'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
  };
}
