// A JSON document as pretty, syntax-coloured lines. Every field that has a trace entry is
// clickable (it names the config.yaml line it came from); fields from the inferred part of
// the mapping are underlined with dots and tagged; fields a config diagnostic lands on are
// marked in the diagnostic's colour.
import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Tooltip } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { Diagnostic } from '../../shared/contract';
import type { PendingValues } from './pending-digests';
import { childPointer, type TraceEntryView } from './trace';
import classes from './JsonView.module.css';

export interface JsonViewProps {
  value: unknown;
  /** Pointer of `value` in the preview object. */
  pointer: string;
  trace: Record<string, TraceEntryView>;
  problems: Map<string, Diagnostic[]>;
  selected: string | null;
  onPick: (pointer: string, entry: TraceEntryView) => void;
  /** Values that are stand-ins until the rootfs layer is computed, and how to say so. */
  pending?: { values: PendingValues; label: string };
}

const INDENT = 16;

/** The runtime spec's boilerplate lists start folded; what a config changes stays open. */
const FOLDED_KEYS = new Set(['maskedPaths', 'readonlyPaths', 'bounding', 'effective', 'permitted', 'inheritable', 'ambient']);

function foldedByDefault(key: string | number | null, value: unknown): boolean {
  return typeof key === 'string' && FOLDED_KEYS.has(key) && Array.isArray(value) && value.length > 3;
}

function sourceText(entry: TraceEntryView): string {
  const where = entry.line ? `config.yaml:${entry.line} (${entry.path})` : `${entry.path} (not in config.yaml)`;
  if (entry.origin === 'default') return `Default: ${entry.path} is not set${entry.line ? `; nearest key at config.yaml:${entry.line}` : ''}`;
  return `From ${where}`;
}

