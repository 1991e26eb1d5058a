/**
 * Headless Debian Chromium through playwright-core (never a downloaded browser). WebGPU needs
 * `--enable-unsafe-webgpu` on Linux; headless it then runs on Chromium's SwiftShader Vulkan
 * (Mesa lavapipe crashes Chromium's GPU process). The rest keeps Chromium from reaching out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env['LEARNABILITY_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * A fresh persistent context (own user-data dir, removed on close) with downloads allowed;
 * `webgpu: false` leaves out `--enable-unsafe-webgpu`, i.e. a browser without a WebGPU adapter.
 */
export async function launchChromium({
  viewport = { width: 1280, height: 800 },
  webgpu = true,
} = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'learnability-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: webgpu ? CHROMIUM_FLAGS : CHROMIUM_FLAGS.filter((f) => f !== '--enable-unsafe-webgpu'),
    viewport,
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
