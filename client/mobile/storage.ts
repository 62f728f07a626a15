// localStorage when the browser allows it, else an in-memory stand-in (cookies blocked, private
// mode): the page keeps working, it just cannot survive a reload.
import type { KeyValueStore } from './pending';

function pick(): KeyValueStore {
  try {
    const local = window.localStorage;
    local.getItem('mspy:probe');
    return local;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (key) => (memory.has(key) ? (memory.get(key) as string) : null),
      setItem: (key, value) => void memory.set(key, value),
      removeItem: (key) => void memory.delete(key),
    };
  }
}

export const store: KeyValueStore = pick();

const BIG_KEY = 'mspy:big';

/** 长辈模式: larger type and targets, remembered on this phone, a class on <html>. */
export function setBig(on: boolean, save = true): void {
  document.documentElement.classList.toggle('big', on);
  if (save) {
    try {
      if (on) store.setItem(BIG_KEY, '1');
      else store.removeItem(BIG_KEY);
    } catch {
      /* not remembered, still applied */
    }
  }
}

export function savedBig(): boolean {
  try {
    return store.getItem(BIG_KEY) === '1';
  } catch {
    return false;
  }
}
