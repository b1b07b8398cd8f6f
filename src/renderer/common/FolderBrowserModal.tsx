// In-app folder (and file) browser for browser mode, where no native dialog exists. It
// lists folders through `fs.browse`, marks service folders, accepts a typed path, and makes
// a New folder inside the folder shown (`fs.mkdir`), which it then opens.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ActionIcon, Badge, Button, Group, Modal, ScrollArea, Stack, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { IconArrowUp, IconFile, IconFolder, IconFolderPlus, IconPackage } from '@tabler/icons-react';
import type { Output } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { joinPath } from './paths';
import classes from './FolderBrowserModal.module.css';

export interface BrowseRequest {
  mode: 'folder' | 'file';
  title: string;
  startPath?: string;
  /** For files: extensions without the dot. */
  extensions?: string[];
}

interface Props {
  request: BrowseRequest | null;
  onDone: (path: string | null) => void;
}

type Listing = Output<'fs.browse'>;

export function FolderBrowserModal({ request, onDone }: Props) {
  const { call } = useApi();
  const [listing, setListing] = useState<Listing | null>(null);
  const [typed, setTyped] = useState('');
  const [selectedFile, setSelectedFile] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  /** The name being typed for a New folder; null while the field is closed. */
  const [newName, setNewName] = useState<string | null>(null);
  const [newError, setNewError] = useState<string | null>(null);

  // Listings can come back out of order (the first one, of the start folder, may be slower
  // than the one the user just typed): only the newest request may change what is shown.
  const latest = useRef(0);
  const browse = useCallback(
    async (path: string | undefined) => {
      if (!request) return;
      const mine = ++latest.current;
      setLoading(true);
      try {
        const result = await call('fs.browse', {
          path,
          showFiles: request.mode === 'file',
          extensions: request.extensions,
        });
        if (mine !== latest.current) return;
        setListing(result);
        setTyped(result.path);
        setSelectedFile(null);
        setError(null);
      } catch (err) {
        if (mine === latest.current) setError(errorOf(err).message);
      } finally {
        if (mine === latest.current) setLoading(false);
      }
    },
    [call, request],
  );

  useEffect(() => {
    setNewName(null);
    if (request) void browse(request.startPath || undefined);
    else setListing(null);
  }, [request, browse]);

  const makeFolder = async () => {
    if (!listing || newName === null || !newName.trim()) return;
    try {
      const { path } = await call('fs.mkdir', { parent: listing.path, name: newName.trim() });
      setNewName(null);
      setNewError(null);
      await browse(path);
    } catch (err) {
      setNewError(errorOf(err).message);
    }
  };

  const current = listing?.path ?? typed;
  const chosen = request?.mode === 'file' ? selectedFile : current;

  return (
    <Modal opened={request !== null} onClose={() => onDone(null)} title={request?.title ?? ''} size="lg">
      <Stack gap="sm">
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <Tooltip label="Parent folder">
            <ActionIcon
              variant="default"
              size="lg"
              aria-label="Go to parent folder"
              disabled={!listing?.parent}
              onClick={() => listing?.parent && void browse(listing.parent)}
            >
              <IconArrowUp size={18} />
            </ActionIcon>
          </Tooltip>
          <TextInput
            style={{ flex: 1 }}
            label="Path"
            value={typed}
            error={error}
            onChange={(e) => setTyped(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void browse(typed);
            }}
          />
          <Button variant="default" onClick={() => void browse(typed)} loading={loading}>
            Go
          </Button>
        </Group>
        {newName === null ? (
          <Group justify="flex-end">
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconFolderPlus size={16} />}
              disabled={!listing}
              onClick={() => {
                setNewName('');
                setNewError(null);
              }}
            >
              New folder
            </Button>
          </Group>
        ) : (
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              size="xs"
              label={`New folder in ${listing?.path ?? ''}`}
              placeholder="Folder name"
              data-autofocus
              value={newName}
              error={newError}
              onChange={(e) => setNewName(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void makeFolder();
                }
                if (e.key === 'Escape') {
                  e.stopPropagation();
                  setNewName(null);
                }
              }}
            />
            <Button size="xs" mt={22} onClick={() => void makeFolder()} disabled={!newName.trim()}>
              Create
            </Button>
            <Button size="xs" mt={22} variant="default" onClick={() => setNewName(null)}>
              Cancel
            </Button>
          </Group>
        )}
        <ScrollArea h={320} type="auto" className={classes.list}>
          {listing && listing.entries.length === 0 && (
            <Text c="dimmed" size="sm" p="md">
              {request?.mode === 'file' ? 'No matching files or folders here.' : 'No folders here.'}
            </Text>
          )}
          {listing?.entries.map((entry) => {
            const path = joinPath(listing.path, entry.name);
            const isDir = entry.kind === 'directory';
            return (
              <UnstyledButton
                key={entry.name}
                className={classes.entry}
                data-selected={selectedFile === path || undefined}
                onClick={() => (isDir ? void browse(path) : setSelectedFile(path))}
                onDoubleClick={() => {
                  if (!isDir) onDone(path);
                }}
              >
                <Group gap="xs" wrap="nowrap">
                  {entry.isService ? (
                    <IconPackage size={18} color="var(--mantine-color-blue-6)" />
                  ) : isDir ? (
                    <IconFolder size={18} color="var(--mantine-color-yellow-6)" />
                  ) : (
                    <IconFile size={18} />
                  )}
                  <Text size="sm" truncate style={{ flex: 1 }}>
                    {entry.name}
                  </Text>
                  {entry.isService && (
                    <Badge size="xs" variant="light">
                      service
                    </Badge>
                  )}
                </Group>
              </UnstyledButton>
            );
          })}
        </ScrollArea>
        <Group justify="space-between">
          <Text size="xs" c="dimmed" truncate style={{ maxWidth: 380 }}>
            {chosen ?? (request?.mode === 'file' ? 'Pick a file' : '')}
          </Text>
          <Group gap="xs">
            <Button variant="default" onClick={() => onDone(null)}>
              Cancel
            </Button>
            {/* Not while a listing is on its way: the folder shown is about to change. */}
            <Button disabled={!chosen || loading} onClick={() => chosen && onDone(chosen)}>
              {request?.mode === 'file' ? 'Select file' : 'Select this folder'}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
