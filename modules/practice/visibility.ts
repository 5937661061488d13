import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { StaffRow, StaffService } from '../staff';

export const NOBODY = '00000000-0000-0000-0000-000000000000';

/**
 * Who may see which students' practice, work orders and projects (issue 5): a mentor
 * (college or enterprise) only the students they are an ACTIVE mentor of; an enterprise
 * admin only what happens at their enterprise; college admins and staff the whole college.
 * Anything else answers 404, never 403.
 */
export interface Visibility {
  staffMemberId?: string;
  enterpriseId?: string;
}

/**
 * The SQL condition for a visibility, appended to a WHERE that has the tenant as $1.
 * `studentCol` is the student id column; `enterpriseSql` turns a parameter into the
 * condition "this row concerns that enterprise".
 */
export function visibilitySql(v: Visibility, params: unknown[], studentCol: string, enterpriseSql: (param: string) => string): string {
  let sql = '';
  if (v.staffMemberId) {
    params.push(v.staffMemberId);
    sql += ` AND EXISTS (SELECT 1 FROM mentorships vm WHERE vm.tenant_id = $1 AND vm.student_id = ${studentCol}
                         AND vm.staff_member_id = $${params.length} AND vm.ended_on IS NULL)`;
  }
  if (v.enterpriseId) {
    params.push(v.enterpriseId);
    sql += ` AND ${enterpriseSql(`$${params.length}`)}`;
  }
  return sql;
}

/** Resolves the signed-in user's visibility and staff record (in the caller's transaction). */
@Injectable()
export class MenteeAccess {
  constructor(
    private readonly staff: StaffService,
    private readonly context: TenantContext,
  ) {}

  async visibility(): Promise<Visibility> {
    const actor = this.context.requireActor();
    if (actor.role === 'college-mentor' || actor.role === 'enterprise-mentor') {
      const me = await this.staff.rowOfUser(actor.userId);
      return { staffMemberId: me?.id ?? NOBODY };
    }
    if (actor.scope === 'enterprise') return { enterpriseId: actor.enterpriseId ?? NOBODY };
    return {};
  }

  /** The staff record linked to the signed-in user in this college, if any. */
  me(): Promise<StaffRow | undefined> {
    return this.staff.rowOfUser(this.context.requireActor().userId);
  }
}