export const JsonView = memo(function JsonView({ value, pointer, trace, problems, selected, onPick, pending }: JsonViewProps) {
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!selected || !root.current) return;
    const el = root.current.querySelector(`[data-pointer="${CSS.escape(selected)}"]`);
    if (!el) return;
    // A field picked here is in view already; one picked elsewhere (a problem's landing) is centred.
    const box = el.getBoundingClientRect();
    const port = el.closest('.mantine-ScrollArea-viewport')?.getBoundingClientRect();
    if (!port || box.top < port.top || box.bottom > port.bottom) el.scrollIntoView({ block: 'center' });
  }, [selected]);

  const lines = useMemo(() => {
    const out: ReactNode[] = [];
    const toggle = (p: string) =>
      setToggled((prev) => {
        const next = new Set(prev);
        if (next.has(p)) next.delete(p);
        else next.add(p);
        return next;
      });

    const walk = (key: string | number | null, v: unknown, p: string, depth: number, comma: boolean, parentInferred: boolean) => {
      const entry = trace[p];
      const issues = problems.get(p);
      const problem = issues?.some((d) => d.severity === 'error') ? 'error' : issues?.length ? 'warning' : undefined;
      const isContainer = v !== null && typeof v === 'object';
      const entries = isContainer ? (Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v as object)) : [];
      const folded = isContainer && entries.length > 0 && foldedByDefault(key, v) !== toggled.has(p);
      const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
      const inferred = !!entry?.inferred;

      const keyPart =
        key === null ? null : typeof key === 'number' ? null : (
          <>
            <span className={`${classes.key} ${inferred ? classes.inferred : ''}`}>{JSON.stringify(key)}</span>
            <span className={classes.punct}>: </span>
          </>
        );
      let valuePart: ReactNode;
      const standIn = !isContainer ? pending?.values.get(p) : undefined;
      if (standIn)
        valuePart = (
          <span
            className={classes.pending}
            data-testid="pending-value"
            title={standIn === 'rootfs' ? 'The rootfs layer (src/) is not computed yet.' : 'Computed over the rootfs layer, which is not computed yet.'}
          >
            {pending!.label}
          </span>
        );
      else if (!isContainer) valuePart = <Scalar value={v} inferred={inferred} />;
      else if (entries.length === 0) valuePart = <span className={classes.punct}>{open + close}</span>;
      else if (folded)
        valuePart = (
          <>
            <span className={classes.punct}>{open}</span>
            <span className={classes.dim}> {entries.length} {Array.isArray(v) ? 'items' : 'keys'} </span>
            <span className={classes.punct}>{close}</span>
          </>
        );
      else valuePart = <span className={classes.punct}>{open}</span>;
      const closesHere = !isContainer || entries.length === 0 || folded;

      const tags: ReactNode[] = [];
      if (entry && inferred && !parentInferred) tags.push(<span key="i" className={classes.tag} data-kind="inferred">inferred</span>);
      if (entry?.origin === 'default' && !parentInferred) tags.push(<span key="d" className={classes.tag} data-kind="default">default</span>);
      if (problem) tags.push(<span key="p" className={classes.tag} data-kind={problem}>{issues!.length === 1 ? problem : `${issues!.length} problems`}</span>);

      let line = (
        <div
          key={p}
          className={classes.line}
          data-pointer={p}
          data-traced={entry ? '' : undefined}
          data-inferred={inferred ? '' : undefined}
          data-selected={selected === p ? '' : undefined}
          data-problem={problem}
          role={entry ? 'button' : undefined}
          tabIndex={entry ? 0 : undefined}
          // The name is the line as shown (speech matches sight); where it comes from is its description.
          aria-description={entry ? sourceText(entry) : undefined}
          onClick={entry ? () => onPick(p, entry) : undefined}
          onKeyDown={
            entry
              ? (e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onPick(p, entry);
                  }
                }
              : undefined
          }
        >
          <span style={{ width: depth * INDENT, flex: 'none' }} />
          {isContainer && entries.length > 0 ? (
            // A pointer-only affordance, not a second control inside the line's button.
            <span
              className={classes.caret}
              aria-hidden="true"
              data-testid="json-fold"
              onClick={(e) => {
                e.stopPropagation();
                toggle(p);
              }}
            >
              {folded ? <IconChevronRight size={12} /> : <IconChevronDown size={12} />}
            </span>
          ) : (
            <span className={classes.spacer} />
          )}
          <span className={classes.content}>
            {keyPart}
            {valuePart}
            {closesHere && comma && <span className={classes.punct}>,</span>}
          </span>
          {tags}
        </div>
      );
      if (entry || problem) {
        const label = (
          <div>
            {entry && <div>{sourceText(entry)}</div>}
            {entry?.inferred && <div style={{ opacity: 0.8 }}>Inferred mapping: the cloud's exact rule is not public.</div>}
            {issues?.map((d, i) => (
              <div key={i} style={{ marginTop: 4 }}>
                {d.severity === 'error' ? 'Error' : 'Warning'} at {d.path}: {d.message}
              </div>
            ))}
          </div>
        );
        line = (
          <Tooltip key={p} label={label} openDelay={350} position="top-start" multiline maw={420} withinPortal>
            {line}
          </Tooltip>
        );
      }
      out.push(line);

      if (isContainer && entries.length > 0 && !folded) {
        entries.forEach(([k, child], i) => walk(k, child, childPointer(p, k), depth + 1, i < entries.length - 1, parentInferred || inferred));
        out.push(
          <div key={`${p}#close`} className={classes.line}>
            <span style={{ width: depth * INDENT, flex: 'none' }} />
            <span className={classes.spacer} />
            <span className={classes.punct}>
              {close}
              {comma ? ',' : ''}
            </span>
          </div>,
        );
      }
    };
    walk(null, value, pointer, 0, false, false);
    return out;
  }, [value, pointer, trace, problems, selected, onPick, toggled, pending]);

  return (
    <div ref={root} className={classes.root} data-testid="json-view" data-root-pointer={pointer}>
      {lines}
    </div>
  );
});

function Scalar({ value, inferred }: { value: unknown; inferred: boolean }) {
  const cls = typeof value === 'string' ? classes.string : typeof value === 'number' ? classes.number : classes.keyword;
  return <span className={`${cls} ${inferred ? classes.inferred : ''}`}>{JSON.stringify(value)}</span>;
}
