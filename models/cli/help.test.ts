import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, main } from './main.ts';

/** Runs the dispatcher in-process and returns its exit code and what it wrote. */
async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('aeslens <command> --help', () => {
  it('lists every command with exit 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(stdout).toContain(`  ${name} `);
  });

  for (const name of Object.keys(COMMANDS))
    for (const flag of ['--help', '-h'])
      it(`${name} ${flag} prints its usage on stdout and exits 0`, { timeout: 30_000 }, async () => {
        const { code, stdout, stderr } = await runCli([name, flag]);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        expect(stdout).toMatch(new RegExp(`^Usage:[\\s\\S]*aeslens ${name}\\b`));
      });

  it('a sub-command followed by --help prints the usage instead of running', async () => {
    const { code, stdout } = await runCli(['iasm', 'build', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('aeslens iasm build');
  });
});
