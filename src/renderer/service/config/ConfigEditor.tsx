// The config in tabs: one per section as a form, Layers with the range picker, and the
// YAML text. All of them edit the same text, so switching tabs never loses anything.
import { forwardRef, useCallback, useImperativeHandle, useRef, useState } from 'react';
import { Badge, ScrollArea, Tabs } from '@mantine/core';
import { IconBraces, IconBuildingFactory2, IconCloudUpload, IconSettings, IconStack2, IconUser } from '@tabler/icons-react';
import type { Diagnostic } from '../../../shared/diagnostics';
import { LayersPanel } from '../layers/LayersPanel';
import { useConfig } from './config-context';
import { ConfigSectionForm, type FormSection } from './ConfigSectionForm';
import { RevertToSaved } from './RevertToSaved';
import { YamlEditor, type YamlEditorHandle } from './YamlEditor';
import classes from './ConfigEditor.module.css';

export type ConfigTab = FormSection | 'layers' | 'yaml';

export interface ConfigEditorHandle {
  /** Shows the YAML tab with the diagnostic's range selected. */
  reveal(diagnostic: Pick<Diagnostic, 'offset' | 'endOffset'>): void;
  editor(): YamlEditorHandle | null;
}

interface Props {
  onTextChange: (text: string) => void;
}

const TABS: { value: ConfigTab; label: string; icon: React.ReactNode; prefix?: string }[] = [
  { value: 'build', label: 'Build', icon: <IconBuildingFactory2 size={16} />, prefix: 'build' },
  { value: 'publish', label: 'Publish', icon: <IconCloudUpload size={16} />, prefix: 'publish' },
  { value: 'configuration', label: 'Configuration', icon: <IconSettings size={16} />, prefix: 'configuration' },
  { value: 'layers', label: 'Layers', icon: <IconStack2 size={16} />, prefix: 'configuration.layers' },
  { value: 'publisher', label: 'Publisher', icon: <IconUser size={16} />, prefix: 'publisher' },
  { value: 'yaml', label: 'YAML', icon: <IconBraces size={16} /> },
];

function countFor(diagnostics: readonly Diagnostic[], tab: (typeof TABS)[number]): number {
  if (!tab.prefix) return 0;
  const p = tab.prefix;
  return diagnostics.filter((d) => {
    if (d.severity !== 'error') return false;
    if (p === 'configuration' && d.path.startsWith('configuration.layers')) return false;
    return d.path === p || d.path.startsWith(`${p}.`) || d.path.startsWith(`${p}[`);
  }).length;
}

export const ConfigEditor = forwardRef<ConfigEditorHandle, Props>(function ConfigEditor({ onTextChange }, ref) {
  const config = useConfig();
  const [tab, setTab] = useState<ConfigTab>('configuration');
  const editorRef = useRef<YamlEditorHandle>(null);

  const reveal = useCallback((d: Pick<Diagnostic, 'offset' | 'endOffset'>) => {
    setTab('yaml');
    // The editor stays mounted while hidden; reveal once its tab is visible so that
    // CodeMirror can measure and scroll.
    setTimeout(() => {
      const view = editorRef.current?.view();
      view?.requestMeasure();
      editorRef.current?.reveal(d.offset, d.endOffset);
    }, 0);
  }, []);

  useImperativeHandle(ref, () => ({ reveal, editor: () => editorRef.current }), [reveal]);

  return (
    <Tabs
      value={tab}
      onChange={(v) => v && setTab(v as ConfigTab)}
      keepMounted
      keepMountedMode="display-none"
      className={classes.tabs}
    >
      {/* The tab list holds only tabs (ARIA: a tablist owns tabs); Revert sits beside it. */}
      <div className={classes.tabBar}>
        <Tabs.List className={classes.tabList}>
          {TABS.map((t) => {
            const errors = countFor(config.diagnostics, t);
            return (
              <Tabs.Tab
                key={t.value}
                value={t.value}
                leftSection={t.icon}
                rightSection={
                  errors ? (
                    <Badge size="xs" color="red" circle>
                      {errors}
                    </Badge>
                  ) : null
                }
              >
                {t.label}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        <div className={classes.tabActions}>
          <RevertToSaved />
        </div>
      </div>

      {(['build', 'publish', 'configuration', 'publisher'] as const).map((section) => (
        <Tabs.Panel key={section} value={section} className={classes.panel}>
          <ScrollArea h="100%" type="auto" offsetScrollbars>
            <div className={classes.formBody} data-stale={config.stale || undefined} key={config.revision}>
              <ConfigSectionForm section={section} />
            </div>
          </ScrollArea>
        </Tabs.Panel>
      ))}
      <Tabs.Panel value="layers" className={classes.panel}>
        <ScrollArea h="100%" type="auto" offsetScrollbars>
          <div className={classes.formBody} data-stale={config.stale || undefined} key={config.revision}>
            <LayersPanel />
          </div>
        </ScrollArea>
      </Tabs.Panel>
      <Tabs.Panel value="yaml" className={classes.panel}>
        <div className={classes.yamlBody}>
          <YamlEditor ref={editorRef} value={config.text} onChange={onTextChange} diagnostics={config.diagnostics} />
        </div>
      </Tabs.Panel>
    </Tabs>
  );
});
