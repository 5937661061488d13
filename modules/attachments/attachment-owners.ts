import { Injectable } from '@nestjs/common';
import type { Actor } from '../../src/tenancy/request-context';

/**
 * Decides whether `actor` may attach a file to the record `ownerId` of one owner type.
 * Answers the enterprise the record concerns (whose users may then download the file), or
 * null when the record does not exist, is not visible or is not writable by the actor.
 * Runs inside the caller's transaction.
 */
export type AttachmentOwnerCheck = (actor: Actor, ownerId: string) => Promise<{ enterpriseId: string | null } | null>;

/**
 * Owner types a file may name at upload (`POST /attachments` with ownerEntity/ownerId).
 * The module that owns the record registers its check (issue 9 item 2): the attachments
 * module never reads another module's tables, and an unregistered type is refused.
 */
@Injectable()
export class AttachmentOwners {
  private readonly checks = new Map<string, AttachmentOwnerCheck>();

  register(ownerEntity: string, check: AttachmentOwnerCheck): void {
    this.checks.set(ownerEntity, check);
  }

  get(ownerEntity: string): AttachmentOwnerCheck | undefined {
    return this.checks.get(ownerEntity);
  }

  get types(): string[] {
    return [...this.checks.keys()].sort();
  }
}
