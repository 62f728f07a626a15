import { render } from 'preact';

// The public rankings page; filled in by the indicators issue.
function PublicPage() {
  return (
    <main>
      <h1>政务服务好差评 · 部门排名公示</h1>
      <p>排名数据即将发布。</p>
    </main>
  );
}

render(<PublicPage />, document.getElementById('app')!);
