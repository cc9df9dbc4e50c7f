/**
 * The flame graph tooltip, as d3-flame-graph's custom tooltip protocol (a function called with the
 * svg, plus show/hide/destroy). Profile strings are untrusted: every one goes through textContent,
 * never innerHTML. The element is position:fixed inside the chart's container and styled by CSS
 * classes; its position is set through the CSSOM (allowed by the CSP).
 */
import type { FlameHierarchyNode, FlameTooltip } from 'd3-flame-graph';

export interface TooltipLine {
  label: string;
  value: string;
  /** Optional CSS modifier for the value. */
  kind?: 'muted' | 'strong';
}

export interface TooltipContent {
  title: string;
  subtitle?: string;
  lines: TooltipLine[];
  note?: string;
}

export type HeapscopeTooltip<D> = FlameTooltip<D> & {
  /** Follow the pointer while visible (d3-flame-graph only calls show on mouseover). */
  move(event: MouseEvent): void;
};

/** An element holding `text` as a text node (profile strings never become markup). */
function textElement(tag: 'div' | 'dt' | 'dd', className: string, text: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  e.textContent = text;
  return e;
}

export function createTooltip<D>(host: HTMLElement, describe: (d: FlameHierarchyNode<D>) => TooltipContent): HeapscopeTooltip<D> {
  const el = document.createElement('div');
  el.className = 'flame-tooltip';
  el.setAttribute('role', 'tooltip');
  el.hidden = true;

  const render = (c: TooltipContent): void => {
    el.replaceChildren(textElement('div', 'flame-tooltip__title', c.title));
    if (c.subtitle) el.append(textElement('div', 'flame-tooltip__subtitle', c.subtitle));
    const dl = document.createElement('dl');
    dl.className = 'flame-tooltip__grid';
    for (const line of c.lines) dl.append(textElement('dt', '', line.label), textElement('dd', line.kind ? `is-${line.kind}` : '', line.value));
    el.append(dl);
    if (c.note) el.append(textElement('div', 'flame-tooltip__note', c.note));
  };

  const place = (event: MouseEvent): void => {
    const pad = 14;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    let left = event.clientX + pad;
    let top = event.clientY + pad;
    if (left + w > window.innerWidth - 4) left = Math.max(4, event.clientX - w - pad);
    if (top + h > window.innerHeight - 4) top = Math.max(4, event.clientY - h - pad);
    el.style.left = `${left}px`;
    el.style.top = `${top}px`;
  };

  const tip = ((_svg: unknown) => {
    if (!el.isConnected) host.append(el);
  }) as HeapscopeTooltip<D>;

  tip.show = (event: MouseEvent, d: FlameHierarchyNode<D>) => {
    if (!el.isConnected) host.append(el);
    render(describe(d));
    el.hidden = false;
    place(event);
    return tip;
  };
  tip.move = (event: MouseEvent) => {
    if (!el.hidden) place(event);
  };
  tip.hide = () => {
    el.hidden = true;
    return tip;
  };
  tip.destroy = () => {
    el.remove();
  };
  return tip;
}
