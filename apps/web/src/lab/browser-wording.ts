/**
 * The packages' messages name the CLI's flags (`use --backend wasm`); in the lab the same fix is a
 * control on the page. One place turns the one into the other, so every notice and error the lab
 * shows speaks of its own controls.
 */

/** `…; or use --backend wasm` → `…; or switch Backend to wasm`; other text is unchanged. */
export function browserWording(message: string): string {
  return message.replace(/\buse --backend (\w+)/g, 'switch Backend to $1').replace(/--backend (\w+)/g, 'Backend $1');
}
