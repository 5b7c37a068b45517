/**
 * Who may use the admin page: whoever shows ADMIN_TOKEN, as `Authorization: Bearer <token>`
 * (scripts) or once in the login form, which sets a session cookie (browsers). The cookie holds
 * a value derived from the token, not the token, and is HttpOnly (no script reads it) and
 * SameSite=Strict (no other site's page sends it). Writes by cookie must also carry the form's
 * CSRF field, and an Origin, when the browser sends one, must be this server's
 * (https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html).
 * Every comparison is made in constant time over HMAC digests, which have one length.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export const SESSION_COOKIE = 'kenmin_admin';
/** A staff member logs in once a working day. */
export const SESSION_SECONDS = 12 * 60 * 60;

export interface AdminAuth {
  /** The request shows the token, by header or by session cookie. */
  allows(req: http.IncomingMessage): boolean;
  /** A write is allowed: the token by header, or the cookie with the CSRF field and a same-origin request. */
  allowsWrite(req: http.IncomingMessage, csrfField: string | undefined): boolean;
  /** The login form's token is the right one. */
  isToken(candidate: string): boolean;
  /** The Set-Cookie header that logs a browser in. */
  sessionCookie(secure: boolean): string;
  /** The Set-Cookie header that logs it out. */
  clearCookie(): string;
  /** The hidden field every form of the page carries. */
  csrfToken: string;
}

const digest = (key: string, text: string) => createHmac('sha256', key).update(text).digest();
const derive = (token: string, purpose: string) => digest(token, `kenmin-admin:${purpose}`).toString('base64url');

export function createAdminAuth(token: string): AdminAuth {
  // Compared as HMACs under a key of our own: equal lengths for timingSafeEqual, whatever is sent.
  const compareKey = derive(token, 'compare');
  const same = (a: string, b: string) => timingSafeEqual(digest(compareKey, a), digest(compareKey, b));
  const session = derive(token, 'session');
  const csrfToken = derive(token, 'csrf');

  const bearer = (req: http.IncomingMessage) => /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  const cookie = (req: http.IncomingMessage) => readCookie(req.headers.cookie, SESSION_COOKIE);
  const byHeader = (req: http.IncomingMessage) => {
    const shown = bearer(req);
    return shown !== undefined && same(shown, token);
  };
  const byCookie = (req: http.IncomingMessage) => {
    const shown = cookie(req);
    return shown !== undefined && same(shown, session);
  };

  return {
    allows: (req) => byHeader(req) || byCookie(req),
    allowsWrite(req, csrfField) {
      if (byHeader(req)) return true;
      return byCookie(req) && sameOrigin(req) && csrfField !== undefined && same(csrfField, csrfToken);
    },
    isToken: (candidate) => same(candidate.trim(), token),
    sessionCookie: (secure) =>
      `${SESSION_COOKIE}=${session}; Path=/admin; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
    clearCookie: () => `${SESSION_COOKIE}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict`,
    csrfToken,
  };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Browsers send Origin on a form POST; when present it must name this host. */
function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
