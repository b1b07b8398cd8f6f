// JSON parsers disagree on an object with a key given twice (most keep the last, some the
// first, some refuse), so a signed JSON object with duplicate keys means different things
// to different verifiers. This scanner finds the first such key; JSON.parse checks syntax.

/** The first key that appears twice in one object of `text`, or undefined. Assumes valid JSON. */
export function findDuplicateKey(text: string): string | undefined {
  // One entry per open container: the keys seen so far for objects, null for arrays.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) return key;
        top.add(key);
        expectKey = false;
      }
      i = j;
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
