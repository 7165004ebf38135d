// Runs graphql-http's GraphQL-over-HTTP compliance audits against URL (argv[2]); prints JSON.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) throw new Error('usage: node audit.mjs URL');

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  results.push({
    id: audit.id,
    name: audit.name,
    status: result.status,
    reason: result.status === 'ok' ? null : result.reason,
    response:
      result.status === 'ok'
        ? null
        : { status: result.response.status, contentType: result.response.headers.get('content-type') },
  });
}
process.stdout.write(JSON.stringify(results));
