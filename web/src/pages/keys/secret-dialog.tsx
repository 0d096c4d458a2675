import { CopyButton } from "../../components/copy-button";
import { Dialog } from "../../components/dialog";

/**
 * The only place a key's secret ever appears. Closing the dialog drops it from memory; the
 * server keeps only a digest, so nothing can show it again.
 */
export const SecretDialog = ({
  secret,
  title,
  onClose,
}: {
  secret: { value: string; name: string } | null;
  title: string;
  onClose: () => void;
}) => (
  <Dialog open={secret !== null} title={title} onClose={onClose}>
    {secret && (
      <div class="stack">
        <p class="warning" role="alert">
          <strong>Save this key now.</strong> For your security it will not be shown again — not here, not in
          the API. If you lose it, rotate the key or create a new one.
        </p>
        <label for="secret-value" class="copy-label">
          Secret key for “{secret.name}”
        </label>
        <div class="secret-row">
          <input
            id="secret-value"
            class="input mono"
            readOnly
            value={secret.value}
            onFocus={(e) => (e.target as HTMLInputElement).select()}
          />
          <CopyButton text={secret.value} what="secret key" />
        </div>
        <footer class="dialog-footer">
          <button type="button" class="button button-primary" onClick={onClose}>
            I have saved it
          </button>
        </footer>
      </div>
    )}
  </Dialog>
);
