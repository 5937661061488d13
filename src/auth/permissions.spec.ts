import { isAllowed, Permission, PERMISSIONS, permissionsOf } from './permissions';
import { ROLES } from './roles';

describe('permissionsOf (the per-role list GET /auth/me returns)', () => {
  it.each(ROLES)('%s: exactly the actions isAllowed grants, in the table order', (role) => {
    const expected = (Object.keys(PERMISSIONS) as Permission[]).filter((p) => isAllowed(role, p));
    expect(permissionsOf(role)).toEqual(expected);
  });

  it('is computed once per role and cannot be changed by a caller', () => {
    const list = permissionsOf('college-admin');
    expect(permissionsOf('college-admin')).toBe(list);
    expect(Object.isFrozen(list)).toBe(true);
  });
});
