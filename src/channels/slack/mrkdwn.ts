/**
 * Text in and out of Slack's mrkdwn. Slack escapes `&`, `<` and `>` in what users type and
 * expects the same of us: https://docs.slack.dev/messaging/formatting-message-text#escaping
 */

/** Escapes text so that Slack shows it as typed (no accidental links or mentions). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes `raw` and cuts it to at most `limit` characters, ending with `…` when cut.
 * The cut is made between raw characters, so it never splits an `&amp;` in two.
 */
export function fitMrkdwn(raw: string, limit: number): string {
  const escaped = escapeMrkdwn(raw);
  if (escaped.length <= limit) return escaped;
  // Count each character's escaped length (&amp; 5, &lt;/&gt; 4) instead of escaping piece by piece.
  let length = 0;
  let end = 0;
  for (const char of raw) {
    const width = char === '&' ? 5 : char === '<' || char === '>' ? 4 : char.length;
    if (length + width > limit - 1) break;
    length += width;
    end += char.length;
  }
  return escapeMrkdwn(raw.slice(0, end)).trimEnd() + '…';
}

/** Prefixes every line with `> `, Slack's block quote. */
export function quoteLines(escaped: string): string {
  return escaped
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/**
 * The question as the user meant it: mentions of the bot dropped, links reduced to their
 * label, Slack's escapes undone (the answer service wants plain text).
 */
export function questionFromSlackText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<@[UW][A-Z0-9]+(\|[^>]*)?>/g, ' ')
    .replace(/<(?:[^>|]+)\|([^>]+)>/g, '$1')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
