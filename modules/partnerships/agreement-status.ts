/**
 * R-TRN-1: an agreement is in force when it is signed and today (the China date) lies
 * within its term, both ends included.
 */
export interface AgreementTerm {
  status: 'draft' | 'signed' | 'terminated';
  termStart: string;
  termEnd: string;
}

export function agreementInForce(a: AgreementTerm, today: string): boolean {
  return a.status === 'signed' && a.termStart <= today && today <= a.termEnd;
}

/** R-PRG-3: a programme has at most two active partner enterprises. */
export const MAX_ACTIVE_PARTNERS = 2;
