/**
 * Entry of the report viewer (built by build/vite.report.config.mts into dist/report/report.js, an
 * IIFE inlined in each report file). Reads the model from the page's JSON data block.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { REPORT_DATA_ID } from '../../shared/report/html';
import { REPORT_FORMAT, type ReportModel } from '../../shared/report/model';
import { ReportApp } from './ReportApp';
import { markOs } from '../src/lib/platform';
import '../src/styles/app.css';
import './report.css';

performance.mark('heapscope-report:start');
// The font stacks are per platform (styles/tokens.css), as in the app.
markOs(document, navigator);

function readModel(): ReportModel {
  const el = document.getElementById(REPORT_DATA_ID);
  if (!el || !el.textContent) throw new Error('this report holds no data');
  const m = JSON.parse(el.textContent) as ReportModel;
  if (!m || m.format !== REPORT_FORMAT) throw new Error('this report holds data of an unknown format');
  return m;
}

const root = document.getElementById('root');
if (root) {
  try {
    const model = readModel();
    performance.mark('heapscope-report:parsed');
    createRoot(root).render(
      <StrictMode>
        <ReportApp model={model} />
      </StrictMode>,
    );
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'report-error';
    p.textContent = `Heapscope could not show this report: ${e instanceof Error ? e.message : String(e)}`;
    root.replaceChildren(p);
  }
}
