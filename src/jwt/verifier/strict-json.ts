/**
 * JSON objects parsed strictly for JOSE: the text must be a JSON object, and no object in it
 * may repeat a member name. RFC 7515 §5.2 and RFC 7519 §4 let a parser either reject
 * duplicates or keep the last one; keeping the last one (what `JSON.parse` does) lets two
 * parties read the same token differently, so Gatehouse rejects them.
 *
 * Detection is linear: `JSON.parse` builds the value (collapsing duplicates), then the member
 * names in the text are counted and compared with the members of the parsed value. In valid
 * JSON a string followed by `:` is always a member name, so the counts differ exactly when a
 * name was repeated inside one object.
 */

/** A parsed JSON object (null prototype not guaranteed; read with own-property checks). */
export type JsonObject = Record<string, unknown>;

/** Parses `text` as a JSON object with unique member names at every depth; `undefined` otherwise. */
export function parseJsonObject(text: string): JsonObject | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const members = countParsedMembers(value);
  return members === countMemberNames(text) ? (value as JsonObject) : undefined;
}

/** Members of every object in a parsed JSON value (iterative: nesting depth is attacker-chosen). */
function countParsedMembers(root: object): number {
  let count = 0;
  let stack: object[] | undefined;
  let value: object | undefined = root;
  while (value !== undefined) {
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) if (typeof item === 'object' && item !== null) (stack ??= []).push(item);
    } else {
      // for-in (own enumerable members of a JSON.parse result, fast through V8's enum cache).
      for (const key in value) {
        count++;
        const item = (value as JsonObject)[key];
        if (typeof item === 'object' && item !== null) (stack ??= []).push(item);
      }
    }
    value = stack?.pop();
  }
  return count;
}

/** Member names in JSON text already known to be valid: strings followed by optional whitespace and `:`. */
function countMemberNames(text: string): number {
  let count = 0;
  let open = text.indexOf('"');
  while (open !== -1) {
    let close = text.indexOf('"', open + 1);
    while (close !== -1 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
    if (close === -1) break;
    let next = close + 1;
    let c = text.charCodeAt(next);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++next);
    if (c === 0x3a /* : */) count++;
    open = text.indexOf('"', next);
  }
  return count;
}

/** True when the quote at `index` is preceded by an odd number of backslashes. */
function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(index - 1 - backslashes) === 0x5c) backslashes++;
  return (backslashes & 1) === 1;
}

/** Freezes a parsed JSON value and everything in it (results shared by caches must not be mutable). */
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null || Object.isFrozen(item)) continue;
    Object.freeze(item);
    for (const key in item) {
      const child = (item as JsonObject)[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return value;
}
