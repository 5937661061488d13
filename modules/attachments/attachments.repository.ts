import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Attachment } from './attachment.entity';

/**
 * All SQL on `attachments`. RLS is the wall; a college or enterprise caller also names its
 * college explicitly. A province caller (no college) reads through the province policy.
 */
@Injectable()
export class AttachmentsRepository {
  constructor(
    private readonly txHost: TransactionHost<any>,
    private readonly tenant: TenantContext,
  ) {}

  private get repo() {
    return (this.txHost as Tx).tx.getRepository(Attachment);
  }

  findVisible(id: string): Promise<Attachment | null> {
    const tenantId = this.tenant.tenantId;
    return this.repo.findOne({ where: tenantId ? { id, tenantId } : { id } });
  }

  findInTenant(id: string): Promise<Attachment | null> {
    return this.repo.findOne({ where: { id, tenantId: this.tenant.requireTenantId() } });
  }

  async insert(values: Omit<Attachment, 'id' | 'tenantId' | 'createdAt'>): Promise<Attachment> {
    // tenant_id comes from the column default (the pinned college; NULL for the province).
    const saved = await this.repo.save(this.repo.create(values));
    return (await this.repo.findOne({ where: { id: saved.id } }))!;
  }

  /**
   * Links the file to its owner when the caller uploaded it and it is not yet linked (or is
   * already linked to this very owner): one statement, so two racing claims cannot both win.
   */
  async claim(id: string, userId: string, ownerEntity: string, ownerId: string, enterpriseId: string | null): Promise<Attachment | null> {
    const rows: { id: string }[] = await (this.txHost as Tx).tx.query(
      `UPDATE attachments SET owner_entity = $4, owner_id = $5, enterprise_id = COALESCE($6::uuid, enterprise_id)
        WHERE tenant_id = $1 AND id = $2 AND uploaded_by = $3
          AND (owner_id IS NULL OR (owner_entity = $4 AND owner_id = $5))
        RETURNING id`,
      [this.tenant.requireTenantId(), id, userId, ownerEntity, ownerId, enterpriseId],
    );
    const updated = Array.isArray(rows[0]) ? (rows[0] as unknown as { id: string }[]) : rows;
    if (!updated.length) return null;
    return this.repo.findOne({ where: { id, tenantId: this.tenant.requireTenantId() } });
  }

  async setOwner(id: string, ownerEntity: string, ownerId: string, enterpriseId: string | null): Promise<void> {
    await this.repo.update(
      { id, tenantId: this.tenant.requireTenantId() },
      { ownerEntity, ownerId, ...(enterpriseId ? { enterpriseId } : {}) },
    );
  }
}
