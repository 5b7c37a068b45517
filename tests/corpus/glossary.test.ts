/** The maintainers' glossary: the real file loads, and a broken one fails with a message naming the field. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadGlossary, parseGlossary } from '../../src/corpus/glossary.js';
import { ConfigError } from '../../src/errors.js';

describe('glossary', () => {
  it('loads corpus/glossary.json with the variants the text pipeline relies on', async () => {
    const glossary = await loadGlossary(path.join(PROJECT_ROOT, 'corpus/glossary.json'));
    expect(glossary.variants['寄附']).toContain('寄付');
    expect(glossary.variants['クラウドファンディング']).toContain('クラファン');
    expect(Object.keys(glossary.english).length).toBeGreaterThan(0);
  });

  it('treats missing sections as empty', () => {
    expect(parseGlossary('{"variants":{"寄附":["寄付"]}}')).toEqual({ variants: { 寄附: ['寄付'] }, related: {}, english: {} });
  });

  it.each([
    ['not JSON', '{"variants":', /not valid JSON/],
    ['a list where an object belongs', '{"variants":["寄付"]}', /"variants" must be an object/],
    ['a value that is not a list of strings', '{"related":{"若い人":"若者"}}', /"related\.若い人" must be a list of strings/],
  ])('refuses %s', (_name, json, message) => {
    expect(() => parseGlossary(json, 'glossary.json')).toThrow(ConfigError);
    expect(() => parseGlossary(json, 'glossary.json')).toThrow(message);
  });
});
