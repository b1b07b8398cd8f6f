// How deeply a YAML text nests, estimated from the lexer's tokens alone (linear time, no
// recursion) so that pathological input is refused before the parser and composer see it:
// yaml's CST parser is quadratic in the depth (9 s for a megabyte of `[`) and its composer
// recurses once per level.
//
// The estimate counts open brackets plus the block indentation columns still open on the
// way to a token. Every block collection starts at a column of its own on that stack (a
// line's indentation or the content after `- `, `? `, `: ` on the same line), except that a
// list may sit at its parent map's column (`key:` / `- item`): so the real depth is at most
// brackets + 2 × columns, which keeps everything we run after it well inside the stack.
import { Lexer } from 'yaml';

export interface NestingExcess {
  /** 0-based offset of the first token beyond the limit. */
  offset: number;
}

const DOC_MODE = '\x02';
const FLOW_END = '\x18';
const SCALAR = '\x1f';

/** The first place where `text` nests deeper than `limit` levels, or null. */
export function findExcessNesting(text: string, limit: number): NestingExcess | null {
  let offset = 0;
  let flow = 0;
  const columns: number[] = [];
  let lineStart = 0;
  let atLineStart = true;
  let afterScalarMarker = false;
  let blockScalarPending = false;
  let pendingIndicator = false;

  const pushColumn = (col: number) => {
    const top = columns.length ? columns[columns.length - 1] : -1;
    if (col > top) columns.push(col);
  };

  for (const token of new Lexer().lex(text)) {
    // Markers the lexer inserts take no room in the source; a scalar's text follows its marker.
    const isMarker = !afterScalarMarker && (token === DOC_MODE || token === FLOW_END || token === SCALAR);
    if (isMarker) {
      afterScalarMarker = token === SCALAR;
      continue;
    }
    const isScalarText = afterScalarMarker;
    afterScalarMarker = false;
    const start = offset;
    offset += token.length;
    const first = token[0];
    const isNewline = token === '' || token === '\n' || token === '\r\n';
    const isSpace = !isScalarText && (first === ' ' || first === '\t') && /^[ \t]+$/.test(token);
    const isComment = !isScalarText && first === '#';

    if (isNewline) {
      atLineStart = true;
      lineStart = offset;
      pendingIndicator = false;
      continue;
    }
    if (isSpace) continue;
    const col = start - lineStart;

    if (flow === 0) {
      if (isScalarText && blockScalarPending) {
        // A block scalar's content (`|` / `>`): text, however it is indented.
        blockScalarPending = false;
        atLineStart = false;
        pendingIndicator = false;
        continue;
      }
      if (atLineStart && !isComment) {
        atLineStart = false;
        while (columns.length && columns[columns.length - 1] > col) columns.pop();
        pushColumn(col);
      } else if (pendingIndicator && !isComment) {
        pushColumn(col);
      }
      pendingIndicator = false;
      if (!isScalarText) {
        if (token === '---' || token === '...') columns.length = 0;
        else if (token === '-' || token === '?' || token === ':') pendingIndicator = true;
        else if (first === '|' || first === '>') blockScalarPending = true;
      }
    } else {
      atLineStart = false;
    }
    if (!isScalarText && (token === '[' || token === '{')) flow++;
    else if (!isScalarText && (token === ']' || token === '}') && flow > 0) flow--;
    if (flow + columns.length > limit) return { offset: start };
  }
  return null;
}
