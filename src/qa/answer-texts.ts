/**
 * What replies say around the plan's own words: a refusal that names what the plan lacks and
 * where to ask, the model's abstention, the note on a shortened question. The plan is named as
 * its index says (corpus/plans.json via the manifest), so a new revision names itself.
 */
import { planName, type PlanIdentity } from '../corpus/plan-identity.js';
import { typeLabel } from '../text/answer-types.js';
import type { Refusal } from './refusal.js';
import type { Language } from './types.js';

/** An index built before plans named themselves: replies say この計画 / the plan. */
export const UNNAMED: PlanIdentity = { title: '' };

/** 「山口県県民活動促進基本計画（第3次改定）」, or この計画 unquoted when the index names no plan. */
export const quotedName = (plan: PlanIdentity) => (plan.title ? `「${planName(plan)}」` : planName(plan));

const WHERE_TO_ASK = {
  ja: '計画以外のご相談は、やまぐち県民活動支援センターへお問い合わせください。',
  en: 'For other questions, please contact やまぐち県民活動支援センター (Yamaguchi Prefectural Civic Activity Support Center).',
};

export function abstentionText(language: Language, plan: PlanIdentity = UNNAMED): string {
  return language === 'en'
    ? `Sorry, ${planName(plan, 'en')} does not seem to cover this. I can answer questions about the plan, ` +
        'for example how an NPO becomes a certified NPO, dormant-deposit funding, the volunteer matching site あいかさねっと, ' +
        `or the plan's goals and period. ${WHERE_TO_ASK.en}`
    : `申し訳ありません。ご質問の内容は${quotedName(plan)}には書かれていないようです。` +
        'この計画について、たとえば「認定NPO法人になるには」「休眠預金とは」「あいかさねっとって何？」「計画の期間や目標」などにお答えできます。' +
        WHERE_TO_ASK.ja;
}

/** A refusal that says what the plan lacks, then where to ask. */
export function refusalText(refusal: Refusal, language: Language, plan: PlanIdentity = UNNAMED): string {
  const title = language === 'en' ? planName(plan, 'en') : quotedName(plan);
  const quoted = (items: string[]) => items.slice(0, 3).map((i) => `「${i}」`).join('');
  if (language === 'en') {
    const what =
      refusal.kind === 'data'
        ? `Sorry, ${title} gives no ${typeLabel(refusal.type, 'en')}.`
        : refusal.kind === 'name'
          ? `Sorry, ${title} is Yamaguchi Prefecture's and does not mention "${refusal.name}".`
          : refusal.kind === 'period'
            ? `Sorry, ${title} does not cover ${refusal.date}.`
            : refusal.kind === 'fact'
              ? `Sorry, ${title} gives no ${typeLabel(refusal.type, 'en')} for ${refusal.about.join(', ') || 'this'}.`
              : `Sorry, ${title} does not seem to cover this${refusal.missing.length ? ` (nothing on ${refusal.missing.slice(0, 3).join(', ')})` : ''}.`;
    return `${what} ${WHERE_TO_ASK.en}`;
  }
  const what =
    refusal.kind === 'data'
      ? `${title}には${typeLabel(refusal.type, 'ja')}は書かれていません。`
      : refusal.kind === 'name'
        ? `${title}は山口県の計画で、「${refusal.name}」については書かれていません。`
        : refusal.kind === 'period'
          ? `${title}には${refusal.date}のことは書かれていません。`
          : refusal.kind === 'fact'
            ? `${title}には${quoted(refusal.about) || 'ご質問'}の${typeLabel(refusal.type, 'ja')}は書かれていません。`
            : `申し訳ありません。ご質問の内容は${title}には書かれていないようです${refusal.missing.length ? `（${quoted(refusal.missing)}についての記述が見つかりません）` : ''}。`;
  return what + WHERE_TO_ASK.ja;
}

/** Said before any answer to a question that was cut to the size limit. */
export function shortenedNote(language: Language): string {
  return language === 'en' ? '(Your question was long, so only its beginning was used.)\n' : '（ご質問が長いため、最初の部分で調べました）\n';
}
