// Runs a CLI command's `run(args)` in a test with what it writes to stdout and stderr captured,
// not printed.
import { vi } from 'vitest';

export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCaptured(run: (args: string[]) => Promise<number>, args: string[]): Promise<CliOutput> {
  const chunks = { stdout: [] as string[], stderr: [] as string[] };
  const spies = (['stdout', 'stderr'] as const).map((s) =>
    vi.spyOn(process[s], 'write').mockImplementation((chunk) => {
      chunks[s].push(String(chunk));
      return true;
    }),
  );
  const code = await run(args).finally(() => spies.forEach((s) => s.mockRestore()));
  return { code, stdout: chunks.stdout.join(''), stderr: chunks.stderr.join('') };
}
