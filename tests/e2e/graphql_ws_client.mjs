// graphql-ws (the npm client) runs QUERY once per connectionParams in argv[4] (a JSON array;
// null sends no payload) against the ws:// URL in argv[2]. Prints one JSON result per case:
// {"result": ExecutionResult} or {"closed": {code, reason}}.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, query, casesJson] = process.argv.slice(2);
const TIMEOUT_MS = 10_000;

function runCase(connectionParams) {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: connectionParams ?? undefined,
    retryAttempts: 0,
    lazy: true,
  });
  const outcome = new Promise((resolve) => {
    let result = null;
    client.subscribe(
      { query },
      {
        next: (value) => { result = value; },
        error: (error) => {
          // A close is reported as the CloseEvent itself; anything else is a real failure.
          if (error && typeof error.code === 'number') resolve({ closed: { code: error.code, reason: error.reason } });
          else resolve({ error: String(error?.message ?? JSON.stringify(error)) });
        },
        complete: () => resolve({ result }),
      },
    );
  });
  const timeout = new Promise((resolve) => setTimeout(() => resolve({ error: 'timeout' }), TIMEOUT_MS));
  return Promise.race([outcome, timeout]).finally(() => client.dispose());
}

const results = [];
for (const params of JSON.parse(casesJson)) results.push(await runCase(params));
process.stdout.write(JSON.stringify(results));
process.exit(0);
