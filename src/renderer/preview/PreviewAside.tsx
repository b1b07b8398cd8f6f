// The right-hand side of the service view: the problems list alone, or, with the preview
// open, the OCI preview above it (wider, resizable). Each problem then also says where it
// lands in the output, and a click there shows the field.
import { useCallback, useMemo, useRef, useState } from 'react';
import { CloseButton, Group, Paper, Text, UnstyledButton } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import type { Diagnostic, SrcListing } from '../../shared/contract';
import { useSettings } from '../app/settings';
import { useLastFolder } from '../common/use-last-folder';
import { useApi } from '../api/context';
import { isApiError } from '../api/errors';
import { baseName, folderOf } from '../common/paths';
import { ShowInFolder } from '../sign/ShowInFolder';
import { ExportFolderModal, type ExportProposal } from './ExportFolderModal';
import { proposedExportFolder } from './export-folder';
import { notifyError, notifySuccess } from '../common/notify';
import { usePathPicker } from '../common/PathPicker';
import { DiagnosticsList } from '../common/DiagnosticsList';
import { PreviewPanel, type Picked } from './PreviewPanel';
import { diagnosticsByPointer, landingsOf, lineRange, TAB_LABELS, type PreviewTab, type Target, type TraceEntryView } from './trace';
import { usePreview } from './use-preview';
import type { PreviewLayout } from './use-preview-layout';
import classes from './PreviewAside.module.css';

interface Props {
  layout: PreviewLayout;
  root: string;
  /** The editor's current text (the preview follows it while the user types). */
  text: string;
  listing: SrcListing;
  diagnostics: Diagnostic[];
  onSelectDiagnostic: (diagnostic: Diagnostic) => void;
  /** Selects a range of the config text in the YAML editor. */
  reveal: (range: { offset: number; endOffset: number }) => void;
}

export function PreviewAside(props: Props) {
  if (!props.layout.open) return <DiagnosticsList diagnostics={props.diagnostics} onSelect={props.onSelectDiagnostic} />;
  return <OpenPreview {...props} />;
}

