import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { hashPassword, verifyPassword } from './password';

/** Thrown when every hashing slot is busy and the waiting line is full; the caller answers 503 + Retry-After. */
export class HashingBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('password hashing is at capacity');
  }
}

/**
 * argon2id with a cap on how many hashes run at once in this process (issue 8 item 16).
 * A hash takes ~100 ms of a core and 19 MiB; a flood of logins would otherwise take every
 * CPU (and, when it ran inside a transaction, every database connection) from the other
 * routes. Up to PASSWORD_HASH_CONCURRENCY run, up to PASSWORD_HASH_QUEUE wait in order,
 * and any more are refused at once. Never call it while holding a database connection.
 */
@Injectable()
export class PasswordHasher {
  private active = 0;
  private admitted = 0;
  private readonly waiting: (() => void)[] = [];
  /** Refusals since start (figures for tests and metrics). */
  refused = 0;

  constructor(private readonly config: AppConfig) {}

  /**
   * Admits one login (or other password check) into this process, or throws HashingBusyError
   * at once when PASSWORD_HASH_CONCURRENCY + PASSWORD_HASH_QUEUE are already in progress.
   * Taken before the caller's first query, so a flood is turned away without costing the
   * database anything; the returned function ends the admission (call it in `finally`).
   */
  admit(): () => void {
    if (this.admitted >= this.config.PASSWORD_HASH_CONCURRENCY + this.config.PASSWORD_HASH_QUEUE) {
      this.refused += 1;
      throw new HashingBusyError(1);
    }
    this.admitted += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.admitted -= 1;
    };
  }

  verify(hash: string, plain: string): Promise<boolean> {
    return this.run(() => verifyPassword(hash, plain));
  }

  hash(plain: string): Promise<string> {
    return this.run(() => hashPassword(plain));
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.config.PASSWORD_HASH_CONCURRENCY) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.config.PASSWORD_HASH_QUEUE) {
      this.refused += 1;
      throw new HashingBusyError(1);
    }
    // the slot is handed over by release(): `active` stays counted
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
