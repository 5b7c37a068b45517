/**
 * corpus/contacts.json: how to reach the support center that refusals point to. It ships with
 * empty values: a phone number or address we cannot vouch for would send residents to the
 * wrong place, so nothing is shown until a maintainer fills in what the center publishes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';

export interface SupportContact {
  /** @default 'やまぐち県民活動支援センター' */
  name: string;
  phone?: string;
  /** An http(s) address. */
  url?: string;
  /** When it answers, as the center words it. */
  hours?: string;
  /** Name and hours for English replies; without them the Japanese ones are used. */
  english?: { name?: string; hours?: string };
}

export const DEFAULT_CENTER_NAME = 'やまぐち県民活動支援センター';

const text = (value: unknown, field: string, file: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${file}: supportCenter.${field} must be a string.`);
  return value.trim() || undefined;
};

/** The contact, or undefined when the file is missing or gives neither a phone nor a URL (a name alone reaches nobody). */
export async function readSupportContact(corpusDir: string): Promise<SupportContact | undefined> {
  const file = path.join(corpusDir, 'contacts.json');
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let center: Record<string, unknown>;
  try {
    center = JSON.parse(raw).supportCenter ?? {};
  } catch (error) {
    throw new ConfigError(`${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  const phone = text(center.phone, 'phone', file);
  const url = text(center.url, 'url', file);
  if (phone && !/^[0-9０-９+()\-‐－ ]{6,}$/.test(phone)) throw new ConfigError(`${file}: supportCenter.phone must be a number as dialled, e.g. 083-000-0000; got "${phone}".`);
  if (url && !/^https?:\/\/[^\s]+$/.test(url)) throw new ConfigError(`${file}: supportCenter.url must start with https:// or http://; got "${url}".`);
  if (!phone && !url) return undefined;
  const english = (center.english ?? {}) as Record<string, unknown>;
  return {
    name: text(center.name, 'name', file) ?? DEFAULT_CENTER_NAME,
    phone,
    url,
    hours: text(center.hours, 'hours', file),
    english: { name: text(english.name, 'english.name', file), hours: text(english.hours, 'english.hours', file) },
  };
}
