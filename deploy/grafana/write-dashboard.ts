/** `npm run dashboard`: rewrites the provisioned dashboard JSON from dashboard.ts and the query files. */
import { writeFileSync } from 'node:fs';
import { buildDashboard, dashboardFile } from './dashboard';

writeFileSync(dashboardFile, `${JSON.stringify(buildDashboard(), null, 2)}\n`);
process.stdout.write(`wrote ${dashboardFile}\n`);
