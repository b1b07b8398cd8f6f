// The preload (bundled to dist/preload/index.js as CommonJS, sandboxed): exposes window.api.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { exposeApi } from './api';

exposeApi(contextBridge, ipcRenderer, webUtils);
