// Help texts and messages mark code the Markdown way (`workingDir`, `1.0.0`): shown as
// inline code, never as raw backticks. Only backticks; a full Markdown renderer is not needed.
import { Fragment } from 'react';
import { Code } from '@mantine/core';

/** Splits `text` at backtick pairs: odd parts are code. An unpaired backtick stays as text. */
export function docParts(text: string): { code: boolean; text: string }[] {
  const parts: { code: boolean; text: string }[] = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf('`');
    const close = open < 0 ? -1 : rest.indexOf('`', open + 1);
    if (close < 0) break;
    if (open > 0) parts.push({ code: false, text: rest.slice(0, open) });
    if (close > open + 1) parts.push({ code: true, text: rest.slice(open + 1, close) });
    rest = rest.slice(close + 1);
  }
  if (rest) parts.push({ code: false, text: rest });
  return parts;
}

export function DocText({ text }: { text: string }) {
  return (
    <>
      {docParts(text).map((part, i) =>
        part.code ? (
          <Code key={i} fz="inherit">
            {part.text}
          </Code>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
