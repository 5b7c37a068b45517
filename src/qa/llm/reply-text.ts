/**
 * Pure functions over the model's reply text: citations, thinking blocks, the abstention
 * sentinel. Shared by the one-shot and the streamed answer so both validate the same way.
 */
import { foldWidth } from '../../text/normalize.js';
import { NOT_IN_PLAN } from './prompt.js';

/** `[1]`, `[1][2]`, `[1, 2]`, `[1、2]`, full-width `［１］`, and `【1】`, which Japanese models like. */
const CITATION = /([ \t\u3000]*)[[［【]\s*([0-9０-９]{1,3}(?:\s*[,，、]\s*[0-9０-９]{1,3})*)\s*[\]］】]/g;


export interface CitedText {
  text: string;
  /** Valid cited ranks, ascending, each once. */
  cited: number[];
}

/**
 * Rewrites every citation as `[a][b]`, keeping only numbers of passages we sent. A number that
 * matches no passage is removed (with the space before it): it would send the reader nowhere.
 */
export function normalizeCitations(text: string, validRanks: ReadonlySet<number>): CitedText {
  const cited = new Set<number>();
  const out = text.replace(CITATION, (_match, lead: string, list: string) => {
    const ranks = foldWidth(list)
      .split(/\s*[,，、]\s*/)
      .map(Number)
      .filter((n) => validRanks.has(n));
    ranks.forEach((n) => cited.add(n));
    return ranks.length ? lead + ranks.map((n) => `[${n}]`).join('') : '';
  });
  return { text: out, cited: [...cited].sort((a, b) => a - b) };
}

/**
 * Some local models (Qwen3, DeepSeek-R1 on Ollama/llama.cpp) think aloud in `<think>` blocks
 * inside the content. Readers must not see them; an unclosed block hides everything after it.
 */
export function stripThinking(text: string): string {
  return text.replace(/<think>[\s\S]*?(<\/think>|$)/g, '');
}

/**
 * The sentinel anywhere in the reply: small models wrap it in quotes or add an apology around
 * it, and abstaining is the safe reading of a reply that says it.
 */
export function isAbstention(text: string): boolean {
  return text.includes(NOT_IN_PLAN);
}

/** True while a streamed reply could still turn out to be the sentinel: don't show it yet. */
export function couldBecomeAbstention(text: string): boolean {
  const t = text.replace(/^[\s`'"*「『]+/, '');
  return NOT_IN_PLAN.startsWith(t) || t.startsWith(NOT_IN_PLAN);
}

/**
 * Text safe to show mid-stream: holds back a citation bracket not closed yet and trailing
 * spaces (a dropped citation takes the space before it), so what is shown stays a prefix
 * of the final text in all but odd cases.
 */
export function showableSoFar(text: string, validRanks: ReadonlySet<number>): string {
  const visible = stripThinking(text);
  if (couldBecomeAbstention(visible)) return '';
  const open = Math.max(visible.lastIndexOf('['), visible.lastIndexOf('［'), visible.lastIndexOf('【'));
  const close = Math.max(visible.lastIndexOf(']'), visible.lastIndexOf('］'), visible.lastIndexOf('】'));
  const settled = open > close && visible.length - open <= 16 ? visible.slice(0, open) : visible;
  return normalizeCitations(settled, validRanks).text.trim();
}
