/**
 * The server's thread only verifies, acknowledges and hands on (issue 15): from src/main.ts, no
 * module it loads at run time reaches the platform SDKs, the dictionary, the vector index or
 * LangChain. Those load in the answer workers, which the thread starts by file (new Worker),
 * not by import. Read from the source text: type-only imports are erased by the compiler.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';

/** What a file loads when it runs: `import … from` unless every name is a type, `export … from`, `import('…')`. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gms)) {
    const clause = m[2].trim();
    if (clause.startsWith('type ')) continue;
    const names = /^\{([^}]*)\}$/.exec(clause)?.[1].split(',').map((n) => n.trim()).filter(Boolean);
    if (names && names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    found.push(m[3]);
  }
  for (const m of text.matchAll(/(?:^\s*import\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/gm)) found.push(m[1]);
  return found;
}

function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  };
  visit(entry);
  return { files, packages };
}

describe("the server's thread", () => {
  const { files, packages } = closure('src/main.ts');

  it('loads neither platform SDK, nor the dictionary, the index or LangChain', () => {
    for (const heavy of ['@line/bot-sdk', '@slack/bolt', 'kuromoji', 'hnswlib-node', '@langchain/core', '@langchain/community', '@langchain/openai']) {
      expect([...packages]).not.toContain(heavy);
    }
  });

  it('is read the way the code is written: it does load the ingress routes and the pool', () => {
    expect(files).toContain('src/channels/line/webhook-route.ts');
    expect(files).toContain('src/channels/slack/ingress-route.ts');
    expect(files).toContain('src/app/worker/answer-pool.ts');
    expect(files).not.toContain('src/app/answer-backend.ts');
    expect(closure('src/app/answer-backend.ts').packages).toContain('@line/bot-sdk');
  });
});
