import { execFileSync } from 'node:child_process';

/**
 * The NVIDIA GPU and driver as `nvidia-smi` reports them ("NVIDIA H200, driver 570.133.20"), or
 * null where there is no nvidia-smi (WebGPU itself exposes no driver version; Dawn's adapter
 * description carries the driver's own words, which the report prints too).
 */
export function nvidiaDriver(): string | null {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const gpus = out
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [name, version] = l.split(',').map((s) => s.trim());
        return `${name}, driver ${version}`;
      });
    return gpus.length ? gpus.join('; ') : null;
  } catch {
    return null;
  }
}
