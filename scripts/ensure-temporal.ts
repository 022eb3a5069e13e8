// `npm run temporal:install`: make sure the Temporal CLI is there (CI calls it before the tests).
import { resolveTemporalCli } from './temporal';

await resolveTemporalCli();
