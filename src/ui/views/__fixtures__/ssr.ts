/** Helpers for the view tests: server rendering and attribute reading (no DOM here). */
import { createElement, type FunctionComponent } from 'react';
import { renderToString } from 'react-dom/server';

export function render<P extends object>(component: FunctionComponent<P>, props: P): string {
  return renderToString(createElement(component, props));
}

const entities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#x27': "'",
  '#39': "'",
};
export function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_m, e: string) => entities[e]);
}

/** Every value of `name="…"` in the markup, in order. */
export function attributeValues(html: string, name: string): string[] {
  const re = new RegExp(`\\s${name}="([^"]*)"`, 'g');
  return [...html.matchAll(re)].map((m) => unescapeHtml(m[1]));
}

/** The markup's text, tags removed and entities decoded. */
export function textOf(html: string): string {
  return unescapeHtml(html.replace(/<!-- -->/g, '').replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
}
