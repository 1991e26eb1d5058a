/** Tiny DOM helpers: create an element with attributes and children. */

type Child = Node | string;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children);
  return node;
}

/** The element with `id`, or an error naming it (the page's markup is the contract). */
export function byId<T extends HTMLElement>(root: ParentNode, id: string, type: new () => T): T {
  const node = root.querySelector(`#${id}`);
  if (!(node instanceof type)) throw new Error(`lab page: element #${id} is missing or not a ${type.name}`);
  return node;
}
