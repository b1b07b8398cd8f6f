// JSON that parsers read differently must not be signed content: an object with a key
// given twice (most keep the last, some the first, some refuse), numbers written as
// 1687.0 or 1687e0 (an integer to JavaScript, a float to Python), and escapes of lone
// surrogates (which have no UTF-8 form). JSON.parse checks the syntax; this scanner finds
// the first such ambiguity.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Describes the first ambiguity in `text`, or undefined. Assumes JSON.parse accepts it. */
export function findJsonAmbiguity(text: string): string | undefined {
  // One entry per open container: the keys seen so far for objects, null for arrays.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const literal = text.slice(i, j + 1);
      const value = JSON.parse(literal) as string;
      if (LONE_SURROGATE.test(value)) {
        return `the string ${literal.slice(0, 40)} holds a lone surrogate`;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        if (top.has(value)) return `the key ${JSON.stringify(value)} is given twice`;
        top.add(value);
        expectKey = false;
      }
      i = j;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i;
      while (j < text.length && /[-+0-9.eE]/.test(text[j])) j++;
      const token = text.slice(i, j);
      if (!/^-?(0|[1-9][0-9]*)$/.test(token) || token === '-0') return `the number ${token} is not written as a plain integer`;
      i = j - 1;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return undefined;
}
