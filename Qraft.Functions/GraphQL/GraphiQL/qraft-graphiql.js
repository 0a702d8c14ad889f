// Boots GraphiQL from a file of its own because the page's CSP forbids inline scripts.
(function () {
  'use strict';

  var container = document.getElementById('graphiql');

  // The endpoint is a path, not a URL, so the page works behind any proxy, host or port.
  var fetcher = GraphiQL.createFetcher({ url: container.getAttribute('data-endpoint') });

  var defaultQuery = [
    '# Welcome to Qraft.',
    '#',
    '# 1. Run "CreateUser" to sign up (pick your own email and a strong password).',
    '# 2. Run "Login" and copy the token from the result.',
    '# 3. Put it in "Headers" below to send it with later requests:',
    '#      { "Authorization": "JWT <token>" }',
    '#    then run "Me".',
    '',
    'mutation CreateUser {',
    '  createUser(email: "alice@example.com", password: "correct horse battery staple") {',
    '    user {',
    '      email',
    '      dateJoined',
    '    }',
    '  }',
    '}',
    '',
    'mutation Login {',
    '  login(email: "alice@example.com", password: "correct horse battery staple") {',
    '    token',
    '    payload',
    '    refreshToken',
    '    refreshExpiresIn',
    '  }',
    '}',
    '',
    'query Me {',
    '  me {',
    '    email',
    '    lastLogin',
    '  }',
    '}',
    ''
  ].join('\n');

  ReactDOM.createRoot(container).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      // Opened by default: sending "Authorization: JWT <token>" is how users call `me`.
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
      // Tokens typed into the headers editor stay in this tab, not in localStorage.
      shouldPersistHeaders: false
    })
  );
})();
