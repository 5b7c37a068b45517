/** corpus/contacts.json: shipped empty (so nothing is shown), read when filled in, refused when malformed. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { readSupportContact } from '../../src/corpus/contacts.js';
import { makeTempDir } from '../helpers/temp-index.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
  dir = undefined;
});
async function withContacts(supportCenter: unknown): Promise<string> {
  dir = await makeTempDir('contacts');
  await fs.writeFile(path.join(dir, 'contacts.json'), JSON.stringify({ supportCenter }));
  return dir;
}

describe('readSupportContact', () => {
  it('finds no contact in the shipped file: its values are empty until a maintainer fills them in', async () => {
    const shipped = JSON.parse(await fs.readFile(path.join(PROJECT_ROOT, 'corpus/contacts.json'), 'utf8'));
    expect(Object.values(shipped.supportCenter).every((v) => v === '')).toBe(true);
    expect(shipped.$comment).toMatch(/phone.*url.*hours/s);
    expect(await readSupportContact(path.join(PROJECT_ROOT, 'corpus'))).toBeUndefined();
  });

  it('finds none without a file, or with a name but no way to reach it', async () => {
    expect(await readSupportContact(await makeTempDir('no-contacts'))).toBeUndefined();
    expect(await readSupportContact(await withContacts({ name: 'センター', phone: ' ', url: '' }))).toBeUndefined();
  });

  it('reads what is filled in, with the default name', async () => {
    expect(await readSupportContact(await withContacts({ name: '', phone: '000-0000-0000', url: '', hours: '平日 9:00〜17:00' }))).toEqual({
      name: 'やまぐち県民活動支援センター',
      phone: '000-0000-0000',
      url: undefined,
      hours: '平日 9:00〜17:00',
      english: { name: undefined, hours: undefined },
    });
  });

  it('refuses a phone or URL that is not one, naming the field', async () => {
    await expect(readSupportContact(await withContacts({ phone: 'ask at the desk' }))).rejects.toThrow(/supportCenter\.phone/);
    await fs.rm(dir!, { recursive: true });
    await expect(readSupportContact(await withContacts({ url: 'example.invalid' }))).rejects.toThrow(/supportCenter\.url/);
  });
});
