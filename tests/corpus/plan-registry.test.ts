/** Which plan `npm run index` builds, and what it is called: from corpus/plans.json, never from a file name. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planName } from '../../src/corpus/plan-identity.js';
import { identityOf, planToBuild, type PlanRegistry } from '../../src/corpus/plan-registry.js';

const CORPUS = '/corpus';
const registry: PlanRegistry = {
  current: '3rd-2018',
  plans: [
    { version: '3rd-2018', file: 'plan-3rd.txt', title: '山口県県民活動促進基本計画', revision: '第3次改定', english: { title: 'Yamaguchi plan', revision: '3rd revision' } },
    { version: '4th-2023', file: 'plan-4th.txt', title: '山口県県民活動促進基本計画', revision: '第4次改定', period: { label: '令和5〜9年度', fromFiscalYear: 2023, toFiscalYear: 2027 } },
  ],
};

describe('planToBuild', () => {
  it('builds the current entry by default, and the entry --version names', () => {
    expect(planToBuild(registry, CORPUS)).toMatchObject({ sourceFile: path.resolve(CORPUS, 'plan-3rd.txt'), version: '3rd-2018', plan: { revision: '第3次改定' } });
    expect(planToBuild(registry, CORPUS, { version: '4th-2023' })).toEqual({
      sourceFile: path.resolve(CORPUS, 'plan-4th.txt'),
      version: '4th-2023',
      plan: { title: '山口県県民活動促進基本計画', revision: '第4次改定', period: '令和5〜9年度', english: undefined },
    });
  });

  it('takes the label and name of a listed source from plans.json', () => {
    expect(planToBuild(registry, CORPUS, { source: path.join(CORPUS, 'plan-4th.txt') })).toMatchObject({ version: '4th-2023', plan: { revision: '第4次改定' } });
    expect(planToBuild(registry, CORPUS, { source: '/elsewhere/new.txt', version: '4th-2023' })).toMatchObject({ sourceFile: '/elsewhere/new.txt', plan: { revision: '第4次改定' } });
  });

  it('refuses a source plans.json does not list without --version, and never names it after its file', () => {
    expect(() => planToBuild(registry, CORPUS, { source: '/elsewhere/4th-draft.txt' })).toThrow(/--version/);
    const unlisted = planToBuild(registry, CORPUS, { source: '/elsewhere/4th-draft.txt', version: 'draft' });
    expect(unlisted.version).toBe('draft');
    expect(planName(unlisted.plan)).toBe('山口県県民活動促進基本計画');
    expect(JSON.stringify(unlisted.plan)).not.toContain('4th-draft');
    expect(() => planToBuild(registry, CORPUS, { version: 'nowhere' })).toThrow(/lists no version "nowhere"/);
  });
});

describe('planName', () => {
  it('names a plan in Japanese and English, and an unnamed one plainly', () => {
    expect(planName(identityOf(registry.plans[0]))).toBe('山口県県民活動促進基本計画（第3次改定）');
    expect(planName(identityOf(registry.plans[0]), 'en')).toBe('the Yamaguchi plan (3rd revision)');
    expect(planName({ title: '県の計画', revision: '第4次改定' }, 'en')).toBe('the 県の計画 (第4次改定)');
    expect(planName({ title: '' })).toBe('この計画');
  });
});
