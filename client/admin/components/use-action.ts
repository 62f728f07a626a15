import { useState } from 'preact/hooks';
import { errorMessage } from '../../shared/api.js';

export interface Action {
  /**
   * Runs one call of a form or button (and what follows it: reload, clear the form…). What it
   * resolves to, if anything, is the `done` message; a failure becomes `error`. Never rejects.
   */
  run: (action: () => Promise<unknown>) => Promise<void>;
  /** A form's onSubmit that runs `action` instead of the browser posting the form. */
  onSubmit: (action: () => Promise<unknown>) => (e: Event) => void;
  /** The call is under way (disable its button). */
  busy: boolean;
  /** Why the last call failed: the server's message, or the hook's fallback. */
  error: string | null;
  /** The last call's `done` message, or else its error: for one status line that tells either. */
  outcome: string | null;
  /** Shows a message of the form's own checks as the error, without calling anything. */
  fail: (message: string) => void;
}

/**
 * The state around a call that changes something (POST, PATCH, a download): busy while it runs, then
 * its outcome. `failure` is shown when the server gave no message (no network…). GETs use useApi.
 */
export function useAction(failure: string): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const message = await action();
      if (typeof message === 'string' && message) setDone(message);
    } catch (err) {
      setError(errorMessage(err, failure));
    } finally {
      setBusy(false);
    }
  }
  const onSubmit = (action: () => Promise<unknown>) => (e: Event) => {
    e.preventDefault();
    void run(action);
  };
  return { run, onSubmit, busy, error, outcome: done ?? error, fail: setError };
}
