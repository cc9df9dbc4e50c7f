import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { bootFlameSettled, startBootRequests } from './app/bootData';
import { getClient } from './api/client';
import { markOs } from './lib/platform';
import './styles/app.css';
// The app's own UI font, after the tokens it overrides (the report keeps the system's fonts).
import './styles/fonts.css';

/**
 * Longest the first render waits for the flame graph the served page's headers preloaded: normally
 * in before the bundle has run; a slower one (a big profile still being analysed) is drawn when it
 * comes, in the view's loading state.
 */
const BOOT_FLAME_RENDER_WAIT_MS = 150;

// Before anything is laid out: the font stacks are per platform (styles/tokens.css).
markOs(document, navigator);

// The workspace list and app info go out now, while React renders the shell (app/bootData.ts).
startBootRequests(getClient());

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
void bootFlameSettled(BOOT_FLAME_RENDER_WAIT_MS).then(() => {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
