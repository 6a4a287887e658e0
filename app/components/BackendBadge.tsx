import { useModels } from '../state/models.ts';
import { backendBadgeText } from './backendBadgeText.ts';

/** "WebGPU" or "WASM — <reason>" for the model workers; one badge per distinct backend. */
export function BackendBadge() {
  const text = backendBadgeText(useModels((s) => s.backends));
  if (!text) {
    return (
      <span
        className="badge badge--backend badge--pending"
        data-testid="backend-badge"
        title="No model has been loaded yet"
      >
        Backend: not started
      </span>
    );
  }
  return (
    <span className={`badge badge--backend badge--${text.backend}`} data-testid="backend-badge" title={text.title}>
      {text.label}
    </span>
  );
}
