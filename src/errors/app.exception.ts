import { ErrorDefinition } from './error-catalog';

/** One invalid field: `field` is a dotted path, the message is rendered per language. */
export interface FieldError {
  field: string;
  /** class-validator constraint name or a module-specific key */
  constraint: string;
  /** values the message template needs */
  params?: Record<string, unknown>;
  /** a message already written for both languages (module rules) */
  zh?: string;
  en?: string;
}

/**
 * The only exception services throw for expected failures. The filter renders it as
 * RFC 9457 problem+json in the caller's language.
 */
export class AppException extends Error {
  constructor(
    readonly definition: ErrorDefinition,
    readonly params: Record<string, unknown> = {},
    readonly fieldErrors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(definition.code);
    this.name = 'AppException';
  }

  get status(): number {
    return this.definition.status;
  }
}
