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

export function createTooltip<D>(host: HTMLElement, describe: (d: FlameHierarchyNode<D>) => TooltipContent): HeapscopeTooltip<D> {
  const el = document.createElement('div');
  el.className = 'flame-tooltip';
  el.setAttribute('role', 'tooltip');
  el.hidden = true;

  const render = (c: TooltipContent): void => {
    el.replaceChildren();
    const title = document.createElement('div');
    title.className = 'flame-tooltip__title';
    title.textContent = c.title;
    el.append(title);
    if (c.subtitle) {
      const sub = document.createElement('div');
      sub.className = 'flame-tooltip__subtitle';
      sub.textContent = c.subtitle;
      el.append(sub);
    }
    const dl = document.createElement('dl');
    dl.className = 'flame-tooltip__grid';
    for (const line of c.lines) {
      const dt = document.createElement('dt');
      dt.textContent = line.label;
      const dd = document.createElement('dd');
      dd.textContent = line.value;
      if (line.kind) dd.className = `is-${line.kind}`;
      dl.append(dt, dd);
    }
    el.append(dl);
    if (c.note) {
      const note = document.createElement('div');
      note.className = 'flame-tooltip__note';
      note.textContent = c.note;
      el.append(note);
    }
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
