/**
 * One question in a chat, the same on every channel: cut it to length, count it against the
 * asker's limit, recall the conversation, make a follow-up stand alone, answer, remember the
 * turn, log the outcome — and say what happened as an AskOutcome. Errors become outcomes here
 * (a QuestionError is the user's; anything else is ours), so channels only translate.
 */
import type { SupportContact } from '../corpus/contacts.js';
import type { PlanIdentity } from '../corpus/plan-identity.js';
import { isQuestionError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sanitize } from '../text/normalize.js';
import type { Answer, AnswerService, Source } from '../qa/types.js';
import type { ShortLivedState } from '../state/short-lived-state.js';
import type { CuratedMatcher } from '../store/curated.js';
import type { UserHasher } from '../user-hash.js';
import { curatedAnswerOf } from './curated-answer.js';
import { createInFlight, type InFlight } from './in-flight.js';
import { contactNotice, languageOf, lookedUpNotice, MESSAGES, shortenedNotice } from './notices.js';
import type { AskOutcome, AskRequest, Conversation, ConversationLimits, FollowUps, QuestionLog } from './types.js';

export interface ConversationOptions {
  answers: AnswerService;
  followUps: FollowUps;
  state: ShortLivedState;
  limits: ConversationLimits;
  /** The question log; absent in command lines and some tests. */
  log?: QuestionLog;
  logger: Logger;
  /** The one user hasher (src/user-hash.ts): logs and the question log see only hashes. */
  hashUser: UserHasher;
  /** Resolves once the index has loaded (the answer worker starts with the server). @default already loaded */
  ready?: Promise<unknown>;
  /** How to reach the support center (corpus/contacts.json): added under every refusal when set. */
  contact?: SupportContact;
  /** Answers staff wrote, asked before the answer service; a match is answered with its text. */
  curated?: CuratedMatcher;
  /** The plan passage a curated answer names (its sectionId), shown as its source. */
  passage?: (id: string) => Promise<Source | undefined>;
  /** The process's one in-flight count, which the server's requests join (src/app/start.ts). @default a count of its own */
  inFlight?: InFlight;
}

const RATE_WINDOW_MS = 60_000;
const HISTORY_TTL_MS = 30 * 60_000;

/**
 * Sanitized (NUL, other controls and lone surrogates dropped, as the index's text is), trimmed
 * and cut to `max` characters (code points, so a surrogate pair is never split): what is asked,
 * remembered, logged and echoed is the same clean text on every channel.
 */
export function cutQuestion(text: string, max: number): { question: string; shortened: boolean } {
  const chars = Array.from(sanitize(text).trim());
  return chars.length > max ? { question: chars.slice(0, max).join(''), shortened: true } : { question: chars.join(''), shortened: false };
}

