/**
 * Chart export: SVG with inline styles (so it looks the same outside the
 * page, without its CSS or custom properties) and PNG drawn from that SVG.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Properties copied from the computed style onto each exported element. */
const INLINED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
] as const;

/**
 * Serialises an `<svg>` from the page with every element's computed
 * presentation copied into a `style` attribute (CSS variables resolved).
 */
export function inlineSvgStyles(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((el, i) => {
    const copy = copies[i];
    if (!copy) return;
    const computed = getComputedStyle(el);
    const style = INLINED.map((p) => {
      const v = computed.getPropertyValue(p);
      return v ? `${p}:${v}` : '';
    })
      .filter(Boolean)
      .join(';');
    copy.setAttribute('style', style);
    copy.removeAttribute('class');
  });
  clone.setAttribute('xmlns', SVG_NS);
  return new XMLSerializer().serializeToString(clone);
}

export interface ExportPanel {
  heading: string;
  /** A serialised `<svg>` (from inlineSvgStyles). */
  markup: string;
  width: number;
  height: number;
}

export interface ExportLegendEntry {
  label: string;
  colour: string;
  dashed: boolean;
}

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

/** Gives a serialised `<svg>` a position inside the composed image. */
function placeSvg(markup: string, x: number, y: number, width: number, height: number): string {
  return markup.replace(
    /^<svg\b([^>]*)>/,
    (_all, attrs: string) =>
      `<svg x="${x}" y="${y}" width="${width}" height="${height}"${attrs.replace(
        /\s(x|y|width|height)="[^"]*"/g,
        '',
      )}>`,
  );
}

/**
 * One standalone SVG: a title, each panel under its heading, and a legend
 * (solid lines for this run on the left, dashed for the pinned one on the right).
 */
export function composeExportSvg(options: {
  title: string;
  panels: ExportPanel[];
  legend: ExportLegendEntry[];
  background: string;
  foreground: string;
  fontFamily: string;
}): { svg: string; width: number; height: number } {
  const { panels, legend, background, foreground } = options;
  const font = escapeXml(options.fontFamily);
  const width = Math.ceil(Math.max(480, ...panels.map((p) => p.width)));
  const parts: string[] = [];
  let y = 12;
  for (const p of panels) {
    parts.push(
      `<text x="12" y="${y + 14}" font-size="13" font-weight="600" fill="${escapeXml(foreground)}" font-family="${font}">${escapeXml(p.heading)}</text>`,
    );
    y += 20;
    parts.push(placeSvg(p.markup, 0, y, p.width, p.height));
    y += p.height + 8;
  }
  // Legend: this run's series in the left column, the pinned run's (dashed) in the right.
  const columns = [legend.filter((e) => !e.dashed), legend.filter((e) => e.dashed)];
  const rowsNeeded = Math.max(...columns.map((c) => c.length));
  columns.forEach((column, c) =>
    column.forEach((e, r) => {
      const x = 16 + c * Math.floor(width / 2);
      const top = y + r * 18;
      const colour = escapeXml(e.colour);
      parts.push(
        `<line x1="${x}" x2="${x + 30}" y1="${top + 8}" y2="${top + 8}" stroke="${colour}" stroke-width="2"${e.dashed ? ' stroke-dasharray="6 4"' : ''}/>` +
          `<text x="${x + 38}" y="${top + 12}" font-size="12" fill="${escapeXml(foreground)}" font-family="${font}">${escapeXml(e.label)}</text>`,
      );
    }),
  );
  y += rowsNeeded * 18;
  const height = Math.ceil(y + 10);
  const svg =
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>${escapeXml(options.title)}</title>` +
    `<rect width="100%" height="100%" fill="${escapeXml(background)}"/>` +
    parts.join('') +
    `</svg>`;
  return { svg, width, height };
}

/** Draws an SVG onto a canvas (at `scale` × its size) and encodes it as PNG. */
export async function svgToPngBlob(
  svg: string,
  width: number,
  height: number,
  scale: number,
): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))),
      'image/png',
    ),
  );
}

/** Saves a Blob under a file name through an object URL. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
