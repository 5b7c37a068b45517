/**
 * The conversation layer as the server's thread sees it: the HTTP question endpoints ask it as
 * they would ask the real one (src/conversation), and each question runs in the answer worker
 * its chat hashes to. A question that would wait past ANSWER_QUEUE_MAX_WAIT_MS is not queued:
 * its outcome is `busy` (the endpoints answer 503 answers_busy).
 */
import { MESSAGES } from '../conversation/notices.js';
import type { AskOutcome, Conversation } from '../conversation/types.js';
import type { AnswerPool } from './worker/answer-pool.js';

const BUSY: AskOutcome = { kind: 'busy', message: MESSAGES.busy };

export function createRemoteConversation(pool: AnswerPool): Conversation {
  return {
    async ask({ signal, onDelta, ...request }) {
      const key = request.chatKey ?? request.userKey;
      const result = await pool.run(key, { kind: 'ask', request, stream: Boolean(onDelta) }, { signal, onDelta, whenBusy: 'refuse' });
      if (result === 'busy') return BUSY;
      if (result.kind !== 'outcome') throw new Error(`the answer worker sent ${result.kind} for a question`);
      return result.outcome;
    },
    async sources(question) {
      const result = await pool.run(`sources:${question}`, { kind: 'sources', question }, { whenBusy: 'refuse' });
      return result !== 'busy' && result.kind === 'sources' ? result.sources : [];
    },
    async plan() {
      await pool.ready;
      return pool.info().plan;
    },
    // Work a channel does on this thread is only acknowledging; what follows is the pool's jobs,
    // which the pool counts in the process's one in-flight count.
    track: (work) => work,
    inFlight: () => pool.inFlight(),
    whenIdle: (timeoutMs) => pool.whenIdle(timeoutMs),
  };
}
