/** Passages shaped like the plan's, shared by the LLM tests. */
import type { PlanIdentity } from '../../../src/corpus/plan-identity.js';
import type { Source } from '../../../src/qa/types.js';

/** A plan's name as plans.json gives it, so that the prompt can name it. */
export const PLAN: PlanIdentity = { title: '山口県県民活動促進基本計画', revision: '第3次改定', english: { title: 'Yamaguchi Prefecture civic-activity plan', revision: '3rd revision' } };

export const PASSAGES: Source[] = [
  {
    rank: 1,
    score: 0.92,
    section: '本文 > 第5章 施策の展開方向 > (5) 休眠預金の活用等による民間公益活動の促進',
    text: '休眠預金等活用法に基づき、休眠預金等を民間公益活動の促進に活用する制度が平成31年度から始まります。',
    chunkId: 'c-0101',
  },
  {
    rank: 2,
    score: 0.71,
    section: '本文 > 第5章 施策の展開方向 > (2) 県民活動支援センターの機能強化',
    text: '山口県県民活動支援センターは、県民活動の総合的な支援拠点として、相談対応や情報提供を行います。',
    chunkId: 'c-0042',
  },
  {
    rank: 3,
    score: 0.55,
    section: '本文 > 第2章 県民活動を取り巻く現状と課題',
    text: 'NPO法人の数は年々増加しており、県内の認証法人数は400を超えています。',
    chunkId: 'c-0017',
  },
];
