// The bundle's config in tabs: the selected item as a form, the bundle-wide keys (publish,
// publisher) as a form, and the whole file as YAML. All of them edit the same text.
import { forwardRef, useCallback, useImperativeHandle, useRef, useState } from 'react';
import { Badge, ScrollArea, Stack, Tabs, Text } from '@mantine/core';
import { IconBraces, IconCloudUpload, IconStack2 } from '@tabler/icons-react';
import type { Diagnostic } from '../../shared/diagnostics';
import { useConfig } from '../service/config/config-context';
import { ReadOnlyNotice } from '../service/config/ConfigSectionForm';
import { RevertToSaved } from '../service/config/RevertToSaved';
import { SectionFields } from '../service/config/fields/SchemaField';
import { YamlEditor, type YamlEditorHandle } from '../service/config/YamlEditor';
import classes from '../service/config/ConfigEditor.module.css';
import { deploymentSpec } from './field-specs';
import { ItemForm } from './ItemForm';

export type BundleTab = 'item' | 'bundle' | 'yaml';

export interface BundleEditorHandle {
  /** Shows the YAML tab with the range selected. */
  reveal(range: Pick<Diagnostic, 'offset' | 'endOffset'>): void;
}

interface Props {
  item: number;
  onTextChange: (text: string) => void;
  onAddImage: (item: number) => void;
  onRemoveImage: (item: number, image: number) => void;
}

const errorsUnder = (diagnostics: readonly Diagnostic[], test: (path: string) => boolean) =>
  diagnostics.filter((d) => d.severity === 'error' && test(d.path)).length;

export const BundleEditor = forwardRef<BundleEditorHandle, Props>(function BundleEditor({ item, onTextChange, onAddImage, onRemoveImage }, ref) {
  const config = useConfig();
  const [tab, setTab] = useState<BundleTab>('item');
  const editorRef = useRef<YamlEditorHandle>(null);

  const reveal = useCallback((d: Pick<Diagnostic, 'offset' | 'endOffset'>) => {
    setTab('yaml');
    // The editor stays mounted while hidden; reveal once its tab shows so CodeMirror can measure.
    setTimeout(() => {
      editorRef.current?.view()?.requestMeasure();
      editorRef.current?.reveal(d.offset, d.endOffset);
    }, 0);
  }, []);
  useImperativeHandle(ref, () => ({ reveal }), [reveal]);

  const itemErrors = errorsUnder(config.diagnostics, (p) => p.startsWith(`items[${item}]`));
  const bundleErrors = errorsUnder(config.diagnostics, (p) => p === 'schemaVersion' || p.startsWith('publish') || p.startsWith('publisher'));
  const count = (n: number) =>
    n ? (
      <Badge size="xs" color="red" circle>
        {n}
      </Badge>
    ) : null;

  return (
    <Tabs value={tab} onChange={(v) => v && setTab(v as BundleTab)} keepMounted keepMountedMode="display-none" className={classes.tabs}>
      {/* Revert sits beside the tab list, not in it: a tablist holds only tabs. */}
      <div className={classes.tabBar}>
        <Tabs.List className={classes.tabList}>
          <Tabs.Tab value="item" leftSection={<IconStack2 size={16} />} rightSection={count(itemErrors)}>
            Item
          </Tabs.Tab>
          <Tabs.Tab value="bundle" leftSection={<IconCloudUpload size={16} />} rightSection={count(bundleErrors)}>
            Publish
          </Tabs.Tab>
          <Tabs.Tab value="yaml" leftSection={<IconBraces size={16} />}>
            YAML
          </Tabs.Tab>
        </Tabs.List>
        <div className={classes.tabActions}>
          <RevertToSaved fileName="config.yaml" />
        </div>
      </div>
      <Tabs.Panel value="item" className={classes.panel}>
        <ScrollArea h="100%" type="auto" offsetScrollbars viewportProps={{ tabIndex: 0, 'aria-label': 'Item form' }}>
          <div className={classes.formBody} data-stale={config.stale || undefined} key={`${config.revision}-${item}`}>
            {Array.isArray((config.value as { items?: unknown } | undefined)?.items) && (config.value as { items: unknown[] }).items.length > item ? (
              <ItemForm index={item} onAddImage={() => onAddImage(item)} onRemoveImage={(image) => onRemoveImage(item, image)} />
            ) : (
              <Text size="sm" c="dimmed">
                No item to show: add one in the list on the left.
              </Text>
            )}
          </div>
        </ScrollArea>
      </Tabs.Panel>
      <Tabs.Panel value="bundle" className={classes.panel}>
        <ScrollArea h="100%" type="auto" offsetScrollbars viewportProps={{ tabIndex: 0, 'aria-label': 'Publish form' }}>
          <div className={classes.formBody} data-stale={config.stale || undefined} key={config.revision}>
            <Stack gap="md" data-testid="form-publish">
              {!config.parses && <ReadOnlyNotice stale={config.stale} />}
              <Text size="sm" c="dimmed">
                {deploymentSpec(['publish']).doc}
              </Text>
              <SectionFields fields={deploymentSpec(['publish']).fields ?? []} path={['publish']} />
              <Text size="sm" c="dimmed">
                {deploymentSpec(['publisher']).doc}
              </Text>
              <SectionFields fields={deploymentSpec(['publisher']).fields ?? []} path={['publisher']} />
            </Stack>
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
