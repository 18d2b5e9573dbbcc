import type { StreamInfo } from '../format/style.js';

/** An output stream as the CLI uses it: text, and whether a terminal reads it. */
export interface OutputStream extends StreamInfo {
  write(text: string): boolean;
}

/** The process's outside world, passed in so a run can be driven without touching `process`. */
export interface Io {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}
