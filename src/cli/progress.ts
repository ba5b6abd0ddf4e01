// A progress bar on stderr, for commands that walk a large account or plan (drift, apply); none in a pipe.
export function progressBar(err: (text: string) => void): (phase: string, done: number, total: number) => void {
  return (phase, done, total) => {
    if (total === 0) return;
    const width = 30;
    const filled = Math.round((Math.min(done, total) / total) * width);
    err(`\r${phase.padEnd(6)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}${done === total ? "\n" : ""}`);
  };
}
