/** Every command line: --help prints its usage and exits 0; a bad flag prints the usage and exits 2, with no stack trace. */
import { describe, expect, it } from 'vitest';
import { offlineEnv } from '../helpers/temp-index.js';
import { runScript } from './run-script.js';

const env = offlineEnv({ LOG_LEVEL: 'warn' }) as NodeJS.ProcessEnv;
const commands = [
  ['index', 'build-index.ts', '--rollback'],
  ['ask', 'ask.ts', '--sources'],
  ['eval', 'eval.ts', '--half A|B'],
  ['report', 'report.ts', '--days N'],
  ['curated', 'curated.ts', '--phrasing Q'],
  ['tune-curated', 'tune-curated.ts', '--rewordings FILE'],
] as const;

describe.each(commands)('npm run %s', (name, script, flag) => {
  it('--help prints the usage on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await runScript(script, ['--help'], env);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: npm run ${name} --`);
    expect(stdout).toContain(flag);
    expect(stderr).toBe('');
  }, 60_000);

  it('a bad flag names it, prints the usage on stderr and exits 2, with no stack trace', async () => {
    const { code, stdout, stderr } = await runScript(script, ['--no-such-flag'], env);
    expect(code).toBe(2);
    expect(stderr).toContain("error: Unknown option '--no-such-flag'");
    expect(stderr).toContain(`Usage: npm run ${name} --`);
    expect(stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
    expect(stdout).toBe('');
  }, 60_000);
});
