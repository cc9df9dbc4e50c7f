import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startBootRequests } from './app/bootData';
import { getClient } from './api/client';
import './styles/app.css';

// The workspace list and app info go out now, while React renders the shell (app/bootData.ts).
startBootRequests(getClient());

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
