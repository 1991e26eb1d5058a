import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

/** The CLI as `pnpm learnability` runs it: from TypeScript sources through tsx. */
export const CLI_ARGS = ['--conditions=source', '--import', 'tsx', BIN];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What else a CLI run gets: Node flags before the CLI's own (`--import` a hook) and environment variables. */
export interface CliExtras {
  nodeArgs?: string[];
  env?: Record<string, string>;
}

/** Runs `learnability <args>` to completion. */
export function cli(args: string[], cwd = ROOT, extras: CliExtras = {}): CliResult {
  // INIT_CWD as pnpm sets it when typed in `cwd`, not in the folder the tests were started from.
  const env = { ...process.env, LEARNABILITY_DEBUG: '', INIT_CWD: cwd, ...extras.env };
  const r = spawnSync(process.execPath, [...(extras.nodeArgs ?? []), ...CLI_ARGS, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `learnability <args>` and sends it `signal` (or closes its stdout) once `until` holds of what it printed (stdout, then stderr); what it printed, and its exit code. */
export function cliSignalledWhen(
  args: string[],
  until: (stdout: string) => boolean,
  signal: NodeJS.Signals | 'close stdout',
  cwd = ROOT,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let [stdout, stderr] = ['', ''];
    let sent = false;
    const check = () => {
      // What it printed on either stream: with --json the progress lines go to stderr.
      if (!sent && until(`${stdout}${stderr}`)) {
        sent = true;
        // As `learnability run … | head` does once it has read its lines.
        if (signal === 'close stdout') child.stdout.destroy();
        else child.kill(signal);
      }
    };
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      check();
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    child.on('close', (code) =>
      sent
        ? resolve({ code, stdout, stderr })
        : reject(new Error(`the run ended before it could be sent ${signal}:\n${stdout}`)),
    );
  });
}

/** Starts `learnability <args>` and kills it (SIGKILL) once `until(stdout)` holds; what it printed. */
export const cliKilledWhen = async (args: string[], until: (stdout: string) => boolean, cwd = ROOT) =>
  (await cliSignalledWhen(args, until, 'SIGKILL', cwd)).stdout;

/** stderr without the lines Dawn's Vulkan loader prints on start-up. */
export function ourStderr(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Warning: max'));
}
