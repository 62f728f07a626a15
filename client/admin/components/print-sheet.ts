import { ApiError, getToken } from '../../shared/api.js';

/**
 * Opens a staff-only HTML print sheet (posters) in a new tab. Like openAuthed, it fetches with the
 * token and shows the result from a blob: URL — but a blob: document inherits this app's CSP, which
 * blocks the sheet's inline <style>, and it resolves no relative URL. A <base> lets the sheet's
 * same-origin stylesheet link load instead, so the posters print styled.
 */
export async function openPrintSheet(path: string): Promise<void> {
  // Opened inside the click, before any await, so popup blockers let it through.
  const win = window.open('', '_blank');
  try {
    const token = getToken();
    const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) {
      let message = `打开打印页失败（${res.status}）`;
      try {
        message = ((await res.json()) as { message?: string }).message ?? message;
      } catch {
        // not JSON: keep the generic message
      }
      throw new ApiError(res.status, 'HttpError', message);
    }
    const html = (await res.text()).replace(/<head>/i, `<head><base href="${location.origin}/">`);
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
    if (win) win.location.href = url;
    else window.open(url, '_blank');
    setTimeout(() => URL.revokeObjectURL(url), 120_000);
  } catch (err) {
    win?.close();
    throw err;
  }
}
