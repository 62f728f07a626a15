import type { CaseEvent } from './types.js';
import { formatTime } from './types.js';

function details(e: CaseEvent): string[] {
  const out: string[] = [];
  const d = e.data;
  if (d.contact) out.push(`回访方式：${d.contact}`);
  if (d.classificationLabel) out.push(`定性：${d.classificationLabel}`);
  if (d.satisfactionLabel) out.push(`满意度：${d.satisfactionLabel}`);
  if (d.genuine !== undefined) out.push(d.genuine ? '评价属实，未受引导' : '评价不属实或受到引导');
  if (d.reason && e.type !== 'escalated') out.push(d.reason);
  return out;
}

/** The case's timeline, oldest first; nothing in it is ever edited. */
export function Timeline({ events }: { events: CaseEvent[] }) {
  return (
    <ol class="timeline" data-testid="timeline">
      {events.map((e) => (
        <li key={e.id} data-type={e.type}>
          <div class="timeline-head">
            <strong>{e.label}</strong>
            <span class="muted">
              {' '}
              · {formatTime(e.at)} · {e.byName ?? '系统'}
            </span>
            {e.public && <span class="badge ok">群众可见</span>}
          </div>
          {/* Exactly what the citizen's status page shows of this step (the server's one rule). */}
          {e.public && (
            <div class="muted">
              群众进度页显示：“{e.publicLabel}”{e.notePublic ? '及下方说明' : ''}
            </div>
          )}
          {details(e).map((line) => (
            <div key={line}>{line}</div>
          ))}
          {e.note && (
            <p class="note">
              {e.public && <span class="muted">{e.notePublic ? '群众可见的说明：' : '内部说明（群众看不到）：'}</span>}
              {e.note}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
