import { checkCharacter, makeResidentId, parseResidentId } from '../domain/resident-id';

describe('resident ID number (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  it('accepts the standard example 11010519491231002X and reads birth date and gender', () => {
    expect(parseResidentId('11010519491231002x')).toEqual({ normalized: '11010519491231002X', dateOfBirth: '1949-12-31', gender: 'female' });
    expect(checkCharacter('44010619900101123')).toBe(makeResidentId('440106', '1990-01-01', 123).slice(-1));
  });

  it('refuses a check character one off', () => {
    const id = makeResidentId('440106', '2008-05-17', 231);
    expect(parseResidentId(id)).toMatchObject({ gender: 'male', dateOfBirth: '2008-05-17' });
    const chars = '0123456789X';
    const wrong = id.slice(0, 17) + chars[(chars.indexOf(id[17]) + 1) % 11];
    expect(parseResidentId(wrong)).toBe('CHECK_CHARACTER');
  });

  it('refuses a bad format or an impossible birth date', () => {
    expect(parseResidentId('44010620080517231')).toBe('FORMAT');
    expect(parseResidentId(makeResidentId('440106', '2008-02-30', 1).replace('20080230', '20080230'))).toBe('BIRTH_DATE');
    expect(parseResidentId(makeResidentId('440106', '2030-01-01', 1), '2026-01-01')).toBe('BIRTH_DATE');
  });
});
