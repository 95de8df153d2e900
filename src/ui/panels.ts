/**
 * The parts of the page a link to a view can name (view format 2's panels,
 * permalink-view.ts): each is the element with id `panel-<name>`. Which one
 * is in view (for "Link to this view"), and bringing one into view (when a
 * link's run is there).
 */
import { VIEW_PANELS_2, type ViewPanel } from '../toolchain/scenario/permalink-view.ts';

export const panelElementId = (panel: ViewPanel) => `panel-${panel}`;

/** The panel that fills most of the window now, or null when none is in view. */
function panelFillingWindow(doc: Document): ViewPanel | null {
  const height = doc.defaultView?.innerHeight ?? 0;
  let best: { panel: ViewPanel; visible: number } | null = null;
  for (const panel of VIEW_PANELS_2) {
    const box = doc.getElementById(panelElementId(panel))?.getBoundingClientRect();
    if (!box) continue;
    const visible = Math.min(box.bottom, height) - Math.max(box.top, 0);
    if (visible > 0 && (!best || visible > best.visible)) best = { panel, visible };
  }
  return best?.panel ?? null;
}

/** The header (and its Share button) is on screen. */
function headerInView(doc: Document): boolean {
  const header = doc.querySelector('.app-header')?.getBoundingClientRect();
  return header !== undefined && header.bottom > 0;
}

/** The panel the reader last read below the header (see `panelInView`). */
let lastRead: ViewPanel | null = null;

/**
 * Remembers, as the reader scrolls, which panel they read. Reaching Share
 * means scrolling back up to the header, so what is in view at that moment
 * is not what they were showing.
 */
export function watchPanelInView(doc: Document = document): () => void {
  const win = doc.defaultView;
  if (!win) return () => {};
  let frame = 0;
  const onScroll = () => {
    if (frame) return;
    frame = win.requestAnimationFrame(() => {
      frame = 0;
      if (!headerInView(doc)) lastRead = panelFillingWindow(doc);
    });
  };
  win.addEventListener('scroll', onScroll, { passive: true });
  return () => {
    win.removeEventListener('scroll', onScroll);
    if (frame) win.cancelAnimationFrame(frame);
  };
}

/**
 * The panel a link to the view should bring into view: the one filling the
 * window when the page is scrolled past its header, else the one the reader
 * read last before scrolling up to Share (null: they never scrolled).
 */
export function panelInView(doc: Document = document): ViewPanel | null {
  return headerInView(doc) ? lastRead : panelFillingWindow(doc);
}

/** What the reader does to move the page themselves: from then on, the page is theirs. */
const READER_MOVES = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;

/**
 * Scrolls `panel` to the top of the window once it exists (the views load
 * after the run is there; gives up after about five seconds), and keeps it
 * there while the page settles: the chart and the pass's pictures above it
 * draw deferred and lazily loaded, so they grow after the panel has been
 * scrolled to, and would push it down the window. Holding stops when the
 * reader moves the page (wheel, touch, key, pointer, or a scroll this did
 * not make, such as a dragged scroll bar) or after `holdMs`.
 */
export function scrollToPanel(
  panel: ViewPanel,
  doc: Document = document,
  holdMs = 10_000,
): () => void {
  const win = doc.defaultView;
  let frames = 0;
  let handle = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let observer: ResizeObserver | undefined;
  /** Where this put the page last: a scroll to anywhere else is the reader's. */
  let placedY = 0;
  const place = (element: HTMLElement) => {
    element.scrollIntoView({ block: 'start' });
    placedY = win?.scrollY ?? 0;
  };
  const onScroll = () => {
    if (win && Math.abs(win.scrollY - placedY) > 1) release();
  };
  const release = () => {
    observer?.disconnect();
    observer = undefined;
    if (timer !== undefined) clearTimeout(timer);
    for (const type of READER_MOVES) win?.removeEventListener(type, release, true);
    win?.removeEventListener('scroll', onScroll);
  };
  const hold = (element: HTMLElement) => {
    if (!win || typeof ResizeObserver === 'undefined') return;
    // Where "the top" is for this panel: below a sticky bar, if its scroll margin says so.
    const top = parseFloat(win.getComputedStyle(element).scrollMarginTop) || 0;
    // Any change of the page's height (a view drawn above, a table filled below) re-aligns it.
    observer = new ResizeObserver(() => {
      if (!element.isConnected) return release();
      if (Math.abs(element.getBoundingClientRect().top - top) > 1) place(element);
      // Still in place (the browser's scroll anchoring kept it there): that scroll is not the reader's.
      else placedY = win.scrollY;
    });
    observer.observe(doc.body);
    for (const type of READER_MOVES)
      win.addEventListener(type, release, { capture: true, passive: true });
    win.addEventListener('scroll', onScroll, { passive: true });
    timer = setTimeout(release, holdMs);
  };
  const attempt = () => {
    const element = doc.getElementById(panelElementId(panel));
    if (element) {
      place(element);
      hold(element);
      return;
    }
    if (++frames < 300) handle = requestAnimationFrame(attempt);
  };
  attempt();
  return () => {
    cancelAnimationFrame(handle);
    release();
  };
}
