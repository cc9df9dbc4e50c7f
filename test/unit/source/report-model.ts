/** The ReportModel embedded in a report file (its JSON data block). */
import { REPORT_DATA_ID, type ReportModel } from '../../../shared/report/index';

export function reportModel(html: string): ReportModel {
  const m = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">([\\s\\S]*?)</script>`).exec(html);
  if (!m) throw new Error('no report data block');
  return JSON.parse(m[1]!) as ReportModel;
}
