/** Tiny DOM helpers: create an HTML or SVG element with attributes and children, find one by id. */

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

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and, optionally, text (the charts draw with it). */
export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Okabe & Ito's colour-blind-safe palette (2008), for every chart's series. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

/** The element with `id`, or an error naming it (the page's markup is the contract). */
export function byId<T extends HTMLElement>(root: ParentNode, id: string, type: new () => T): T {
  const node = root.querySelector(`#${id}`);
  if (!(node instanceof type)) throw new Error(`lab page: element #${id} is missing or not a ${type.name}`);
  return node;
}
