/**
 * Progress of long command-line work (`npm run index` on a large source takes minutes): on a
 * terminal, one line that updates in place (cli-progress), with the stage, and a bar with
 * "n of total" while a stage is counted; elsewhere (a pipe, a log file, CI) plain lines, one as
 * each stage starts and one per quarter of a counted stage, with no control characters.
 */
import cliProgress from 'cli-progress';

/** Where the display writes: process.stdout, or anything with `write` (and `isTTY` for a terminal). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface StageCount {
  total: number;
  /** What is counted, in the plural: "chunks", "questions". */
  unit: string;
}

export interface ProgressDisplay {
  /** Starts a stage; with `count`, a counted one that `advance` moves on. */
  stage(label: string, count?: StageCount): void;
  /** How many units of the current counted stage are done. */
  advance(done: number): void;
  /** Ends the display: a terminal's progress line is cleared, so that what is printed next starts on a clean line. */
  stop(): void;
}

interface Payload {
  stage: string;
  unit?: string;
}

/** The line drawn on a terminal, cut to its width so that it never wraps (a wrapped line cannot be redrawn in place). */
function terminalLine(options: cliProgress.Options, params: cliProgress.Params, payload: Payload, columns: number, startedAt: number): string {
  const seconds = `${Math.round((Date.now() - startedAt) / 1000)} s`;
  const line = payload.unit
    ? `${payload.stage} ${cliProgress.Format.BarFormat(params.progress, options)} ${params.value} of ${params.total} ${payload.unit} (${seconds})`
    : `${payload.stage} … (${seconds})`;
  return line.slice(0, Math.max(columns - 1, 20));
}

export function createProgressDisplay(stream: ProgressStream = process.stdout): ProgressDisplay {
  return stream.isTTY ? terminalDisplay(stream) : plainDisplay(stream);
}

function terminalDisplay(stream: ProgressStream): ProgressDisplay {
  const startedAt = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  let payload: Payload = { stage: '' };
  const draw = (value: number, total: number) => {
    if (!bar) {
      bar = new cliProgress.SingleBar({
        stream: stream as NodeJS.WritableStream,
        // A terminal of unknown size (columns 0, as under `script`) is taken to be 80 wide.
        format: (options, params) => terminalLine(options, params, payload, stream.columns || 80, startedAt),
        barsize: 20,
        clearOnComplete: true,
        // No SIGINT handler of its own (it would keep Ctrl-C from stopping the build), and no
        // hidden cursor or line wrap switched off that an interrupted run would leave behind:
        // the line is cut to the terminal's width instead.
        gracefulExit: false,
        hideCursor: false,
        linewrap: true,
      });
      bar.start(total, value, payload);
    } else {
      bar.setTotal(total);
      bar.update(value, payload);
    }
    // The build's stages run without giving the event loop a turn, so cli-progress's own timer
    // would not redraw: draw now (it writes only when the line changed).
    bar.render();
  };
  let current = { total: 0 };
  return {
    stage(label, count) {
      payload = { stage: label, unit: count?.unit };
      current = { total: count?.total ?? 0 };
      draw(0, current.total);
    },
    advance(done) {
      draw(done, current.total);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function plainDisplay(stream: ProgressStream): ProgressDisplay {
  let current: { label: string; count?: StageCount; quarter: number } | undefined;
  const line = (text: string) => stream.write(`${text}\n`);
  return {
    stage(label, count) {
      current = { label, count, quarter: 0 };
      line(count ? `${label}: 0 of ${count.total} ${count.unit}` : `${label} …`);
    },
    advance(done) {
      if (!current?.count?.total) return;
      const { label, count } = current;
      const quarter = Math.floor((4 * done) / count.total);
      if (quarter <= current.quarter) return;
      current.quarter = quarter;
      line(`${label}: ${done} of ${count.total} ${count.unit}`);
    },
    stop() {
      current = undefined;
    },
  };
}