function OpenPreview({ layout, root, text, listing, diagnostics, onSelectDiagnostic, reveal }: Props) {
  const model = usePreview({ root, text, listing });
  const picker = usePathPicker();
  const { settings, update } = useSettings();
  const lastExport = useLastFolder('export');
  const target: Target = settings.previewTarget;
  const [tab, setTab] = useState<PreviewTab>('image');
  const [picked, setPicked] = useState<Picked | null>(null);
  const [exporting, setExporting] = useState(false);
  const [proposal, setProposal] = useState<ExportProposal | null>(null);
  /** The folder the last export wrote, for Show in folder. */
  const [exported, setExported] = useState<{ dir: string; files: number } | null>(null);
  const { call } = useApi();
  const [resizing, setResizing] = useState(false);
  const textRef = useRef(text);
  textRef.current = text;

  const setTarget = (t: Target) => {
    update({ previewTarget: t });
    setPicked(null);
  };

  const jump = useCallback(
    (line: number, column: number) => {
      const range = lineRange(textRef.current, line, column);
      if (range) reveal(range);
    },
    [reveal],
  );

  const onPick = useCallback(
    (pointer: string, entry: TraceEntryView) => {
      setPicked({ pointer, entry });
      if (entry.line) jump(entry.line, entry.column ?? 1);
    },
    [jump],
  );

  // Diagnostics are a new array on every keystroke; the marks change only with their content.
  const diagnosticsKey = diagnostics.map((d) => `${d.severity}\0${d.path}\0${d.message}`).join('\n');
  const stableDiagnostics = useMemo(() => diagnostics, [diagnosticsKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const problems = useMemo(() => diagnosticsByPointer(model.preview, stableDiagnostics, target), [model.preview, stableDiagnostics, target]);

  const runExport = async (outDir: string) => {
    setProposal(null);
    setExporting(true);
    try {
      const result = await model.exportTo(target, outDir);
      setExported({ dir: result.outDir, files: result.written.length });
      notifySuccess(`Exported the ${target} image`, `${result.written.length} files in ${result.outDir}`);
    } catch (err) {
      notifyError('Cannot export the preview', err);
    } finally {
      setExporting(false);
    }
  };

  // Starts where the last export went, else beside the service folder (never in it); a
  // folder that is not empty gets a new sub-folder, proposed before main would refuse it.
  const onExport = async () => {
    let outDir: string | null;
    try {
      outDir = await picker.pickFolder({ title: `Export the ${target} image into a folder`, startPath: lastExport.folder ?? folderOf(root) });
    } catch (err) {
      notifyError('Cannot choose the export folder', err);
      return;
    }
    if (!outDir) return;
    lastExport.remember(outDir);
    let taken: string[] | null;
    try {
      taken = (await call('fs.browse', { path: outDir, showFiles: true })).entries.map((e) => e.name);
    } catch (err) {
      // A folder that is not there yet is made by the export; other reasons are main's to tell.
      taken = isApiError(err, 'not-found') ? [] : null;
    }
    const isServiceFolder = outDir.replace(/[\\/]+$/, '') === root.replace(/[\\/]+$/, '');
    if (taken && (taken.length > 0 || isServiceFolder)) {
      setProposal({ parent: outDir, name: proposedExportFolder(baseName(root), target, taken), isServiceFolder });
      return;
    }
    await runExport(outDir);
  };

  const renderLandings = (d: Diagnostic) => {
    const landings = landingsOf(model.preview, d, target);
    if (!landings.length) return null;
    const shown = landings.slice(0, 4);
    return (
      <div className={classes.landings} data-testid="diagnostic-landings">
        <Text size="xs" c="dimmed">
          in the output:
        </Text>
        {shown.map((l) => (
          <UnstyledButton
            key={l.pointer}
            className={classes.landing}
            data-testid="diagnostic-landing"
            title={`Show in ${TAB_LABELS[l.tab]}`}
            onClick={() => {
              setTab(l.tab);
              const entry = model.preview?.trace[l.pointer];
              if (entry) setPicked({ pointer: l.pointer, entry });
            }}
          >
            {TAB_LABELS[l.tab]} › {l.label}
          </UnstyledButton>
        ))}
        {landings.length > shown.length && (
          <Text size="xs" c="dimmed">
            +{landings.length - shown.length} more
          </Text>
        )}
      </div>
    );
  };

  const startResize = (e: React.PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startX = e.clientX;
    const startWidth = layout.asideWidth;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    setResizing(true);
    const move = (ev: PointerEvent) => layout.setWidth(startWidth + (startX - ev.clientX));
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      setResizing(false);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };

  return (
    <div className={classes.aside}>
      <div
        className={classes.resize}
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the preview"
        data-active={resizing || undefined}
        onPointerDown={startResize}
        onDoubleClick={() => layout.setWidth(Math.round(window.innerWidth * 0.44))}
      />
      <div className={classes.preview}>
        <PreviewPanel
          model={model}
          target={target}
          onTarget={setTarget}
          tab={tab}
          onTab={setTab}
          picked={picked}
          onPick={onPick}
          onClearPick={() => setPicked(null)}
          problems={problems}
          onJump={jump}
          onExport={() => void onExport()}
          exporting={exporting}
        />
      </div>
      <div className={classes.problems} data-empty={(diagnostics.length === 0 && !exported) || undefined}>
        {exported && (
          <Paper withBorder radius="sm" px="xs" py={4} mb="xs" data-testid="export-done">
            <Group gap="xs" wrap="nowrap">
              <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" style={{ flex: 'none' }} />
              <Text size="xs" truncate title={exported.dir} style={{ flex: 1, minWidth: 0 }}>
                Exported {exported.files} files to {exported.dir}
              </Text>
              <div style={{ flex: 'none' }}>
                <ShowInFolder path={exported.dir} what="The export" folder={exported.dir} />
              </div>
              <CloseButton size="sm" aria-label="Dismiss" onClick={() => setExported(null)} />
            </Group>
          </Paper>
        )}
        <DiagnosticsList diagnostics={diagnostics} onSelect={onSelectDiagnostic} renderExtra={renderLandings} />
      </div>
      <ExportFolderModal proposal={proposal} onExport={(dir) => void runExport(dir)} onCancel={() => setProposal(null)} />
    </div>
  );
}
