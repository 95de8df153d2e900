import { useLayoutEffect, useRef, useState } from 'react';

/**
 * Whether the element is narrower than `threshold` CSS pixels (a phone),
 * kept up to date as it resizes; false until measured (and when rendered
 * on a server), so the wide drawing is the default. A view with a compact
 * drawing uses it to fit a 390 px screen instead of being cut off.
 */
export function useNarrow<T extends Element>(threshold: number) {
  const ref = useRef<T>(null);
  const [narrow, setNarrow] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const check = () => setNarrow(element.clientWidth > 0 && element.clientWidth < threshold);
    check();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(check);
    observer.observe(element);
    return () => observer.disconnect();
  }, [threshold]);
  return { ref, narrow };
}
