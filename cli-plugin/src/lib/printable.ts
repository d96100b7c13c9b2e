/**
 * Text from Autobus (descriptions, verification details, time zones, database and table names
 * taken from the customer's database) and from the database tools, made safe to print: nothing
 * in it may move the cursor, clear the screen, retitle the window, plant a hyperlink or ring.
 *
 * Whole escape sequences go first, as a terminal would parse them, so that no debris such as
 * "[2J" is left behind: CSI (ESC [ or U+009B) with its parameters; OSC, DCS, SOS, PM and APC
 * strings (ESC ] P X ^ _ or U+009D U+0090 U+0098 U+009E U+009F) up to BEL or ST, or to the end
 * of the text when unterminated; two-character ESC sequences. Then every control character that
 * is left: C0 (U+0000–U+001F, with ESC, BEL and CR), DEL and C1 (U+0080–U+009F). Tabs, CR and
 * line feeds become a space, so a multi-line detail reads as one line and "ok\rFAKE" cannot
 * overprint; with `lines`, line breaks stay (for our own multi-line messages and tool output).
 * Plain spaces and every printable character, in any script, are kept.
 */
const SEQUENCE = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[\x20-\x2f]*[\x30-\x7e]/g
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g

export function printable(value: unknown, {lines = false}: {lines?: boolean} = {}): string {
  if (value === null || value === undefined) return ''
  const text = String(value).replace(SEQUENCE, '')
  const spaced = lines ? text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ') : text.replace(/\r\n|[\t\n\r]/g, ' ')
  return spaced.replace(CONTROL, character => (character === '\n' && lines ? '\n' : ''))
}

/** A parsed JSON answer with `printable` applied to every string in it, keys included. */
export function printableJson<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T
  if (Array.isArray(value)) return value.map(item => printableJson(item)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [printable(key), printableJson(item)])) as T
  }
  return value
}
