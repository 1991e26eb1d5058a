// `node --import ./register.mjs …`: every import of `webgpu` in this process gets ./dawn.mjs.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
