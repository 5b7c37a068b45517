/**
 * Messages between the server's thread and an answer worker (structured-clone safe). The server
 * sends jobs — a question over HTTP, a LINE batch of one chat, a Slack request — already
 * verified and acknowledged; the worker answers them and makes every platform call itself
 * (their HTTP runs on the platform calls' thread when there is one: platform-worker.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import type { webhook } from '@line/bot-sdk';
import type { SlackDelivery } from '../../channels/slack/ingress-route.js';
import type { AskOutcome, AskRequest } from '../../conversation/types.js';
import type { Config } from '../../config.js';
import type { IndexInfo, Source } from '../../qa/types.js';

/** What an answer worker starts with. */
export interface AnswerWorkerData {
  config: Config;
  /** This worker keeps Slack's Socket Mode connection (one worker does). */
  slackSocket: boolean;
  /** Where its LINE, Slack and model calls go over HTTP (platform-worker.ts); none: it makes them itself. */
  platformPort?: MessagePort;
}

/** A question from the HTTP endpoints, without what cannot cross threads (signal, onDelta). */
export type WireAskRequest = Pick<AskRequest, 'channel' | 'chatKey' | 'userKey' | 'text'>;

export type Job =
  | { kind: 'ask'; request: WireAskRequest; stream: boolean }
  | { kind: 'sources'; question: string }
  /** One chat's events of a webhook batch, in order. */
  | { kind: 'line'; events: webhook.Event[] }
  | { kind: 'slack'; delivery: SlackDelivery };

export type ToWorker =
  | {
      type: 'job';
      id: number;
      /** Jobs of one key (one chat) run one after another, in the order sent. */
      key: string;
      job: Job;
      /** Over the queue's bound: say so instead of answering. */
      busy: boolean;
      /** How long the job waited for this worker. */
      waitedMs: number;
    }
  | { type: 'cancel'; id: number }
  | { type: 'check-index' }
  | { type: 'metrics'; id: number }
  | { type: 'close' };

/** An error as it crosses the thread boundary: enough to rebuild a BotError or report the rest. */
export interface WireError {
  name: string;
  code?: string;
  message: string;
}

export type JobResult = { kind: 'outcome'; outcome: AskOutcome } | { kind: 'sources'; sources: Source[] } | { kind: 'done' };

export type FromWorker =
  | { type: 'ready'; info: IndexInfo }
  | { type: 'info'; info: IndexInfo }
  | { type: 'failed'; error: WireError }
  | { type: 'delta'; id: number; text: string }
  /** A Slack listener's ack(), for a request whose HTTP response carries it (a modal's view_submission). */
  | { type: 'ack'; id: number; body: unknown }
  | { type: 'result'; id: number; result: JobResult }
  | { type: 'error'; id: number; error: WireError }
  /** prom-client's getMetricsAsJSON() of the worker's registry, for the server's /metrics. */
  | { type: 'metrics'; id: number; metrics: unknown[] }
  | { type: 'closed' };
