import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge-api';

/** The renderer's only door: see bridge-api.ts. */
contextBridge.exposeInMainWorld('madoguchi', createBridge(ipcRenderer));
