// Runs in the worker threads of png-renderer.ts, never on the event loop that answers citizens: the
// PNG encoder is pure JS (a 2048 px image costs ≈230 ms of CPU).
import { renderQrPng } from '../../../qr-codes/index.js';

export default function render(task: { url: string; size: number }): Promise<Buffer> {
  return renderQrPng(task.url, task.size);
}
