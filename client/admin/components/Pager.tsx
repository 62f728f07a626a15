/** Which page of how many `offset` is on, for a list of `total` in pages of `pageSize`. */
export function pageOf(total: number, offset: number, pageSize: number): { page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return { page: Math.min(pages, Math.floor(offset / pageSize) + 1), pages };
}

/**
 * 上一页/下一页 under a paged table. At either end the button stays focusable (aria-disabled, not
 * disabled), so a keyboard user pressing 下一页 onto the last page does not lose their place.
 */
export function Pager({
  total,
  offset,
  pageSize,
  onOffset,
}: {
  total: number;
  offset: number;
  pageSize: number;
  onOffset: (offset: number) => void;
}) {
  const { page, pages } = pageOf(total, offset, pageSize);
  const first = offset === 0;
  const last = offset + pageSize >= total;
  return (
    <nav class="pager" aria-label="翻页">
      <button type="button" aria-disabled={first ? 'true' : undefined} onClick={() => first || onOffset(Math.max(0, offset - pageSize))}>
        上一页
      </button>
      <span>
        第 {page}/{pages} 页
      </span>
      <button type="button" aria-disabled={last ? 'true' : undefined} onClick={() => last || onOffset(offset + pageSize)}>
        下一页
      </button>
    </nav>
  );
}
