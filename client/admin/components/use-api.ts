import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../../shared/api.js';

/**
 * Loads a GET resource; `reload` refetches it after a change. `loading` is true from the render that
 * asks for another path on (not only once the request starts): `data` is then still the last path's.
 */
export function useApi<T>(path: string | null): {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const [settled, setSettled] = useState<string | null>(null);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setLoading(true);
    api<T>(path)
      .then((d) => {
        if (live) {
          setData(d);
          setError(null);
        }
      })
      .catch((e: unknown) => {
        if (live) setError(errorMessage(e, '加载失败'));
      })
      .finally(() => {
        if (live) {
          setLoading(false);
          setSettled(path);
        }
      });
    return () => {
      live = false;
    };
  }, [path, tick]);
  return { data, error, loading: loading || (path !== null && settled !== path), reload: () => setTick((t) => t + 1) };
}
