// A long path in a narrow cell breaks after a slash, never inside a name: `break-all` split
// "config.yaml:16" into "config.yaml:1" and "6". <wbr> after each "/" gives the line those
// places to break; overflow-wrap only steps in for a single name wider than the cell.
import { Fragment } from 'react';
import { Code } from '@mantine/core';

export function BreakablePath({ path }: { path: string }) {
  const parts = path.split('/');
  return (
    <Code style={{ overflowWrap: 'anywhere' }}>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              /<wbr />
            </>
          )}
        </Fragment>
      ))}
    </Code>
  );
}
