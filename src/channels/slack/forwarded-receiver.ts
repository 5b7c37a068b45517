/**
 * A bolt Receiver fed with requests another part of the server has already verified and
 * acknowledged (ingress-route.ts): the app's listeners run as they would behind bolt's own
 * receiver, but their ack() sends nothing, because the answer went out before they ran.
 * This is what lets the bolt app, its WebClient and every Slack call live in an answer worker
 * while the server's thread only acknowledges.
 */
import type { App, Receiver } from '@slack/bolt';
import type { SlackDelivery } from './ingress-route.js';

export class ForwardedReceiver implements Receiver {
  private app?: App;

  init(app: App): void {
    this.app = app;
  }

  /** The server listens; there is nothing to start or stop here. */
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Runs the app's middleware and listeners on one verified request; resolves when they are done. */
  async deliver({ body, retryNum, retryReason }: SlackDelivery): Promise<void> {
    if (!this.app) throw new Error('ForwardedReceiver: the bolt app has not been initialised');
    await this.app.processEvent({ body, ack: async () => undefined, retryNum, retryReason });
  }
}
