/**
 * Follow-ups, offline and with a model. A question refers back when it points at something
 * said before (それ, その, これ, そこ, あれ; it, that …) or names nothing of its own (「いつから？」,
 * 「どう使われますか？」); then it is looked up with the topic of the latest turn that had one:
 * 「それはいつから？」 after 「休眠預金とは何ですか」 → 「休眠預金はいつから？」. With a model configured
 * the model rewrites it (src/qa/llm/rewrite-follow-up.ts), and this rewrite stands when it fails.
 * Needs the analyzer, so in the server it runs in the answer worker.
 */
import type { FollowUpRewriter } from '../qa/llm/types.js';
import type { Turn } from '../qa/types.js';
import type { Analyzer } from '../text/analyzer.js';
import { focusWords, topicOf } from './question-topic.js';
import type { FollowUps } from './types.js';

// それぞれ (each), その他 (other), これから/これまで (from now, so far) and この計画 (the plan itself) point at nothing said before.
const JA_PRONOUN = /それ(?!ぞれ)|これ(?!から|まで)|あれ|そこ|そちら/;
const JA_ADNOMINAL = /その(?!他|ほか)|この(?!計画)|あの/;
const EN_PRONOUN = /\b(it|this|that|they|them|those|these|there)\b/i;
const EN_POSSESSIVE = /\b(its|their)\b/i;
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;

export function refersBack(question: string): boolean {
  return JAPANESE.test(question) ? JA_PRONOUN.test(question) || JA_ADNOMINAL.test(question) : EN_PRONOUN.test(question) || EN_POSSESSIVE.test(question);
}

/** The follow-up with `topic` in place of what points back, or in front when nothing does. */
export function withTopic(question: string, topic: string): string {
  const q = question.trim();
  if (JAPANESE.test(q)) {
    if (JA_PRONOUN.test(q)) return q.replace(JA_PRONOUN, topic);
    if (JA_ADNOMINAL.test(q)) return q.replace(JA_ADNOMINAL, `${topic}の`);
    return `${topic}は${q}`;
  }
  if (EN_POSSESSIVE.test(q)) return q.replace(EN_POSSESSIVE, `${topic}'s`);
  if (EN_PRONOUN.test(q)) return q.replace(EN_PRONOUN, topic);
  return `${q} (${topic})`;
}

export interface FollowUpOptions {
  analyzer: Pick<Analyzer, 'analyze' | 'normalize'>;
  /** The model's rewrite, when a model is configured. */
  rewriter?: FollowUpRewriter;
}

export function createFollowUps({ analyzer, rewriter }: FollowUpOptions): FollowUps {
  /** The topic of the latest turn that had one: a chain of follow-ups keeps the first one's topic. */
  const latestTopic = (history: Turn[]) => {
    for (const turn of [...history].reverse()) {
      const topic = topicOf(analyzer, turn.lookedUp ?? turn.question);
      if (topic) return topic;
    }
    return undefined;
  };

  return {
    async resolve(question, history, signal) {
      const standsAlone = { lookup: question, followUp: false };
      if (!refersBack(question) && focusWords(analyzer, question).length > 0) return standsAlone;
      const topic = latestTopic(history);
      if (!topic || question.includes(topic)) return standsAlone;
      const byModel = rewriter && (await rewriter.rewrite(question, history, signal));
      const lookup = byModel || withTopic(question, topic);
      return lookup === question ? standsAlone : { lookup, followUp: true };
    },
  };
}
