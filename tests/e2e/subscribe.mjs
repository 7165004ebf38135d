// Holds GraphQL subscriptions open with the npm graphql-ws client or Apollo Client (GraphQLWsLink)
// and reports what arrives, one JSON line each on stdout: {label, ready}, {label, next, at},
// {label, error}, {label, closed: {code, reason}}, {label, complete}. `at` is Date.now().
// argv[2]: ws:// URL; argv[3]: JSON array of {label, client: "graphql-ws" | "apollo", token,
// query, variables}. "ready" follows the server's pong to a ping sent after the subscribe
// message (the server reads a socket's messages in order), so the subscription is registered. Runs until stdin closes (or 60 s), then prints {done}.
import { ApolloClient, InMemoryCache, gql } from '@apollo/client/core/index.js';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions/index.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, specsJson] = process.argv.slice(2);
const LIFETIME_MS = 60_000;
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

function closeOrError(label, error) {
  if (error && typeof error.code === 'number') print({ label, closed: { code: error.code, reason: error.reason } });
  else if (Array.isArray(error)) print({ label, error: error.map((e) => ({ message: e.message, extensions: e.extensions })) });
  else print({ label, error: { message: String(error?.message ?? error), extensions: error?.graphQLErrors?.[0]?.extensions } });
}

function open(spec) {
  const { label } = spec;
  let subscribed = false;
  let pongs = 0;
  const socket = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authToken: spec.token },
    retryAttempts: 0,
    lazy: false,
    keepAlive: 100, // a ping every 100 ms: its pong after `subscribe` proves the server has it
    on: {
      // Pings go one at a time: the 2nd pong after subscribing answers a ping sent after it.
      pong: (received) => {
        if (received && subscribed && ++pongs === 2) print({ label, ready: true });
      },
      closed: (event) => print({ label, closed: { code: event.code, reason: event.reason } }),
    },
  });
  const sink = {
    next: (value) => print({ label, next: value, at: Date.now() }),
    error: (error) => closeOrError(label, error),
    complete: () => print({ label, complete: true }),
  };
  if (spec.client === 'apollo') {
    const apollo = new ApolloClient({ link: new GraphQLWsLink(socket), cache: new InMemoryCache() });
    const observable = apollo.subscribe({ query: gql(spec.query), variables: spec.variables, fetchPolicy: 'no-cache' });
    const subscription = observable.subscribe({
      next: (value) => sink.next({ data: value.data, errors: value.errors }),
      error: (error) => sink.error(error.networkError ?? error.graphQLErrors ?? error),
      complete: sink.complete,
    });
    socket.on('connected', () => { subscribed = true; });
    return () => { subscription.unsubscribe(); return socket.dispose(); };
  }
  socket.on('connected', () => {
    socket.subscribe({ query: spec.query, variables: spec.variables }, sink);
    subscribed = true;
  });
  return () => socket.dispose();
}

const closers = JSON.parse(specsJson).map(open);

async function finish() {
  await Promise.allSettled(closers.map((close) => close()));
  print({ done: true });
  process.exit(0);
}

process.stdin.on('end', finish);
process.stdin.resume();
setTimeout(finish, LIFETIME_MS);
