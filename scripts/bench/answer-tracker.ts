/**
 * Counts the answers arriving at the fake LINE and Slack APIs, per event, with their arrival
 * time. The fakes record calls in an array and keep no timestamps; wrapping that array's push
 * gives both without changing the shared fakes (src/testing).
 */
import type { FakeLineApi } from '../../src/testing/fake-line-api.js';
import type { FakeSlackApi } from '../../src/testing/fake-slack-api.js';
import { MESSAGES } from '../../src/conversation/notices.js';
import { lineAnswerId, slackAnswerId } from './events.js';
import { epochMs } from './stats.js';

export interface AnswerRecord {
  count: number;
  firstAt: number;
  /** The first message was the busy notice (the queue was over ANSWER_QUEUE_MAX_WAIT_MS), not an answer. */
  busy: boolean;
}

export interface AnswerTracker {
  /** Answers of the events whose id starts with `prefix`. */
  answersOf(prefix: string): Map<string, AnswerRecord>;
  /** Forgets what was recorded (here and in the fakes), so that memory stays flat across runs. */
  clear(): void;
}

export function trackAnswers(line: FakeLineApi, slack: FakeSlackApi): AnswerTracker {
  const answers = new Map<string, AnswerRecord>();
  const note = (id: string | undefined, text: unknown) => {
    if (!id) return;
    const seen = answers.get(id);
    if (seen) seen.count++;
    else answers.set(id, { count: 1, firstAt: epochMs(), busy: text === MESSAGES.busy });
  };
  const linePush = line.calls.push.bind(line.calls);
  line.calls.push = (...calls) => {
    for (const c of calls) if (c.status === 200) note(lineAnswerId(c.path, c.body), c.body?.messages?.[0]?.text);
    return linePush(...calls);
  };
  const slackPush = slack.calls.push.bind(slack.calls);
  slack.calls.push = (...calls) => {
    for (const c of calls) note(slackAnswerId(c.method, c.args), c.args?.text);
    return slackPush(...calls);
  };
  return {
    answersOf: (prefix) => new Map([...answers].filter(([id]) => id.startsWith(prefix))),
    clear() {
      answers.clear();
      line.calls.length = 0;
      slack.calls.length = 0;
    },
  };
}
