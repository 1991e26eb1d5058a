// A fake npm `webgpu` (Dawn) that fails as Dawn does on a machine without libvulkan: it writes
// Dawn's native warning straight to file descriptor 2 (as C++ does, past process.stderr) and finds
// no adapter. Loaded in place of `webgpu` by register.mjs; needs no GPU and no driver.
import { appendFileSync, writeSync } from 'node:fs';

// Tests ask "was Dawn loaded, and by which process?": each load appends its pid to this file.
if (process.env.FAKE_DAWN_LOADS) appendFileSync(process.env.FAKE_DAWN_LOADS, `${process.pid}\n`);

writeSync(
  2,
  "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory\n    at operator() (/fake/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)\n",
);

export const globals = {};

export function create() {
  return { requestAdapter: async () => null };
}
