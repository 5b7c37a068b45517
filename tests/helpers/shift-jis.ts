/**
 * A Shift_JIS encoder for test fixtures. Node's TextEncoder writes only UTF-8, and no
 * encoding package is a dependency, so the table is read off Node's own Shift_JIS decoder:
 * every two-byte code is decoded once and the mapping reversed.
 */
let table: Map<string, number[]> | undefined;

function encodingTable(): Map<string, number[]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('shift_jis');
  const leads = [...range(0x81, 0x9f), ...range(0xe0, 0xfc)];
  const trails = [...range(0x40, 0x7e), ...range(0x80, 0xfc)];
  for (const lead of leads) {
    for (const trail of trails) {
      const char = decoder.decode(new Uint8Array([lead, trail]));
      // The first code wins: NEC and IBM duplicates decode to characters already seen.
      if (char.length === 1 && char !== '\ufffd' && !table.has(char)) table.set(char, [lead, trail]);
    }
  }
  return table;
}

function* range(from: number, to: number) {
  for (let b = from; b <= to; b++) yield b;
}

export function encodeShiftJis(text: string): Uint8Array {
  const codes = encodingTable();
  const bytes: number[] = [];
  for (const char of text) {
    const c = char.codePointAt(0)!;
    if (c < 0x80) bytes.push(c);
    else if (codes.has(char)) bytes.push(...codes.get(char)!);
    else throw new Error(`no Shift_JIS code for ${char} (U+${c.toString(16)})`);
  }
  return new Uint8Array(bytes);
}
