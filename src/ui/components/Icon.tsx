/** Small inline icons for the verdict and status lines; always next to words, never alone. */
export type IconName = 'ok' | 'fail' | 'repeat' | 'wave' | 'stop' | 'info' | 'spinner' | 'pause';

const PATHS: Record<IconName, string> = {
  ok: 'M4 10.5l4 4 8-9',
  fail: 'M5 5l10 10M15 5L5 15',
  repeat: 'M4 8a6 6 0 0 1 11-2.5M16 12a6 6 0 0 1-11 2.5M15 2.5v3.2h-3.2M5 17.5v-3.2h3.2',
  wave: 'M2 10c2-5 4-5 6 0s4 5 6 0 4-5 4-5',
  stop: 'M6.5 2.5h7l4 4v7l-4 4h-7l-4-4v-7zM10 6v5M10 13.5v.5',
  info: 'M10 2.5a7.5 7.5 0 1 0 0 15a7.5 7.5 0 1 0 0-15zM10 9v5M10 6v.5',
  spinner: 'M10 2.5a7.5 7.5 0 1 1-7.5 7.5',
  pause: 'M7 4.5v11M13 4.5v11',
};

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={`icon icon-${name}${className ? ` ${className}` : ''}`}
      viewBox="0 0 20 20"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