export function createConversation(options: ConversationOptions): Conversation {
  const { answers, followUps, state, limits, log, logger, hashUser } = options;
  const inFlight = options.inFlight ?? createInFlight();
  const historyKey = (chatKey: string) => `conv:turns:${chatKey}`;

  /** The answer, streamed through `onDelta` when asked; `notice` goes first, just before the first words. */
  async function answerOf(lookup: string, notice: string, request: AskRequest): Promise<Answer> {
    const { signal, onDelta } = request;
    if (!onDelta) return answers.answer(lookup, { signal });
    const stream = answers.stream(lookup, { signal });
    // Pulled before any notice is sent, so that a refused question can still be answered with a plain error.
    let step = await stream.next();
    if (notice) onDelta(notice);
    for (; !step.done; step = await stream.next()) {
      signal?.throwIfAborted();
      onDelta(step.value);
    }
    return step.value;
  }

  /**
   * The curated answer for the question as asked or, for a follow-up, as looked up; undefined
   * when none matches. Its source is best effort: a section the live index no longer has, or an
   * index not built yet, leaves the answer without one rather than failing it.
   */
  async function curatedFor(question: string, lookup: string): Promise<Answer | undefined> {
    const found = options.curated?.match(question) ?? (lookup !== question ? options.curated?.match(lookup) : undefined);
    if (!found) return undefined;
    const { sectionId } = found.answer;
    const source = sectionId && options.passage
      ? await options.passage(sectionId).catch((error: unknown) => void logger.warn('curated answer source not found', { sectionId, error }))
      : undefined;
    return curatedAnswerOf(found.answer, source ?? undefined);
  }

  function record(request: AskRequest, question: string, started: number, answer?: Answer) {
    const outcome = !answer ? 'failed' : answer.abstained ? 'abstained' : 'answered';
    const latencyMs = performance.now() - started;
    log?.record({
      channel: request.channel,
      question,
      outcome,
      mode: answer?.mode,
      latencyMs,
      topSection: answer?.sources[0]?.section,
      userHash: hashUser(request.userKey),
      curatedId: answer?.curatedId,
      at: new Date(),
    });
  }

  async function ask(request: AskRequest): Promise<AskOutcome> {
    const { channel, chatKey } = request;
    const user = hashUser(request.userKey);
    const { question, shortened } = cutQuestion(request.text, limits.maxQuestionChars);
    if (!question) return { kind: 'empty', message: MESSAGES.empty };
    const count = await state.hit(`conv:rate:${request.userKey}`, RATE_WINDOW_MS);
    if (count > limits.questionsPerMinute) {
      logger.info('question rate-limited', { channel, user, count });
      return { kind: 'rate-limited', message: MESSAGES.rateLimited, firstOver: count === limits.questionsPerMinute + 1 };
    }

    const started = performance.now();
    try {
      const remembered = chatKey !== undefined && limits.historyTurns > 0;
      const history = remembered ? await state.getTurns(historyKey(chatKey)) : [];
      // A question that refers back with no earlier turn is looked up as it is.
      const resolved = history.length ? await followUps.resolve(question, history, request.signal) : { lookup: question, followUp: false };
      const lookedUp = resolved.followUp ? resolved.lookup : undefined;
      const language = languageOf(question);
      const notice = (shortened ? shortenedNotice(limits.maxQuestionChars, language) : '') + (lookedUp ? lookedUpNotice(lookedUp, language) : '');
      const curated = await curatedFor(question, resolved.lookup);
      if (curated && request.onDelta) request.onDelta(notice + curated.answer);
      const answer = curated ?? (await answerOf(resolved.lookup, notice, request));
      if (remembered) {
        await state.addTurn(historyKey(chatKey), { question, answer: answer.answer, lookedUp }, limits.historyTurns, limits.historyTtlMs ?? HISTORY_TTL_MS);
      }
      record(request, question, started, answer);
      // Every channel shows the answer's text, so a refusal's contact goes there, after it.
      const contact = answer.abstained && options.contact ? contactNotice(options.contact, answer.language) : '';
      const text = notice + answer.answer + contact;
      return { kind: shortened ? 'shortened' : 'answered', question, answer: text === answer.answer ? answer : { ...answer, answer: text }, lookedUp };
    } catch (error) {
      // The service refused it (only symbols, say): its message is written for users.
      if (isQuestionError(error)) {
        logger.info('question refused', { channel, user, reason: error.message });
        return { kind: 'refused', message: error.message };
      }
      // The asker has gone (the page was closed): nobody reads this outcome, and nothing failed.
      if (request.signal?.aborted) return { kind: 'failed', message: MESSAGES.failed };
      logger.error('answer failed', { channel, user, error });
      record(request, question, started);
      return { kind: 'failed', message: MESSAGES.failed };
    }
  }

  async function sources(question: string) {
    try {
      const answer = await answers.answer(question);
      return answer.abstained ? [] : answer.sources;
    } catch (error) {
      if (!isQuestionError(error)) logger.error('sources could not be looked up again', { error });
      return [];
    }
  }

  return {
    ask: (request) => inFlight.track(ask(request), 'question'),
    sources: (question) => inFlight.track(sources(question), 'question'),
    async plan(): Promise<PlanIdentity> {
      await options.ready;
      return answers.info().plan;
    },
    track: (work, kind) => inFlight.track(work, kind),
    inFlight: () => inFlight.count(),
    whenIdle: (timeoutMs) => inFlight.whenIdle(timeoutMs),
  };
}
