/**
 * scripts/progress-display.ts on both kinds of stream: a terminal (a stream that says isTTY,
 * written through cli-progress) gets one line redrawn in place; anything else gets plain lines.
 */
import { describe, expect, it } from 'vitest';
import { createProgressDisplay } from '../../scripts/progress-display.js';

const ESC = '\x1b';

function fakeStream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns, write: (text: string) => writes.push(text) } };
}

/** The lines a terminal showed, one per redraw: cli-progress moves to column 1 (ESC[1G) before each. */
const redraws = (output: string) =>
  output
    .split(`${ESC}[1G`)
    .slice(1)
    .map((s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, ''))
    .filter(Boolean);

describe('progress on a terminal', () => {
  it('redraws one line in place: the stage, then a bar with n of total, and clears it at the end', () => {
    const { writes, stream } = fakeStream(true, 60);
    const display = createProgressDisplay(stream);
    display.stage('reading sections and chunks');
    display.stage('embedding', { total: 1000, unit: 'chunks' });
    for (const done of [250, 500, 1000]) display.advance(done);
    display.stop();
    const output = writes.join('');

    expect(output).not.toContain('\n');
    expect(redraws(output)).toEqual([
      expect.stringMatching(/^reading sections and chunks … \(\d+ s\)$/),
      expect.stringMatching(/^embedding -{20} 0 of 1000 chunks \(\d+ s\)$/),
      expect.stringMatching(/^embedding ={5}-{15} 250 of 1000 chunks/),
      expect.stringMatching(/^embedding ={10}-{10} 500 of 1000 chunks/),
      expect.stringMatching(/^embedding ={20} 1000 of 1000 chunks/),
    ]);
    // Stopped: the line is wiped (ESC[2K) so that the next print starts clean; the cursor and line wrap were never switched off.
    expect(output.endsWith(`${ESC}[1G${ESC}[2K`)).toBe(true);
    expect(output).not.toMatch(/\x1b\[\?(25|7)[lh]/);
  });

  it('cuts the line to the terminal width, and takes an unknown width (0) as 80', () => {
    for (const [columns, width] of [
      [40, 39],
      [0, 79],
    ]) {
      const { writes, stream } = fakeStream(true, columns);
      const display = createProgressDisplay(stream);
      display.stage('standard questions, live build', { total: 111, unit: 'questions' });
      display.advance(100);
      display.stage('a stage with a name long enough to run well past eighty columns of any terminal');
      display.stop();
      const drawn = redraws(writes.join(''));
      expect(drawn.length).toBe(3);
      for (const line of drawn) expect(line.length).toBeLessThanOrEqual(width);
      expect(Math.max(...drawn.map((l) => l.length))).toBe(width);
    }
  });

  it('starts again after a stop, for work that prints between its stages', () => {
    const { writes, stream } = fakeStream(true, 80);
    const display = createProgressDisplay(stream);
    display.stage('embedding', { total: 10, unit: 'chunks' });
    display.stop();
    writes.push('built x\n');
    display.stage('standard questions, new build', { total: 4, unit: 'questions' });
    display.advance(4);
    display.stop();
    const after = writes.join('').split('built x\n')[1];
    expect(redraws(after).at(-1)).toMatch(/^standard questions, new build ={20} 4 of 4 questions/);
  });
});

describe('progress elsewhere (a pipe, a log file)', () => {
  it('prints a plain line as each stage starts and one per quarter of a counted stage', () => {
    const { writes, stream } = fakeStream(false);
    const display = createProgressDisplay(stream);
    display.stage('reading the source');
    display.stage('embedding', { total: 4040, unit: 'chunks' });
    for (let done = 512; done < 4040; done += 512) display.advance(done);
    display.advance(4040);
    display.stop();
    expect(writes.join('')).toBe(
      [
        'reading the source …',
        'embedding: 0 of 4040 chunks',
        'embedding: 1024 of 4040 chunks',
        'embedding: 2048 of 4040 chunks',
        'embedding: 3072 of 4040 chunks',
        'embedding: 4040 of 4040 chunks',
        '',
      ].join('\n'),
    );
  });

  it('ignores counts outside a counted stage, and in a stage of nothing to count', () => {
    const { writes, stream } = fakeStream(false);
    const display = createProgressDisplay(stream);
    display.advance(5);
    display.stage('writing the build');
    display.advance(5);
    display.stage('embedding', { total: 0, unit: 'chunks' });
    display.advance(0);
    expect(writes.join('')).toBe('writing the build …\nembedding: 0 of 0 chunks\n');
  });
});
