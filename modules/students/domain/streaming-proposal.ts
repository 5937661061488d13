/**
 * R-EVA-1: streaming at the mid-term checkpoint is decided on the mid-term assessment
 * (issue 11: "mid-term (feeds streaming)"). The proposal for an enrolled student without a
 * decision reads their current submitted mid-term result: passed → continue to the
 * technician stage; not passed → the senior-worker route; no submitted result → no
 * proposal (the college decides, with a reason, either way: this is advice, not a decision).
 */
export interface MidTermResult {
  score: number | null;
  passed: boolean;
  passMark: number | null;
  assessedOn: string;
}

export type ProposedDecision = 'continue' | 'senior-worker-route';

export interface StreamingProposal {
  proposed: ProposedDecision | null;
  basis: string;
}

export function proposeStreaming(result: MidTermResult | undefined): StreamingProposal {
  if (!result) return { proposed: null, basis: '尚无已提交的中期考核成绩，暂无分流建议' };
  const mark = result.passMark === null ? '' : `（合格线 ${result.passMark} 分）`;
  const score = result.score === null ? '' : ` ${result.score} 分`;
  return result.passed
    ? { proposed: 'continue', basis: `中期考核${score}合格${mark}，建议继续技师阶段` }
    : { proposed: 'senior-worker-route', basis: `中期考核${score}未达合格线${mark}，建议转高级工方向` };
}
