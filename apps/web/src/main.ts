/**
 * The page: a tab for the lab and one per explorer (src/explorers, mounted on first view and
 * torn down when another tab opens). The hash names the tab and an explorer's settings:
 * `#lab`, `#inal?target=parity:2` (explorers/hash-state.ts).
 */
import { parseHash } from './explorers/hash-state.js';
import { EXPLORERS } from './explorers/index.js';
import { byId, h } from './ui/dom.js';
import { mountLab } from './ui/lab-page.js';

const tabs = byId(document, 'tabs', HTMLElement);
const labPanel = byId(document, 'lab-panel', HTMLElement);
const explorerPanel = byId(document, 'explorer-panel', HTMLElement);
let teardown: (() => void) | undefined;

const views = [{ id: 'lab', title: 'Lab' }, ...EXPLORERS.map((e) => ({ id: e.id, title: e.title }))];

function show(id: string): void {
  const explorer = EXPLORERS.find((e) => e.id === id);
  teardown?.();
  teardown = undefined;
  explorerPanel.replaceChildren();
  labPanel.hidden = explorer !== undefined;
  explorerPanel.hidden = explorer === undefined;
  if (explorer) teardown = explorer.mount(explorerPanel);
  for (const a of tabs.querySelectorAll('a')) {
    if (a.dataset['view'] === (explorer ? id : 'lab')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

tabs.replaceChildren(...views.map((v) => h('a', { href: `#${v.id}`, 'data-view': v.id }, v.title)));
let shown: string | null = null;
const urlError = byId(document, 'url-error', HTMLParagraphElement);
/** The banner's text before the tab error joined it (the lab's bad query), to show again after. */
let beforeTabError: string | null = null;
/**
 * `navigated`: a hashchange. An explorer rewrites its own settings with replaceState, which fires
 * none, so a hashchange that names settings is a link pasted or followed: it remounts the explorer
 * with them, even on its own tab (the form kept its values while the address bar showed the link's).
 */
const route = (navigated: boolean) => {
  const { view, settings } = parseHash(location.hash);
  // A tab the page does not have (a mistyped link) opens the lab, and says so: its settings are not
  // read. Beside the lab's own error (`?backend=tpu#foo`), not over it.
  const unknown = view !== '' && !views.some((v) => v.id === view);
  if (unknown) {
    const tabError = `unknown tab #${view} in the link: expected ${views.map((v) => `#${v.id}`).join(', ')}; showing the lab, without the link's settings`;
    beforeTabError ??= urlError.hidden ? '' : (urlError.textContent ?? '');
    urlError.textContent = beforeTabError ? `${beforeTabError}; and ${tabError}` : tabError;
    urlError.hidden = false;
  } else if (beforeTabError !== null) {
    // The lab's error again, unless the lab cleared the banner meanwhile (an edit rewrites its query).
    if (!urlError.hidden && beforeTabError !== '') urlError.textContent = beforeTabError;
    else urlError.hidden = true;
    beforeTabError = null;
  }
  const relink = navigated && view === shown && [...settings].length > 0 && !unknown;
  if (view !== shown || relink) show(view);
  shown = view;
};
window.addEventListener('hashchange', () => route(true));
mountLab(labPanel);
route(false);
