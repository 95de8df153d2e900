// Preloaded (node --import) into a process the fuzz runner measures: at exit,
// writes the process's peak resident set size, in KiB, to $FUZZ_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.FUZZ_RSS_FILE)
    writeFileSync(process.env.FUZZ_RSS_FILE, String(process.resourceUsage().maxRSS));
});
