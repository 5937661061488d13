/** Assessment facts of one student (part A's student_evaluation_outcomes_v). */
export interface GraduationFacts {
  courseItems: number;
  courseItemsPassed: number;
  allCoursesPassed: boolean;
  practiceMet: boolean;
}

export interface Reason {
  zh: string;
  en: string;
}

/**
 * R-EVA-3: a student graduates after passing every course assessment of the plan and
 * meeting the enterprise-practice assessment. Returns what is missing, in words.
 */
export function missingForGraduation(f: GraduationFacts, failedItems: string[] = []): Reason[] {
  const missing: Reason[] = [];
  if (f.courseItems === 0) {
    missing.push({ zh: '尚无课程考核结果', en: 'No course assessment results yet' });
  } else if (!f.allCoursesPassed) {
    const open = f.courseItems - f.courseItemsPassed;
    const names = failedItems.length ? `：${failedItems.join('、')}` : '';
    missing.push({
      zh: `课程考核未全部通过（已通过 ${f.courseItemsPassed}/${f.courseItems} 项，尚有 ${open} 项${names}）`,
      en: `Not every course assessment passed (${f.courseItemsPassed} of ${f.courseItems}; ${open} open${failedItems.length ? `: ${failedItems.join(', ')}` : ''})`,
    });
  }
  if (!f.practiceMet) missing.push({ zh: '企业实践考核未达标', en: 'The enterprise-practice assessment is not met' });
  return missing;
}
