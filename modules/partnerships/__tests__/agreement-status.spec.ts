import { agreementInForce } from '../agreement-status';

describe('R-TRN-1 agreement in force', () => {
  const signed = { status: 'signed' as const, termStart: '2026-03-01', termEnd: '2030-07-31' };

  it('R-TRN-1: in force on term_start and on term_end', () => {
    expect(agreementInForce(signed, '2026-03-01')).toBe(true);
    expect(agreementInForce(signed, '2030-07-31')).toBe(true);
  });

  it('R-TRN-1: not in force the day before term_start nor the day after term_end', () => {
    expect(agreementInForce(signed, '2026-02-28')).toBe(false);
    expect(agreementInForce(signed, '2030-08-01')).toBe(false);
  });

  it('R-TRN-1: a draft or terminated agreement is never in force', () => {
    expect(agreementInForce({ ...signed, status: 'draft' }, '2027-01-01')).toBe(false);
    expect(agreementInForce({ ...signed, status: 'terminated' }, '2027-01-01')).toBe(false);
  });
});
