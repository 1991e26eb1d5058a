/**
 * The lab's explorers for the other packages (issue #8). The core app imports `EXPLORERS` and
 * mounts each into its own panel; each runs its heavy work in a module Web Worker.
 */
import { mountAlignExplorer } from './align-explorer.js';
import { mountInalExplorer } from './inal-explorer.js';
import { mountParamsExplorer } from './params-explorer.js';

export interface Explorer {
  id: string;
  title: string;
  /** Renders into `root`; the returned function tears the explorer down. */
  mount(root: HTMLElement): () => void;
}

export const EXPLORERS: Explorer[] = [
  { id: 'inal', title: 'INAL', mount: mountInalExplorer },
  { id: 'params', title: 'Parameters', mount: mountParamsExplorer },
  { id: 'align', title: 'Align vs backprop', mount: mountAlignExplorer },
];
