// Apollo Client over HTTP (HttpLink) and WebSocket (GraphQLWsLink): register EMAIL, ask `me`
// both ways, and send one invalid query. URL in argv[2]; prints what it saw as JSON.
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core/index.js';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions/index.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, email, password] = process.argv.slice(2);
const TIMEOUT_MS = 15_000;
const ME = gql`query Me { me { id email role } }`;
const REGISTER = gql`
  mutation Register($input: RegisterInput!) {
    register(input: $input) { accessToken user { id email } }
  }
`;

function within(promise, what) {
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), TIMEOUT_MS));
  return Promise.race([promise, timeout]);
}

const http = new ApolloClient({ link: new HttpLink({ uri: url, fetch }), cache: new InMemoryCache() });
const registered = await within(http.mutate({ mutation: REGISTER, variables: { input: { email, password } } }), 'register');
const token = registered.data.register.accessToken;

const httpMe = await within(
  http.query({ query: ME, fetchPolicy: 'network-only', context: { headers: { Authorization: `Bearer ${token}` } } }),
  'me over HTTP',
);

let invalid;
try {
  await within(http.query({ query: gql`query Bad { me { noSuchField } }`, fetchPolicy: 'network-only' }), 'invalid query');
  invalid = { error: null };
} catch (error) {
  invalid = { codes: (error.graphQLErrors ?? []).map((e) => e.extensions?.code) };
}

const socket = createClient({
  url: url.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: { authToken: token },
  retryAttempts: 0,
});
const ws = new ApolloClient({ link: new GraphQLWsLink(socket), cache: new InMemoryCache() });
const wsMe = await within(ws.query({ query: ME, fetchPolicy: 'network-only' }), 'me over WebSocket');
await socket.dispose();

process.stdout.write(JSON.stringify({
  registered: registered.data.register.user,
  httpMe: httpMe.data.me,
  wsMe: wsMe.data.me,
  invalid,
}));
process.exit(0);
