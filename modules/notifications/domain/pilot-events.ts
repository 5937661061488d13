/** What the college admins are told about a step of the pilot process (issue 12's events). */
export interface PilotEventMessage {
  title: string;
  body: string;
  link: string;
}

export function pilotEventMessage(event: string, subjectId: string): PilotEventMessage {
  const application = `/api/v1/pilot-applications/${subjectId}`;
  const batch = `/api/v1/publicity-batches/${subjectId}`;
  const evaluation = `/api/v1/pilot-evaluations/${subjectId}`;
  switch (event) {
    case 'application-decided':
      return { title: '试点申报已有评审结论', body: '省级已对贵校的学制技师试点申报作出决定，请登录平台查看各专业的评审结论。', link: application };
    case 'application-returned':
      return { title: '试点申报被退回修改', body: '贵校的试点申报中有专业被退回修改，请按评审意见修改后重新提交。', link: application };
    case 'notice-reopened':
      return { title: '试点申报通知已为贵校重新开放', body: '省级已为贵校重新开放试点申报，请在新的截止日期前提交申报材料。', link: `/api/v1/pilot-notices/${subjectId}` };
    case 'publicity-started':
      return { title: '试点名单进入公示期', body: '贵校申报的试点专业已进入公示期，公示期间如有异议将由省级处理。', link: batch };
    case 'objection-upheld':
      return { title: '公示异议成立', body: '公示期间针对贵校试点专业的异议经核查成立，请登录平台查看处理结果。', link: `/api/v1/pilot-objections/${subjectId}` };
    case 'announced':
      return { title: '试点名单已正式公布', body: '学制技师试点名单已正式公布，请登录平台查看贵校入选的专业。', link: batch };
    case 'evaluation-scheduled':
      return { title: '试点评估已安排', body: '省级已安排对贵校试点专业的评估，请提前准备评估材料。', link: evaluation };
    case 'evaluation-pass':
      return { title: '试点评估结论：通过', body: '贵校试点专业的评估结论为“通过”。', link: evaluation };
    case 'evaluation-rectify':
      return { title: '试点评估结论：限期整改', body: '贵校试点专业的评估结论为“限期整改”，请按评估意见在期限内完成整改。', link: evaluation };
    case 'evaluation-fail':
      return { title: '试点评估结论：不通过', body: '贵校试点专业的评估结论为“不通过”，请登录平台查看评估意见。', link: evaluation };
    case 'pilot-revoked':
      return { title: '试点资格已撤销', body: '省级已撤销贵校相关专业的试点资格，请登录平台查看撤销决定。', link: '/api/v1/programmes' };
    default:
      return { title: '试点工作有新进展', body: '贵校的学制技师试点工作有新的进展，请登录平台查看。', link: '/api/v1/pilot-applications' };
  }
}
