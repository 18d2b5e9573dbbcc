/** A writable text stream, as much of it as progress reporting needs. */
export interface TextStream {
  readonly isTTY?: boolean | undefined;
  write(text: string): boolean;
}

/** Reports training as it goes. */
export interface Progress {
  update(step: number, loss: number, accuracy: number): void;
  stop(): void;
}

/**
 * A progress bar with loss and accuracy on a terminal (cli-progress, loaded only here), named by `label`; plain
 * lines, about ten of them, when the stream is piped.
 *
 * @example
 * ```ts
 * const progress = await createProgress(100, process.stdout);
 * progress.update(1, 0.9, 0.5);
 * progress.stop();
 * ```
 */
export async function createProgress(total: number, stream: TextStream, label = 'train'): Promise<Progress> {
  if (stream.isTTY !== true) return plainProgress(total, stream);
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    format: `${label} {bar} {percentage}% | step {value}/{total} | loss {loss} | accuracy {accuracy}%`,
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    hideCursor: true,
    clearOnComplete: false,
    // cli-progress writes to stderr by default; it takes a Node stream.
    stream: stream as NodeJS.WritableStream,
  });
  bar.start(total, 0, { loss: '-', accuracy: '-' });
  return {
    update: (step, loss, accuracy) =>
      bar.update(step, { loss: loss.toFixed(4), accuracy: percent(accuracy) }),
    stop: () => bar.stop(),
  };
}

function plainProgress(total: number, stream: TextStream): Progress {
  const every = Math.max(1, Math.round(total / 10));
  const width = String(total).length;
  return {
    update: (step, loss, accuracy) => {
      if (step % every !== 0 && step !== total) return;
      stream.write(
        `step ${String(step).padStart(width)}/${total}  loss ${loss.toFixed(4)}  accuracy ${percent(accuracy)}%\n`,
      );
    },
    stop: () => undefined,
  };
}

function percent(accuracy: number): string {
  return (accuracy * 100).toFixed(0);
}
