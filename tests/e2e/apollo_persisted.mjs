// Apollo Client's persisted-query link (automatic persisted queries, hashed queries over GET)
// against a real server. Records every request it puts on the wire and prints JSON.
//   apq URL EMAIL PASSWORD   register, then `me` twice, then `me` from a second, fresh client
//   allowlist URL TOKEN      `me` (registered in the manifest) and one unregistered query
import { createHash } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';

const [mode, url, ...rest] = process.argv.slice(2);
const TIMEOUT_MS = 15_000;
const ME = gql`query Me { me { id email } }`;
const UNREGISTERED = gql`query Unregistered { __typename }`;
const REGISTER = gql`
  mutation Register($input: RegisterInput!) {
    register(input: $input) { accessToken user { id email } }
  }
`;

const wire = [];
const documents = {};

async function recordingFetch(input, init = {}) {
  const method = init.method ?? 'GET';
  const target = new URL(String(input));
  const body = init.body ? JSON.parse(init.body) : null;
  const extensions = body?.extensions ?? JSON.parse(target.searchParams.get('extensions') ?? 'null');
  const query = body?.query ?? target.searchParams.get('query');
  const hash = extensions?.persistedQuery?.sha256Hash ?? null;
  const response = await fetch(input, init);
  const payload = await response.clone().json();
  wire.push({
    method,
    hash: Boolean(hash),
    text: Boolean(query),
    status: response.status,
    codes: (payload.errors ?? []).map((error) => error.extensions?.code),
  });
  return response;
}

function client(token) {
  const persisted = createPersistedQueryLink({
    // The documents exactly as the link prints and hashes them: what a manifest must hold.
    sha256: (text) => {
      const hash = createHash('sha256').update(text).digest('hex');
      documents[hash] = text;
      return hash;
    },
    useGETForHashedQueries: true,
  });
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const http = new HttpLink({ uri: url, fetch: recordingFetch, headers });
  return new ApolloClient({ link: persisted.concat(http), cache: new InMemoryCache() });
}

function within(promise, what) {
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), TIMEOUT_MS));
  return Promise.race([promise, timeout]);
}

async function outcome(promise, what) {
  try {
    const result = await within(promise, what);
    return { data: result.data };
  } catch (error) {
    if (error.message.startsWith('timeout')) throw error;
    const errors = error.graphQLErrors?.length ? error.graphQLErrors : error.networkError?.result?.errors ?? [];
    return { codes: errors.map((e) => e.extensions?.code), messages: errors.map((e) => e.message) };
  }
}

function mark(step) {
  wire.push({ step });
}

const seen = {};
if (mode === 'apq') {
  const [email, password] = rest;
  mark('register');
  const registered = await within(
    client().mutate({ mutation: REGISTER, variables: { input: { email, password } } }),
    'register',
  );
  const token = registered.data.register.accessToken;
  seen.registered = registered.data.register.user;
  const first = client(token);
  mark('me');
  seen.me = [await outcome(first.query({ query: ME, fetchPolicy: 'network-only' }), 'me')];
  mark('me again');
  seen.me.push(await outcome(first.query({ query: ME, fetchPolicy: 'network-only' }), 'me again'));
  mark('me from a fresh client');
  seen.me.push(await outcome(client(token).query({ query: ME, fetchPolicy: 'network-only' }), 'fresh me'));
} else if (mode === 'allowlist') {
  const [token] = rest;
  mark('me');
  seen.me = await outcome(client(token).query({ query: ME, fetchPolicy: 'network-only' }), 'me');
  mark('unregistered');
  seen.unregistered = await outcome(client(token).query({ query: UNREGISTERED, fetchPolicy: 'network-only' }), 'unregistered');
} else {
  throw new Error(`unknown mode ${mode}`);
}

process.stdout.write(JSON.stringify({ ...seen, wire, documents }));
process.exit(0);
