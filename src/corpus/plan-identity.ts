/**
 * What a plan version calls itself: its title and revision from corpus/plans.json, written into
 * the index manifest at build time and read back from the live index. Every text that names
 * the plan (answers, refusals, the model's prompt, greetings, Slack's labels) takes the name
 * from here, so that a new revision names itself once it is indexed, with no code change.
 */

export interface PlanIdentity {
  /** The plan's name, e.g. `山口県県民活動促進基本計画`. */
  title: string;
  /** Which revision, e.g. `第3次改定`. */
  revision?: string;
  /** The years it covers, e.g. `平成30〜34年度`. */
  period?: string;
  /** The name in English, for English answers; without it they use the Japanese name. */
  english?: { title: string; revision?: string };
}

/**
 * `山口県県民活動促進基本計画（第3次改定）`, or in English `the Yamaguchi Prefecture civic-activity
 * plan (3rd revision)` (article included). An index built before plans named themselves may have
 * no title: then `この計画` / `the plan`.
 */
export function planName(plan: PlanIdentity, language: 'ja' | 'en' = 'ja'): string {
  if (language === 'en') {
    const { title, revision } = plan.english ?? plan;
    if (!title) return 'the plan';
    return `the ${title}${revision ? ` (${revision})` : ''}`;
  }
  if (!plan.title) return 'この計画';
  return plan.revision ? `${plan.title}（${plan.revision}）` : plan.title;
}
